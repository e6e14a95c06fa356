#ifndef COSTDEFENDER_SYSTEM_SHIMS_H
#define COSTDEFENDER_SYSTEM_SHIMS_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0 on success,
/// -1 with errno set otherwise (e.g. ENOSYS or EINVAL where the kernel or file system lacks it).
int costdefender_exchange_paths(const char *a, const char *b);

#endif
