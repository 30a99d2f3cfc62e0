/* SHA-256 (FIPS 180-4) without dependencies, for the rooms that hash a lot: the airing log's
 * hash chain (bt_airing_verify walks years of rows for every report) and, later, the USB room.
 * libsodium's portable SHA-256 runs at about 200 MB/s; x86-64 CPUs with the SHA extensions
 * (SHA-NI) run the same digest at well over 1 GB/s, so this uses them when the CPU has them and
 * plain C otherwise. Same digests either way.
 *
 * The context is plain data on the caller's stack: no allocation; the only global state is the
 * once-made CPU check. */
#ifndef BT_SHA256_H
#define BT_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BT_SHA256_DIGEST_BYTES 32
/* Lowercase hex digits of a digest, and a buffer for them with the NUL. */
#define BT_SHA256_HEX_BYTES 64
#define BT_SHA256_HEX_SIZE (BT_SHA256_HEX_BYTES + 1)

typedef struct {
    uint32_t state[8];
    uint64_t bytes;              /* total hashed so far */
    unsigned char block[64];     /* partial block */
    size_t block_len;
} bt_sha256;

void bt_sha256_init(bt_sha256 *h);
void bt_sha256_update(bt_sha256 *h, const void *data, size_t len);
void bt_sha256_final(bt_sha256 *h, unsigned char out[BT_SHA256_DIGEST_BYTES]);
/* Finishes into lowercase hex: hex[BT_SHA256_HEX_SIZE]. */
void bt_sha256_final_hex(bt_sha256 *h, char hex[BT_SHA256_HEX_SIZE]);
/* One-shot lowercase hex digest of a buffer. */
void bt_sha256_hex(const void *data, size_t len, char hex[BT_SHA256_HEX_SIZE]);

/* True when the SHA-NI code is in use (benchmarks print it). */
bool bt_sha256_native(void);
/* For tests and benchmarks: false makes every later call use the plain C code even on a CPU
 * with SHA-NI (so both paths can be checked on one machine); true goes back to the CPU check. */
void bt_sha256_allow_native(bool allow);

#endif
