/*
 * textfile.c - generated text files: the read, release and command parsing
 * that procfs and cgroupfs share (kernel/fs/textfile.h).
 */
#include "kernel/fs/textfile.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/uaccess.h"
#include "mm/kheap.h"

int textfile_keep(struct file *file, struct textbuf *text)
{
    if (text->failed) {
        textbuf_free(text);
        kfree(text);
        return -ENOMEM;
    }
    file->private = text;
    return 0;
}

long textfile_read(struct file *file, void *buf, size_t size, u64 *offset)
{
    struct textbuf *text = file->private;
    if (!text)
        return -EINVAL;
    if (*offset >= text->len)
        return 0;
    size_t n = MIN(size, text->len - (size_t)*offset);
    if (copy_to_user(buf, text->data + *offset, n) < 0)
        return -EFAULT;
    *offset += n;
    return (long)n;
}

void textfile_release(struct file *file)
{
    if (file->private) {
        textbuf_free(file->private);
        kfree(file->private);
    }
}

long textfile_command(char command[TEXTFILE_COMMAND_MAX], const void *buf, size_t size)
{
    if (size >= TEXTFILE_COMMAND_MAX)
        return -EINVAL;
    if (copy_from_user(command, buf, size) < 0)
        return -EFAULT;
    command[size] = '\0';
    while (size > 0 && (command[size - 1] == '\n' || command[size - 1] == ' '))
        command[--size] = '\0';
    return (long)size;
}
