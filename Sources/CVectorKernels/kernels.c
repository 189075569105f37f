#include "CVectorKernels.h"
float vk_dot_f32_reference(const float *a, const float *b, size_t n) {
    float s = 0;
    for (size_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}
