/*
 * A CUDA driver API emulator for tests on machines without a GPU. It exports the driver
 * functions Balboa binds, with the driver's signatures and CUresult codes, keeps "device"
 * memory in host memory (a CUdeviceptr is the host address, checked against the live
 * allocations on every copy and free), and runs kernels that were compiled for the host from
 * the same .cu sources the GPU build uses (see emu_device.h). Modules are the PTX images the
 * backend loads; cuModuleGetFunction finds a kernel only when the image declares its .entry and
 * a host-compiled kernel of that name exists. Contexts are per thread, as in the driver: calls
 * that need one fail with CUDA_ERROR_INVALID_CONTEXT on a thread that has not set it.
 *
 * Work runs synchronously at launch, so streams and events only validate their handles.
 * Extra exports for tests: cudaemu_set_memory_limit, cudaemu_allocated_bytes, cudaemu_launches.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include "emu_device.h"

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;

enum {
    SUCCESS = 0, INVALID_VALUE = 1, OUT_OF_MEMORY = 2, NOT_INITIALIZED = 3, NO_DEVICE = 100,
    INVALID_DEVICE = 101, INVALID_IMAGE = 200, INVALID_CONTEXT = 201, INVALID_HANDLE = 400,
    NOT_FOUND = 500, LAUNCH_OUT_OF_RESOURCES = 701, LAUNCH_FAILED = 719
};

static const struct { int code; const char* name; const char* text; } ERRORS[] = {
    {SUCCESS, "CUDA_SUCCESS", "no error"},
    {INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
    {NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
    {NO_DEVICE, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"},
    {INVALID_DEVICE, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"},
    {INVALID_IMAGE, "CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"},
    {INVALID_CONTEXT, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
    {INVALID_HANDLE, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"},
    {NOT_FOUND, "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
    {LAUNCH_OUT_OF_RESOURCES, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "too many resources requested for launch"},
    {LAUNCH_FAILED, "CUDA_ERROR_LAUNCH_FAILED", "unspecified launch failure"},
};

#define EXPORT __attribute__((visibility("default")))

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int initialized;
static int primary_context;                 /* the one device's primary context */
static int primary_refs;
static __thread void* current_context;

/* ---------------------------------------------------------------- kernel registry */

typedef struct { const char* name; emu_entry entry; unsigned long arg_size; int sync; } kernel_t;
static kernel_t kernels[64];
static int kernel_count;

void emu_register(const char* name, emu_entry entry, unsigned long arg_size, int sync) {
    if (kernel_count == 64) { fprintf(stderr, "cudaemu: too many kernels\n"); abort(); }
    kernels[kernel_count].name = name;
    kernels[kernel_count].entry = entry;
    kernels[kernel_count].arg_size = arg_size;
    kernels[kernel_count].sync = sync;
    kernel_count++;
}

/* ---------------------------------------------------------------- memory */

typedef struct alloc { uintptr_t base; size_t size; struct alloc* next; } alloc_t;
static alloc_t* allocations;
static size_t allocated, limit = (size_t) 1 << 30;
static long long launches;

EXPORT void cudaemu_set_memory_limit(size_t bytes) { pthread_mutex_lock(&lock); limit = bytes; pthread_mutex_unlock(&lock); }
EXPORT size_t cudaemu_allocated_bytes(void) { return allocated; }
EXPORT long long cudaemu_launches(void) { return launches; }

/* True when [p, p+n) lies inside one live allocation. Caller holds the lock. */
static int in_allocation(uintptr_t p, size_t n) {
    for (alloc_t* a = allocations; a; a = a->next)
        if (p >= a->base && p - a->base <= a->size && n <= a->size - (p - a->base)) return 1;
    return 0;
}

#define NEED_INIT() do { if (!initialized) return NOT_INITIALIZED; } while (0)
#define NEED_CONTEXT() do { NEED_INIT(); if (current_context != &primary_context) return INVALID_CONTEXT; } while (0)

EXPORT CUresult cuInit(unsigned int flags) {
    if (flags != 0) return INVALID_VALUE;
    initialized = 1;
    return SUCCESS;
}

EXPORT CUresult cuDeviceGetCount(int* count) {
    NEED_INIT();
    if (!count) return INVALID_VALUE;
    *count = 1;
    return SUCCESS;
}

EXPORT CUresult cuDeviceGet(CUdevice* device, int ordinal) {
    NEED_INIT();
    if (!device) return INVALID_VALUE;
    if (ordinal != 0) return INVALID_DEVICE;
    *device = 0;
    return SUCCESS;
}

