#!/usr/bin/python3
"""PyTorch twin of `./balboa bench`: times one training step of each workload and prints one JSON
line per workload, with the same models, shapes, optimizers and output fields as Balboa.

Workloads (defaults): sgemm 1024x1024x1024 (GFLOP/s); mlp 784-512-512-10, batch 128 (samples/s);
alexnet 3x64x64 batch 16, vgg19 3x32x32 batch 8, resnet50 3x64x64 batch 8, mobilenet_v2 3x64x64
batch 16 (images/s, 10 classes, SGD lr 0.01 momentum 0.9); gnmt vocab 8000, hidden 256, 2 layers,
seq 20, batch 32 (target tokens/s); ncf 6040 users, 3706 items, dim 64, MLP 256-128-64, batch 1024
(samples/s); fashion, the `balboa train` network, 1x28x28 batch 64 (images/s). gnmt, ncf, mlp
and fashion train with Adam lr 1e-3. A step is forward, loss, backward and
optimizer step; the timed steps follow --warmup untimed ones.

The vision models are written out here (no torchvision) with the layouts of the classic papers as
torchvision builds them; GNMT and NCF match dev.balboa.nn.models.GNMT and NCF.

Run with Debian's python3-torch:
  /usr/bin/python3 tools/compare/torch_workloads.py --workload all --threads 2
  /usr/bin/python3 tools/compare/torch_workloads.py --params     # parameter counts of every model
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# ---------------------------------------------------------------- vision models


class AlexNet(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, 11, stride=4, padding=2), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2),
            nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2),
            nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2))
        self.pool = nn.AdaptiveAvgPool2d(6)
        self.classifier = nn.Sequential(
            nn.Dropout(0.5), nn.Linear(256 * 36, 4096), nn.ReLU(inplace=True),
            nn.Dropout(0.5), nn.Linear(4096, 4096), nn.ReLU(inplace=True), nn.Linear(4096, num_classes))

    def forward(self, x):
        return self.classifier(self.pool(self.features(x)).flatten(1))


VGG19_LAYOUT = [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
                512, 512, 512, 512, "M"]


class VGG19(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        layers, c = [], 3
        for v in VGG19_LAYOUT:
            if v == "M":
                layers.append(nn.MaxPool2d(2, 2))
            else:
                layers += [nn.Conv2d(c, v, 3, padding=1), nn.ReLU(inplace=True)]
                c = v
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(7)
        self.classifier = nn.Sequential(
            nn.Linear(512 * 49, 4096), nn.ReLU(inplace=True), nn.Dropout(0.5),
            nn.Linear(4096, 4096), nn.ReLU(inplace=True), nn.Dropout(0.5), nn.Linear(4096, num_classes))

    def forward(self, x):
        return self.classifier(self.pool(self.features(x)).flatten(1))


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, cin, width, stride):
        super().__init__()
        cout = width * 4
        self.conv1 = nn.Conv2d(cin, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, cout, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return F.relu(y + (x if self.down is None else self.down(x)))


class ResNet50(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False), nn.BatchNorm2d(64),
                                  nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, padding=1))
        blocks, cin = [], 64
        for width, count, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
            for i in range(count):
                blocks.append(Bottleneck(cin, width, stride if i == 0 else 1))
                cin = width * 4
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(2048, num_classes)

    def forward(self, x):
        return self.fc(F.adaptive_avg_pool2d(self.blocks(self.stem(x)), 1).flatten(1))


def conv_bn_relu6(cin, cout, kernel, stride, groups=1):
    return [nn.Conv2d(cin, cout, kernel, stride=stride, padding=(kernel - 1) // 2, groups=groups, bias=False),
            nn.BatchNorm2d(cout), nn.ReLU6(inplace=True)]


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        layers = [] if expand == 1 else conv_bn_relu6(cin, hidden, 1, 1)
        layers += conv_bn_relu6(hidden, hidden, 3, stride, groups=hidden)
        layers += [nn.Conv2d(hidden, cout, 1, bias=False), nn.BatchNorm2d(cout)]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        return x + self.body(x) if self.residual else self.body(x)


class MobileNetV2(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        layers, cin = conv_bn_relu6(3, 32, 3, 2), 32
        for expand, cout, count, stride in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                                            (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]:
            for i in range(count):
                layers.append(InvertedResidual(cin, cout, stride if i == 0 else 1, expand))
                cin = cout
        layers += conv_bn_relu6(cin, 1280, 1, 1)
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, num_classes))

    def forward(self, x):
        return self.classifier(F.adaptive_avg_pool2d(self.features(x), 1).flatten(1))


# ---------------------------------------------------------------- GNMT and NCF


class GNMT(nn.Module):
    """LSTM encoder, LSTM decoder from the encoder's final state, additive attention after the
    decoder, tanh(Linear(2h -> h)) of [decoder; context], projection to the vocabulary."""

    def __init__(self, vocab=8000, hidden=256, layers=2):
        super().__init__()
        self.vocab = vocab
        self.src_embed = nn.Embedding(vocab, hidden)
        self.tgt_embed = nn.Embedding(vocab, hidden)
        self.encoder = nn.LSTM(hidden, hidden, num_layers=layers, batch_first=True)
        self.decoder = nn.LSTM(hidden, hidden, num_layers=layers, batch_first=True)
        self.attn_query = nn.Linear(hidden, hidden, bias=False)
        self.attn_key = nn.Linear(hidden, hidden, bias=False)
        self.attn_v = nn.Linear(hidden, 1, bias=False)
        self.combine = nn.Linear(2 * hidden, hidden)
        self.project = nn.Linear(hidden, vocab)

    def forward(self, src, tgt_in):
        memory, state = self.encoder(self.src_embed(src))
        dec, _ = self.decoder(self.tgt_embed(tgt_in), state)
        q = self.attn_query(dec).unsqueeze(2)
        k = self.attn_key(memory).unsqueeze(1)
        scores = self.attn_v(torch.tanh(q + k)).squeeze(3)
        context = torch.softmax(scores, 2) @ memory
        return self.project(torch.tanh(self.combine(torch.cat([dec, context], 2))))

    def loss(self, src, tgt_in, tgt_out):
        return F.cross_entropy(self(src, tgt_in).reshape(-1, self.vocab), tgt_out.reshape(-1))


class NCF(nn.Module):
    """NeuMF: GMF (elementwise product of embeddings) and MLP (concatenated embeddings through
    Linear+ReLU layers) branches, concatenated, then Linear(-> 1) to a logit."""

    def __init__(self, users=6040, items=3706, gmf_dim=64, mlp_dim=64, mlp_layers=(256, 128, 64)):
        super().__init__()
        self.gmf_user = nn.Embedding(users, gmf_dim)
        self.gmf_item = nn.Embedding(items, gmf_dim)
        self.mlp_user = nn.Embedding(users, mlp_dim)
        self.mlp_item = nn.Embedding(items, mlp_dim)
        for e in (self.gmf_user, self.gmf_item, self.mlp_user, self.mlp_item):
            nn.init.normal_(e.weight, 0, 0.01)
        layers, cin = [], 2 * mlp_dim
        for w in mlp_layers:
            layers.append(nn.Linear(cin, w))
            cin = w
        self.mlp = nn.ModuleList(layers)
        self.head = nn.Linear(gmf_dim + cin, 1)

    def forward(self, users, items):
        gmf = self.gmf_user(users) * self.gmf_item(items)
        h = torch.cat([self.mlp_user(users), self.mlp_item(items)], 1)
        for layer in self.mlp:
            h = F.relu(layer(h))
        return self.head(torch.cat([gmf, h], 1)).squeeze(1)

    def loss(self, users, items, labels):
        return F.binary_cross_entropy_with_logits(self(users, items), labels)


class FashionCnn(nn.Module):
    """The network `balboa train` trains (dev.balboa.app.FashionCnn)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def mlp_model():
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))


