/* The appliance's own Ed25519 key (issue 16): made on first start in the data directory, kept
 * there (mode 0600, never written onto a stick), it signs the exports the city ingests
 * (bt_export.h). Its fingerprint — the first 8 bytes of SHA-256 of the public key, in hex, as
 * `bangtin keygen` names a playlist key — is what status, doctor and every receipt show, so the
 * city can hold an enrolled key against the box in the ward office.
 *
 *     device.key  (0600)  # comment lines, then "bangtin-device-secret-v1 <128 hex>"
 *     KEY.pub             # comment lines, then "bangtin-device-public-v1 <64 hex>"
 */
#ifndef BT_DEVICE_KEY_H
#define BT_DEVICE_KEY_H

#include <stdbool.h>
#include <stddef.h>

#define BT_DEVICE_KEY_FILE "device.key"
#define BT_DEVICE_SECRET_PREFIX "bangtin-device-secret-v1 "
#define BT_DEVICE_PUBLIC_PREFIX "bangtin-device-public-v1 "
/* 16 hex digits (the device id, as stored by the fleet) and its NUL. */
#define BT_DEVICE_ID_SIZE 17
/* The id in four groups for a person to read aloud: "3f2a 91c0 5be4 07d1". */
#define BT_DEVICE_FINGERPRINT_SIZE 20
/* A key file is three short lines; anything much longer is not one. */
#define BT_DEVICE_KEY_FILE_MAX_BYTES 4096

typedef struct {
    unsigned char public_key[32];
    unsigned char secret_key[64];   /* libsodium's seed ‖ public key; zero in a public-only key */
    char id[BT_DEVICE_ID_SIZE];
    char fingerprint[BT_DEVICE_FINGERPRINT_SIZE];
} bt_device_key;

/* Reads data_dir/device.key: 1 read, 0 there is none yet, -1 unreadable or broken (err says
 * which file and what to do). Never creates anything (status, doctor). */
int bt_device_key_read(const char *data_dir, bt_device_key *out, char *err, size_t err_size);
/* Reads the key, or makes it when there is none: written to a temporary file created exclusively
 * with mode 0600, fsync'd, then linked into place (link fails if another process made one
 * meanwhile, whose key is then read), and the folder fsync'd. *created says which. 0 / -1. */
int bt_device_key_ensure(const char *data_dir, bt_device_key *out, bool *created, char *err,
                         size_t err_size);
/* Zeroes the secret half. */
void bt_device_key_wipe(bt_device_key *k);

/* The id and fingerprint of a public key. */
void bt_device_key_name(const unsigned char public_key[32], char id[BT_DEVICE_ID_SIZE],
                        char fingerprint[BT_DEVICE_FINGERPRINT_SIZE]);
/* The KEY.pub text for the city (comment lines naming the ward and fingerprint, then the key);
 * malloc'd, NULL on no memory. ward may be NULL. */
char *bt_device_key_public_text(const bt_device_key *k, const char *ward);
/* Parses a KEY.pub text (BOM, CRLF, comment lines allowed) into out (public half, id,
 * fingerprint). 0 / -1 with err in Vietnamese naming the line. */
int bt_device_key_parse_public(const char *text, size_t len, bt_device_key *out, char *err,
                               size_t err_size);

/* A detached signature of data as text (FILE.sig of an export):
 *     bangtin export signature v1
 *     device <id>
 *     ed25519 <128 hex>
 * malloc'd; NULL on no memory or a key without its secret half. */
char *bt_device_key_sign(const bt_device_key *k, const void *data, size_t len);
/* Checks sig (a text as above) over data against public_key: 0 valid; -1 with err (malformed,
 * another device's id, or a signature that does not match the bytes). *named gets the id the
 * signature names (empty if unreadable). */
int bt_device_key_verify(const unsigned char public_key[32], const void *data, size_t len,
                         const char *sig, size_t sig_len, char named[BT_DEVICE_ID_SIZE], char *err,
                         size_t err_size);
/* Only the id a signature text names (to find the enrolled key): 0 / -1. */
int bt_device_key_signature_id(const char *sig, size_t sig_len, char named[BT_DEVICE_ID_SIZE]);

#endif
