#include "hash_kernel.h"
#include "cpu_features.h"

#include <string.h>

/// Stripe keys: stripe k of a round uses keys[k ..< k + 8]. Fixed forever: they define the hash
/// (from SplitMix64 seeded with 20261125).
static const uint64_t keys[32] = {
    0x92CF6A4AAF5C73E1ULL, 0x2A12E73435D39EACULL, 0x33E4EDA7A98043C0ULL, 0x20605170EFCD255DULL,
    0x22DF2AF3F9F53948ULL, 0xF7F5003C24207973ULL, 0x8B0E1261A69CFD12ULL, 0x7CF0D82331E13A70ULL,
    0xA576CEDE2BEBB327ULL, 0x871C14C50598EA77ULL, 0x150997252D10AEF1ULL, 0x3FC640CB27E07621ULL,
    0x7CF91ECE9A3C8489ULL, 0x296D0E507EE11353ULL, 0x841E4BE324B715EDULL, 0x0F4413A473AC200DULL,
    0x58C42C9FF21EAC82ULL, 0x20F0715B135CE8C9ULL, 0x52245CC614B5EAE7ULL, 0xDCE33EDC16CB5D21ULL,
    0xC7B2551B6C819BD8ULL, 0x2F6DBB660C3D84ADULL, 0x87F1B10F0F996585ULL, 0x0F443E6D02B08547ULL,
    0x84F67F91358B25BCULL, 0xC74069CBE0468282ULL, 0x730684C3E61D2F00ULL, 0x552B37B8E1309F97ULL,
    0x78798ADA5835DCB9ULL, 0xE2ADBD6132B83CADULL, 0x90F8382EA85FD3D4ULL, 0xC0182D6E0420B580ULL,
};
enum { STRIPE = 64, ROUND = 16 };
static const uint64_t prime32 = 0x9E3779B1ULL;

void chk_init(chk_state *state) {
    for (int j = 0; j < 8; j++) state->acc[j] = keys[24 + j];
    state->stripes = 0;
    state->tail = 0x517CC1B727220AULL;
}

static inline uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;  // little-endian hosts only (x86-64, arm64), as the rest of the reader assumes
}

/// One stripe: lane j adds its word to lane j^1 and the product of its keyed word's halves to itself.
static inline void stripe_baseline(uint64_t acc[8], const uint8_t *p, const uint64_t *key) {
    for (int j = 0; j < 8; j++) {
        uint64_t d = load64(p + 8 * j);
        uint64_t dk = d ^ key[j];
        acc[j ^ 1] += d;
        acc[j] += (dk & 0xFFFFFFFFULL) * (dk >> 32);
    }
}

static inline void scramble_baseline(uint64_t acc[8]) {
    for (int j = 0; j < 8; j++) {
        uint64_t a = acc[j];
        a ^= a >> 47;
        a ^= keys[16 + j];
        acc[j] = a * prime32;
    }
}

/// Adds the tail bytes (after the last whole stripe) one by one.
static inline void add_tail(chk_state *state, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) state->tail = (state->tail ^ p[i]) * 0x100000001B3ULL;
}

void chk_add_baseline(chk_state *state, const uint8_t *bytes, size_t count) {
    size_t i = 0;
    for (; i + STRIPE <= count; i += STRIPE) {
        stripe_baseline(state->acc, bytes + i, keys + (state->stripes % ROUND));
        if (++state->stripes % ROUND == 0) scramble_baseline(state->acc);
    }
    add_tail(state, bytes + i, count - i);
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2"))) static void add_avx2(chk_state *state, const uint8_t *bytes, size_t count) {
    __m256i a0 = _mm256_loadu_si256((const __m256i *)state->acc);
    __m256i a1 = _mm256_loadu_si256((const __m256i *)(state->acc + 4));
    const __m256i prime = _mm256_set1_epi64x((long long)prime32);
    uint64_t stripes = state->stripes;
    size_t i = 0;
    for (; i + STRIPE <= count; i += STRIPE) {
        const uint64_t *key = keys + (stripes % ROUND);
        __m256i d0 = _mm256_loadu_si256((const __m256i *)(bytes + i));
        __m256i d1 = _mm256_loadu_si256((const __m256i *)(bytes + i + 32));
        __m256i k0 = _mm256_xor_si256(d0, _mm256_loadu_si256((const __m256i *)key));
        __m256i k1 = _mm256_xor_si256(d1, _mm256_loadu_si256((const __m256i *)(key + 4)));
        // Low half times high half of each keyed word; each word also goes to its neighbour lane.
        __m256i p0 = _mm256_mul_epu32(k0, _mm256_srli_epi64(k0, 32));
        __m256i p1 = _mm256_mul_epu32(k1, _mm256_srli_epi64(k1, 32));
        a0 = _mm256_add_epi64(a0, _mm256_add_epi64(p0, _mm256_shuffle_epi32(d0, _MM_SHUFFLE(1, 0, 3, 2))));
        a1 = _mm256_add_epi64(a1, _mm256_add_epi64(p1, _mm256_shuffle_epi32(d1, _MM_SHUFFLE(1, 0, 3, 2))));
        if (++stripes % ROUND == 0) {
            // a = (a ^ a >> 47 ^ key) * prime32, the 64-bit product from two 32-bit ones.
            __m256i s0 = _mm256_xor_si256(_mm256_xor_si256(a0, _mm256_srli_epi64(a0, 47)), _mm256_loadu_si256((const __m256i *)(keys + 16)));
            __m256i s1 = _mm256_xor_si256(_mm256_xor_si256(a1, _mm256_srli_epi64(a1, 47)), _mm256_loadu_si256((const __m256i *)(keys + 20)));
            a0 = _mm256_add_epi64(_mm256_mul_epu32(s0, prime), _mm256_slli_epi64(_mm256_mul_epu32(_mm256_srli_epi64(s0, 32), prime), 32));
            a1 = _mm256_add_epi64(_mm256_mul_epu32(s1, prime), _mm256_slli_epi64(_mm256_mul_epu32(_mm256_srli_epi64(s1, 32), prime), 32));
        }
    }
    _mm256_storeu_si256((__m256i *)state->acc, a0);
    _mm256_storeu_si256((__m256i *)(state->acc + 4), a1);
    state->stripes = stripes;
    add_tail(state, bytes + i, count - i);
}
#endif

void chk_add(chk_state *state, const uint8_t *bytes, size_t count) {
#if defined(__x86_64__)
    if (ck_cpu_has_avx2()) { add_avx2(state, bytes, count); return; }
#endif
    chk_add_baseline(state, bytes, count);
}

static inline uint64_t mix(uint64_t x) {
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

uint64_t chk_finish(const chk_state *state) {
    uint64_t h = mix(state->stripes);
    for (int j = 0; j < 8; j++) h = mix(h ^ state->acc[j]);
    return mix(h ^ mix(state->tail));
}