EXPORT CUresult cuDeviceGetName(char* name, int len, CUdevice dev) {
    NEED_INIT();
    if (!name || len <= 0) return INVALID_VALUE;
    if (dev != 0) return INVALID_DEVICE;
    snprintf(name, (size_t) len, "Balboa CUDA driver emulator");
    return SUCCESS;
}

EXPORT CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice dev) {
    NEED_INIT();
    if (!bytes) return INVALID_VALUE;
    if (dev != 0) return INVALID_DEVICE;
    *bytes = limit;
    return SUCCESS;
}

EXPORT CUresult cuDevicePrimaryCtxRetain(void** pctx, CUdevice dev) {
    NEED_INIT();
    if (!pctx) return INVALID_VALUE;
    if (dev != 0) return INVALID_DEVICE;
    pthread_mutex_lock(&lock);
    primary_refs++;
    pthread_mutex_unlock(&lock);
    *pctx = &primary_context;
    return SUCCESS;
}

EXPORT CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev) {
    NEED_INIT();
    if (dev != 0) return INVALID_DEVICE;
    pthread_mutex_lock(&lock);
    CUresult r = primary_refs > 0 ? (primary_refs--, SUCCESS) : INVALID_CONTEXT;
    pthread_mutex_unlock(&lock);
    return r;
}

EXPORT CUresult cuCtxSetCurrent(void* ctx) {
    NEED_INIT();
    if (ctx != NULL && ctx != &primary_context) return INVALID_CONTEXT;
    current_context = ctx;
    return SUCCESS;
}

EXPORT CUresult cuCtxSynchronize(void) { NEED_CONTEXT(); return SUCCESS; }

EXPORT CUresult cuMemAlloc_v2(CUdeviceptr* dptr, size_t bytes) {
    NEED_CONTEXT();
    if (!dptr || bytes == 0) return INVALID_VALUE;
    pthread_mutex_lock(&lock);
    CUresult r = OUT_OF_MEMORY;
    if (bytes <= limit - allocated || allocated > limit) {
        if (allocated <= limit && bytes <= limit - allocated) {
            void* p = aligned_alloc(256, (bytes + 255) & ~(size_t) 255);
            alloc_t* a = malloc(sizeof(alloc_t));
            if (p && a) {
                memset(p, 0xA5, bytes);            /* device memory starts as garbage */
                a->base = (uintptr_t) p; a->size = bytes; a->next = allocations; allocations = a;
                allocated += bytes;
                *dptr = (CUdeviceptr) (uintptr_t) p;
                r = SUCCESS;
            } else { free(p); free(a); }
        }
    }
    pthread_mutex_unlock(&lock);
    return r;
}

