/* SHA-256 (FIPS 180-4) with the x86 SHA extensions when the CPU has them, libsodium otherwise.
 * See bt_usb_hash.h for why: hashing must not be what limits copying a stick.
 *
 * The SHA-NI block function keeps the working variables in two registers, {A,B,E,F} and
 * {C,D,G,H}, as the sha256rnds2 instruction wants them; each instruction does two rounds, and
 * sha256msg1/msg2 extend the message schedule four words at a time. */
#include "bangtin/bt_usb_hash.h"

#include <string.h>

#include <sodium.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define BT_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(((bt_usb_sha256 *)0)->sodium),
               "libsodium's SHA-256 state must fit in bt_usb_sha256");

static const uint32_t initial_state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

#ifdef BT_SHA_NI
static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

/* SHA extensions (CPUID.7.0:EBX bit 29) plus the SSSE3/SSE4.1 shuffles and blends used here. */
static bool cpu_has_sha_ni(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return false;
    bool ssse3 = c & (1u << 9), sse41 = c & (1u << 19);
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return false;
    return ssse3 && sse41 && (b & (1u << 29));
}

__attribute__((target("sha,sse4.1,ssse3"))) static void
blocks_sha_ni(uint32_t state[8], const unsigned char *data, size_t blocks)
{
    /* Big-endian words: reverse the bytes of each 32-bit lane. */
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&state[0]);  /* A B C D (lane 0 first) */
    __m128i cdgh = _mm_loadu_si128((const __m128i *)&state[4]); /* E F G H */
    tmp = _mm_shuffle_epi32(tmp, 0xB1);                         /* B A D C */
    cdgh = _mm_shuffle_epi32(cdgh, 0x1B);                       /* H G F E */
    __m128i abef = _mm_alignr_epi8(tmp, cdgh, 8);               /* F E B A */
    cdgh = _mm_blend_epi16(cdgh, tmp, 0xF0);                    /* H G D C */

    while (blocks--) {
        const __m128i abef_saved = abef, cdgh_saved = cdgh;
        __m128i w[4]; /* ring of the last four groups of four schedule words */
        for (int i = 0; i < 4; i++)
            w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * i)), byte_swap);
#pragma GCC unroll 16
        for (int g = 0; g < 16; g++) {
            if (g >= 4) {
                /* W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], four t at a time:
                 * slots g, g+1, g+2, g+3 (mod 4) hold groups g-4, g-3, g-2, g-1. */
                __m128i x = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
                x = _mm_add_epi32(x, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
                w[g & 3] = _mm_sha256msg2_epu32(x, w[(g + 3) & 3]);
            }
            __m128i wk = _mm_add_epi32(
                w[g & 3], _mm_loadu_si128((const __m128i *)&round_constants[4 * g]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk); /* rounds 4g, 4g+1: new ABEF */
            wk = _mm_shuffle_epi32(wk, 0x0E);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, wk); /* rounds 4g+2, 4g+3 */
        }
        abef = _mm_add_epi32(abef, abef_saved);
        cdgh = _mm_add_epi32(cdgh, cdgh_saved);
        data += 64;
    }

    tmp = _mm_shuffle_epi32(abef, 0x1B);     /* A B E F */
    cdgh = _mm_shuffle_epi32(cdgh, 0xB1);    /* G H C D */
    abef = _mm_blend_epi16(tmp, cdgh, 0xF0); /* A B C D */
    cdgh = _mm_alignr_epi8(cdgh, tmp, 8);    /* E F G H */
    _mm_storeu_si128((__m128i *)&state[0], abef);
    _mm_storeu_si128((__m128i *)&state[4], cdgh);
}
#endif

static int native_state = -1; /* -1 unknown, 0 no, 1 yes; a benign race: every thread agrees */

bool bt_usb_sha256_native(void)
{
    if (native_state < 0) {
#ifdef BT_SHA_NI
        native_state = cpu_has_sha_ni() ? 1 : 0;
#else
        native_state = 0;
#endif
    }
    return native_state == 1;
}

static crypto_hash_sha256_state *sodium_state(bt_usb_sha256 *h)
{
    return (crypto_hash_sha256_state *)(void *)h->sodium;
}

void bt_usb_sha256_init(bt_usb_sha256 *h)
{
    memset(h, 0, sizeof(*h));
    h->native = bt_usb_sha256_native();
    if (h->native)
        memcpy(h->state, initial_state, sizeof(initial_state));
    else
        crypto_hash_sha256_init(sodium_state(h));
}

#ifdef BT_SHA_NI
static void native_update(bt_usb_sha256 *h, const unsigned char *p, size_t len)
{
    h->bytes += len;
    if (h->block_len) {
        size_t take = 64 - h->block_len < len ? 64 - h->block_len : len;
        memcpy(h->block + h->block_len, p, take);
        h->block_len += take;
        p += take;
        len -= take;
        if (h->block_len < 64)
            return;
        blocks_sha_ni(h->state, h->block, 1);
        h->block_len = 0;
    }
    if (len >= 64) {
        blocks_sha_ni(h->state, p, len / 64);
        p += len - len % 64;
        len %= 64;
    }
    memcpy(h->block, p, len);
    h->block_len = len;
}

static void native_final(bt_usb_sha256 *h, unsigned char out[BT_SHA256_BYTES])
{
    uint64_t bits = h->bytes * 8;
    unsigned char pad[72] = {0x80};
    size_t pad_len = (h->block_len < 56 ? 56 : 120) - h->block_len;
    for (int i = 0; i < 8; i++)
        pad[pad_len + i] = (unsigned char)(bits >> (56 - 8 * i));
    native_update(h, pad, pad_len + 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(h->state[i] >> 24);
        out[4 * i + 1] = (unsigned char)(h->state[i] >> 16);
        out[4 * i + 2] = (unsigned char)(h->state[i] >> 8);
        out[4 * i + 3] = (unsigned char)h->state[i];
    }
}
#endif

void bt_usb_sha256_update(bt_usb_sha256 *h, const void *data, size_t len)
{
#ifdef BT_SHA_NI
    if (h->native) {
        native_update(h, data, len);
        return;
    }
#endif
    crypto_hash_sha256_update(sodium_state(h), data, len);
}

void bt_usb_sha256_final(bt_usb_sha256 *h, unsigned char out[BT_SHA256_BYTES])
{
#ifdef BT_SHA_NI
    if (h->native) {
        native_final(h, out);
        return;
    }
#endif
    crypto_hash_sha256_final(sodium_state(h), out);
}

void bt_usb_sha256_final_hex(bt_usb_sha256 *h, char hex[BT_SHA256_HEX_SIZE])
{
    unsigned char digest[BT_SHA256_BYTES];
    bt_usb_sha256_final(h, digest);
    sodium_bin2hex(hex, BT_SHA256_HEX_SIZE, digest, sizeof(digest));
}

void bt_usb_sha256_hex(const void *data, size_t len, char hex[BT_SHA256_HEX_SIZE])
{
    bt_usb_sha256 h;
    bt_usb_sha256_init(&h);
    bt_usb_sha256_update(&h, data, len);
    bt_usb_sha256_final_hex(&h, hex);
}
