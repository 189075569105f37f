// AVX-512F kernels (16 floats per register). Compiled with a per-function target attribute and
// only called after dispatch.c has checked CPU and OS support. Tails use masked loads, which never
// touch memory past the end of a row.
#include "CVectorKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define VK_AVX512 __attribute__((target("avx512f,avx2,fma")))

VK_AVX512 static inline __mmask16 a5_tail_mask(size_t remaining) {
    return (__mmask16)((1u << remaining) - 1u);
}

VK_AVX512 static float a5_dot(const float *a, const float *b, size_t n) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    __m512 s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
        s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
        s2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32), s2);
        s3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48), s3);
    }
    for (; i + 16 <= n; i += 16)
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    if (i < n) {
        const __mmask16 m = a5_tail_mask(n - i);
        s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), s1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}

VK_AVX512 static float a5_l2sq(const float *a, const float *b, size_t n) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    __m512 s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        const __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
        const __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
        const __m512 d2 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32));
        const __m512 d3 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48));
        s0 = _mm512_fmadd_ps(d0, d0, s0);
        s1 = _mm512_fmadd_ps(d1, d1, s1);
        s2 = _mm512_fmadd_ps(d2, d2, s2);
        s3 = _mm512_fmadd_ps(d3, d3, s3);
    }
    for (; i + 16 <= n; i += 16) {
        const __m512 d = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
        s0 = _mm512_fmadd_ps(d, d, s0);
    }
    if (i < n) {
        const __mmask16 m = a5_tail_mask(n - i);
        const __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
        s1 = _mm512_fmadd_ps(d, d, s1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}

/* One row after the other: a single sequential stream is what the hardware prefetcher
 * follows best (measured: interleaving four rows halves the bandwidth on Zen 4). */
#define A5_MANY(name, pair, step)                                                                  \
    VK_AVX512 static void name(const float *q, const float *base, size_t stride, size_t rows,           \
                           size_t n, float *out) {                                                \
        for (size_t r = 0; r < rows; r++) out[r] = pair(q, base + r * stride, n);                 \
    }

VK_AVX512 static inline __m512 a5_step_dot(__m512 q, __m512 x, __m512 acc) {
    return _mm512_fmadd_ps(q, x, acc);
}
VK_AVX512 static inline __m512 a5_step_l2(__m512 q, __m512 x, __m512 acc) {
    const __m512 d = _mm512_sub_ps(q, x);
    return _mm512_fmadd_ps(d, d, acc);
}

A5_MANY(a5_dot_many, a5_dot, a5_step_dot)
A5_MANY(a5_l2sq_many, a5_l2sq, a5_step_l2)

/* Rows scattered in memory: prefetch VK_GATHER_AHEAD rows ahead while scoring the current one. */
#ifndef VK_GATHER_AHEAD
#define VK_GATHER_AHEAD 2
#endif
#define A5_GATHER(name, pair)                                                                      \
    VK_AVX512 static void name(const float *q, const float *const *rows, size_t count, size_t n,   \
                               float *out) {                                                       \
        const size_t bytes = n * sizeof(float);                                                    \
        for (size_t r = 0; r < count && r < VK_GATHER_AHEAD; r++) vk_prefetch_range(rows[r], bytes); \
        for (size_t r = 0; r < count; r++) {                                                       \
            if (r + VK_GATHER_AHEAD < count) vk_prefetch_range(rows[r + VK_GATHER_AHEAD], bytes);  \
            out[r] = pair(q, rows[r], n);                                                          \
        }                                                                                          \
    }

A5_GATHER(a5_dot_gather, a5_dot)
A5_GATHER(a5_l2sq_gather, a5_l2sq)

/* Batches: eight queries share every row load (queries stay in L1), the rest go one by one. */
#define A5_BATCH(name, many, step)                                                                 \
    VK_AVX512 static void name(const float *qs, size_t qstride, size_t nq, const float *base,      \
                               size_t stride, size_t rows, size_t n, float *out, size_t ostride) { \
        size_t q = 0;                                                                              \
        for (; q + 8 <= nq; q += 8) {                                                              \
            const float *q0 = qs + q * qstride;                                                    \
            for (size_t r = 0; r < rows; r++) {                                                    \
                const float *x = base + r * stride;                                                \
                __m512 acc[8];                                                                     \
                for (int j = 0; j < 8; j++) acc[j] = _mm512_setzero_ps();                          \
                for (size_t i = 0; i < n; i += 16) {                                               \
                    const __mmask16 m = n - i >= 16 ? (__mmask16)0xFFFF : a5_tail_mask(n - i);     \
                    const __m512 v = _mm512_maskz_loadu_ps(m, x + i);                              \
                    for (int j = 0; j < 8; j++)                                                    \
                        acc[j] = step(_mm512_maskz_loadu_ps(m, q0 + j * qstride + i), v, acc[j]);  \
                }                                                                                  \
                for (int j = 0; j < 8; j++)                                                        \
                    out[(q + j) * ostride + r] = _mm512_reduce_add_ps(acc[j]);                     \
            }                                                                                      \
        }                                                                                          \
        for (; q < nq; q++) many(qs + q * qstride, base, stride, rows, n, out + q * ostride);      \
    }

A5_BATCH(a5_dot_batch, a5_dot_many, a5_step_dot)
A5_BATCH(a5_l2sq_batch, a5_l2sq_many, a5_step_l2)

static const vk_kernels a5_table = {
    .isa = VK_ISA_AVX512,
    .name = "avx512",
    .dot = a5_dot,
    .l2sq = a5_l2sq,
    .dot_many = a5_dot_many,
    .l2sq_many = a5_l2sq_many,
    .dot_gather = a5_dot_gather,
    .l2sq_gather = a5_l2sq_gather,
    .dot_batch = a5_dot_batch,
    .l2sq_batch = a5_l2sq_batch,
};

const vk_kernels *vk_avx512_kernels(void) { return &a5_table; }

#else
const vk_kernels *vk_avx512_kernels(void) { return 0; }
#endif
