#!/usr/bin/python3
"""Trains the same CNN as `./balboa train` on Fashion-MNIST with PyTorch, for comparison.

Architecture: conv(1->32, 3x3, pad 1) + ReLU + maxpool 2, conv(32->64, 3x3, pad 1) + ReLU +
maxpool 2, linear(3136->128) + ReLU, linear(128->10); Adam lr 2e-3 annealed per step on a cosine to 0
by the last step (--schedule constant keeps it), batch 64, inputs scaled to
[0, 1] and normalised with mean 0.2860, std 0.3530. Prints one JSON line per epoch.

Run with Debian's python3-torch: /usr/bin/python3 tools/compare/torch_fashion_mnist.py [--epochs 2]
"""
import argparse, gzip, json, struct, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, rank = struct.unpack(">HBB", data[:4])
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(x)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0, help="seed of initialisation and shuffling")
    p.add_argument("--lr", type=float, default=2e-3, help="Adam learning rate (the peak of the schedule)")
    p.add_argument("--schedule", choices=["cosine", "constant"], default="cosine",
                   help="learning rate over the run: cosine (annealed per step to 0 by the last step) or constant")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    def load(prefix):
        x = read_idx(f"{a.data}/{prefix}-images-idx3-ubyte.gz").astype(np.float32) / 255.0
        y = read_idx(f"{a.data}/{prefix}-labels-idx1-ubyte.gz").astype(np.int64)
        x = (x - 0.2860) / 0.3530
        return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)
    xtr, ytr = load("train")
    xte, yte = load("t10k")
    model = Net()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps_per_epoch = (len(xtr) + a.batch - 1) // a.batch
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, a.epochs * steps_per_epoch) if a.schedule == "cosine" else None
    g = torch.Generator().manual_seed(a.seed)
    for epoch in range(1, a.epochs + 1):
        model.train()
        t0 = time.time()
        perm = torch.randperm(len(xtr), generator=g)
        total = 0.0
        for i in range(0, len(xtr), a.batch):
            idx = perm[i:i + a.batch]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            total += loss.item() * len(idx)
        train_s = time.time() - t0
        model.eval()
        with torch.no_grad():
            correct = sum((model(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item() for i in range(0, len(xte), 1000))
        print(json.dumps({"framework": "pytorch " + torch.__version__, "epoch": epoch, "train_seconds": round(train_s, 2),
                          "images_per_s": round(len(xtr) / train_s, 1), "loss": round(total / len(xtr), 4),
                          "test_accuracy": correct / len(xte), "threads": a.threads, "schedule": a.schedule}), flush=True)


if __name__ == "__main__":
    main()
