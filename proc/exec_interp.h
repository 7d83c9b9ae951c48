/*
 * exec_interp.h - execve of a dynamically linked program (PT_INTERP).
 *
 * Such a program names its interpreter, the dynamic loader (Debian's
 * /lib64/ld-linux-x86-64.so.2): exec maps the program and the loader into the
 * new address space and starts the loader, which maps the program's shared
 * libraries with mmap and jumps to the program's entry (auxv AT_ENTRY).
 */
#ifndef PROC_EXEC_INTERP_H
#define PROC_EXEC_INTERP_H

#include "kernel/types.h"

struct mm;
struct inode;
struct elf_image;

/*
 * Map the interpreter named by `program`'s PT_INTERP (image->interp_*) into
 * `mm`, below mmap_base as Linux places it (top-down in the mmap area).
 * Sets *base (auxv AT_BASE: where the interpreter is) and *entry (its first
 * instruction, where the new program starts).  Errors as Linux gives them:
 * -ENOENT for a missing interpreter, -EACCES for one that is not a regular
 * executable file, -ELIBBAD for one that is not an x86-64 ELF file, -EIO for
 * one too short to hold an ELF header, -ENOEXEC for a path without its NUL.
 * Process context; may sleep (reads the file).
 */
int exec_load_interpreter(struct mm *mm, struct inode *program, const struct elf_image *image,
                          u64 *base, u64 *entry);

/* exec.c's loader, shared with the interpreter's: the start of an ELF file
 * (its headers) into a new buffer, and its segments mapped into `mm` with
 * their regions named `path` (in /proc/PID/maps). */
/* Look up a program (or a loader) as execve opens one: a regular file with
 * an x bit, else -EACCES.  On success *result is held (inode_put it). */
int exec_lookup(const char *path, struct inode **result);
long exec_read_headers(struct inode *inode, u8 **buffer);
int exec_load_segments(struct mm *mm, struct inode *inode, const struct elf_image *image,
                       const char *path);

#endif
