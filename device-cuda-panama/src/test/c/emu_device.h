/*
 * Device-side definitions for compiling Balboa's CUDA kernels for the host, inside the driver
 * emulator (cudaemu.c). A kernel becomes a host function registered under its name at load
 * time; the emulator runs a launch block by block, and each block's threads either one after
 * another (kernels that never synchronize) or as coroutines that switch at __syncthreads.
 * __shared__ variables become static, shared by the threads of the block that runs.
 */
#ifndef EMU_DEVICE_H
#define EMU_DEVICE_H

typedef struct { unsigned int x, y, z; } emu_dim3;

extern emu_dim3 threadIdx, blockIdx, blockDim, gridDim;

typedef void (*emu_entry)(const void* args);

/* Registers a host-compiled kernel; 'sync' is nonzero when the kernel uses __syncthreads. */
void emu_register(const char* name, emu_entry entry, unsigned long arg_size, int sync);

/* Suspends the calling thread of the block until every thread of the block has reached it. */
void emu_syncthreads(void);

#define __global__
#define __device__
#define __forceinline__
#define __shared__ static
#define __syncthreads() emu_syncthreads()

#define BALBOA_KERNEL(name, ArgT, sync)                                                      \
    static void name##_body(const ArgT a);                                                   \
    static void name##_entry(const void* p) { name##_body(*(const ArgT*) p); }               \
    __attribute__((constructor)) static void name##_register(void) {                         \
        emu_register(#name, name##_entry, sizeof(ArgT), sync);                               \
    }                                                                                        \
    static void name##_body(const ArgT a)

#endif
