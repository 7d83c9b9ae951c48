/*
 * elf.h - checking an ELF64 executable before loading it.
 *
 * An executable file starts with the ELF header; its program headers list
 * the PT_LOAD segments: "put file bytes [offset, offset+filesz) at virtual
 * address vaddr, followed by zeros up to memsz, with these permissions".
 * elf_check() validates all of it against the file size, so a corrupt or
 * hostile file gives ENOEXEC/EINVAL instead of a crash.  Plain C: the host
 * unit tests feed it corrupt headers (tests/unit/test_elf.c).
 */
#ifndef PROC_ELF_H
#define PROC_ELF_H

#include "kernel/types.h"

/* The file's own structures (the System V ABI's Elf64_Ehdr and Elf64_Phdr). */
struct elf64_ehdr {
    u8 ident[16];
    u16 type, machine;
    u32 version;
    u64 entry, phoff, shoff;
    u32 flags;
    u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
    u32 type, flags;
    u64 offset, vaddr, paddr, filesz, memsz, align;
};

/* Byte offsets from the ELF specification. */
STATIC_ASSERT_OFFSET(struct elf64_ehdr, entry, 24);
STATIC_ASSERT_OFFSET(struct elf64_ehdr, phoff, 32);
STATIC_ASSERT_OFFSET(struct elf64_ehdr, phentsize, 54);
STATIC_ASSERT_OFFSET(struct elf64_ehdr, phnum, 56);
_Static_assert(sizeof(struct elf64_ehdr) == 64, "Elf64_Ehdr is 64 bytes");
STATIC_ASSERT_OFFSET(struct elf64_phdr, offset, 8);
STATIC_ASSERT_OFFSET(struct elf64_phdr, vaddr, 16);
STATIC_ASSERT_OFFSET(struct elf64_phdr, filesz, 32);
STATIC_ASSERT_OFFSET(struct elf64_phdr, memsz, 40);
_Static_assert(sizeof(struct elf64_phdr) == 56, "Elf64_Phdr is 56 bytes");

#define ET_EXEC 2
#define ET_DYN 3
#define ET_CORE 4 /* a core dump (proc/coredump.c) */
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_PHDR 6

#define ELF_MAX_SEGMENTS 16
#define ELF_HEADER_READ 4096 /* what exec reads first: the ELF header and usually all else */
/* Linux's limit on the program headers' total size: 64 KiB and one page
 * (load_elf_phdrs), so 73 headers of 56 bytes on x86-64. */
#define ELF_PHDRS_MAX 4096
/* The most exec reads to see every program header (they must start in the first page). */
#define ELF_HEADERS_MAX (ELF_HEADER_READ + ELF_PHDRS_MAX)

#define PF_X 1
#define PF_W 2
#define PF_R 4

struct elf_segment {
    u64 vaddr, memsz;   /* where, and how big in memory (with the load bias added) */
    u64 offset, filesz; /* what part of the file fills it */
    u32 flags;          /* PF_R | PF_W | PF_X */
};

struct elf_image {
    u64 entry;      /* first instruction (with the load bias) */
    u64 phdr_vaddr; /* where the program headers are in memory: auxv AT_PHDR */
    u16 phnum, phentsize;
    u64 load_bias; /* 0 for ET_EXEC; where a static-PIE (ET_DYN) is placed */
    int nsegments;
    struct elf_segment segments[ELF_MAX_SEGMENTS];
    u64 lowest, highest; /* address range covered by the segments */
    /* A dynamically linked program (PT_INTERP): where the interpreter's path is in the
     * file, and its length with the final NUL.  0 for a static program. */
    u64 interp_offset, interp_size;
};

#define ELF_DYN_LOAD_BIAS 0x555555554000ull /* where Linux puts PIE executables too */

/*
 * Check the executable whose first `header_len` bytes are `header` and whose
 * size is `file_size`; fill *out.  Returns 0, -ENOEXEC (not a valid x86-64
 * ELF executable: bad magic, class, machine, type, truncated headers, a bad
 * PT_INTERP) or -EINVAL (a segment outside user space).  An ET_DYN file is
 * placed at ELF_DYN_LOAD_BIAS.
 */
int elf_check(const u8 *header, size_t header_len, u64 file_size, struct elf_image *out);

/* The same, with an ET_DYN file placed at `dyn_bias` (the dynamic loader's base). */
int elf_check_at(const u8 *header, size_t header_len, u64 file_size, u64 dyn_bias,
                 struct elf_image *out);

/* How many bytes from the file's start elf_check needs: up to the end of the
 * program headers.  0 if `header` is too short to say or the sum wraps. */
u64 elf_headers_end(const u8 *header, size_t header_len);

#endif
