/* SHA-256 for the USB room, fast enough to hash a stick while copying it. libsodium's portable
 * SHA-256 runs at about 200 MB/s, slower than a USB 3 stick or the appliance's disk; on x86-64
 * CPUs with the SHA extensions (SHA-NI) the same digest runs at well over 1 GB/s, so copying
 * is bounded by the disks, not by the hash. Other CPUs fall back to libsodium.
 *
 * The context is plain data on the caller's stack; no allocation, no global state beyond a
 * once-computed CPU check. */
#ifndef BT_USB_HASH_H
#define BT_USB_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BT_SHA256_BYTES 32
/* 64 hex digits plus NUL. */
#define BT_SHA256_HEX_SIZE 65

typedef struct {
    uint32_t state[8];
    uint64_t bytes;             /* total hashed so far */
    unsigned char block[64];    /* partial block */
    size_t block_len;
    bool native;                /* SHA-NI path (else the libsodium state below) */
    _Alignas(16) unsigned char sodium[128]; /* crypto_hash_sha256_state, opaque to callers */
} bt_usb_sha256;

void bt_usb_sha256_init(bt_usb_sha256 *h);
void bt_usb_sha256_update(bt_usb_sha256 *h, const void *data, size_t len);
void bt_usb_sha256_final(bt_usb_sha256 *h, unsigned char out[BT_SHA256_BYTES]);
/* Lowercase hex of the digest into hex[BT_SHA256_HEX_SIZE]. */
void bt_usb_sha256_final_hex(bt_usb_sha256 *h, char hex[BT_SHA256_HEX_SIZE]);
/* One-shot digest of a buffer, lowercase hex. */
void bt_usb_sha256_hex(const void *data, size_t len, char hex[BT_SHA256_HEX_SIZE]);
/* True when the SHA-NI path is in use (benchmarks print it). */
bool bt_usb_sha256_native(void);

#endif
