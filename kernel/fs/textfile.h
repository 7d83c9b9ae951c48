/*
 * textfile.h - files whose contents the kernel generates as text (/proc,
 * /sys/fs/cgroup): what procfs and cgroupfs share.
 *
 * At open, the file system prints the whole text into a struct textbuf and
 * hands it to textfile_keep(); read() then copies from that snapshot, so a
 * reader sees one consistent text however small its reads.  A write is one
 * short command ("nice 5", "+pids", "50000 100000") for the file's store().
 */
#ifndef KERNEL_FS_TEXTFILE_H
#define KERNEL_FS_TEXTFILE_H

#include "kernel/fs/file.h"
#include "kernel/lib/textbuf.h"

/* The longest command a control file takes, its NUL included. */
#define TEXTFILE_COMMAND_MAX 128

/* Keep `text` (kzalloc'ed, printed into) as the open file's contents: 0, or
 * -ENOMEM (the text is freed) when printing it ran out of memory. */
int textfile_keep(struct file *file, struct textbuf *text);

/* read() of the kept text; -EINVAL if the file kept none (write-only). */
long textfile_read(struct file *file, void *buf, size_t size, u64 *offset);

/* release(): free the kept text, if any. */
void textfile_release(struct file *file);

/*
 * Copy a write of `size` bytes at user `buf` into `command` as a string
 * without its trailing newlines and spaces.  Returns the command's length,
 * -EINVAL if it does not fit, or -EFAULT.  A length of 0 from a non-empty
 * write is writev's last piece (musl's stdio sends "5" and then "\n" for
 * `echo 5 >file`): the caller accepts it and does nothing.
 */
long textfile_command(char command[TEXTFILE_COMMAND_MAX], const void *buf, size_t size);

#endif
