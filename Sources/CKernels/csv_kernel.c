#include "csv_kernel.h"
#include "cpu_features.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The structural bytes of 64 bytes, one bit per byte (bit k for p[k]).
typedef struct {
    uint64_t quote;      ///< `"`
    uint64_t separator;  ///< `,`, `\n` or `\r`
    uint64_t line_end;   ///< `\n` or `\r`
} csvk_masks;

static inline csvk_masks classify_baseline(const uint8_t *p) {
    csvk_masks m = {0, 0, 0};
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), comma = _mm_set1_epi8(','),
                  lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        __m128i end = _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr));
        __m128i sep = _mm_or_si128(end, _mm_cmpeq_epi8(v, comma));
        m.quote |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) << (16 * k);
        m.separator |= (uint64_t)(uint16_t)_mm_movemask_epi8(sep) << (16 * k);
        m.line_end |= (uint64_t)(uint16_t)_mm_movemask_epi8(end) << (16 * k);
    }
#else
    for (int k = 0; k < 64; k++) {
        uint8_t c = p[k];
        uint64_t bit = (uint64_t)1 << k;
        if (c == '"') m.quote |= bit;
        if (c == '\n' || c == '\r') m.line_end |= bit;
        if (c == ',' || c == '\n' || c == '\r') m.separator |= bit;
    }
#endif
    return m;
}

/// Bit k is the parity of the set bits 0...k: 1 inside a quoted region (its opening quote
/// included, its closing quote not).
static inline uint64_t prefix_xor(uint64_t x) {
    x ^= x << 1; x ^= x << 2; x ^= x << 4; x ^= x << 8; x ^= x << 16; x ^= x << 32;
    return x;
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

/// `classify_baseline` with 32-byte compares.
__attribute__((target("avx2"))) static inline csvk_masks classify_avx2(const uint8_t *p) {
    const __m256i quote = _mm256_set1_epi8('"'), comma = _mm256_set1_epi8(','),
                  lf = _mm256_set1_epi8('\n'), cr = _mm256_set1_epi8('\r');
    csvk_masks m = {0, 0, 0};
    for (int k = 0; k < 2; k++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(p + 32 * k));
        __m256i end = _mm256_or_si256(_mm256_cmpeq_epi8(v, lf), _mm256_cmpeq_epi8(v, cr));
        __m256i sep = _mm256_or_si256(end, _mm256_cmpeq_epi8(v, comma));
        m.quote |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, quote)) << (32 * k);
        m.separator |= (uint64_t)(uint32_t)_mm256_movemask_epi8(sep) << (32 * k);
        m.line_end |= (uint64_t)(uint32_t)_mm256_movemask_epi8(end) << (32 * k);
    }
    return m;
}

#define CSVK_SPLIT split_avx2
#define CSVK_CLASSIFY classify_avx2
#define CSVK_TARGET __attribute__((target("avx2,bmi,popcnt")))
#include "split_body.inc"
#undef CSVK_SPLIT
#undef CSVK_CLASSIFY
#undef CSVK_TARGET
#define CSVK_HAS_AVX2 1
#endif

#define CSVK_SPLIT split_baseline
#define CSVK_CLASSIFY classify_baseline
#define CSVK_TARGET
#include "split_body.inc"
#undef CSVK_SPLIT
#undef CSVK_CLASSIFY
#undef CSVK_TARGET

int csvk_record(const uint8_t *base, int64_t from, int64_t end,
                int64_t *starts, int64_t *ends, uint8_t *flags, int32_t capacity,
                csvk_result *out) {
#if defined(CSVK_HAS_AVX2)
    if (ck_cpu_has_avx2()) return split_avx2(base, from, end, starts, ends, flags, capacity, out);
#endif
    return split_baseline(base, from, end, starts, ends, flags, capacity, out);
}

int csvk_record_baseline(const uint8_t *base, int64_t from, int64_t end,
                         int64_t *starts, int64_t *ends, uint8_t *flags, int32_t capacity,
                         csvk_result *out) {
    return split_baseline(base, from, end, starts, ends, flags, capacity, out);
}
