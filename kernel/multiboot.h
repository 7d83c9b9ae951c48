/*
 * multiboot.h - what the boot loader tells the kernel: memory map, command
 * line, modules.
 *
 * GRUB hands over a list of tags (Multiboot2 specification, section 3.6).
 * QEMU's own loader (`qemu -kernel`, what tools/run-qemu boots) speaks only
 * Multiboot 1: one structure of fields and pointers (specification 0.6.96,
 * section 3.3).  Both parsers check every length and address before trusting
 * it, and copy what sprout needs into a struct boot_info, so nothing later
 * reads the loader's memory.  They are plain C without hardware access, so
 * tests/unit feeds them bad input.
 */
#ifndef KERNEL_MULTIBOOT_H
#define KERNEL_MULTIBOOT_H

#include "kernel/types.h"

#define MULTIBOOT2_BOOT_MAGIC 0x36D76289
#define MULTIBOOT1_BOOT_MAGIC 0x2BADB002

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_MMAP 6
#define MB2_TAG_ACPI_OLD 14 /* a copy of the ACPI 1.0 RSDP (20 bytes) */
#define MB2_TAG_ACPI_NEW 15 /* a copy of the ACPI 2.0+ RSDP (36 bytes, with the XSDT's address) */

#define MEMORY_AVAILABLE 1 /* memory-map entry types, as in the spec (and E820) */
#define MEMORY_ACPI_RECLAIMABLE 3
#define MEMORY_NVS 4
#define MEMORY_BAD 5

#define BOOT_MAX_REGIONS 64
#define BOOT_MAX_MODULES 8
#define BOOT_CMDLINE_MAX 1024

struct memory_region {
    u64 base;
    u64 length;
    u32 type;
};

struct boot_module {
    u64 start, end; /* physical, end exclusive */
    char name[64];  /* GRUB's string for the module (the file name we gave) */
};

struct boot_info {
    char cmdline[BOOT_CMDLINE_MAX];
    char loader_name[64];
    struct memory_region regions[BOOT_MAX_REGIONS];
    int region_count;
    struct boot_module modules[BOOT_MAX_MODULES];
    int module_count;
    u64 info_start, info_end; /* where GRUB put the tags: do not reuse until parsed */
    u8 rsdp[36];              /* GRUB's copy of the ACPI RSDP (kernel/arch/acpi.c) */
    u32 rsdp_length;          /* 0: GRUB gave none; 20: ACPI 1.0; 36: 2.0+ */
};

/*
 * Parse the tag list at `info`, of at most `available` readable bytes, into
 * *out.  Returns 0, or -1 with *error set to a sentence saying what was wrong.
 */
int multiboot_parse(const void *info, size_t available, struct boot_info *out, const char **error);

/*
 * Parse Multiboot 1 information at physical address `info_phys`, where
 * physical memory [0, memory_size) is readable at `memory` (every pointer in
 * it is physical).  The command line loses its first word, the kernel's file
 * name.  Returns 0, or -1 with *error set to a sentence saying what was wrong.
 */
int multiboot1_parse(const void *memory, size_t memory_size, u64 info_phys, struct boot_info *out,
                     const char **error);

const char *memory_type_name(u32 type);

#endif
