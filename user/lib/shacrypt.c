/*
 * shacrypt.c - SHA-512 (FIPS 180-4) and the "$6$" password hash built on it
 * (see shacrypt.h).  The constants are the first 64 bits of the fractional
 * parts of the cube roots (K) and square roots (initial state) of the first
 * primes, as the standard defines them.
 */
#include "user/lib/shacrypt.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint64_t K[80] = {
    0x428a2f98d728ae22ull, 0x7137449123ef65cdull, 0xb5c0fbcfec4d3b2full, 0xe9b5dba58189dbbcull,
    0x3956c25bf348b538ull, 0x59f111f1b605d019ull, 0x923f82a4af194f9bull, 0xab1c5ed5da6d8118ull,
    0xd807aa98a3030242ull, 0x12835b0145706fbeull, 0x243185be4ee4b28cull, 0x550c7dc3d5ffb4e2ull,
    0x72be5d74f27b896full, 0x80deb1fe3b1696b1ull, 0x9bdc06a725c71235ull, 0xc19bf174cf692694ull,
    0xe49b69c19ef14ad2ull, 0xefbe4786384f25e3ull, 0x0fc19dc68b8cd5b5ull, 0x240ca1cc77ac9c65ull,
    0x2de92c6f592b0275ull, 0x4a7484aa6ea6e483ull, 0x5cb0a9dcbd41fbd4ull, 0x76f988da831153b5ull,
    0x983e5152ee66dfabull, 0xa831c66d2db43210ull, 0xb00327c898fb213full, 0xbf597fc7beef0ee4ull,
    0xc6e00bf33da88fc2ull, 0xd5a79147930aa725ull, 0x06ca6351e003826full, 0x142929670a0e6e70ull,
    0x27b70a8546d22ffcull, 0x2e1b21385c26c926ull, 0x4d2c6dfc5ac42aedull, 0x53380d139d95b3dfull,
    0x650a73548baf63deull, 0x766a0abb3c77b2a8ull, 0x81c2c92e47edaee6ull, 0x92722c851482353bull,
    0xa2bfe8a14cf10364ull, 0xa81a664bbc423001ull, 0xc24b8b70d0f89791ull, 0xc76c51a30654be30ull,
    0xd192e819d6ef5218ull, 0xd69906245565a910ull, 0xf40e35855771202aull, 0x106aa07032bbd1b8ull,
    0x19a4c116b8d2d0c8ull, 0x1e376c085141ab53ull, 0x2748774cdf8eeb99ull, 0x34b0bcb5e19b48a8ull,
    0x391c0cb3c5c95a63ull, 0x4ed8aa4ae3418acbull, 0x5b9cca4f7763e373ull, 0x682e6ff3d6b2b8a3ull,
    0x748f82ee5defb2fcull, 0x78a5636f43172f60ull, 0x84c87814a1f0ab72ull, 0x8cc702081a6439ecull,
    0x90befffa23631e28ull, 0xa4506cebde82bde9ull, 0xbef9a3f7b2c67915ull, 0xc67178f2e372532bull,
    0xca273eceea26619cull, 0xd186b8c721c0c207ull, 0xeada7dd6cde0eb1eull, 0xf57d4f7fee6ed178ull,
    0x06f067aa72176fbaull, 0x0a637dc5a2c898a6ull, 0x113f9804bef90daeull, 0x1b710b35131c471bull,
    0x28db77f523047d84ull, 0x32caab7b40c72493ull, 0x3c9ebe0a15c9bebcull, 0x431d67c49c100d4cull,
    0x4cc5d4becb3e42b6ull, 0x597f299cfc657e2aull, 0x5fcb6fab3ad6faecull, 0x6c44198c4a475817ull,
};

static const uint64_t initial_state[8] = {
    0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull, 0x3c6ef372fe94f82bull, 0xa54ff53a5f1d36f1ull,
    0x510e527fade682d1ull, 0x9b05688c2b3e6c1full, 0x1f83d9abfb41bd6bull, 0x5be0cd19137e2179ull,
};

struct sha512 {
    uint64_t state[8];
    uint64_t length; /* bytes hashed so far */
    unsigned char block[128];
    size_t used;
};

