#ifndef VS_CRC32C_INTERNAL_H
#define VS_CRC32C_INTERNAL_H
/*
 * Internals shared by the CRC32C implementations. All functions here work on the *raw* CRC
 * register: no pre- or post-inversion (the public functions in crc32c_dispatch.c add those).
 * The raw register update is linear over GF(2), which is what lets independent streams be
 * combined (see vs_crc32c_shift).
 */
#include <stddef.h>
#include <stdint.h>

/* Reflected Castagnoli polynomial. */
#define VS_CRC32C_POLY 0x82F63B78u

/* Bytes per stream in one block of the three-stream loops: long blocks are 3 x 8 KiB, short ones
 * 3 x 256 bytes. Both are multiples of 8 (the loops step 8 bytes at a time). */
#define VS_CRC32C_LONG 8192u
#define VS_CRC32C_SHORT 256u

/* Slicing-by-8 tables: table[0] is the classic byte table, table[k][b] is the register after
 * byte b followed by k zero bytes. Filled once by vs_crc32c_build_tables. */
extern uint32_t vs_crc32c_table[8][256];

/* "Append n zero bytes" operators for n = VS_CRC32C_LONG and VS_CRC32C_SHORT, as four byte-indexed
 * tables each (the operator is linear, so it is the XOR of its action on each register byte). */
extern uint32_t vs_crc32c_shift_long[4][256];
extern uint32_t vs_crc32c_shift_short[4][256];

/* Fills the three table sets above. Called exactly once, before any other function here. */
void vs_crc32c_build_tables(void);

/* The register after `reg` is followed by the zero bytes the table set stands for. */
static inline uint32_t vs_crc32c_shift(const uint32_t table[4][256], uint32_t reg) {
    return table[0][reg & 0xFFu] ^ table[1][(reg >> 8) & 0xFFu] ^ table[2][(reg >> 16) & 0xFFu]
        ^ table[3][reg >> 24];
}

/* Little-endian 64-bit load from any address (compiles to one load on little-endian CPUs). */
static inline uint64_t vs_load_le64(const uint8_t *p) {
    return (uint64_t)p[0] | ((uint64_t)p[1] << 8) | ((uint64_t)p[2] << 16) | ((uint64_t)p[3] << 24)
        | ((uint64_t)p[4] << 32) | ((uint64_t)p[5] << 40) | ((uint64_t)p[6] << 48)
        | ((uint64_t)p[7] << 56);
}

uint32_t vs_crc32c_raw_portable(uint32_t reg, const uint8_t *p, size_t n);

#if defined(__x86_64__)
#define VS_CRC32C_HAVE_X86 1
uint32_t vs_crc32c_raw_sse42(uint32_t reg, const uint8_t *p, size_t n);
#endif

#if defined(__aarch64__)
#define VS_CRC32C_HAVE_ARM 1
uint32_t vs_crc32c_raw_armv8(uint32_t reg, const uint8_t *p, size_t n);
#endif

#endif
