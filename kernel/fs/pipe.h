/* pipe.h - pipes: a 64 KiB buffer between a writer and a reader. */
#ifndef KERNEL_FS_PIPE_H
#define KERNEL_FS_PIPE_H

#include "kernel/types.h"

struct file;

/* Is this open file an end of a pipe?  Its id for "pipe:[N]" in /proc. */
bool file_is_pipe(const struct file *file);
u64 pipe_id(const struct file *file);

#endif
