/*
 * test_asm_constants.c - kernel/asm_constants.inc says what the C code says.
 *
 * The assembly cannot include C headers, so its numbers are written down a
 * second time in kernel/asm_constants.inc.  This test reads that file (run it
 * from the top of the repository, as tests/run-all does) and compares each
 * `NAME equ VALUE` line with the C definition or offsetof() it stands for.
 */
#include "kernel/cpu.h"
#include "kernel/gdt.h"
#include "kernel/interrupts.h"
#include "kernel/x86.h"
#include "mm/layout.h"
#include "tests/unit/unit.h"

#include <stdlib.h>

#define INC_PATH "kernel/asm_constants.inc"

struct expected {
    const char *name;
    unsigned long long value;
};

static const struct expected expected[] = {
    {"TRAP_FRAME_RBP", offsetof(struct trap_frame, rbp)},
    {"TRAP_FRAME_R11", offsetof(struct trap_frame, r11)},
    {"TRAP_FRAME_RCX", offsetof(struct trap_frame, rcx)},
    {"TRAP_FRAME_ORIG_RAX", offsetof(struct trap_frame, orig_rax)},
    {"TRAP_FRAME_VECTOR", offsetof(struct trap_frame, vector)},
    {"TRAP_FRAME_RIP", offsetof(struct trap_frame, rip)},
    {"TRAP_FRAME_CS", offsetof(struct trap_frame, cs)},
    {"TRAP_FRAME_RFLAGS", offsetof(struct trap_frame, rflags)},
    {"TRAP_FRAME_RSP", offsetof(struct trap_frame, rsp)},
    {"CPU_SYSCALL_KERNEL_RSP", offsetof(struct cpu, syscall_kernel_rsp)},
    {"CPU_SYSCALL_USER_RSP", offsetof(struct cpu, syscall_user_rsp)},
    {"GDT_USER_DATA", GDT_USER_DATA},
    {"GDT_USER_CODE", GDT_USER_CODE},
    {"VEC_SYSCALL", VEC_SYSCALL},
    {"USER_TOP", USER_TOP},
    {"RFLAGS_TF", RFLAGS_TF},
    {"RFLAGS_RF", RFLAGS_RF},
};

struct equ {
    char name[64];
    unsigned long long value;
    int line;
};

static struct equ equs[64];
static int nequs = -1; /* -1: the file could not be read */

/* Collect the `NAME equ VALUE` lines (comments start with ';'). */
static void read_inc(void)
{
    FILE *f = fopen(INC_PATH, "r");
    if (!f)
        return;
    nequs = 0;
    char line[256];
    for (int number = 1; fgets(line, sizeof line, f); number++) {
        char name[64], keyword[8], value[64];
        if (line[0] == ';' || sscanf(line, "%63s %7s %63s", name, keyword, value) != 3 ||
            strcmp(keyword, "equ") != 0 || nequs == (int)(sizeof equs / sizeof equs[0]))
            continue;
        snprintf(equs[nequs].name, sizeof equs[nequs].name, "%s", name);
        equs[nequs].value = strtoull(value, NULL, 0);
        equs[nequs].line = number;
        nequs++;
    }
    fclose(f);
}

static const struct equ *find_equ(const char *name)
{
    for (int i = 0; i < nequs; i++)
        if (strcmp(equs[i].name, name) == 0)
            return &equs[i];
    return NULL;
}

static void file_is_readable(void)
{
    read_inc();
    CHECK(nequs > 0); /* run from the top of the repository */
}

static void every_value_matches_c(void)
{
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        const struct equ *e = find_equ(expected[i].name);
        char why[256];
        if (!e) {
            snprintf(why, sizeof why, "%s is missing from " INC_PATH, expected[i].name);
            unit_fail(__FILE__, __LINE__, why);
        } else if (e->value != expected[i].value) {
            snprintf(why, sizeof why, INC_PATH ":%d: %s is %#llx, the C code says %#llx", e->line,
                     e->name, e->value, expected[i].value);
            unit_fail(__FILE__, __LINE__, why);
        }
    }
}

static void every_line_is_checked(void)
{
    for (int i = 0; i < nequs; i++) {
        bool known = false;
        for (size_t j = 0; j < sizeof expected / sizeof expected[0]; j++)
            known |= strcmp(expected[j].name, equs[i].name) == 0;
        if (!known) {
            char why[256];
            snprintf(why, sizeof why, INC_PATH ":%d: %s has no C counterpart in this test",
                     equs[i].line, equs[i].name);
            unit_fail(__FILE__, __LINE__, why);
        }
    }
}

static const struct unit_case cases[] = {
    UNIT(file_is_readable),
    UNIT(every_value_matches_c),
    UNIT(every_line_is_checked),
};
UNIT_MAIN("asm_constants", cases)
