/*
 * test_user_prof.c - prof's symbol tables (user/prof/symbols.c) on the host:
 * a static musl program's ELF symbols, truncated and corrupted copies of it
 * (no read past the end: AddressSanitizer watches), and /proc/kallsyms lines.
 */
#include "user/prof/symbols.c"
#include "tests/unit/unit.h"

#define TARGET "build/tests/user/proftarget" /* built by make user-tests */

static const struct symbol *find(const struct symtab *table, const char *name)
{
    for (size_t i = 0; i < table->count; i++)
        if (strcmp(table->symbols[i].name, name) == 0)
            return &table->symbols[i];
    return NULL;
}

static void elf_functions_found(void)
{
    struct symtab table;
    CHECK_EQ(symtab_load_elf(&table, TARGET), 0);
    const struct symbol *hot = find(&table, "hot_loop"), *cold = find(&table, "cold_loop");
    CHECK(hot != NULL && cold != NULL && find(&table, "main") != NULL);
    CHECK(hot->address >= 0x400000 && hot->size > 0);
    CHECK_STR(symtab_lookup(&table, hot->address), "hot_loop");
    CHECK_STR(symtab_lookup(&table, hot->address + hot->size - 1), "hot_loop");
    CHECK_STR(symtab_lookup(&table, cold->address + 1), "cold_loop");
    CHECK(symtab_lookup(&table, 0x1000) == NULL); /* below every function */
    CHECK(find(&table, "sink") == NULL);          /* a variable, not a function */
    for (size_t i = 1; i < table.count; i++)
        CHECK(table.symbols[i - 1].address <= table.symbols[i].address);
    symtab_free(&table);
}

static void elf_bad_files_refused(void)
{
    struct symtab table;
    CHECK_EQ(symtab_load_elf(&table, "/no/such/file"), -1);
    size_t size;
    unsigned char *data = read_file(TARGET, &size);
    CHECK(data != NULL && size > 4096);
    const char *copy = "build/unit/prof-truncated.elf";
    /* Cut at many places, and with the section table pointing past the end. */
    for (size_t cut = 0; cut < size; cut += size / 37 + 1) {
        FILE *f = fopen(copy, "wb");
        CHECK(f != NULL);
        fwrite(data, 1, cut, f);
        fclose(f);
        int r = symtab_load_elf(&table, copy);
        CHECK(r == -1 || r == 0); /* either is fine; reading out of bounds is not */
        symtab_free(&table);
    }
    Elf64_Ehdr *eh = (Elf64_Ehdr *)data;
    eh->e_shoff = size - 8;
    FILE *f = fopen(copy, "wb");
    fwrite(data, 1, size, f);
    fclose(f);
    CHECK_EQ(symtab_load_elf(&table, copy), -1);
    remove(copy);
    free(data);
}

static void kallsyms_parsed(void)
{
    const char *path = "build/unit/prof-kallsyms.txt";
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fputs("ffffffff80100200 T second\n"
          "ffffffff80100000 T first\n"
          "ffffffff80100210 T ..@4.off\n" /* a nasm label inside `second` */
          "garbage line\n",
          f);
    fclose(f);
    struct symtab table;
    CHECK_EQ(symtab_load_kallsyms(&table, path), 0);
    CHECK_EQ(table.count, 2);
    CHECK_STR(symtab_lookup(&table, 0xffffffff80100100ull), "first");
    CHECK_STR(symtab_lookup(&table, 0xffffffff80100214ull), "second");
    CHECK(symtab_lookup(&table, 0xffffffff800fffffull) == NULL);
    symtab_free(&table);
    remove(path);
}

static const struct unit_case cases[] = {
    UNIT(elf_functions_found),
    UNIT(elf_bad_files_refused),
    UNIT(kallsyms_parsed),
};
UNIT_MAIN("prof", cases)