EXPORT CUresult cuMemFree_v2(CUdeviceptr dptr) {
    NEED_CONTEXT();
    pthread_mutex_lock(&lock);
    CUresult r = INVALID_VALUE;
    for (alloc_t** pa = &allocations; *pa; pa = &(*pa)->next) {
        if ((*pa)->base == (uintptr_t) dptr) {
            alloc_t* a = *pa;
            *pa = a->next;
            allocated -= a->size;
            free((void*) a->base);
            free(a);
            r = SUCCESS;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
    return r;
}

static CUresult copy(void* dst, const void* src, size_t n, uintptr_t dev1, uintptr_t dev2) {
    pthread_mutex_lock(&lock);
    int ok = (!dev1 || in_allocation(dev1, n)) && (!dev2 || in_allocation(dev2, n));
    pthread_mutex_unlock(&lock);
    if (!ok || !dst || !src) return INVALID_VALUE;
    memmove(dst, src, n);
    return SUCCESS;
}

EXPORT CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void* src, size_t n) {
    NEED_CONTEXT();
    return copy((void*) (uintptr_t) dst, src, n, (uintptr_t) dst, 0);
}

EXPORT CUresult cuMemcpyDtoH_v2(void* dst, CUdeviceptr src, size_t n) {
    NEED_CONTEXT();
    return copy(dst, (const void*) (uintptr_t) src, n, (uintptr_t) src, 0);
}

EXPORT CUresult cuMemcpyDtoD_v2(CUdeviceptr dst, CUdeviceptr src, size_t n) {
    NEED_CONTEXT();
    return copy((void*) (uintptr_t) dst, (const void*) (uintptr_t) src, n, (uintptr_t) dst, (uintptr_t) src);
}

EXPORT CUresult cuMemsetD8_v2(CUdeviceptr dst, unsigned char value, size_t n) {
    NEED_CONTEXT();
    pthread_mutex_lock(&lock);
    int ok = in_allocation((uintptr_t) dst, n);
    pthread_mutex_unlock(&lock);
    if (!ok) return INVALID_VALUE;
    memset((void*) (uintptr_t) dst, value, n);
    return SUCCESS;
}

EXPORT CUresult cuMemAllocHost_v2(void** pp, size_t bytes) {
    NEED_CONTEXT();
    if (!pp) return INVALID_VALUE;
    *pp = malloc(bytes ? bytes : 1);
    return *pp ? SUCCESS : OUT_OF_MEMORY;
}

EXPORT CUresult cuMemFreeHost(void* p) { NEED_CONTEXT(); free(p); return SUCCESS; }

/* ---------------------------------------------------------------- streams and events */

typedef struct { int magic; } handle_t;
#define STREAM_MAGIC 0x57AE
#define EVENT_MAGIC 0xE7E7

static CUresult make_handle(void** out, int magic) {
    if (!out) return INVALID_VALUE;
    handle_t* h = malloc(sizeof(handle_t));
    if (!h) return OUT_OF_MEMORY;
    h->magic = magic;
    *out = h;
    return SUCCESS;
}

static CUresult check_handle(void* h, int magic, int null_ok) {
    if (!h) return null_ok ? SUCCESS : INVALID_HANDLE;
    return ((handle_t*) h)->magic == magic ? SUCCESS : INVALID_HANDLE;
}

static CUresult destroy_handle(void* h, int magic) {
    CUresult r = check_handle(h, magic, 0);
    if (r == SUCCESS) { ((handle_t*) h)->magic = 0; free(h); }
    return r;
}

EXPORT CUresult cuStreamCreate(void** s, unsigned int flags) { NEED_CONTEXT(); (void) flags; return make_handle(s, STREAM_MAGIC); }
EXPORT CUresult cuStreamSynchronize(void* s) { NEED_CONTEXT(); return check_handle(s, STREAM_MAGIC, 1); }
EXPORT CUresult cuStreamDestroy_v2(void* s) { NEED_CONTEXT(); return destroy_handle(s, STREAM_MAGIC); }
EXPORT CUresult cuEventCreate(void** e, unsigned int flags) { NEED_CONTEXT(); (void) flags; return make_handle(e, EVENT_MAGIC); }
EXPORT CUresult cuEventRecord(void* e, void* s) {
    NEED_CONTEXT();
    CUresult r = check_handle(e, EVENT_MAGIC, 0);
    return r ? r : check_handle(s, STREAM_MAGIC, 1);
}
EXPORT CUresult cuEventSynchronize(void* e) { NEED_CONTEXT(); return check_handle(e, EVENT_MAGIC, 0); }
EXPORT CUresult cuEventDestroy_v2(void* e) { NEED_CONTEXT(); return destroy_handle(e, EVENT_MAGIC); }

/* ---------------------------------------------------------------- modules */

typedef struct { int magic; char* image; } module_t;
#define MODULE_MAGIC 0x30D1

EXPORT CUresult cuModuleLoadData(void** module, const void* image) {
    NEED_CONTEXT();
    if (!module || !image) return INVALID_VALUE;
    const char* text = image;
    if (!strstr(text, ".version") || !strstr(text, ".target")) return INVALID_IMAGE;
    module_t* m = malloc(sizeof(module_t));
    if (!m) return OUT_OF_MEMORY;
    m->magic = MODULE_MAGIC;
    m->image = strdup(text);
    *module = m;
    return SUCCESS;
}

EXPORT CUresult cuModuleGetFunction(void** fn, void* module, const char* name) {
    NEED_CONTEXT();
    if (!fn || !name) return INVALID_VALUE;
    module_t* m = module;
    if (!m || m->magic != MODULE_MAGIC) return INVALID_HANDLE;
    char entry[256];
    snprintf(entry, sizeof entry, ".entry %s(", name);
    if (!strstr(m->image, entry)) return NOT_FOUND;
    for (int i = 0; i < kernel_count; i++) {
        if (strcmp(kernels[i].name, name) == 0) { *fn = &kernels[i]; return SUCCESS; }
    }
    return NOT_FOUND;
}

EXPORT CUresult cuModuleUnload(void* module) {
    NEED_CONTEXT();
    module_t* m = module;
    if (!m || m->magic != MODULE_MAGIC) return INVALID_HANDLE;
    m->magic = 0;
    free(m->image);
    free(m);
    return SUCCESS;
}

/* ---------------------------------------------------------------- launches */

emu_dim3 threadIdx, blockIdx, blockDim, gridDim;

#define STACK_BYTES (256 * 1024)
static ucontext_t scheduler;
static ucontext_t contexts[1024];
static char* stacks[1024];
static int states[1024];                   /* 0 runnable, 1 waiting at a barrier, 2 finished */
static int current = -1;
static emu_entry running_entry;
static const void* running_args;

static void set_thread(int t) {
    threadIdx.x = (unsigned int) t % blockDim.x;
    threadIdx.y = ((unsigned int) t / blockDim.x) % blockDim.y;
    threadIdx.z = (unsigned int) t / (blockDim.x * blockDim.y);
}

void emu_syncthreads(void) {
    if (current < 0) {
        fprintf(stderr, "cudaemu: __syncthreads in a kernel registered without sync\n");
        abort();
    }
    int me = current;
    states[me] = 1;
    swapcontext(&contexts[me], &scheduler);
}

static void thread_main(void) {
    running_entry(running_args);
    states[current] = 2;
}

/* Runs one block of a kernel that synchronizes: threads as coroutines, switching at barriers. */
static CUresult run_block_sync(int threads) {
    for (int t = 0; t < threads; t++) {
        if (!stacks[t] && !(stacks[t] = malloc(STACK_BYTES))) return OUT_OF_MEMORY;
        getcontext(&contexts[t]);
        contexts[t].uc_stack.ss_sp = stacks[t];
        contexts[t].uc_stack.ss_size = STACK_BYTES;
        contexts[t].uc_link = &scheduler;
        makecontext(&contexts[t], thread_main, 0);
        states[t] = 0;
    }
    for (;;) {
        int finished = 0, waiting = 0;
        for (int t = 0; t < threads; t++) {
            if (states[t] == 2) { finished++; continue; }
            states[t] = 0;
            current = t;
            set_thread(t);
            swapcontext(&scheduler, &contexts[t]);
            if (states[t] == 2) finished++; else waiting++;
        }
        current = -1;
        if (waiting == 0) return SUCCESS;
        if (finished > 0) {
            fprintf(stderr, "cudaemu: some threads of a block finished while others wait at __syncthreads\n");
            return LAUNCH_FAILED;
        }
    }
}

EXPORT CUresult cuLaunchKernel(void* f, unsigned int gx, unsigned int gy, unsigned int gz,
                               unsigned int bx, unsigned int by, unsigned int bz, unsigned int shared,
                               void* stream, void** params, void** extra) {
    NEED_CONTEXT();
    kernel_t* k = f;
    if (!k || k < kernels || k >= kernels + kernel_count) return INVALID_HANDLE;
    if (check_handle(stream, STREAM_MAGIC, 1) != SUCCESS) return INVALID_HANDLE;
    if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0 || gy > 65535 || gz > 65535) return INVALID_VALUE;
    if ((unsigned long long) bx * by * bz > 1024 || bz > 64 || shared > 48 * 1024) return LAUNCH_OUT_OF_RESOURCES;
    if (extra != NULL || params == NULL || params[0] == NULL) return INVALID_VALUE;
    unsigned char args[4096];
    if (k->arg_size > sizeof args) return INVALID_VALUE;
    memcpy(args, params[0], k->arg_size);
    pthread_mutex_lock(&lock);
    launches++;
    gridDim.x = gx; gridDim.y = gy; gridDim.z = gz;
    blockDim.x = bx; blockDim.y = by; blockDim.z = bz;
    int threads = (int) (bx * by * bz);
    CUresult r = SUCCESS;
    for (unsigned int z = 0; z < gz && r == SUCCESS; z++)
        for (unsigned int y = 0; y < gy && r == SUCCESS; y++)
            for (unsigned int x = 0; x < gx && r == SUCCESS; x++) {
                blockIdx.x = x; blockIdx.y = y; blockIdx.z = z;
                if (k->sync) {
                    running_entry = k->entry;
                    running_args = args;
                    r = run_block_sync(threads);
                } else {
                    for (int t = 0; t < threads; t++) { set_thread(t); k->entry(args); }
                }
            }
    pthread_mutex_unlock(&lock);
    return r;
}

/* ---------------------------------------------------------------- errors */

static CUresult error_text(CUresult error, const char** out, int name) {
    if (!out) return INVALID_VALUE;
    for (size_t i = 0; i < sizeof ERRORS / sizeof ERRORS[0]; i++) {
        if (ERRORS[i].code == error) { *out = name ? ERRORS[i].name : ERRORS[i].text; return SUCCESS; }
    }
    *out = NULL;
    return INVALID_VALUE;
}

EXPORT CUresult cuGetErrorName(CUresult error, const char** out) { return error_text(error, out, 1); }
EXPORT CUresult cuGetErrorString(CUresult error, const char** out) { return error_text(error, out, 0); }
