/* test_elf.c - the ELF header checker (proc/elf.c) on valid and corrupt headers. */
#include "proc/elf.h"
#include "kernel/errno.h"
#include "kernel/param.h"
#include "tests/unit/unit.h"

static unsigned char image[4096];
static struct elf64_ehdr *eh = (struct elf64_ehdr *)image;
static struct elf64_phdr *ph = (struct elf64_phdr *)(image + 64);
static const uint64_t file_size = 0x8000;

/* A small valid static executable: text at 0x401000 and data+bss at 0x403000. */
static void build_valid(void)
{
    memset(image, 0, sizeof image);
    memcpy(eh->ident, "\177ELF", 4);
    eh->ident[4] = 2; /* 64-bit */
    eh->ident[5] = 1; /* little-endian */
    eh->ident[6] = 1;
    eh->type = 2;     /* ET_EXEC */
    eh->machine = 62; /* x86-64 */
    eh->version = 1;
    eh->entry = 0x401000;
    eh->phoff = 64;
    eh->ehsize = 64;
    eh->phentsize = sizeof(struct elf64_phdr);
    eh->phnum = 3;
    ph[0] = (struct elf64_phdr){1, PF_R, 0, 0x400000, 0x400000, 0x200, 0x200, 0x1000};
    ph[1] = (struct elf64_phdr){1, PF_R | PF_X, 0x1000, 0x401000, 0x401000, 0x1800, 0x1800, 0x1000};
    ph[2] = (struct elf64_phdr){1, PF_R | PF_W, 0x3e18, 0x403e18, 0x403e18, 0x100, 0x900, 0x1000};
}

static struct elf_image out;

static int check(void) { return elf_check(image, sizeof image, file_size, &out); }

static void valid_executable_is_accepted(void)
{
    build_valid();
    CHECK_EQ(check(), 0);
    CHECK_EQ(out.nsegments, 3);
    CHECK_EQ(out.entry, 0x401000);
    CHECK_EQ(out.phdr_vaddr, 0x400040); /* the headers, inside the first segment */
    CHECK_EQ(out.phnum, 3);
    CHECK_EQ(out.segments[2].memsz, 0x900);
    CHECK_EQ(out.segments[1].flags, PF_R | PF_X);
    CHECK_EQ(out.lowest, 0x400000);
    CHECK_EQ(out.highest, 0x403e18 + 0x900);
    CHECK_EQ(out.load_bias, 0);
}

static void static_pie_gets_a_load_bias(void)
{
    build_valid();
    eh->type = 3; /* ET_DYN */
    for (int i = 0; i < 3; i++)
        ph[i].vaddr -= 0x400000;
    eh->entry -= 0x400000;
    CHECK_EQ(check(), 0);
    CHECK_EQ(out.load_bias, ELF_DYN_LOAD_BIAS);
    CHECK_EQ(out.entry, ELF_DYN_LOAD_BIAS + 0x1000);
}

static void bad_magic(void)
{
    build_valid();
    image[1] = 'X';
    CHECK_EQ(check(), -ENOEXEC);
}

static void not_64_bit(void)
{
    build_valid();
    eh->ident[4] = 1;
    CHECK_EQ(check(), -ENOEXEC);
}

static void big_endian(void)
{
    build_valid();
    eh->ident[5] = 2;
    CHECK_EQ(check(), -ENOEXEC);
}

static void wrong_machine(void)
{
    build_valid();
    eh->machine = 183; /* AArch64 */
    CHECK_EQ(check(), -ENOEXEC);
}

static void relocatable_object(void)
{
    build_valid();
    eh->type = 1; /* ET_REL: a .o file */
    CHECK_EQ(check(), -ENOEXEC);
}

static void truncated_header(void)
{
    build_valid();
    CHECK_EQ(elf_check(image, 40, file_size, &out), -ENOEXEC);
    CHECK_EQ(elf_check(image, sizeof image, 40, &out), -ENOEXEC);
}

static void program_headers_beyond_file(void)
{
    build_valid();
    eh->phoff = 0x7ff0;
    CHECK_EQ(check(), -ENOEXEC);
    build_valid();
    eh->phoff = ~0ull - 8; /* offset + size wraps around */
    CHECK_EQ(check(), -ENOEXEC);
}

static void wrong_phentsize_or_count(void)
{
    build_valid();
    eh->phentsize = 32;
    CHECK_EQ(check(), -ENOEXEC);
    build_valid();
    eh->phnum = 0;
    CHECK_EQ(check(), -ENOEXEC);
    build_valid();
    eh->phnum = 1000;
    CHECK_EQ(check(), -ENOEXEC);
}

/* Linux allows a page of program headers (73 of them), wherever they start. */
static unsigned char big[ELF_HEADERS_MAX];
static void many_program_headers(void)
{
    build_valid();
    memset(big, 0, sizeof big);
    memcpy(big, image, sizeof image);
    struct elf64_ehdr *e =
        (struct elf64_ehdr *)big; /* the headers after the first three are PT_NULL */
    e->phnum = 73;                /* 4088 bytes: past the first page, since they start at 64 */
    CHECK_EQ(elf_headers_end(big, sizeof big), 64 + 73 * sizeof(struct elf64_phdr));
    CHECK_EQ(elf_check(big, 64 + 73 * sizeof(struct elf64_phdr), file_size, &out), 0);
    CHECK_EQ(out.nsegments, 3);
    e->phnum = 74; /* 4144 bytes: too many */
    CHECK_EQ(elf_check(big, sizeof big, file_size, &out), -ENOEXEC);
    e->phnum = 1000;
    CHECK_EQ(elf_check(big, sizeof big, file_size, &out), -ENOEXEC);
    CHECK_EQ(elf_headers_end(big, 40), 0); /* too short to say */
}

