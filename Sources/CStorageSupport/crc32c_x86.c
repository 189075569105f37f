/* CRC32C with the x86-64 SSE4.2 `crc32` instruction (compiled for SSE4.2 per function, chosen at
 * run time only when the CPU reports SSE4.2). The instruction has a latency of about three cycles
 * and a throughput of one per cycle, so long buffers are cut into blocks of three equal streams
 * whose registers advance side by side and are merged with the zero-byte shift operators. */
#include "crc32c_internal.h"

#if defined(VS_CRC32C_HAVE_X86)
#include <nmmintrin.h>

#define VS_SSE42 __attribute__((target("sse4.2")))

/* Processes 3 x `stream` bytes at p: returns the register after all of them. */
VS_SSE42 static uint32_t three_streams(
    uint32_t reg, const uint8_t *p, size_t stream, const uint32_t shift[4][256]) {
    uint64_t r0 = reg, r1 = 0, r2 = 0;
    const uint8_t *end = p + stream;
    while (p < end) {
        r0 = _mm_crc32_u64(r0, vs_load_le64(p));
        r1 = _mm_crc32_u64(r1, vs_load_le64(p + stream));
        r2 = _mm_crc32_u64(r2, vs_load_le64(p + 2 * stream));
        p += 8;
    }
    uint32_t merged = vs_crc32c_shift(shift, (uint32_t)r0) ^ (uint32_t)r1;
    return vs_crc32c_shift(shift, merged) ^ (uint32_t)r2;
}

VS_SSE42 uint32_t vs_crc32c_raw_sse42(uint32_t reg, const uint8_t *p, size_t n) {
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
    uint64_t r = reg;
    while (n >= 8) {
        r = _mm_crc32_u64(r, vs_load_le64(p));
        p += 8;
        n -= 8;
    }
    reg = (uint32_t)r;
    while (n > 0) {
        reg = _mm_crc32_u8(reg, *p++);
        n--;
    }
    return reg;
}
#endif
