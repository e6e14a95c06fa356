#include "markdown_arena.h"

#include <cmark-gfm.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/// A chunk of the arena: `used` bytes of `data` are handed out. Each block is preceded by its
/// size (one 16-byte header), for `realloc`.
typedef struct cdma_chunk {
    struct cdma_chunk *next;
    size_t capacity;
    size_t used;
    size_t pad;  // keeps `data` 16-byte aligned
    unsigned char data[];
} cdma_chunk;

enum { CDMA_ALIGN = 16, CDMA_HEADER = 16, CDMA_CHUNK = 1 << 20 };

/// The thread's chunks, first to last, and the one being filled. After a reset the same chunks
/// are filled again from the first.
static _Thread_local cdma_chunk *cdma_first;
static _Thread_local cdma_chunk *cdma_current;

static size_t cdma_round(size_t n) { return (n + (CDMA_ALIGN - 1)) & ~(size_t)(CDMA_ALIGN - 1); }

static void *cdma_alloc(size_t size) {
    size_t need = CDMA_HEADER + cdma_round(size ? size : 1);
    if (need < size) abort();  // overflow
    cdma_chunk *c = cdma_current;
    while (c && c->capacity - c->used < need) {
        // The next chunk (reused after a reset), if any has room; else a new one at the end.
        c = c->next;
        if (c) c->used = 0;
    }
    if (!c) {
        size_t capacity = need > CDMA_CHUNK ? need : CDMA_CHUNK;
        c = malloc(sizeof(cdma_chunk) + capacity);
        if (!c) abort();
        c->next = NULL;
        c->capacity = capacity;
        c->used = 0;
        if (!cdma_first) cdma_first = c;
        else {
            cdma_chunk *last = cdma_current ? cdma_current : cdma_first;
            while (last->next) last = last->next;
            last->next = c;
        }
    }
    cdma_current = c;
    unsigned char *block = c->data + c->used;
    *(size_t *)block = size;
    c->used += need;
    return block + CDMA_HEADER;
}

static void *cdma_calloc(size_t count, size_t size) {
    if (size && count > SIZE_MAX / size) abort();
    void *p = cdma_alloc(count * size);
    memset(p, 0, count * size);
    return p;
}

static void *cdma_realloc(void *p, size_t size) {
    if (!p) return cdma_alloc(size);
    size_t old = *(size_t *)((unsigned char *)p - CDMA_HEADER);
    cdma_chunk *c = cdma_current;
    // The last block of the current chunk grows in place when the chunk has room.
    if (c && (unsigned char *)p - CDMA_HEADER + CDMA_HEADER + cdma_round(old ? old : 1) == c->data + c->used) {
        size_t grown = cdma_round(size ? size : 1), had = cdma_round(old ? old : 1);
        if (grown <= had || c->capacity - c->used >= grown - had) {
            if (grown > had) c->used += grown - had;
            else c->used -= had - grown;
            *(size_t *)((unsigned char *)p - CDMA_HEADER) = size;
            return p;
        }
    }
    void *q = cdma_alloc(size);
    memcpy(q, p, old < size ? old : size);
    return q;
}

static void cdma_free(void *p) { (void)p; }

static cmark_mem cdma_mem = {cdma_calloc, cdma_realloc, cdma_free};

void *cdma_allocator(void) { return &cdma_mem; }

void cdma_reset(void) {
    cdma_current = cdma_first;
    if (cdma_current) cdma_current->used = 0;
}