static void segment_data_beyond_file(void)
{
    build_valid();
    ph[1].filesz = file_size; /* offset 0x1000 + whole file: past the end */
    ph[1].memsz = file_size;
    CHECK_EQ(check(), -ENOEXEC);
    build_valid();
    ph[1].offset = ~0ull - 0x10;
    CHECK_EQ(check(), -ENOEXEC);
}

static void filesz_larger_than_memsz(void)
{
    build_valid();
    ph[2].filesz = 0x1000;
    ph[2].memsz = 0x10;
    CHECK_EQ(check(), -ENOEXEC);
}

static void segment_in_kernel_space(void)
{
    build_valid();
    ph[2].vaddr = 0xffffffff80003e18;
    CHECK_EQ(check(), -EINVAL);
}

static void segment_wrapping_address_space(void)
{
    build_valid();
    ph[2].memsz = ~0ull - 0x1000;
    CHECK_EQ(check(), -EINVAL);
}

static void segment_at_page_zero(void)
{
    build_valid();
    ph[0].vaddr = 0; /* NULL must stay unmapped */
    CHECK_EQ(check(), -EINVAL);
}

static void misaligned_offset_and_address(void)
{
    build_valid();
    ph[2].vaddr = 0x403e00; /* offset 0x3e18 vs address 0x403e00: different page offsets */
    CHECK_EQ(check(), -EINVAL);
}

static void dynamic_executable_names_interpreter(void)
{
    build_valid();
    CHECK_EQ(check(), 0);
    CHECK_EQ(out.interp_size, 0); /* static */
    eh->phnum = 5;
    ph[3] = (struct elf64_phdr){3, PF_R, 0x200, 0x400200, 0, 0x1c, 0x1c, 1}; /* PT_INTERP */
    ph[4] = (struct elf64_phdr){3, PF_R, 0x300, 0x400300, 0, 0x10, 0x10, 1}; /* a second one */
    CHECK_EQ(check(), 0);
    CHECK_EQ(out.interp_offset, 0x200); /* the first counts */
    CHECK_EQ(out.interp_size, 0x1c);
    ph[3].filesz = 1; /* too short for a path and its NUL */
    CHECK_EQ(check(), -ENOEXEC);
    ph[3].filesz = 4097; /* longer than PATH_MAX */
    CHECK_EQ(check(), -ENOEXEC);
    ph[3].filesz = 0x1c;
    ph[3].offset = file_size - 4; /* past the end of the file */
    CHECK_EQ(check(), -ENOEXEC);
    ph[3].offset = ~0ull - 4; /* offset + size wraps */
    CHECK_EQ(check(), -ENOEXEC);
}

static void dynamic_bias(void)
{
    build_valid();
    eh->type = ET_DYN;
    CHECK_EQ(elf_check_at(image, sizeof image, file_size, 0x7f0000000000ull, &out), 0);
    CHECK_EQ(out.load_bias, 0x7f0000000000ull);
    CHECK_EQ(out.lowest, 0x7f0000400000ull);
    CHECK_EQ(elf_check_at(image, sizeof image, file_size, 0x7ffffff00000ull, &out), -EINVAL);
}

static void entry_outside_code(void)
{
    build_valid();
    eh->entry = 0x403e20; /* in data, not executable */
    CHECK_EQ(check(), -ENOEXEC);
    build_valid();
    eh->entry = 0x900000;
    CHECK_EQ(check(), -ENOEXEC);
}

static void no_loadable_segment(void)
{
    build_valid();
    for (int i = 0; i < 3; i++)
        ph[i].type = 4; /* PT_NOTE */
    CHECK_EQ(check(), -ENOEXEC);
}

static void random_bytes_never_crash(void)
{
    unsigned seed = 7;
    int accepted = 0;
    for (int round = 0; round < 20000; round++) {
        build_valid();
        /* Flip a few random bytes of the headers. */
        for (int k = 0; k < 4; k++) {
            seed = seed * 1103515245 + 12345;
            image[(seed >> 8) % (64 + 3 * sizeof(struct elf64_phdr))] = (unsigned char)(seed >> 20);
        }
        if (check() == 0) {
            accepted++;
            CHECK(out.nsegments >= 1 && out.nsegments <= ELF_MAX_SEGMENTS);
            for (int i = 0; i < out.nsegments; i++)
                CHECK(out.segments[i].vaddr + out.segments[i].memsz <= 0x00007FFFFFFFF000ull);
        }
    }
    CHECK(accepted > 0); /* some flips are harmless (e.g. in padding): not everything is rejected */
}

static const struct unit_case cases[] = {
    UNIT(valid_executable_is_accepted),
    UNIT(static_pie_gets_a_load_bias),
    UNIT(bad_magic),
    UNIT(not_64_bit),
    UNIT(big_endian),
    UNIT(wrong_machine),
    UNIT(relocatable_object),
    UNIT(truncated_header),
    UNIT(program_headers_beyond_file),
    UNIT(wrong_phentsize_or_count),
    UNIT(many_program_headers),
    UNIT(segment_data_beyond_file),
    UNIT(filesz_larger_than_memsz),
    UNIT(segment_in_kernel_space),
    UNIT(segment_wrapping_address_space),
    UNIT(segment_at_page_zero),
    UNIT(misaligned_offset_and_address),
    UNIT(dynamic_executable_names_interpreter),
    UNIT(dynamic_bias),
    UNIT(entry_outside_code),
    UNIT(no_loadable_segment),
    UNIT(random_bytes_never_crash),
};
UNIT_MAIN("unit.elf", cases)
