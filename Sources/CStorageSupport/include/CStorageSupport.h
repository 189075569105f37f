#ifndef CSTORAGESUPPORT_H
#define CSTORAGESUPPORT_H
/* C helpers for the storage layer (CRC32C). Filled in by the codec work. */
#include <stddef.h>
#include <stdint.h>
uint32_t vs_crc32c_placeholder(uint32_t crc, const void *data, size_t length);
#endif
