/* CRC32C with the ARMv8 CRC32 extension (`crc32cx`/`crc32cb`), compiled per function with
 * target("crc") and chosen at run time only when the CPU reports the extension. Same three-stream
 * block structure as the x86-64 version. */
#include "crc32c_internal.h"

#if defined(VS_CRC32C_HAVE_ARM)

#define VS_ARM_CRC __attribute__((target("crc")))

/* Processes 3 x `stream` bytes at p: returns the register after all of them. */
VS_ARM_CRC static uint32_t three_streams(
    uint32_t reg, const uint8_t *p, size_t stream, const uint32_t shift[4][256]) {
    uint32_t r0 = reg, r1 = 0, r2 = 0;
    const uint8_t *end = p + stream;
    while (p < end) {
        r0 = __builtin_arm_crc32cd(r0, vs_load_le64(p));
        r1 = __builtin_arm_crc32cd(r1, vs_load_le64(p + stream));
        r2 = __builtin_arm_crc32cd(r2, vs_load_le64(p + 2 * stream));
        p += 8;
    }
    uint32_t merged = vs_crc32c_shift(shift, r0) ^ r1;
    return vs_crc32c_shift(shift, merged) ^ r2;
}

VS_ARM_CRC uint32_t vs_crc32c_raw_armv8(uint32_t reg, const uint8_t *p, size_t n) {
    while (n >= 3 * VS_CRC32C_LONG) {
        reg = three_streams(reg, p, VS_CRC32C_LONG, vs_crc32c_shift_long);
        p += 3 * VS_CRC32C_LONG;
        n -= 3 * VS_CRC32C_LONG;
    }
    while (n >= 3 * VS_CRC32C_SHORT) {
        reg = three_streams(reg, p, VS_CRC32C_SHORT, vs_crc32c_shift_short);
        p += 3 * VS_CRC32C_SHORT;
        n -= 3 * VS_CRC32C_SHORT;
    }
    while (n >= 8) {
        reg = __builtin_arm_crc32cd(reg, vs_load_le64(p));
        p += 8;
        n -= 8;
    }
    while (n > 0) {
        reg = __builtin_arm_crc32cb(reg, *p++);
        n--;
    }
    return reg;
}
#endif
