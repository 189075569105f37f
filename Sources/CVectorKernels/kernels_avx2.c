// AVX2 + FMA kernels (8 floats per register). Compiled with a per-function target attribute and
// only called after dispatch.c has checked CPU and OS support. Tails use masked loads.
#include "CVectorKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define VK_AVX2 __attribute__((target("avx2,fma")))

/* Lane masks for the last 0..7 floats: row k has its first k lanes set. */
static const int32_t a2_mask_table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

VK_AVX2 static inline __m256i a2_tail_mask(size_t remaining) {
    return _mm256_loadu_si256((const __m256i *)(a2_mask_table + 8 - remaining));
}

VK_AVX2 static inline float a2_hsum(__m256 v) {
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 t = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(t, _mm_movehdup_ps(t)));
}

VK_AVX2 static inline __m256 a2_step_dot(__m256 q, __m256 x, __m256 acc) {
    return _mm256_fmadd_ps(q, x, acc);
}
VK_AVX2 static inline __m256 a2_step_l2(__m256 q, __m256 x, __m256 acc) {
    const __m256 d = _mm256_sub_ps(q, x);
    return _mm256_fmadd_ps(d, d, acc);
}

#define A2_PAIR(name, step)                                                                        \
    VK_AVX2 static float name(const float *a, const float *b, size_t n) {                          \
        __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();                                 \
        __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();                                 \
        size_t i = 0;                                                                              \
        for (; i + 32 <= n; i += 32) {                                                             \
            s0 = step(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);                         \
            s1 = step(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);                 \
            s2 = step(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);               \
            s3 = step(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);               \
        }                                                                                          \
        for (; i + 8 <= n; i += 8) s0 = step(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);  \
        if (i < n) {                                                                               \
            const __m256i m = a2_tail_mask(n - i);                                                 \
            s1 = step(_mm256_maskload_ps(a + i, m), _mm256_maskload_ps(b + i, m), s1);             \
        }                                                                                          \
        return a2_hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));               \
    }

A2_PAIR(a2_dot, a2_step_dot)
A2_PAIR(a2_l2sq, a2_step_l2)

/* One row after the other: a single sequential stream is what the hardware prefetcher
 * follows best (measured: interleaving four rows halves the bandwidth on Zen 4). */
#define A2_MANY(name, pair, step)                                                                  \
    VK_AVX2 static void name(const float *q, const float *base, size_t stride, size_t rows,           \
                           size_t n, float *out) {                                                \
        for (size_t r = 0; r < rows; r++) out[r] = pair(q, base + r * stride, n);                 \
    }

A2_MANY(a2_dot_many, a2_dot, a2_step_dot)
A2_MANY(a2_l2sq_many, a2_l2sq, a2_step_l2)

#define A2_GATHER(name, pair)                                                                      \
    VK_AVX2 static void name(const float *q, const float *const *rows, size_t count, size_t n,     \
                             float *out) {                                                         \
        const size_t bytes = n * sizeof(float);                                                    \
        if (count > 0) vk_prefetch_range(rows[0], bytes);                                          \
        if (count > 1) vk_prefetch_range(rows[1], bytes);                                          \
        for (size_t r = 0; r < count; r++) {                                                       \
            if (r + 2 < count) vk_prefetch_range(rows[r + 2], bytes);                              \
            out[r] = pair(q, rows[r], n);                                                          \
        }                                                                                          \
    }

A2_GATHER(a2_dot_gather, a2_dot)
A2_GATHER(a2_l2sq_gather, a2_l2sq)

/* Batches: four queries share every row load, the rest go one by one. */
#define A2_BATCH(name, many, step)                                                                 \
    VK_AVX2 static void name(const float *qs, size_t qstride, size_t nq, const float *base,        \
                             size_t stride, size_t rows, size_t n, float *out, size_t ostride) {   \
        size_t q = 0;                                                                              \
        for (; q + 4 <= nq; q += 4) {                                                              \
            const float *q0 = qs + q * qstride, *q1 = q0 + qstride, *q2 = q1 + qstride,            \
                        *q3 = q2 + qstride;                                                        \
            for (size_t r = 0; r < rows; r++) {                                                    \
                const float *x = base + r * stride;                                                \
                __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(),                         \
                       a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();                         \
                size_t i = 0;                                                                      \
                for (; i + 8 <= n; i += 8) {                                                       \
                    const __m256 v = _mm256_loadu_ps(x + i);                                       \
                    a0 = step(_mm256_loadu_ps(q0 + i), v, a0);                                     \
                    a1 = step(_mm256_loadu_ps(q1 + i), v, a1);                                     \
                    a2 = step(_mm256_loadu_ps(q2 + i), v, a2);                                     \
                    a3 = step(_mm256_loadu_ps(q3 + i), v, a3);                                     \
                }                                                                                  \
                if (i < n) {                                                                       \
                    const __m256i m = a2_tail_mask(n - i);                                         \
                    const __m256 v = _mm256_maskload_ps(x + i, m);                                 \
                    a0 = step(_mm256_maskload_ps(q0 + i, m), v, a0);                               \
                    a1 = step(_mm256_maskload_ps(q1 + i, m), v, a1);                               \
                    a2 = step(_mm256_maskload_ps(q2 + i, m), v, a2);                               \
                    a3 = step(_mm256_maskload_ps(q3 + i, m), v, a3);                               \
                }                                                                                  \
                out[q * ostride + r] = a2_hsum(a0);                                                \
                out[(q + 1) * ostride + r] = a2_hsum(a1);                                          \
                out[(q + 2) * ostride + r] = a2_hsum(a2);                                          \
                out[(q + 3) * ostride + r] = a2_hsum(a3);                                          \
            }                                                                                      \
        }                                                                                          \
        for (; q < nq; q++) many(qs + q * qstride, base, stride, rows, n, out + q * ostride);      \
    }

A2_BATCH(a2_dot_batch, a2_dot_many, a2_step_dot)
A2_BATCH(a2_l2sq_batch, a2_l2sq_many, a2_step_l2)

static const vk_kernels a2_table = {
    .isa = VK_ISA_AVX2,
    .name = "avx2",
    .dot = a2_dot,
    .l2sq = a2_l2sq,
    .dot_many = a2_dot_many,
    .l2sq_many = a2_l2sq_many,
    .dot_gather = a2_dot_gather,
    .l2sq_gather = a2_l2sq_gather,
    .dot_batch = a2_dot_batch,
    .l2sq_batch = a2_l2sq_batch,
};

const vk_kernels *vk_avx2_kernels(void) { return &a2_table; }

#else
const vk_kernels *vk_avx2_kernels(void) { return 0; }
#endif
