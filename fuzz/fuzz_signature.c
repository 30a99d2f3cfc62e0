/* Fuzz target: MANIFEST.sig and its check (src/usb/package.c, bt_package_verify) against fixed
 * test keys. The keys are made from constant seeds, so they are the same on every run and
 * worthless as secrets; their .pub files are written once into a private temporary folder,
 * because the appliance reads trusted keys from files.
 *
 * Input: one flags byte, then the MANIFEST bytes, then (after the first NUL) the MANIFEST.sig
 * bytes; no NUL means there is no MANIFEST.sig.
 *   bit 0  the signature is made here with the test key over the MANIFEST bytes, and the
 *          bytes after the NUL are XORed into its text (all zero or none: a genuine signature),
 *          so near-valid signatures are reached without forging one
 *   bit 1  trust only the other key (a genuine test-key signature is then UNTRUSTED)
 *   bit 2  also trust a key file that does not exist (a warning, the others still tried)
 * Checks: a genuine signature is VALID exactly when its key is trusted, no input is VALID
 * unless the test key signed exactly these bytes, and the signer is always a terminated id. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "bangtin/bt_package.h"
#include "fuzz.h"

#define FLAG_SIGN_HERE 0x01
#define FLAG_OTHER_KEY_ONLY 0x02
#define FLAG_MISSING_KEY_FILE 0x04

/* Constant seeds: these keys protect nothing. */
static const unsigned char TEST_SEED[32] = "bangtin fuzz test key: public!!";
static const unsigned char OTHER_SEED[32] = "bangtin fuzz other key: public!";

static struct {
    char dir[BT_MAX_PATH_BYTES / 2]; /* leaves room for the file names after it */
    char test_pub[BT_MAX_PATH_BYTES];
    char other_pub[BT_MAX_PATH_BYTES];
    unsigned char test_secret[64];
    bt_package_public_key test_key;
    bool ready;
} keys;

static void remove_key_files(void)
{
    unlink(keys.test_pub);
    unlink(keys.other_pub);
    rmdir(keys.dir);
}

static void write_public_key(const char *path, const unsigned char pk[32])
{
    char hex[65];
    FILE *f = fopen(path, "w");
    FUZZ_CHECK(f != NULL);
    sodium_bin2hex(hex, sizeof hex, pk, 32);
    fprintf(f, "# fuzz test key (constant seed, not a secret)\n%s%s\n", BT_PACKAGE_PUBLIC_PREFIX,
            hex);
    FUZZ_CHECK(fclose(f) == 0);
}

/* Makes both key pairs and writes their .pub files under $TMPDIR (once per process). */
static void make_keys(void)
{
    unsigned char pk[32], sk[64];
    const char *tmp = getenv("TMPDIR");
    char err[BT_MAX_PATH_BYTES + 200];
    if (keys.ready)
        return;
    FUZZ_CHECK(sodium_init() >= 0);
    snprintf(keys.dir, sizeof keys.dir, "%s/bangtin-fuzz-keys-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    FUZZ_CHECK(mkdtemp(keys.dir) != NULL);
    snprintf(keys.test_pub, sizeof keys.test_pub, "%s/test.pub", keys.dir);
    snprintf(keys.other_pub, sizeof keys.other_pub, "%s/other.pub", keys.dir);
    atexit(remove_key_files);
    crypto_sign_seed_keypair(pk, keys.test_secret, TEST_SEED);
    write_public_key(keys.test_pub, pk);
    crypto_sign_seed_keypair(pk, sk, OTHER_SEED);
    write_public_key(keys.other_pub, pk);
    sodium_memzero(sk, sizeof sk);
    FUZZ_CHECK(bt_package_read_public_key(keys.test_pub, &keys.test_key, err, sizeof err) == 0);
    keys.ready = true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    make_keys();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bt_config_paths trusted;
    char signer[BT_PACKAGE_KEY_ID_SIZE];
    bt_diags diags;
    char *made = NULL;

    if (size < 1)
        return 0;
    make_keys();
    unsigned flags = data[0];
    const char *manifest = (const char *)data + 1;
    size_t rest = size - 1;
    const char *nul = memchr(manifest, '\0', rest);
    size_t manifest_len = nul ? (size_t)(nul - manifest) : rest;
    const char *tail = nul ? nul + 1 : NULL;
    size_t tail_len = nul ? rest - manifest_len - 1 : 0;

    memset(&trusted, 0, sizeof trusted);
    if (flags & FLAG_MISSING_KEY_FILE)
        snprintf(trusted.paths[trusted.count++], sizeof trusted.paths[0], "%s/missing.pub",
                 keys.dir);
    snprintf(trusted.paths[trusted.count++], sizeof trusted.paths[0], "%s", keys.other_pub);
    if (!(flags & FLAG_OTHER_KEY_ONLY))
        snprintf(trusted.paths[trusted.count++], sizeof trusted.paths[0], "%s", keys.test_pub);

    /* The signature text: the input's own, or one made here and patched by the tail. */
    const char *sig = tail;
    size_t sig_len = tail_len;
    bool genuine = false;
    if (flags & FLAG_SIGN_HERE) {
        char *text = bt_package_sign(manifest, manifest_len, keys.test_secret);
        FUZZ_CHECK(text != NULL);
        size_t text_len = strlen(text);
        size_t len = tail_len > text_len ? tail_len : text_len;
        made = calloc(1, len + 1);
        FUZZ_CHECK(made != NULL);
        memcpy(made, text, text_len);
        genuine = tail_len <= text_len; /* zero bytes past its end are not whitespace */
        for (size_t i = 0; i < tail_len; i++) {
            made[i] = (char)(made[i] ^ tail[i]);
            genuine = genuine && tail[i] == 0;
        }
        free(text);
        sig = made;
        sig_len = len;
    }

    bt_diags_init(&diags);
    bt_signature_status status =
        bt_package_verify(manifest, manifest_len, sig, sig_len, &trusted, signer, &diags);
    FUZZ_CHECK(fuzz_terminated(signer, sizeof signer));
    FUZZ_CHECK(signer[0] == '\0' || strlen(signer) == BT_PACKAGE_KEY_ID_SIZE - 1);
    if (!sig)
        FUZZ_CHECK(status == BT_SIGNATURE_MISSING);
    if (genuine)
        FUZZ_CHECK(status == ((flags & FLAG_OTHER_KEY_ONLY) ? BT_SIGNATURE_UNTRUSTED
                                                              : BT_SIGNATURE_VALID));
    if (status == BT_SIGNATURE_VALID) {
        /* Only the test key ever signs here; the other key's signature cannot be forged. */
        FUZZ_CHECK(!(flags & FLAG_OTHER_KEY_ONLY));
        FUZZ_CHECK(strcmp(signer, keys.test_key.id) == 0);
    }
    FUZZ_CHECK(diags.errors == 0);
    FUZZ_CHECK(diags.warnings == ((flags & FLAG_MISSING_KEY_FILE) && sig && status !=
                                  BT_SIGNATURE_MALFORMED ? 1u : 0u));
    fuzz_check_diags(&diags);
    bt_diags_free(&diags);
    free(made);
    return 0;
}
