#!/usr/bin/python3
"""Times, in PyTorch on the CPU with 2 threads, the workloads of MlpStepBench and
DispatchOverheadBench: one training step of an MLP 784-512-512-10 at batch 128 (float32,
forward + cross-entropy from log_softmax and gather + backward + SGD under no_grad) and the add
of two one-element tensors with and without an input that requires grad.

Run: /usr/bin/python3 bench/scripts/torch_mlp_step.py
"""
import time

import torch

torch.set_num_threads(2)
torch.manual_seed(1)


def timeit(fn, min_seconds=2.0, warmup_seconds=1.0):
    """Average seconds per call after a warmup, over at least min_seconds of calls."""
    end = time.perf_counter() + warmup_seconds
    while time.perf_counter() < end:
        fn()
    calls, batch = 0, 1
    start = time.perf_counter()
    while time.perf_counter() - start < min_seconds:
        for _ in range(batch):
            fn()
        calls += batch
        batch = min(batch * 2, 10000)
    return (time.perf_counter() - start) / calls


def weight(out_features, in_features):
    return (torch.randn(out_features, in_features) / in_features ** 0.5).requires_grad_()


def bias(n):
    return torch.zeros(n, requires_grad=True)


x = torch.randn(128, 784)
target = torch.randint(0, 10, (128, 1))
params = [weight(512, 784), bias(512), weight(512, 512), bias(512), weight(10, 512), bias(10)]


def train_step():
    h = torch.nn.functional.linear(x, params[0], params[1]).relu()
    h = torch.nn.functional.linear(h, params[2], params[3]).relu()
    logits = torch.nn.functional.linear(h, params[4], params[5])
    loss = -logits.log_softmax(1).gather(1, target).mean()
    loss.backward()
    with torch.no_grad():
        for p in params:
            p.sub_(p.grad * 0.01)
            p.grad = None
    return loss


a = torch.full((1,), 1.0)
b = torch.full((1,), 2.0)
recorded = torch.full((1,), 3.0, requires_grad=True)


def add_under_no_grad():
    with torch.no_grad():
        return recorded + b


blas = [part for part in torch.__config__.show().replace(",", "\n").split("\n") if "BLAS_INFO" in part]
print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {blas[0].strip() if blas else 'BLAS unknown'}")
print(f"mlp 784-512-512-10 batch 128 train step: {timeit(train_step) * 1e3:.3f} ms/op")
print(f"add 1-element, no grad:                  {timeit(lambda: a + b) * 1e9:.0f} ns/op")
print(f"add 1-element, recorded:                 {timeit(lambda: recorded + b) * 1e9:.0f} ns/op")
print(f"add 1-element, requires grad, no_grad(): {timeit(add_under_no_grad) * 1e9:.0f} ns/op")
