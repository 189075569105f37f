// NEON kernels for arm64 (4 floats per register, four accumulators). NEON is part of the arm64
// baseline, so no target attribute is needed.
#include "CVectorKernels.h"

#if defined(__aarch64__)
#include <arm_neon.h>

static inline float32x4_t ne_step_dot(float32x4_t q, float32x4_t x, float32x4_t acc) {
    return vfmaq_f32(acc, q, x);
}
static inline float32x4_t ne_step_l2(float32x4_t q, float32x4_t x, float32x4_t acc) {
    const float32x4_t d = vsubq_f32(q, x);
    return vfmaq_f32(acc, d, d);
}

#define NE_PAIR(name, step, scalar)                                                                \
    static float name(const float *a, const float *b, size_t n) {                                  \
        float32x4_t s0 = vdupq_n_f32(0), s1 = vdupq_n_f32(0), s2 = vdupq_n_f32(0),                 \
                    s3 = vdupq_n_f32(0);                                                           \
        size_t i = 0;                                                                              \
        for (; i + 16 <= n; i += 16) {                                                             \
            s0 = step(vld1q_f32(a + i), vld1q_f32(b + i), s0);                                     \
            s1 = step(vld1q_f32(a + i + 4), vld1q_f32(b + i + 4), s1);                             \
            s2 = step(vld1q_f32(a + i + 8), vld1q_f32(b + i + 8), s2);                             \
            s3 = step(vld1q_f32(a + i + 12), vld1q_f32(b + i + 12), s3);                           \
        }                                                                                          \
        for (; i + 4 <= n; i += 4) s0 = step(vld1q_f32(a + i), vld1q_f32(b + i), s0);              \
        float t = vaddvq_f32(vaddq_f32(vaddq_f32(s0, s1), vaddq_f32(s2, s3)));                     \
        for (; i < n; i++) t += scalar(a[i], b[i]);                                                \
        return t;                                                                                  \
    }

static inline float ne_scalar_dot(float a, float b) { return a * b; }
static inline float ne_scalar_l2(float a, float b) { return (a - b) * (a - b); }

NE_PAIR(ne_dot, ne_step_dot, ne_scalar_dot)
NE_PAIR(ne_l2sq, ne_step_l2, ne_scalar_l2)

#define NE_FAMILY(prefix, pair)                                                                    \
    static void prefix##_many(const float *q, const float *base, size_t stride, size_t rows,       \
                              size_t n, float *out) {                                              \
        for (size_t r = 0; r < rows; r++) out[r] = pair(q, base + r * stride, n);                  \
    }                                                                                              \
    static void prefix##_gather(const float *q, const float *const *rows, size_t count, size_t n,  \
                                float *out) {                                                      \
        const size_t bytes = n * sizeof(float);                                                    \
        if (count > 0) vk_prefetch_range(rows[0], bytes);                                          \
        if (count > 1) vk_prefetch_range(rows[1], bytes);                                          \
        for (size_t r = 0; r < count; r++) {                                                       \
            if (r + 2 < count) vk_prefetch_range(rows[r + 2], bytes);                              \
            out[r] = pair(q, rows[r], n);                                                          \
        }                                                                                          \
    }                                                                                              \
    static void prefix##_batch(const float *qs, size_t qstride, size_t nq, const float *base,      \
                               size_t stride, size_t rows, size_t n, float *out, size_t ostride) { \
        for (size_t r = 0; r < rows; r++)                                                          \
            for (size_t q = 0; q < nq; q++)                                                        \
                out[q * ostride + r] = pair(qs + q * qstride, base + r * stride, n);               \
    }

NE_FAMILY(ne_dot, ne_dot)
NE_FAMILY(ne_l2sq, ne_l2sq)

static const vk_kernels ne_table = {
    .isa = VK_ISA_NEON,
    .name = "neon",
    .dot = ne_dot,
    .l2sq = ne_l2sq,
    .dot_many = ne_dot_many,
    .l2sq_many = ne_l2sq_many,
    .dot_gather = ne_dot_gather,
    .l2sq_gather = ne_l2sq_gather,
    .dot_batch = ne_dot_batch,
    .l2sq_batch = ne_l2sq_batch,
};

const vk_kernels *vk_neon_kernels(void) { return &ne_table; }

#else
const vk_kernels *vk_neon_kernels(void) { return 0; }
#endif