VISION = {"alexnet": (AlexNet, 16, 64), "vgg19": (VGG19, 8, 32), "resnet50": (ResNet50, 8, 64),
          "mobilenet_v2": (MobileNetV2, 16, 64)}
WORKLOADS = ["sgemm", "mlp", "alexnet", "vgg19", "resnet50", "mobilenet_v2", "gnmt", "ncf", "fashion"]


def blas_library():
    """The BLAS shared library this process loaded (Debian's torch links libblas.so.3, whichever
    implementation the system or LD_LIBRARY_PATH provides), or "unknown"."""
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                if "libblas" in path or "openblas" in path or "libmkl" in path:
                    return path
    except OSError:
        pass
    return "unknown"


def num_params(model):
    return sum(p.numel() for p in model.parameters())


# ---------------------------------------------------------------- runner


def time_steps(step, warmup, steps):
    for _ in range(warmup):
        step()
    PHASES[:] = [0.0, 0.0, 0.0]
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - t0) / steps


PHASES = [0.0, 0.0, 0.0]  # seconds in forward+loss, backward (with zero_grad), optimizer step (with .item())


def train_step(model, opt, loss_fn):
    def step():
        t0 = time.perf_counter()
        loss = loss_fn()
        t1 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        t2 = time.perf_counter()
        opt.step()
        value = loss.item()
        t3 = time.perf_counter()
        PHASES[0] += t1 - t0
        PHASES[1] += t2 - t1
        PHASES[2] += t3 - t2
        return value
    return step


