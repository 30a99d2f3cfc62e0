/* SHA-256 in core: the FIPS 180-4 example digests, on the SHA-NI path (when this CPU has it)
 * and on the plain C path, whole and fed in every split of odd pieces, and the two paths agree
 * on every length around the block and padding boundaries. */
#include "bt_test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_sha256.h"

typedef struct {
    const char *message;
    const char *digest;
} vector;

static const vector vectors[] = {
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlm"
     "nopqrsmnopqrstnopqrstu",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
};

static void check_vectors(void)
{
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        char hex[BT_SHA256_HEX_SIZE];
        bt_sha256_hex(vectors[i].message, strlen(vectors[i].message), hex);
        assert_string_equal(hex, vectors[i].digest);
        /* Fed in pieces of 1, 2, 3 … bytes: the partial-block buffering. */
        for (size_t piece = 1; piece < 70; piece += 3) {
            bt_sha256 h;
            bt_sha256_init(&h);
            const char *m = vectors[i].message;
            size_t left = strlen(m);
            while (left) {
                size_t n = left < piece ? left : piece;
                bt_sha256_update(&h, m, n);
                m += n;
                left -= n;
            }
            bt_sha256_final_hex(&h, hex);
            assert_string_equal(hex, vectors[i].digest);
        }
    }
}

static void million_a(char hex[BT_SHA256_HEX_SIZE])
{
    char chunk[1000];
    memset(chunk, 'a', sizeof(chunk));
    bt_sha256 h;
    bt_sha256_init(&h);
    for (int i = 0; i < 1000; i++)
        bt_sha256_update(&h, chunk, sizeof(chunk));
    bt_sha256_final_hex(&h, hex);
}

static void fips_vectors_on_both_paths(void **state)
{
    (void)state;
    char hex[BT_SHA256_HEX_SIZE];
    for (int pass = 0; pass < 2; pass++) {
        bt_sha256_allow_native(pass == 0);
        if (pass == 1)
            assert_false(bt_sha256_native());
        check_vectors();
        million_a(hex);
        assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
    bt_sha256_allow_native(true);
    printf("SHA-NI on this CPU: %s\n", bt_sha256_native() ? "yes" : "no");
}

static void paths_agree_on_every_length(void **state)
{
    (void)state;
    unsigned char data[300];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (unsigned char)(i * 131 + 7);
    for (size_t len = 0; len <= sizeof(data); len++) {
        char native[BT_SHA256_HEX_SIZE], portable[BT_SHA256_HEX_SIZE];
        bt_sha256_allow_native(true);
        bt_sha256_hex(data, len, native);
        bt_sha256_allow_native(false);
        bt_sha256_hex(data, len, portable);
        assert_string_equal(native, portable);
    }
    bt_sha256_allow_native(true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fips_vectors_on_both_paths),
        cmocka_unit_test(paths_agree_on_every_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
