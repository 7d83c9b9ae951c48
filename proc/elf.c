/* elf.c - validate an ELF64 executable's headers (see elf.h). */
#include "proc/elf.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "mm/layout.h"

/* a + b without wrapping past 2^64? */
static bool add_ok(u64 a, u64 b, u64 *sum)
{
    *sum = a + b;
    return *sum >= a;
}

u64 elf_headers_end(const u8 *header, size_t header_len)
{
    struct elf64_ehdr eh;
    if (header_len < sizeof eh)
        return 0;
    memcpy(&eh, header, sizeof eh);
    u64 end;
    return add_ok(eh.phoff, (u64)eh.phnum * eh.phentsize, &end) ? end : 0;
}

int elf_check(const u8 *header, size_t header_len, u64 file_size, struct elf_image *out)
{
    return elf_check_at(header, header_len, file_size, ELF_DYN_LOAD_BIAS, out);
}

/* PT_INTERP names the interpreter: a path of 2 to PATH_MAX bytes inside the file (Linux's
 * checks; exec reads it and checks its final NUL).  Only the first one counts. */
static int note_interpreter(const struct elf64_phdr *ph, u64 file_size, struct elf_image *out)
{
    u64 end;
    if (out->interp_size)
        return 0;
    if (ph->filesz < 2 || ph->filesz > PATH_MAX || !add_ok(ph->offset, ph->filesz, &end) ||
        end > file_size)
        return -ENOEXEC;
    out->interp_offset = ph->offset;
    out->interp_size = ph->filesz;
    return 0;
}

int elf_check_at(const u8 *header, size_t header_len, u64 file_size, u64 dyn_bias,
                 struct elf_image *out)
{
    memset(out, 0, sizeof *out);
    struct elf64_ehdr eh;
    if (header_len < sizeof eh || file_size < sizeof eh)
        return -ENOEXEC;
    memcpy(&eh, header, sizeof eh);
    if (memcmp(eh.ident, "\177ELF", 4) != 0)
        return -ENOEXEC; /* not ELF at all */
    if (eh.ident[4] != 2 || eh.ident[5] != 1)
        return -ENOEXEC; /* not 64-bit little-endian */
    if (eh.machine != EM_X86_64 || (eh.type != ET_EXEC && eh.type != ET_DYN))
        return -ENOEXEC;
    if (eh.phentsize != sizeof(struct elf64_phdr) || eh.phnum == 0 ||
        (u64)eh.phnum * eh.phentsize > ELF_PHDRS_MAX)
        return -ENOEXEC;
    u64 ph_end;
    if (!add_ok(eh.phoff, (u64)eh.phnum * eh.phentsize, &ph_end) || ph_end > header_len ||
        ph_end > file_size)
        return -ENOEXEC; /* program headers truncated or beyond what we read */

    out->load_bias = eh.type == ET_DYN ? dyn_bias : 0;
    out->entry = eh.entry + out->load_bias;
    out->phnum = eh.phnum;
    out->phentsize = eh.phentsize;
    out->lowest = ~0ull;
    u64 phdr_vaddr = 0;

    for (int i = 0; i < eh.phnum; i++) {
        struct elf64_phdr ph;
        memcpy(&ph, header + eh.phoff + (u64)i * sizeof ph, sizeof ph);
        if (ph.type == PT_INTERP && note_interpreter(&ph, file_size, out) < 0)
            return -ENOEXEC;
        if (ph.type == PT_PHDR)
            phdr_vaddr = ph.vaddr + out->load_bias;
        if (ph.type != PT_LOAD)
            continue;
        if (out->nsegments == ELF_MAX_SEGMENTS || ph.filesz > ph.memsz)
            return -ENOEXEC;
        u64 file_end, mem_end, vaddr = ph.vaddr + out->load_bias;
        if (!add_ok(ph.offset, ph.filesz, &file_end) || file_end > file_size)
            return -ENOEXEC; /* truncated file */
        if (vaddr < out->load_bias || !add_ok(vaddr, ph.memsz, &mem_end))
            return -EINVAL;
        if (vaddr < PAGE_SIZE || mem_end > USER_TOP - USER_STACK_LIMIT)
            return -EINVAL; /* outside user space (or where the stack goes) */
        if ((vaddr - ph.offset) % PAGE_SIZE != 0)
            return -EINVAL; /* file offset and address must agree within a page */
        out->segments[out->nsegments++] = (struct elf_segment){
            .vaddr = vaddr,
            .memsz = ph.memsz,
            .offset = ph.offset,
            .filesz = ph.filesz,
            .flags = ph.flags & (PF_R | PF_W | PF_X),
        };
        out->lowest = MIN(out->lowest, vaddr);
        out->highest = MAX(out->highest, mem_end);
        /* The program headers live in the segment that covers their file offset. */
        if (!phdr_vaddr && eh.phoff >= ph.offset && ph_end <= file_end)
            phdr_vaddr = vaddr + (eh.phoff - ph.offset);
    }
    if (out->nsegments == 0)
        return -ENOEXEC;
    bool entry_inside = false;
    for (int i = 0; i < out->nsegments; i++) {
        const struct elf_segment *s = &out->segments[i];
        if (out->entry >= s->vaddr && out->entry < s->vaddr + s->memsz && (s->flags & PF_X))
            entry_inside = true;
    }
    if (!entry_inside)
        return -ENOEXEC; /* the entry point is not in executable code */
    out->phdr_vaddr = phdr_vaddr;
    return 0;
}