def run(name, a):
    line = {"workload": name, "framework": "pytorch " + torch.__version__, "threads": a.threads, "blas": blas_library()}
    if name == "sgemm":
        n = a.size
        x, y = torch.rand(n, n), torch.rand(n, n)
        def step():
            with torch.no_grad():
                torch.mm(x, y)
        sec = time_steps(step, a.warmup, a.steps)
        line.update(unit="GFLOP/s", value=2.0 * n ** 3 / sec / 1e9, size=n)
    elif name == "mlp":
        batch = a.batch or 128
        model = mlp_model()
        x, y = torch.randn(batch, 784), torch.randint(0, 10, (batch,))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        sec = time_steps(train_step(model, opt, lambda: F.cross_entropy(model(x), y)), a.warmup, a.steps)
        line.update(unit="samples/s", value=batch / sec, batch=batch, params=num_params(model))
    elif name in VISION:
        cls, default_batch, default_image = VISION[name]
        batch, image = a.batch or default_batch, a.image or default_image
        model = cls(10)
        model.train()
        x, y = torch.randn(batch, 3, image, image), torch.randint(0, 10, (batch,))
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        sec = time_steps(train_step(model, opt, lambda: F.cross_entropy(model(x), y)), a.warmup, a.steps)
        line.update(unit="images/s", value=batch / sec, batch=batch, image=image, params=num_params(model))
    elif name == "gnmt":
        batch, seq = a.batch or 32, a.seq or 20
        model = GNMT()
        src = torch.randint(0, 8000, (batch, seq))
        tgt = torch.randint(0, 8000, (batch, seq + 1))
        tgt_in, tgt_out = tgt[:, :-1].contiguous(), tgt[:, 1:].contiguous()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        sec = time_steps(train_step(model, opt, lambda: model.loss(src, tgt_in, tgt_out)), a.warmup, a.steps)
        line.update(unit="tokens/s", value=batch * seq / sec, batch=batch, seq=seq, params=num_params(model))
    elif name == "ncf":
        batch = a.batch or 1024
        model = NCF()
        users, items = torch.randint(0, 6040, (batch,)), torch.randint(0, 3706, (batch,))
        labels = torch.randint(0, 2, (batch,)).float()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        sec = time_steps(train_step(model, opt, lambda: model.loss(users, items, labels)), a.warmup, a.steps)
        line.update(unit="samples/s", value=batch / sec, batch=batch, params=num_params(model))
    elif name == "fashion":
        batch, image = a.batch or 64, a.image or 28
        model = FashionCnn()
        x, y = torch.randn(batch, 1, image, image), torch.randint(0, 10, (batch,))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        sec = time_steps(train_step(model, opt, lambda: F.cross_entropy(model(x), y)), a.warmup, a.steps)
        line.update(unit="images/s", value=batch / sec, batch=batch, image=image, params=num_params(model))
    else:
        raise SystemExit(f"unknown workload {name!r}; workloads: {', '.join(WORKLOADS)}, all")
    line["value"] = round(line["value"], 3)
    line["seconds_per_step"] = round(sec, 6)
    if name != "sgemm":
        for key, total in zip(("forward_s", "backward_s", "optimizer_s"), PHASES):
            line[key] = round(total / a.steps, 6)
    line["steps"] = a.steps
    return line


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--workload", default="all", help="a workload name or all")
    p.add_argument("--batch", type=int, default=None, help="batch size (default: the workload's)")
    p.add_argument("--image", type=int, default=None, help="image side for vision models (default: the workload's)")
    p.add_argument("--seq", type=int, default=None, help="sequence length for gnmt (default 20)")
    p.add_argument("--size", type=int, default=1024, help="matrix side for sgemm")
    p.add_argument("--steps", type=int, default=10, help="timed steps")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps before timing")
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    p.add_argument("--params", action="store_true", help="print the parameter count of every model and exit")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.params:
        models = {"mlp": mlp_model(), "gnmt": GNMT(), "ncf": NCF()}
        models.update({k: cls(10) for k, (cls, _, _) in VISION.items()})
        small = {"gnmt_small": GNMT(50, 16, 2), "ncf_small": NCF(20, 30, 8, 8, (32, 16, 8))}
        for k, m in {**models, **small}.items():
            print(json.dumps({"model": k, "params": num_params(m)}))
        return
    names = WORKLOADS if a.workload == "all" else a.workload.split(",")
    for name in names:
        print(json.dumps(run(name.strip(), a)), flush=True)


if __name__ == "__main__":
    main()
