/*
 * ksyms.h - the kernel's own symbol table, for backtraces.
 *
 * The build links the kernel twice: the second time with a table generated
 * from the first link's `nm` output (tools/gen-ksyms), placed last in the
 * image so no other address moves.
 */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include "kernel/types.h"

/*
 * Find the function containing `address`.  Returns its name and sets
 * *offset (bytes into it) and *size (its length), or returns NULL.
 */
const char *ksym_lookup(u64 address, u64 *offset, u64 *size);

/* Format an address as "name+0x1a/0x80" (or as a bare hex number). */
void ksym_format(u64 address, char *buf, size_t size);

/* The index-th symbol, in address order: false past the last (for /proc/kallsyms). */
bool ksym_at(u64 index, u64 *address, const char **name);

/* The address of a kernel function by name, or 0 (used by tests). */
u64 ksym_address(const char *name);

#endif
