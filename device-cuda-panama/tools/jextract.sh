#!/bin/sh
# Regenerates raw bindings for the CUDA driver functions Balboa uses with jextract, into
# target/jextract (a reference to diff against src/main/java/.../internal/driver/CudaDriverBindings.java,
# which keeps jextract's shape but picks the library at run time). No library path is baked in:
# the generated code looks the symbols up by name in whatever libcuda the application loads.
#
#   JEXTRACT=/path/to/jextract CUDA_HOME=/usr/local/cuda tools/jextract.sh
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
jextract=${JEXTRACT:-jextract}
cuda=${CUDA_HOME:-/usr/local/cuda}
command -v "$jextract" >/dev/null 2>&1 || { echo "jextract not found: set JEXTRACT" >&2; exit 1; }
[ -f "$cuda/include/cuda.h" ] || { echo "cuda.h not found under $cuda/include: set CUDA_HOME" >&2; exit 1; }
out="$here/target/jextract"
rm -rf "$out"
set --
for f in cuInit cuDeviceGet cuDeviceGetCount cuDeviceGetName cuDeviceTotalMem_v2 cuDevicePrimaryCtxRetain \
         cuDevicePrimaryCtxRelease_v2 cuCtxSetCurrent cuCtxSynchronize cuMemAlloc_v2 cuMemFree_v2 cuMemcpyHtoD_v2 \
         cuMemcpyDtoH_v2 cuMemcpyDtoD_v2 cuMemsetD8_v2 cuMemAllocHost_v2 cuMemFreeHost cuStreamCreate \
         cuStreamSynchronize cuStreamDestroy_v2 cuEventCreate cuEventRecord cuEventSynchronize cuEventDestroy_v2 \
         cuModuleLoadData cuModuleGetFunction cuModuleUnload cuLaunchKernel cuGetErrorName cuGetErrorString; do
    set -- "$@" --include-function "$f"
done
for t in CUresult CUdevice CUdeviceptr CUcontext CUstream CUevent CUmodule CUfunction; do
    set -- "$@" --include-typedef "$t"
done
"$jextract" --output "$out" --target-package dev.balboa.device.cuda.internal.driver.generated \
    --header-class-name cuda_h -I "$cuda/include" "$@" "$cuda/include/cuda.h"
echo "jextract: bindings written to $out"
