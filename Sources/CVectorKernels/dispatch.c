// Runtime choice of the kernel table: once, on first use, the widest instruction set that both
// the CPU and the operating system (saved register state) support.
#include "CVectorKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static uint64_t vk_xgetbv0(void) {
    uint32_t lo, hi;
    __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

static vk_isa vk_detect_isa(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return VK_ISA_PORTABLE;
    const int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1;
    if (!osxsave || !avx) return VK_ISA_PORTABLE;
    const uint64_t xcr0 = vk_xgetbv0();
    if ((xcr0 & 0x6) != 0x6) return VK_ISA_PORTABLE; /* XMM and YMM state */
    if (__get_cpuid_max(0, 0) < 7) return VK_ISA_PORTABLE;
    __cpuid_count(7, 0, a, b, c, d);
    const int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1;
    if (avx512f && fma && (xcr0 & 0xE6) == 0xE6) return VK_ISA_AVX512; /* opmask, ZMM state */
    if (avx2 && fma) return VK_ISA_AVX2;
    return VK_ISA_PORTABLE;
}
#elif defined(__aarch64__)
static vk_isa vk_detect_isa(void) { return VK_ISA_NEON; } /* NEON is mandatory on arm64 */
#else
static vk_isa vk_detect_isa(void) { return VK_ISA_PORTABLE; }
#endif

static int vk_supported(vk_isa isa) {
    const vk_isa best = vk_detect_isa();
    switch (isa) {
    case VK_ISA_PORTABLE: return 1;
    case VK_ISA_AVX2: return best == VK_ISA_AVX2 || best == VK_ISA_AVX512;
    case VK_ISA_AVX512: return best == VK_ISA_AVX512;
    case VK_ISA_NEON: return best == VK_ISA_NEON;
    }
    return 0;
}

const vk_kernels *vk_kernels_for_isa(vk_isa isa) {
    if (!vk_supported(isa)) return NULL;
    switch (isa) {
    case VK_ISA_PORTABLE: return vk_portable_kernels();
    case VK_ISA_AVX2: return vk_avx2_kernels();
    case VK_ISA_AVX512: return vk_avx512_kernels();
    case VK_ISA_NEON: return vk_neon_kernels();
    }
    return NULL;
}

static const vk_kernels *vk_active_table;

const vk_kernels *vk_active_kernels(void) {
    const vk_kernels *table = __atomic_load_n(&vk_active_table, __ATOMIC_ACQUIRE);
    if (table) return table;
    /* Racing first calls compute the same answer; whichever store wins is fine. */
    table = vk_kernels_for_isa(vk_detect_isa());
    if (!table) table = vk_portable_kernels();
    __atomic_store_n(&vk_active_table, table, __ATOMIC_RELEASE);
    return table;
}

double vk_reference_dot(const float *a, const float *b, size_t n) {
    double s = 0;
    for (size_t i = 0; i < n; i++) s += (double)a[i] * (double)b[i];
    return s;
}

double vk_reference_l2sq(const float *a, const float *b, size_t n) {
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        const double d = (double)a[i] - (double)b[i];
        s += d * d;
    }
    return s;
}
