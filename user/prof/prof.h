/*
 * prof.h - the pieces of `prof`, sprout's sampling profiler (docs/prof.md).
 *
 *   prof record [-F HZ] [-o FILE] CMD ARGS...   run CMD, sample it into FILE
 *   prof report [--folded] [FILE]               the top functions, or folded stacks
 *
 * FILE (prof.data unless -o says otherwise) is text, one line each:
 *   hz 1024
 *   exe PID COMM PATH                  the program a process ran (for its symbols)
 *   s PID TID COMM u USER_RIP          a sample in user mode
 *   s PID TID COMM k USER_RIP K0 K1..  in the kernel: K0 where it was, then return addresses
 *   stats SAMPLES DROPPED INTERRUPTS
 * Addresses are hexadecimal without 0x.
 */
#ifndef USER_PROF_PROF_H
#define USER_PROF_PROF_H

#include <stddef.h>
#include <stdint.h>

#define PROF_DEFAULT_FILE "prof.data"

int prof_record(int argc, char **argv);
int prof_report(int argc, char **argv);

/* A symbol table: functions sorted by address. */
struct symbol {
    uint64_t address, size; /* size 0: up to the next symbol */
    char *name;
};
struct symtab {
    struct symbol *symbols;
    size_t count;
};

/* The functions of a static ELF executable (its .symtab); 0, or -1 if unreadable. */
int symtab_load_elf(struct symtab *table, const char *path);
/* The kernel's functions from /proc/kallsyms. */
int symtab_load_kallsyms(struct symtab *table, const char *path);
/* Free what a load made (also after a failed load). */
void symtab_free(struct symtab *table);
/* The name of the function holding `address`, or NULL. */
const char *symtab_lookup(const struct symtab *table, uint64_t address);

#endif
