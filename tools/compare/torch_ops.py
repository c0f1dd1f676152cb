#!/usr/bin/python3
"""Times the operations of Balboa's JMH benchmarks (bench: MatmulBenchmark, AddBenchmark) in PyTorch
on the same machine: float32 matmul at 256 and 1024 (GFLOP/s) and a 16M-element add (ms, GB/s).

/usr/bin/python3 tools/compare/torch_ops.py [--threads 2]
"""
import argparse, json, time
import torch


def best(fn, seconds=2.0, warmup=3):
    for _ in range(warmup):
        fn()
    times = []
    end = time.time() + seconds
    while time.time() < end or len(times) < 5:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    g = torch.Generator().manual_seed(0)
    for n in (256, 1024):
        x = torch.randn(n, n, generator=g)
        y = torch.randn(n, n, generator=g)
        t = best(lambda: torch.matmul(x, y))
        print(json.dumps({"op": f"matmul {n}", "gflops": round(2 * n ** 3 / t / 1e9, 1), "ms": round(t * 1e3, 3),
                          "threads": a.threads}))
    n = 16 * 1024 * 1024
    x = torch.randn(n, generator=g)
    y = torch.randn(n, generator=g)
    t = best(lambda: torch.add(x, y))
    print(json.dumps({"op": "add 16M float32", "ms": round(t * 1e3, 3), "gb_per_s": round(3 * 4 * n / t / 1e9, 1),
                      "threads": a.threads}))


if __name__ == "__main__":
    main()
