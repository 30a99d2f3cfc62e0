/* Signed playlist packages: what staff put on a USB stick as the folder `bangtin/`.
 *
 * A package is a playlist directory (playlist.cfg and its assets) plus two files at its top:
 *   MANIFEST      every other file, one per line, sorted by path (byte order), LF endings:
 *                   bangtin-manifest 1
 *                   <sha256, 64 lowercase hex> <size in bytes> <relative path>
 *                 Paths are UTF-8, '/'-separated, never absolute, never "." or "..", no empty
 *                 name, no control character or backslash. The text is canonical: parsing and
 *                 writing it again gives the same bytes, so the signature covers one meaning.
 *   MANIFEST.sig  the Ed25519 signature (libsodium, detached) of the MANIFEST bytes:
 *                   bangtin-signature 1
 *                   key <key id>
 *                   ed25519 <128 hex>
 * Keys are text files: NAME.pub holds "bangtin-ed25519-public <64 hex>", NAME.key (mode 600)
 * "bangtin-ed25519-secret <128 hex>"; lines starting with '#' are comments. A key id is the
 * first 16 hex digits of SHA-256(public key), what staff compare on screen and on paper.
 *
 * BT_PACKAGE_SIGNED_AT_FILE (thoi-diem-ky.txt), written by `pack` and listed in MANIFEST like
 * any file, so the signature covers it, says when the package was signed (by the packing
 * computer's clock):
 *                   bangtin-signed-at 1
 *                   <seconds since 1970-01-01 UTC>
 *                   <the same in words, for people; ignored>
 * It is an ordinary listed file, not a MANIFEST line, so an older bangtin imports a new package
 * as before; a package without it (packed by an older bangtin) is imported without the check.
 *
 * Files a desktop leaves behind in any folder it opens (.DS_Store, ._*, Thumbs.db,
 * desktop.ini, .Spotlight-V100, .Trashes, .fseventsd) are ignored: never listed, copied or
 * refused. Anything else not in MANIFEST makes the package invalid. */
#ifndef BT_PACKAGE_H
#define BT_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bt_config.h"
#include "bt_diag.h"
#include "bt_time.h"

#define BT_PACKAGE_STICK_DIR "bangtin"       /* the package's folder at the stick's root */
#define BT_PACKAGE_MANIFEST "MANIFEST"
#define BT_PACKAGE_SIGNATURE "MANIFEST.sig"
#define BT_PACKAGE_MANIFEST_HEADER "bangtin-manifest 1"
#define BT_PACKAGE_SIGNATURE_HEADER "bangtin-signature 1"
#define BT_PACKAGE_PUBLIC_PREFIX "bangtin-ed25519-public "
#define BT_PACKAGE_SECRET_PREFIX "bangtin-ed25519-secret "
#define BT_PACKAGE_KEY_ID_SIZE 17            /* 16 hex + NUL */
#define BT_PACKAGE_SIGNED_AT_FILE "thoi-diem-ky.txt"
#define BT_PACKAGE_SIGNED_AT_HEADER "bangtin-signed-at 1"
/* Its three short lines; anything longer is not ours. */
#define BT_PACKAGE_SIGNED_AT_MAX_BYTES 1024
/* An appliance clock further than this behind the signing time is wrong: an office computer and
 * the appliance, neither on the network, rarely drift a minute apart, and a package only ever
 * reaches the appliance after it was signed. Ahead is normal (a package can be days old). */
#define BT_PACKAGE_CLOCK_SLACK_SECONDS 120

typedef struct {
    char *path;                /* owned */
    uint64_t size;
    char sha256[65];
    int line;                  /* its line in MANIFEST */
} bt_manifest_entry;

typedef struct {
    bt_manifest_entry *entries; /* owned, sorted by path */
    size_t count;
    uint64_t total_bytes;
} bt_manifest;

void bt_manifest_init(bt_manifest *m);
void bt_manifest_free(bt_manifest *m);
/* Parses MANIFEST text. Every problem goes to diags (file "MANIFEST", its line); 0 if none.
 * Enforces the canonical form, BT_MAX_PACKAGE_FILES and the path rules above. */
int bt_manifest_parse(const char *text, size_t len, bt_manifest *out, bt_diags *diags);
/* The canonical text of m (entries must be sorted and valid); malloc'd, *len its length. */
char *bt_manifest_format(const bt_manifest *m, size_t *len);
/* The entry with exactly this path, or NULL. */
const bt_manifest_entry *bt_manifest_find(const bt_manifest *m, const char *path);
/* Is this a path a package may hold (relative, no "..", no control characters …)? */
bool bt_package_path_safe(const char *path);
/* Is this a file a desktop OS leaves in folders (ignored everywhere in a package)? */
bool bt_package_name_ignored(const char *name);
/* The largest size allowed for a file at this path: images, audio, playlist.cfg and other
 * files each have their limit in bt_limits.h. */
