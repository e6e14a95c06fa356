#ifndef COSTDEFENDER_HASH_KERNEL_H
#define COSTDEFENDER_HASH_KERNEL_H

#include <stdint.h>
#include <stddef.h>

/// The running state of one block's content hash (see `ContentHash`): eight 64-bit accumulators
/// over 64-byte stripes, and a byte-wise tail for what is left after the last whole stripe.
typedef struct {
    uint64_t acc[8];
    uint64_t stripes;  ///< whole stripes added so far
    uint64_t tail;     ///< bytes after the last whole stripe
} chk_state;

/// Starts a block.
void chk_init(chk_state *state);

/// Adds `count` bytes. Every call but a block's last must add whole stripes (a multiple of 64
/// bytes). Each stripe is multiplied into the accumulators with a key that depends on its
/// position in a 1 KiB round (so reordered stripes hash differently), and the accumulators are
/// scrambled after every round; the same function as xxHash's XXH3 long-input loop in shape,
/// with keys of our own. Uses AVX2 when the CPU has it, else `chk_add_baseline`; both give the
/// same state.
void chk_add(chk_state *state, const uint8_t *bytes, size_t count);

/// `chk_add` with portable 64-bit arithmetic only, whatever the CPU has (for testing that both
/// paths agree).
void chk_add_baseline(chk_state *state, const uint8_t *bytes, size_t count);

/// The block's 64-bit hash.
uint64_t chk_finish(const chk_state *state);

#endif
