#!/usr/bin/python3
"""Where a Balboa training step spends its time: samples one `./balboa bench` workload with Java
Flight Recorder and sums the samples by kernel family.

    python3 tools/compare/profile.py --workload resnet50 --steps 100 [--warmup-seconds 15] [--top 15]

Each execution sample of a thread running Java code is charged to the innermost Balboa frame of
its stack (gemm, conv, elementwise, reduce, ...); samples with no Balboa frame are "jvm/other".
Threads that wait (idle pool workers) are not sampled, so the shares are of busy time summed over
threads. Recording starts after the warm-up (--delay), so choose --steps to run well past it. The
first line of the output is the workload's own JSON line.
"""
import argparse, collections, json, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Innermost-first rules: the first Balboa frame whose class matches a prefix names the family.
FAMILIES = [
    ("dev/balboa/device/cpu/internal/gemm/", "gemm"),
    ("dev/balboa/device/cpu/internal/conv/Depthwise", "conv depthwise"),
    ("dev/balboa/device/cpu/internal/conv/MaxPool", "pooling"),
    ("dev/balboa/device/cpu/internal/conv/", "conv (im2col, packing, direct)"),
    ("dev/balboa/device/cpu/internal/Reduce", "reductions"),
    ("dev/balboa/device/cpu/internal/Index", "gather/scatter"),
    ("dev/balboa/device/cpu/internal/Fused", "fused kernels"),
    ("dev/balboa/device/cpu/internal/Random", "random"),
    ("dev/balboa/device/cpu/internal/", "elementwise/copy"),
    ("dev/balboa/autograd/", "autograd engine"),
    ("dev/balboa/api/", "api/dispatch"),
    ("dev/balboa/nn/optim/", "optimizer (nn)"),
    ("dev/balboa/nn/", "nn modules"),
    ("dev/balboa/app/", "bench runner"),
]


def family(frames):
    for f in frames:
        name = f["method"]["type"]["name"]
        if name.startswith("dev/balboa/"):
            for prefix, fam in FAMILIES:
                if name.startswith(prefix):
                    return fam
            return "other balboa"
    return "jvm/other"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--workload", required=True)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--top", type=int, default=15, help="also list this many hottest methods")
    p.add_argument("--jfr", help="keep the recording at this path")
    p.add_argument("--warmup-seconds", type=float, default=15.0,
                   help="the workload warms up at least this long (JIT compilation) before its timed steps")
    p.add_argument("--delay", type=float, default=None,
                   help="start recording this many seconds after the JVM starts (default: warmup-seconds + 5, "
                        "so that the samples are of compiled code)")
    p.add_argument("extra", nargs="*", help="further `balboa bench` options, after --")
    a = p.parse_args()
    jdk_bin = None
    for home in (os.environ.get("JAVA_HOME"), "/usr/lib/jvm/temurin-25-jdk-amd64"):
        if home and os.path.exists(os.path.join(home, "bin", "jfr")):
            jdk_bin = os.path.join(home, "bin")
            break
    if jdk_bin is None:
        sys.exit("profile: no JDK with the jfr tool found (set JAVA_HOME to a JDK 25)")
    tmp = tempfile.mkdtemp(prefix="balboa-profile-")
    rec = a.jfr or os.path.join(tmp, "bench.jfr")
    env = dict(os.environ, BALBOA_JAVA_OPTS=(os.environ.get("BALBOA_JAVA_OPTS", "") +
               " -XX:StartFlightRecording=filename=%s,settings=profile,jdk.ExecutionSample#period=2ms,delay=%ds"
               % (rec, int(a.delay if a.delay is not None else a.warmup_seconds + 5))).strip())
    cmd = [os.path.join(ROOT, "balboa"), "--threads", str(a.threads), "bench", "--workload", a.workload,
           "--steps", str(a.steps), "--warmup", str(a.warmup), "--warmup-seconds", str(a.warmup_seconds)] + a.extra
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    for line in r.stdout.splitlines():
        if line.startswith("{"):
            print(line)
    if r.returncode != 0:
        sys.exit("profile: the workload failed: " + (r.stderr.strip().splitlines() or ["?"])[-1])
    out = subprocess.run([os.path.join(jdk_bin, "jfr"), "print", "--json", "--stack-depth", "64",
                          "--events", "jdk.ExecutionSample", rec], capture_output=True, text=True, check=True).stdout
    events = json.loads(out)["recording"]["events"]
    fams, methods = collections.Counter(), collections.Counter()
    for e in events:
        frames = e["values"]["stackTrace"]["frames"]
        if not frames:
            continue
        fams[family(frames)] += 1
        inner = next((f["method"] for f in frames if f["method"]["type"]["name"].startswith("dev/balboa/")), frames[0]["method"])
        methods[inner["type"]["name"].rsplit("/", 1)[-1] + "." + inner["name"]] += 1
    total = sum(fams.values()) or 1
    print("\n%d samples (busy threads, from %s s after start)" % (total, a.delay if a.delay is not None else a.warmup_seconds + 5))
    print("%-34s %7s" % ("family", "share"))
    for fam, n in fams.most_common():
        print("%-34s %6.1f%%" % (fam, 100.0 * n / total))
    print("\n%-60s %7s" % ("hottest methods (innermost Balboa frame)", "share"))
    for m, n in methods.most_common(a.top):
        print("%-60s %6.1f%%" % (m[:60], 100.0 * n / total))


if __name__ == "__main__":
    main()
