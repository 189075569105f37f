/* Portable CRC32C: slicing-by-8 over the tables built here, one byte at a time at the ends. */
#include "crc32c_internal.h"

uint32_t vs_crc32c_table[8][256];
uint32_t vs_crc32c_shift_long[4][256];
uint32_t vs_crc32c_shift_short[4][256];

static uint32_t byte_step(uint32_t reg, uint8_t byte) {
    return (reg >> 8) ^ vs_crc32c_table[0][(reg ^ byte) & 0xFFu];
}

/* Builds the "append `zero_bytes` zero bytes" operator: its action on each of the 32 register bits,
 * then, by linearity, on every value of each register byte. */
static void build_shift(uint32_t table[4][256], size_t zero_bytes) {
    uint32_t basis[32];
    for (int bit = 0; bit < 32; bit++) {
        uint32_t reg = 1u << bit;
        for (size_t i = 0; i < zero_bytes; i++) {
            reg = byte_step(reg, 0);
        }
        basis[bit] = reg;
    }
    for (int lane = 0; lane < 4; lane++) {
        for (uint32_t value = 0; value < 256; value++) {
            uint32_t image = 0;
            for (int bit = 0; bit < 8; bit++) {
                if (value & (1u << bit)) {
                    image ^= basis[lane * 8 + bit];
                }
            }
            table[lane][value] = image;
        }
    }
}

void vs_crc32c_build_tables(void) {
    for (uint32_t value = 0; value < 256; value++) {
        uint32_t reg = value;
        for (int bit = 0; bit < 8; bit++) {
            reg = (reg & 1u) ? (reg >> 1) ^ VS_CRC32C_POLY : reg >> 1;
        }
        vs_crc32c_table[0][value] = reg;
    }
    for (int k = 1; k < 8; k++) {
        for (uint32_t value = 0; value < 256; value++) {
            uint32_t previous = vs_crc32c_table[k - 1][value];
            vs_crc32c_table[k][value] = (previous >> 8) ^ vs_crc32c_table[0][previous & 0xFFu];
        }
    }
    build_shift(vs_crc32c_shift_long, VS_CRC32C_LONG);
    build_shift(vs_crc32c_shift_short, VS_CRC32C_SHORT);
}

uint32_t vs_crc32c_raw_portable(uint32_t reg, const uint8_t *p, size_t n) {
    while (n >= 8) {
        uint64_t word = vs_load_le64(p) ^ reg;
        uint32_t low = (uint32_t)word;
        uint32_t high = (uint32_t)(word >> 32);
        reg = vs_crc32c_table[7][low & 0xFFu] ^ vs_crc32c_table[6][(low >> 8) & 0xFFu]
            ^ vs_crc32c_table[5][(low >> 16) & 0xFFu] ^ vs_crc32c_table[4][low >> 24]
            ^ vs_crc32c_table[3][high & 0xFFu] ^ vs_crc32c_table[2][(high >> 8) & 0xFFu]
            ^ vs_crc32c_table[1][(high >> 16) & 0xFFu] ^ vs_crc32c_table[0][high >> 24];
        p += 8;
        n -= 8;
    }
    while (n > 0) {
        reg = byte_step(reg, *p++);
        n--;
    }
    return reg;
}
