#ifndef COSTDEFENDER_MARKDOWN_ARENA_H
#define COSTDEFENDER_MARKDOWN_ARENA_H

/// The calling thread's arena allocator for cmark-gfm, a `cmark_mem *` (returned untyped so that
/// this module does not define cmark's types a second time). Every block it hands out lives until
/// `cdma_reset` on the same thread; its `free` does nothing. Never returns NULL: like cmark's own
/// allocator, it aborts when memory runs out.
void *cdma_allocator(void);

/// Makes every block the calling thread's arena handed out free for reuse. Nothing allocated from
/// it before (nodes, parsers, rendered text) may be used afterwards.
void cdma_reset(void);

#endif
