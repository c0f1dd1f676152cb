#!/usr/bin/env python3
"""Runs the benchmark workloads in Balboa and in PyTorch, alternately, and prints a table.

    python3 tools/compare/compare.py [--workloads sgemm,mlp,...] [--steps N] [--warmup N]
                                     [--threads N] [--rounds N] [--batch N] [--image N] [--seq N]
                                     [--phases] [--json] [--blas openblas|system] [--omp-wait passive|active]

From the repository root (or anywhere: paths are found from this file). Balboa runs as
`./balboa --threads T bench --workload X ...` (built on first use); PyTorch runs as
`/usr/bin/python3 tools/compare/torch_workloads.py --workload X ...` with torch.set_num_threads(T).
When /usr/bin/python3 cannot import torch, Debian's python3-torch is installed with apt-get (as
root), else the script says what to install.

Debian's torch does its matrix products through the system's libblas.so.3, by default the slow
reference BLAS. With --blas openblas (the default) the script downloads Debian's
libopenblas0-openmp package (`apt-get download`, no installation, the system is left as it is),
unpacks it under ~/.cache/balboa/openblas and runs PyTorch with LD_LIBRARY_PATH pointing at it;
--blas system uses whatever libblas.so.3 the system has. The table's footer names the BLAS
PyTorch loaded. (The OpenMP build of OpenBLAS shares PyTorch's OpenMP threads; the pthread
build adds a second pool that competes with them.)

PyTorch's OpenMP threads spin while they wait for work. On a machine with more runnable threads
than cores (a shared machine, or Balboa's own pool still spinning down) the spinning threads
take the cores from the ones with work, and PyTorch's steps get 10 to 40 times slower. The
script therefore runs PyTorch with OMP_WAIT_POLICY=PASSIVE (threads sleep when idle);
--omp-wait active restores the spinning, which is slightly faster on an idle machine. Each workload runs in Balboa, then in PyTorch, for
--rounds rounds; the table shows each side's median rate and the ratio Balboa / PyTorch (above 1:
Balboa is faster). Needs only the Python standard library itself.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TORCH_PYTHON = "/usr/bin/python3"
TORCH_SCRIPT = os.path.join(ROOT, "tools", "compare", "torch_workloads.py")
WORKLOADS = ["sgemm", "mlp", "alexnet", "vgg19", "resnet50", "mobilenet_v2", "gnmt", "ncf", "fashion"]


def torch_available():
    if not os.path.exists(TORCH_PYTHON):
        return False
    r = subprocess.run([TORCH_PYTHON, "-c", "import torch"], capture_output=True)
    return r.returncode == 0


def ensure_torch():
    if torch_available():
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("compare: installing python3-torch with apt-get", file=sys.stderr)
        cmd = ["apt-get", "install", "-y", "python3-torch"]
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if subprocess.run(cmd, env=env).returncode != 0:
            subprocess.run(["apt-get", "update"], env=env)
            subprocess.run(cmd, env=env)
    if not torch_available():
        sys.exit("compare: PyTorch is missing for " + TORCH_PYTHON
                 + "; install Debian's python3-torch (apt-get install python3-torch) and run again")


def openblas_dir():
    """A directory holding OpenBLAS's libblas.so.3, unpacked from Debian's package, or None."""
    cache = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "balboa", "openblas")
    lib = os.path.join(cache, "root", "usr", "lib", "x86_64-linux-gnu", "openblas-openmp")
    if os.path.exists(os.path.join(lib, "libblas.so.3")):
        return lib
    if not (shutil.which("apt-get") and shutil.which("dpkg-deb")):
        return None
    os.makedirs(cache, exist_ok=True)
    sys.stdout.flush()
    print("compare: fetching Debian's libopenblas0-openmp into " + cache, file=sys.stderr)
    r = subprocess.run(["apt-get", "download", "libopenblas0-openmp"], cwd=cache, capture_output=True, text=True)
    debs = sorted(f for f in os.listdir(cache) if f.startswith("libopenblas0-openmp") and f.endswith(".deb"))
    if r.returncode != 0 or not debs:
        print("compare: could not download libopenblas0-openmp (%s); PyTorch keeps the system BLAS"
              % (r.stderr.strip().splitlines() or ["no .deb"])[-1], file=sys.stderr)
        return None
    subprocess.run(["dpkg-deb", "-x", os.path.join(cache, debs[-1]), os.path.join(cache, "root")], check=True)
    return lib if os.path.exists(os.path.join(lib, "libblas.so.3")) else None


def last_json(stdout, who, workload):
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    return {"workload": workload, "error": who + " printed no result"}


def run(cmd, who, workload, env=None):
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    result = last_json(r.stdout, who, workload)
    if r.returncode != 0 and "error" not in result:
        result["error"] = who + " exited with status %d" % r.returncode
    if "error" in result and "workload" not in result.get("error", "") and r.stderr.strip():
        # No result line of its own: the last line of stderr says why.
        result["stderr"] = r.stderr.strip().splitlines()[-1]
    return result


def main():
    p = argparse.ArgumentParser(description="Balboa vs PyTorch on the benchmark workloads.")
    p.add_argument("--workloads", default="all", help="comma-separated workloads or all: " + ", ".join(WORKLOADS))
    p.add_argument("--steps", type=int, default=10, help="timed steps per run")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps per run")
    p.add_argument("--warmup-seconds", type=float, default=15.0,
                   help="Balboa keeps warming up (whole steps) for at least this long so the JIT has compiled its kernels")
    p.add_argument("--threads", type=int, default=2, help="threads of both runtimes")
    p.add_argument("--rounds", type=int, default=1, help="alternating runs of each side per workload")
    p.add_argument("--batch", type=int, help="batch size for every workload (default: each workload's)")
    p.add_argument("--image", type=int, help="image side for the vision workloads")
    p.add_argument("--seq", type=int, help="sequence length for gnmt")
    p.add_argument("--blas", choices=["openblas", "system"], default="openblas",
                   help="BLAS of PyTorch: OpenBLAS unpacked from Debian's package, or the system's libblas.so.3")
    p.add_argument("--omp-wait", choices=["passive", "active"], default="passive",
                   help="OMP_WAIT_POLICY of PyTorch's OpenMP threads (passive: sleep when idle)")
    p.add_argument("--json", action="store_true", help="also print every raw result line")
    p.add_argument("--phases", action="store_true",
                   help="also show seconds per step in forward, backward and optimizer for both sides")
    a = p.parse_args()
    names = WORKLOADS if a.workloads == "all" else [w.strip() for w in a.workloads.split(",") if w.strip()]
    unknown = [w for w in names if w not in WORKLOADS]
    if unknown:
        sys.exit("compare: unknown workload(s) %s; workloads: %s" % (", ".join(unknown), ", ".join(WORKLOADS)))
    ensure_torch()

    common = ["--steps", str(a.steps), "--warmup", str(a.warmup)]
    for opt in ("batch", "image", "seq"):
        if getattr(a, opt) is not None:
            common += ["--" + opt, str(getattr(a, opt))]
    balboa = [os.path.join(ROOT, "balboa"), "--threads", str(a.threads), "bench", "--warmup-seconds", str(a.warmup_seconds)]
    torch = [TORCH_PYTHON, TORCH_SCRIPT, "--threads", str(a.threads)]
    torch_env = dict(os.environ, OPENBLAS_NUM_THREADS=str(a.threads), OMP_NUM_THREADS=str(a.threads),
                     OMP_WAIT_POLICY=a.omp_wait.upper())
    if a.blas == "openblas":
        lib = openblas_dir()
        if lib:
            torch_env["LD_LIBRARY_PATH"] = lib + (":" + os.environ["LD_LIBRARY_PATH"] if os.environ.get("LD_LIBRARY_PATH") else "")

    rows, blas = [], set()
    for w in names:
        results = {"balboa": [], "pytorch": []}
        for _ in range(a.rounds):
            for who, cmd, env in (("balboa", balboa, None), ("pytorch", torch, torch_env)):
                r = run(cmd + ["--workload", w] + common, who, w, env)
                results[who].append(r)
                if a.json:
                    print(json.dumps(dict(r, side=who)), flush=True)
        rows.append(row(w, results))
        blas.update(r["blas"] for r in results["pytorch"] if "blas" in r)
        print_row(rows[-1], header=len(rows) == 1, phases=a.phases)
    notes = [r["note"] for r in rows if r["note"]]
    if notes:
        print()
        for n in notes:
            print(n)
    print("\nthreads=%d, steps=%d, warmup=%d (Balboa: and at least %g s), rounds=%d, PyTorch OMP_WAIT_POLICY=%s; ratio = Balboa / PyTorch (higher: Balboa faster)"
          % (a.threads, a.steps, a.warmup, a.warmup_seconds, a.rounds, a.omp_wait.upper()))
    if blas:
        print("PyTorch BLAS: " + ", ".join(sorted(blas)))


def row(w, results):
    values, unit, notes = {}, "", []
    for who, rs in results.items():
        ok = [r for r in rs if "error" not in r]
        for r in rs:
            if "error" in r:
                notes.append("%s %s: %s%s" % (w, who, r["error"], (" (" + r["stderr"] + ")") if "stderr" in r else ""))
        if ok:
            values[who] = statistics.median(r["value"] for r in ok)
            unit = unit or ok[0]["unit"]
    params = {who: rs[0].get("params") for who, rs in results.items() if rs and "params" in rs[0]}
    if len(params) == 2 and params["balboa"] != params["pytorch"]:
        notes.append("%s: parameter counts differ (Balboa %d, PyTorch %d): the models are not the same"
                     % (w, params["balboa"], params["pytorch"]))
    ratio = values["balboa"] / values["pytorch"] if len(values) == 2 and values["pytorch"] > 0 else None
    phases = {}
    for who, rs in results.items():
        ok = [r for r in rs if "error" not in r and "forward_s" in r]
        if ok:
            phases[who] = [statistics.median(r[k] for r in ok) * 1e3 for k in ("forward_s", "backward_s", "optimizer_s")]
    return {"workload": w, "unit": unit, "balboa": values.get("balboa"), "pytorch": values.get("pytorch"),
            "ratio": ratio, "phases": phases, "note": "\n".join(notes)}


def fmt(v, digits=1):
    return "-" if v is None else ("%.*f" % (digits, v))


def print_row(r, header, phases=False):
    def ms(who):
        p = r["phases"].get(who)
        return "-" if p is None else "/".join("%.1f" % v for v in p)
    extra_head = "  %-22s %-22s" % ("Balboa fwd/bwd/opt ms", "PyTorch fwd/bwd/opt ms") if phases else ""
    extra = "  %-22s %-22s" % (ms("balboa"), ms("pytorch")) if phases else ""
    if header:
        print("%-13s %-10s %12s %12s %8s%s" % ("workload", "unit", "Balboa", "PyTorch", "ratio", extra_head))
    print("%-13s %-10s %12s %12s %8s%s" % (r["workload"], r["unit"] or "-", fmt(r["balboa"]), fmt(r["pytorch"]),
                                            fmt(r["ratio"], 2), extra), flush=True)


if __name__ == "__main__":
    main()
