#ifndef CSTORAGESUPPORT_H
#define CSTORAGESUPPORT_H
/*
 * C helpers for the storage layer.
 *
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of iSCSI, ext4, LevelDB and
 * RocksDB. Every function here works on the *finished* CRC value (pre- and post-inverted), so
 * `vs_crc32c_extend(0, data, n)` is the CRC32C of `data`, and
 * `vs_crc32c_extend(vs_crc32c_extend(0, a, na), b, nb)` equals the CRC32C of `a` followed by `b`.
 *
 * The implementation is picked once, on first use: x86-64 SSE4.2 `crc32` instructions or the
 * ARMv8 CRC32 extension when the CPU has them (three interleaved streams for long buffers), else a
 * portable slicing-by-8 table version. No compiler flags are needed: the accelerated code carries
 * per-function target attributes.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Continues the CRC32C `crc` (0 for a fresh checksum) over `length` bytes at `data`, with the
/// fastest implementation this CPU supports. `data` may be NULL when `length` is 0.
uint32_t vs_crc32c_extend(uint32_t crc, const void *data, size_t length);

/// Same result as `vs_crc32c_extend`, always computed by the portable slicing-by-8 code.
uint32_t vs_crc32c_extend_portable(uint32_t crc, const void *data, size_t length);

/// Same result as `vs_crc32c_extend`, computed by the hardware code; when the CPU has no CRC32C
/// instructions (`vs_crc32c_hardware_available()` is 0) it falls back to the portable code.
uint32_t vs_crc32c_extend_hardware(uint32_t crc, const void *data, size_t length);

/// 1 when this CPU has CRC32C instructions that this build can use, else 0.
int vs_crc32c_hardware_available(void);

/// A static, human-readable name of the implementation `vs_crc32c_extend` uses:
/// "x86-64 SSE4.2 (3-way)", "ARMv8 CRC32 (3-way)" or "portable slicing-by-8".
const char *vs_crc32c_implementation_name(void);

#ifdef __cplusplus
}
#endif

#endif
