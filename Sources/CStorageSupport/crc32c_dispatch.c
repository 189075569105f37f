/* Public CRC32C entry points: one-time table setup and CPU detection, then dispatch. */
#include "CStorageSupport.h"
#include "crc32c_internal.h"

#include <pthread.h>

#if defined(VS_CRC32C_HAVE_ARM) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif
#endif
#if defined(VS_CRC32C_HAVE_ARM) && defined(__APPLE__)
#include <sys/sysctl.h>
#endif

typedef uint32_t (*raw_crc_fn)(uint32_t reg, const uint8_t *p, size_t n);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static raw_crc_fn hardware_fn; /* NULL when the CPU has no CRC32C instructions */
static raw_crc_fn best_fn;
static const char *best_name;

static raw_crc_fn detect_hardware(const char **name) {
#if defined(VS_CRC32C_HAVE_X86)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse4.2")) {
        *name = "x86-64 SSE4.2 (3-way)";
        return vs_crc32c_raw_sse42;
    }
#elif defined(VS_CRC32C_HAVE_ARM)
    int has_crc = 0;
#if defined(__ARM_FEATURE_CRC32)
    has_crc = 1;
#elif defined(__linux__)
    has_crc = (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0;
#elif defined(__APPLE__)
    int value = 0;
    size_t size = sizeof(value);
    has_crc = sysctlbyname("hw.optional.armv8_crc32", &value, &size, NULL, 0) == 0 && value != 0;
#endif
    if (has_crc) {
        *name = "ARMv8 CRC32 (3-way)";
        return vs_crc32c_raw_armv8;
    }
#endif
    (void)name;
    return NULL;
}

static void initialize(void) {
    vs_crc32c_build_tables();
    const char *name = "portable slicing-by-8";
    hardware_fn = detect_hardware(&name);
    best_fn = hardware_fn ? hardware_fn : vs_crc32c_raw_portable;
    best_name = name;
}

static inline void ensure_initialized(void) { pthread_once(&once, initialize); }

uint32_t vs_crc32c_extend(uint32_t crc, const void *data, size_t length) {
    ensure_initialized();
    if (length == 0) {
        return crc;
    }
    return ~best_fn(~crc, (const uint8_t *)data, length);
}

uint32_t vs_crc32c_extend_portable(uint32_t crc, const void *data, size_t length) {
    ensure_initialized();
    if (length == 0) {
        return crc;
    }
    return ~vs_crc32c_raw_portable(~crc, (const uint8_t *)data, length);
}

uint32_t vs_crc32c_extend_hardware(uint32_t crc, const void *data, size_t length) {
    ensure_initialized();
    if (length == 0) {
        return crc;
    }
    raw_crc_fn fn = hardware_fn ? hardware_fn : vs_crc32c_raw_portable;
    return ~fn(~crc, (const uint8_t *)data, length);
}

int vs_crc32c_hardware_available(void) {
    ensure_initialized();
    return hardware_fn != NULL;
}

const char *vs_crc32c_implementation_name(void) {
    ensure_initialized();
    return best_name;
}
