#ifndef CVECTORKERNELS_H
#define CVECTORKERNELS_H
/* Distance kernels over contiguous float storage. Filled in by the index work. */
#include <stddef.h>
float vk_dot_f32_reference(const float *a, const float *b, size_t n);
#endif
