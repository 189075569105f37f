// Portable kernels: plain C with eight independent accumulators, which compilers vectorise at the
// baseline instruction set (SSE2 on x86-64, NEON on arm64) without fast-math.
#include "CVectorKernels.h"

static float pt_dot(const float *a, const float *b, size_t n) {
    float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) s[j] += a[i + j] * b[i + j];
    float t = ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
    for (; i < n; i++) t += a[i] * b[i];
    return t;
}

static float pt_l2sq(const float *a, const float *b, size_t n) {
    float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) {
            const float d = a[i + j] - b[i + j];
            s[j] += d * d;
        }
    float t = ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
    for (; i < n; i++) {
        const float d = a[i] - b[i];
        t += d * d;
    }
    return t;
}

#define VK_GENERIC_FAMILY(prefix, pair)                                                            \
    static void prefix##_many(const float *q, const float *base, size_t stride, size_t rows,      \
                              size_t n, float *out) {                                             \
        for (size_t r = 0; r < rows; r++) out[r] = pair(q, base + r * stride, n);                 \
    }                                                                                             \
    static void prefix##_gather(const float *q, const float *const *rows, size_t count, size_t n, \
                                float *out) {                                                     \
        for (size_t r = 0; r < count; r++) {                                                      \
            if (r + 1 < count) vk_prefetch_range(rows[r + 1], n * sizeof(float));                 \
            out[r] = pair(q, rows[r], n);                                                         \
        }                                                                                         \
    }                                                                                             \
    static void prefix##_batch(const float *qs, size_t qstride, size_t nq, const float *base,     \
                               size_t stride, size_t rows, size_t n, float *out, size_t ostride) { \
        for (size_t r = 0; r < rows; r++)                                                         \
            for (size_t q = 0; q < nq; q++)                                                       \
                out[q * ostride + r] = pair(qs + q * qstride, base + r * stride, n);              \
    }

VK_GENERIC_FAMILY(pt_dot, pt_dot)
VK_GENERIC_FAMILY(pt_l2sq, pt_l2sq)

static const vk_kernels pt_table = {
    .isa = VK_ISA_PORTABLE,
    .name = "portable",
    .dot = pt_dot,
    .l2sq = pt_l2sq,
    .dot_many = pt_dot_many,
    .l2sq_many = pt_l2sq_many,
    .dot_gather = pt_dot_gather,
    .l2sq_gather = pt_l2sq_gather,
    .dot_batch = pt_dot_batch,
    .l2sq_batch = pt_l2sq_batch,
};

const vk_kernels *vk_portable_kernels(void) { return &pt_table; }
