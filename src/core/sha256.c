/* SHA-256 (FIPS 180-4): the x86 SHA extensions when the CPU has them, plain C otherwise. See
 * bt_sha256.h for why the store cannot live with libsodium's portable code.
 *
 * The SHA-NI block function keeps the eight working variables in two registers, {A,B,E,F} and
 * {C,D,G,H}, the layout sha256rnds2 wants; each sha256rnds2 does two rounds, and
 * sha256msg1/msg2 extend the message schedule four words at a time. */
#include "bangtin/bt_sha256.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define BT_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t initial_state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

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

/* ---- plain C ------------------------------------------------------------------------------- */

static uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static uint32_t load_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void blocks_portable(uint32_t state[8], const unsigned char *data, size_t blocks)
{
    for (; blocks--; data += 64) {
        uint32_t w[64];
        for (int t = 0; t < 16; t++)
            w[t] = load_be32(data + 4 * t);
        for (int t = 16; t < 64; t++) {
            uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < 64; t++) {
            uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) +
                          round_constants[t] + w[t];
            uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }
}

/* ---- SHA-NI -------------------------------------------------------------------------------- */

#ifdef BT_SHA_NI
/* SHA extensions (CPUID.7.0:EBX bit 29) plus the SSSE3 and SSE4.1 shuffles and blends used. */
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
    /* The message is big-endian: swap the bytes of each 32-bit lane. */
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i dcba = _mm_loadu_si128((const __m128i *)(const void *)&state[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)(const void *)&state[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);

    for (; blocks--; data += 64) {
        const __m128i abef_in = abef, cdgh_in = cdgh;
        __m128i w[4]; /* the last sixteen schedule words, four to a register, as a ring */
        for (int i = 0; i < 4; i++)
            w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(data + 16 * i)),
                                    swap);
#pragma GCC unroll 16
        for (int g = 0; g < 16; g++) {
            if (g >= 4) {
                /* Words 4g..4g+3 from the four groups before them (ring slots g..g+3 mod 4). */
                __m128i x = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
                x = _mm_add_epi32(x, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
                w[g & 3] = _mm_sha256msg2_epu32(x, w[(g + 3) & 3]);
            }
            __m128i wk = _mm_add_epi32(
                w[g & 3], _mm_loadu_si128((const __m128i *)(const void *)&round_constants[4 * g]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));
        }
        abef = _mm_add_epi32(abef, abef_in);
        cdgh = _mm_add_epi32(cdgh, cdgh_in);
    }

    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)(void *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)(void *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}
#endif

/* ---- the choice ---------------------------------------------------------------------------- */

static int cpu_native = -1;    /* -1 not yet checked; a benign race: every thread agrees */
static bool native_allowed = true;

bool bt_sha256_native(void)
{
    if (cpu_native < 0) {
#ifdef BT_SHA_NI
        cpu_native = cpu_has_sha_ni() ? 1 : 0;
#else
        cpu_native = 0;
#endif
    }
    return native_allowed && cpu_native == 1;
}

void bt_sha256_allow_native(bool allow)
{
    native_allowed = allow;
}

static void blocks(uint32_t state[8], const unsigned char *data, size_t n)
{
#ifdef BT_SHA_NI
    if (bt_sha256_native()) {
        blocks_sha_ni(state, data, n);
        return;
    }
#endif
    blocks_portable(state, data, n);
}

/* ---- streaming ----------------------------------------------------------------------------- */

void bt_sha256_init(bt_sha256 *h)
{
    memset(h, 0, sizeof(*h));
    memcpy(h->state, initial_state, sizeof(initial_state));
}

void bt_sha256_update(bt_sha256 *h, const void *data, size_t len)
{
    const unsigned char *p = data;
    h->bytes += len;
    if (h->block_len) {
        size_t take = 64 - h->block_len < len ? 64 - h->block_len : len;
        memcpy(h->block + h->block_len, p, take);
        h->block_len += take;
        p += take;
        len -= take;
        if (h->block_len < 64)
            return;
        blocks(h->state, h->block, 1);
        h->block_len = 0;
    }
    if (len >= 64) {
        blocks(h->state, p, len / 64);
        p += len - len % 64;
        len %= 64;
    }
    if (len)
        memcpy(h->block, p, len);
    h->block_len = len;
}

void bt_sha256_final(bt_sha256 *h, unsigned char out[BT_SHA256_DIGEST_BYTES])
{
    uint64_t bits = h->bytes * 8;
    unsigned char pad[72] = {0x80};
    size_t pad_len = (h->block_len < 56 ? 56 : 120) - h->block_len;
    for (int i = 0; i < 8; i++)
        pad[pad_len + i] = (unsigned char)(bits >> (56 - 8 * i));
    bt_sha256_update(h, pad, pad_len + 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(h->state[i] >> 24);
        out[4 * i + 1] = (unsigned char)(h->state[i] >> 16);
        out[4 * i + 2] = (unsigned char)(h->state[i] >> 8);
        out[4 * i + 3] = (unsigned char)h->state[i];
    }
}

void bt_sha256_final_hex(bt_sha256 *h, char hex[BT_SHA256_HEX_SIZE])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char d[BT_SHA256_DIGEST_BYTES];
    bt_sha256_final(h, d);
    for (size_t i = 0; i < sizeof(d); i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[2 * sizeof(d)] = '\0';
}

void bt_sha256_hex(const void *data, size_t len, char hex[BT_SHA256_HEX_SIZE])
{
    bt_sha256 h;
    bt_sha256_init(&h);
    bt_sha256_update(&h, data, len);
    bt_sha256_final_hex(&h, hex);
}
