#ifndef CVECTORKERNELS_H
#define CVECTORKERNELS_H
/*
 * CVectorKernels: distance kernels over contiguous float storage, plus the few atomic and
 * prefetch primitives the index needs.
 *
 * Every kernel exists in several instruction-set variants (portable C, AVX2+FMA, AVX-512F on
 * x86-64; NEON on arm64), each compiled with a per-function target attribute so the package needs
 * no `unsafeFlags`. `vk_active_kernels()` picks the widest variant the CPU and OS support, once,
 * on first use. Kernels never allocate.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Kernels
 * ------------------------------------------------------------------------------------------- */

/// Instruction sets a kernel table can be built for.
typedef enum vk_isa {
    VK_ISA_PORTABLE = 0,
    VK_ISA_AVX2 = 1,
    VK_ISA_AVX512 = 2,
    VK_ISA_NEON = 3,
} vk_isa;

/// Inner product of `a` and `b` (`n` components each).
typedef float (*vk_pair_fn)(const float *a, const float *b, size_t n);

/// Scores `rows` rows of `base` (row `i` starts at `base + i * stride`) against `query`:
/// `out[i] = f(query, row i)` over the first `n` components.
typedef void (*vk_many_fn)(const float *query, const float *base, size_t stride, size_t rows,
                           size_t n, float *out);

/// Scores `count` rows given by pointer against `query`: `out[i] = f(query, rows[i])`.
/// Prefetches the next rows while it works, so it suits rows scattered in memory (graph walks).
typedef void (*vk_gather_fn)(const float *query, const float *const *rows, size_t count, size_t n,
                             float *out);

/// Scores a batch of queries against a block of rows:
/// `out[q * out_stride + i] = f(query q, row i)` for `q < nq`, `i < rows`.
typedef void (*vk_batch_fn)(const float *queries, size_t query_stride, size_t nq,
                            const float *base, size_t stride, size_t rows, size_t n,
                            float *out, size_t out_stride);

/// One instruction set's kernels. `dot*` compute inner products, `l2sq*` squared Euclidean
/// distances.
typedef struct vk_kernels {
    vk_isa isa;
    const char *name;
    vk_pair_fn dot;
    vk_pair_fn l2sq;
    vk_many_fn dot_many;
    vk_many_fn l2sq_many;
    vk_gather_fn dot_gather;
    vk_gather_fn l2sq_gather;
    vk_batch_fn dot_batch;
    vk_batch_fn l2sq_batch;
} vk_kernels;

/// The widest kernels this CPU supports (chosen once, thread-safe).
const vk_kernels *vk_active_kernels(void);

/// The kernels for `isa`, or NULL when this CPU (or build) cannot run them.
const vk_kernels *vk_kernels_for_isa(vk_isa isa);

/// Plain scalar reference in double precision (for tests): inner product and squared distance.
double vk_reference_dot(const float *a, const float *b, size_t n);
double vk_reference_l2sq(const float *a, const float *b, size_t n);

/* Variant tables (defined in the per-ISA files; NULL-returning stubs where unavailable). */
const vk_kernels *vk_portable_kernels(void);
const vk_kernels *vk_avx2_kernels(void);
const vk_kernels *vk_avx512_kernels(void);
const vk_kernels *vk_neon_kernels(void);

/* ---------------------------------------------------------------------------------------------
 * Atomics (C11 memory model via the __atomic builtins; understood by ThreadSanitizer)
 * ------------------------------------------------------------------------------------------- */

static inline uint32_t vk_load_u32_relaxed(const uint32_t *p) {
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}
static inline uint32_t vk_load_u32_acquire(const uint32_t *p) {
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline void vk_store_u32_relaxed(uint32_t *p, uint32_t v) {
    __atomic_store_n(p, v, __ATOMIC_RELAXED);
}
static inline void vk_store_u32_release(uint32_t *p, uint32_t v) {
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
static inline uint8_t vk_load_u8_acquire(const uint8_t *p) {
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline uint8_t vk_load_u8_relaxed(const uint8_t *p) {
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}
static inline void vk_store_u8_release(uint8_t *p, uint8_t v) {
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
static inline uint64_t vk_load_u64_acquire(const uint64_t *p) {
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline void vk_store_u64_release(uint64_t *p, uint64_t v) {
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
static inline int64_t vk_load_i64_acquire(const int64_t *p) {
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline void vk_store_i64_release(int64_t *p, int64_t v) {
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
static inline int64_t vk_fetch_add_i64(int64_t *p, int64_t v) {
    return __atomic_fetch_add(p, v, __ATOMIC_ACQ_REL);
}
static inline uint32_t vk_fetch_add_u32(uint32_t *p, uint32_t v) {
    return __atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}
static inline uint32_t vk_fetch_sub_u32(uint32_t *p, uint32_t v) {
    return __atomic_fetch_sub(p, v, __ATOMIC_RELAXED);
}
/// Stores `desired` in `*p` if it holds `expected`; returns whether it did.
static inline int vk_compare_exchange_u32(uint32_t *p, uint32_t expected, uint32_t desired) {
    return __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

/// A one-byte spin lock (0 = free). For short critical sections such as editing one link list.
static inline void vk_spin_lock(uint8_t *lock) {
    for (;;) {
        if (!__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE)) return;
        while (__atomic_load_n(lock, __ATOMIC_RELAXED)) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#elif defined(__aarch64__)
            __asm__ __volatile__("yield");
#endif
        }
    }
}
static inline void vk_spin_unlock(uint8_t *lock) {
    __atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

/* ---------------------------------------------------------------------------------------------
 * Prefetch
 * ------------------------------------------------------------------------------------------- */

/// Hints that the cache line holding `p` will be read soon.
static inline void vk_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

/// Hints that `bytes` bytes from `p` will be read soon (one hint per 64-byte line).
static inline void vk_prefetch_range(const void *p, size_t bytes) {
    const char *c = (const char *)p;
    for (size_t off = 0; off < bytes; off += 64) __builtin_prefetch(c + off, 0, 3);
}

#ifdef __cplusplus
}
#endif
#endif
