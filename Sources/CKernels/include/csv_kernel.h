#ifndef COSTDEFENDER_CSV_KERNEL_H
#define COSTDEFENDER_CSV_KERNEL_H

#include <stdint.h>

/// What `csvk_record` found at the start of the bytes it was given.
enum {
    /// The record does not end before the bytes do: read more (or, at the end of the file, let
    /// the scalar reader finish it).
    CSVK_NEED_MORE = 0,
    /// One whole record: its fields are in `starts`/`ends`/`flags`, and `csvk_result` says where
    /// the next record begins.
    CSVK_RECORD = 1,
    /// Something the scalar reader must decide: text after a closing quote (an error it
    /// reports with line and column), or more fields than `capacity`.
    CSVK_IRREGULAR = 2,
};

/// Field flags written to `flags`.
enum {
    CSVK_QUOTED = 1,   ///< the field was written in quotes (the quotes are not in its range)
    CSVK_ESCAPED = 2,  ///< the quoted field holds `""` pairs, still to be turned into `"`
};

typedef struct {
    int64_t next;     ///< offset of the byte after the record's line end
    int64_t lines;    ///< physical lines the record spans (1 + line feeds inside quotes)
    int32_t count;    ///< fields written
} csvk_result;

/// Splits the RFC 4180 record that starts at `base[from]` into fields, reading no byte at or after
/// `base[end]`. Field `k` is `base[starts[k] ..< ends[k]]` (quotes excluded, `""` not yet
/// unescaped). Its meaning is exactly the scalar `CSVReader.parseRecord`'s on every record it
/// returns `CSVK_RECORD` for: `,` separates fields; `\n`, `\r\n` or a lone `\r` ends the record;
/// a field that starts with `"` is quoted up to a `"` not followed by another; inside quotes `,`,
/// `\r` and `\n` are text; a `"` inside an unquoted field is text.
///
/// It classifies 64 bytes at a time with vector compares into bit masks of quotes, separators
/// and line ends, finds the quoted regions by a prefix XOR of the quote mask (a `""` pair toggles
/// twice), and walks only the separators outside quotes; a record costs a few instructions per
/// 64 bytes and per field, however its text is quoted. It uses AVX2 when the CPU has it, else
/// `csvk_record_baseline`.
int csvk_record(const uint8_t *base, int64_t from, int64_t end,
                int64_t *starts, int64_t *ends, uint8_t *flags, int32_t capacity,
                csvk_result *out);

/// `csvk_record` with the baseline instruction set only (SSE2 on x86-64, a portable loop
/// elsewhere), whatever the CPU has; for testing that both paths agree.
int csvk_record_baseline(const uint8_t *base, int64_t from, int64_t end,
                         int64_t *starts, int64_t *ends, uint8_t *flags, int32_t capacity,
                         csvk_result *out);

#endif