uint64_t bt_package_file_limit(const char *path);

/* The BT_PACKAGE_SIGNED_AT_FILE text for a signing at t; malloc'd, *len its length (NULL when
 * out of memory). */
char *bt_package_signed_at_format(bt_wall t, size_t *len);
/* Reads the signing time from BT_PACKAGE_SIGNED_AT_FILE's text. 0, or -1 when it is not that
 * file. */
int bt_package_signed_at_parse(const char *text, size_t len, bt_wall *out);

/* ---- keys and signatures ------------------------------------------------------------------- */

typedef struct {
    unsigned char key[32];
    char id[BT_PACKAGE_KEY_ID_SIZE];
    char path[BT_MAX_PATH_BYTES];        /* the file it came from */
} bt_package_public_key;

/* Makes a key pair: NAME.key (secret, mode 600) and NAME.pub. Refuses to overwrite either.
 * 0, or -1 with a Vietnamese reason in err. *key_id may be NULL. */
int bt_package_keygen(const char *name, char key_id[BT_PACKAGE_KEY_ID_SIZE], char *err,
                      size_t err_size);
int bt_package_read_public_key(const char *path, bt_package_public_key *out, char *err,
                               size_t err_size);
/* Reads a secret key file (64-byte libsodium form: seed then public key). */
int bt_package_read_secret_key(const char *path, unsigned char secret[64],
                               char key_id[BT_PACKAGE_KEY_ID_SIZE], char *err, size_t err_size);
/* The MANIFEST.sig text for these MANIFEST bytes; malloc'd. */
char *bt_package_sign(const char *manifest, size_t len, const unsigned char secret[64]);

typedef enum {
    BT_SIGNATURE_VALID,        /* signed by a trusted key */
    BT_SIGNATURE_MISSING,      /* no MANIFEST.sig */
    BT_SIGNATURE_UNTRUSTED,    /* well formed, but its key is not in trusted_keys */
    BT_SIGNATURE_BAD,          /* made by a trusted key, but not over these bytes: tampered */
    BT_SIGNATURE_MALFORMED     /* not a bangtin signature file */
} bt_signature_status;

/* Checks sig (the MANIFEST.sig bytes; NULL = missing) over manifest against the trusted keys.
 * *signer receives the key id named in the signature ("" if none). An unreadable trusted key
 * file is a warning in diags (the others are still tried). */
bt_signature_status bt_package_verify(const char *manifest, size_t manifest_len, const char *sig,
                                      size_t sig_len, const bt_config_paths *trusted,
                                      char signer[BT_PACKAGE_KEY_ID_SIZE], bt_diags *diags);

/* ---- commands ------------------------------------------------------------------------------ */

/* Writes the package folder dest from the playlist directory src (already validated by the
 * caller): copies every file (refusing symlinks, devices, unsafe names and files over the
 * limits), writes BT_PACKAGE_SIGNED_AT_FILE for signed_at (replacing one src holds), MANIFEST
 * and MANIFEST.sig signed with the secret key file. dest must not exist; it appears whole or not at
 * all (built beside it, then renamed). Problems go to diags; 0 on success. *key_id (may be
 * NULL) receives the signer. */
int bt_package_pack(const char *src, const char *dest, const char *secret_key_path,
                    bt_wall signed_at, char key_id[BT_PACKAGE_KEY_ID_SIZE], bt_diags *diags);

/* For `bangtin check DIR`: 0 if dir is not a package (no MANIFEST); 1 if it is, after adding
 * to diags every problem: signature (against cfg->trusted_keys; missing is an error when
 * cfg->usb_require_signature), unsafe or unlisted entries, missing files, sizes over the limits,
 * every file's size and SHA-256 against MANIFEST, and every PNG/JPEG being whole. A clean
 * package adds nothing but a warning when it is unsigned and signatures are not required. The
 * playlist itself is checked by the caller as usual, whatever this reported (check lists every
 * problem in one run): a cut PNG, which would make SDL_image 2.6.3 loop for ever, is refused by
 * the load's own image probe before any decode (bt_image_header_check walks every chunk). */
int bt_package_check(const char *dir, const bt_config *cfg, bt_diags *diags);

#endif
