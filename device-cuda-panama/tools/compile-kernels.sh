#!/bin/sh
# Compiles the CUDA kernels (src/main/cuda/*.cu) to PTX, one .ptx per source, into the given
# directory. The PTX targets compute_75, the oldest architecture CUDA 13 supports, so the driver
# can JIT it for any newer GPU.
#
#   tools/compile-kernels.sh target/ptx                                              (the build does this)
#   tools/compile-kernels.sh src/main/resources/dev/balboa/device/cuda/internal/kernels   (refreshes the committed PTX)
#
# nvcc is taken from $NVCC, $CUDA_HOME/bin, the PATH or /usr/local/cuda/bin. Without nvcc the
# script says so and exits successfully: the committed PTX is used as it is.
set -eu
out=${1:?usage: compile-kernels.sh OUTPUT_DIRECTORY}
here=$(cd "$(dirname "$0")/.." && pwd)
nvcc=${NVCC:-}
if [ -z "$nvcc" ] && [ -n "${CUDA_HOME:-}" ] && [ -x "$CUDA_HOME/bin/nvcc" ]; then nvcc=$CUDA_HOME/bin/nvcc; fi
if [ -z "$nvcc" ] && command -v nvcc >/dev/null 2>&1; then nvcc=$(command -v nvcc); fi
if [ -z "$nvcc" ] && [ -x /usr/local/cuda/bin/nvcc ]; then nvcc=/usr/local/cuda/bin/nvcc; fi
if [ -z "$nvcc" ]; then
    echo "compile-kernels: nvcc not found (set NVCC or CUDA_HOME); using the committed PTX"
    exit 0
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$here/src/main/cuda"
for src in *.cu; do
    "$nvcc" -ptx -arch=compute_75 -o "$out/${src%.cu}.ptx" "$src"
done
echo "compile-kernels: $(ls *.cu | wc -l) kernel sources compiled to PTX in $out with $nvcc"