static uint64_t rotr(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

static void compress(struct sha512 *c, const unsigned char *p)
{
    uint64_t w[80], s[8];
    for (int i = 0; i < 16; i++) {
        w[i] = 0;
        for (int j = 0; j < 8; j++)
            w[i] = (w[i] << 8) | p[i * 8 + j];
    }
    for (int i = 16; i < 80; i++) {
        uint64_t s0 = rotr(w[i - 15], 1) ^ rotr(w[i - 15], 8) ^ (w[i - 15] >> 7);
        uint64_t s1 = rotr(w[i - 2], 19) ^ rotr(w[i - 2], 61) ^ (w[i - 2] >> 6);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(s, c->state, sizeof s);
    for (int i = 0; i < 80; i++) {
        uint64_t t1 = s[7] + (rotr(s[4], 14) ^ rotr(s[4], 18) ^ rotr(s[4], 41)) +
                      ((s[4] & s[5]) ^ (~s[4] & s[6])) + K[i] + w[i];
        uint64_t t2 = (rotr(s[0], 28) ^ rotr(s[0], 34) ^ rotr(s[0], 39)) +
                      ((s[0] & s[1]) ^ (s[0] & s[2]) ^ (s[1] & s[2]));
        memmove(s + 1, s, 7 * sizeof s[0]);
        s[4] += t1;
        s[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++)
        c->state[i] += s[i];
}

static void sha512_init(struct sha512 *c)
{
    memcpy(c->state, initial_state, sizeof c->state);
    c->length = 0;
    c->used = 0;
}

static void sha512_update(struct sha512 *c, const void *data, size_t size)
{
    const unsigned char *p = data;
    c->length += size;
    while (size > 0) {
        size_t n = 128 - c->used < size ? 128 - c->used : size;
        memcpy(c->block + c->used, p, n);
        c->used += n, p += n, size -= n;
        if (c->used == 128) {
            compress(c, c->block);
            c->used = 0;
        }
    }
}

static void sha512_final(struct sha512 *c, unsigned char out[64])
{
    uint64_t bits = c->length * 8;
    unsigned char pad[144] = {0x80};
    size_t padding = (c->used < 112 ? 112 : 240) - c->used;
    for (int i = 0; i < 8; i++)
        pad[padding + 8 + i] = (unsigned char)(bits >> (56 - 8 * i)); /* a 128-bit length */
    sha512_update(c, pad, padding + 16);
    for (int i = 0; i < 64; i++)
        out[i] = (unsigned char)(c->state[i / 8] >> (56 - 8 * (i % 8)));
}

/* Adds `total` bytes of the 64-byte `digest` repeated. */
static void update_repeated(struct sha512 *c, const unsigned char *digest, size_t total)
{
    for (; total > 64; total -= 64)
        sha512_update(c, digest, 64);
    sha512_update(c, digest, total);
}

#define SALT_MAX 16
#define ROUNDS_DEFAULT 5000

char *shacrypt_sha512(const char *key, const char *setting, char *out, size_t size)
{
    if (strncmp(setting, "$6$", 3) != 0 || size < 128)
        return NULL;
    setting += 3;
    unsigned long rounds = ROUNDS_DEFAULT;
    int custom_rounds = 0;
    if (strncmp(setting, "rounds=", 7) == 0) {
        char *end;
        rounds = strtoul(setting + 7, &end, 10);
        if (*end != '$')
            return NULL;
        rounds = rounds < 1000 ? 1000 : rounds > 999999999 ? 999999999 : rounds;
        custom_rounds = 1;
        setting = end + 1;
    }
    size_t salt_len = strcspn(setting, "$");
    if (salt_len > SALT_MAX)
        salt_len = SALT_MAX;
    const char *salt = setting;
    size_t key_len = strlen(key);

    unsigned char a[64], b[64], dp[64], ds[64];
    struct sha512 c;
    sha512_init(&c); /* B = H(key salt key) */
    sha512_update(&c, key, key_len);
    sha512_update(&c, salt, salt_len);
    sha512_update(&c, key, key_len);
    sha512_final(&c, b);

    sha512_init(&c); /* A = H(key salt B-stretched-to-key-length bits-of-length...) */
    sha512_update(&c, key, key_len);
    sha512_update(&c, salt, salt_len);
    update_repeated(&c, b, key_len);
    for (size_t n = key_len; n > 0; n >>= 1)
        if (n & 1)
            sha512_update(&c, b, 64);
        else
            sha512_update(&c, key, key_len);
    sha512_final(&c, a);

    sha512_init(&c); /* P: from H(key repeated key_len times) */
    for (size_t i = 0; i < key_len; i++)
        sha512_update(&c, key, key_len);
    sha512_final(&c, dp);
    sha512_init(&c); /* S: from H(salt repeated 16 + a[0] times) */
    for (int i = 0; i < 16 + a[0]; i++)
        sha512_update(&c, salt, salt_len);
    sha512_final(&c, ds);

    for (unsigned long r = 0; r < rounds; r++) { /* the slow part, on purpose */
        sha512_init(&c);
        if (r & 1)
            update_repeated(&c, dp, key_len);
        else
            sha512_update(&c, a, 64);
        if (r % 3)
            update_repeated(&c, ds, salt_len);
        if (r % 7)
            update_repeated(&c, dp, key_len);
        if (r & 1)
            sha512_update(&c, a, 64);
        else
            update_repeated(&c, dp, key_len);
        sha512_final(&c, a);
    }

    static const char b64[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static const unsigned char order[21][3] = {
        {0, 21, 42},  {22, 43, 1},  {44, 2, 23},  {3, 24, 45},  {25, 46, 4},  {47, 5, 26},
        {6, 27, 48},  {28, 49, 7},  {50, 8, 29},  {9, 30, 51},  {31, 52, 10}, {53, 11, 32},
        {12, 33, 54}, {34, 55, 13}, {56, 14, 35}, {15, 36, 57}, {37, 58, 16}, {59, 17, 38},
        {18, 39, 60}, {40, 61, 19}, {62, 20, 41}};
    int n = custom_rounds ? snprintf(out, size, "$6$rounds=%lu$%.*s$", rounds, (int)salt_len, salt)
                          : snprintf(out, size, "$6$%.*s$", (int)salt_len, salt);
    char *p = out + n;
    for (int i = 0; i < 21; i++) {
        unsigned long v =
            (unsigned long)a[order[i][0]] << 16 | a[order[i][1]] << 8 | a[order[i][2]];
        for (int j = 0; j < 4; j++, v >>= 6)
            *p++ = b64[v & 63];
    }
    for (unsigned long v = a[63], j = 0; j < 2; j++, v >>= 6)
        *p++ = b64[v & 63];
    *p = '\0';
    return out;
}
