/*
 * exec_interp.c - the interpreter of a dynamically linked program (see exec_interp.h).
 *
 * The address space of `bash` just after execve, before the loader has run:
 *
 *   0x7fff_ffff_f000  top of user space
 *                     stack (argv, envp, auxv: AT_BASE = loader, AT_ENTRY = bash's entry)
 *                     mmap_base
 *                     ld-linux-x86-64.so.2  <- rip: the loader's entry
 *                     (later: libc.so.6, libtinfo.so.6 ... mapped by the loader, downwards)
 *   0x5555_5555_4000  bash (a PIE, ET_DYN), then its heap
 *
 * The loader finds the program through AT_PHDR, maps each library the
 * program names (DT_NEEDED) with mmap of the file, relocates, and jumps to
 * AT_ENTRY.  The kernel knows nothing of libraries.
 */
#include "proc/exec_interp.h"
#include "kernel/errno.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "mm/kheap.h"
#include "mm/vm.h"
#include "proc/elf.h"
#include "proc/proc.h"

/* The interpreter's path from the program's PT_INTERP, into a new buffer (for kfree). */
static int read_interpreter_path(struct inode *program, const struct elf_image *image, char **path)
{
    size_t size = (size_t)image->interp_size; /* 2..PATH_MAX, checked by elf_check */
    char *buf = *path = kmalloc(size);
    if (!buf)
        return -ENOMEM;
    long n =
        program->ops->read ? program->ops->read(program, image->interp_offset, buf, size) : -EACCES;
    if (n != (long)size)
        return n < 0 ? (int)n : -EIO;
    if (buf[size - 1] != '\0')
        return -ENOEXEC; /* Linux wants the path's NUL inside the segment */
    return 0;
}

/* Is this an x86-64 ELF file at all?  If not, Linux says ELIBBAD ("accessing a
 * corrupted shared library"), not ENOEXEC: the program is fine, its loader is not. */
static bool looks_like_elf(const u8 *header, long length)
{
    const struct elf64_ehdr *eh = (const struct elf64_ehdr *)header;
    return length >= (long)sizeof *eh && memcmp(eh->ident, "\177ELF", 4) == 0 &&
           eh->ident[4] == 2 && eh->ident[5] == 1 && eh->machine == EM_X86_64;
}

/*
 * Check the interpreter's headers and choose where it goes: an ET_DYN loader
 * (as every real one is) at the highest free gap under mmap_base, as Linux
 * places it without address randomisation; an ET_EXEC one at its own
 * addresses.
 */
static int place_interpreter(struct mm *mm, struct inode *inode, struct elf_image *out)
{
    u8 *header;
    long n = exec_read_headers(inode, &header);
    if (!header)
        return (int)n;
    int error = 0;
    if (n >= 0 && n < (long)sizeof(struct elf64_ehdr))
        error = -EIO; /* too short for an ELF header: Linux's elf_read says EIO */
    else if (n < 0)
        error = (int)n;
    else if (!looks_like_elf(header, n))
        error = -ELIBBAD;
    else
        error = elf_check(header, (size_t)n, inode->size, out); /* first at the default bias */
    if (!error && out->load_bias) {
        u64 first_page = ALIGN_DOWN(out->lowest, PAGE_SIZE);
        u64 at = vm_find_free(mm, out->highest - first_page);
        if (!at)
            error = -ENOMEM;
        else /* then again where it will really be: elf_check_at checks those addresses */
            error =
                elf_check_at(header, (size_t)n, inode->size, at + out->load_bias - first_page, out);
    }
    kfree(header);
    return error;
}

int exec_load_interpreter(struct mm *mm, struct inode *program, const struct elf_image *image,
                          u64 *base, u64 *entry)
{
    char *path;
    struct inode *inode = NULL;
    struct elf_image interp;
    int error = read_interpreter_path(program, image, &path);
    if (!error)
        error = exec_lookup(path, &inode);
    if (!error)
        error = place_interpreter(mm, inode, &interp);
    if (!error) {
        /* The code and data fields (/proc/PID/stat) describe the program, not its loader. */
        u64 code[4] = {mm->start_code, mm->end_code, mm->start_data, mm->end_data};
        error = exec_load_segments(mm, inode, &interp, path);
        mm->start_code = code[0], mm->end_code = code[1];
        mm->start_data = code[2], mm->end_data = code[3];
    }
    if (!error) {
        *base = interp.load_bias;
        *entry = interp.entry;
    }
    if (inode)
        inode_put(inode);
    kfree(path);
    return error;
}
