#ifndef COSTDEFENDER_SYSTEM_SHIMS_H
#define COSTDEFENDER_SYSTEM_SHIMS_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0 on success,
/// -1 with errno set otherwise (e.g. ENOSYS or EINVAL where the kernel or file system lacks it).
int costdefender_exchange_paths(const char *a, const char *b);

#include <stddef.h>

/// The first occurrence of `needle` in `haystack` (the C library's memmem, which Swift's Glibc
/// module does not declare), or NULL.
const void *costdefender_find_bytes(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

#endif
