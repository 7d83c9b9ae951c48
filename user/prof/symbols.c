/* symbols.c - name addresses: an executable's ELF symbol table, the kernel's /proc/kallsyms. */
#include "user/prof/prof.h"
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_address(const void *a, const void *b)
{
    const struct symbol *x = a, *y = b;
    return x->address < y->address ? -1 : x->address > y->address;
}

static int add_symbol(struct symtab *table, size_t *capacity, uint64_t address, uint64_t size,
                      const char *name)
{
    if (table->count == *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 256;
        struct symbol *more = realloc(table->symbols, grown * sizeof *more);
        if (!more)
            return -1;
        table->symbols = more;
        *capacity = grown;
    }
    char *copy = strdup(name);
    if (!copy)
        return -1;
    table->symbols[table->count++] = (struct symbol){address, size, copy};
    return 0;
}

/* The whole file in memory (static programs are small), or NULL. */
static unsigned char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *data = NULL;
    size_t used = 0, capacity = 0, n;
    do {
        if (used == capacity) {
            capacity = capacity ? capacity * 2 : 65536;
            unsigned char *more = realloc(data, capacity);
            if (!more) {
                free(data);
                fclose(f);
                return NULL;
            }
            data = more;
        }
        n = fread(data + used, 1, capacity - used, f);
        used += n;
    } while (n > 0);
    fclose(f);
    *size = used;
    return data;
}

int symtab_load_elf(struct symtab *table, const char *path)
{
    size_t size, capacity = 0;
    unsigned char *data = read_file(path, &size);
    table->symbols = NULL;
    table->count = 0;
    if (!data)
        return -1;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)data;
    int result = -1;
    if (size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
        eh->e_shoff > size || eh->e_shnum > (size - eh->e_shoff) / sizeof(Elf64_Shdr))
        goto out;
    const Elf64_Shdr *sections = (const Elf64_Shdr *)(data + eh->e_shoff);
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        const Elf64_Shdr *sh = &sections[i];
        if (sh->sh_type != SHT_SYMTAB || sh->sh_link >= eh->e_shnum)
            continue;
        const Elf64_Shdr *strings = &sections[sh->sh_link];
        if (sh->sh_offset > size || sh->sh_size > size - sh->sh_offset ||
            strings->sh_offset > size || strings->sh_size > size - strings->sh_offset)
            goto out;
        const Elf64_Sym *syms = (const Elf64_Sym *)(data + sh->sh_offset);
        const char *names = (const char *)data + strings->sh_offset;
        for (size_t j = 0; j < sh->sh_size / sizeof(Elf64_Sym); j++) {
            const Elf64_Sym *sym = &syms[j];
            if (ELF64_ST_TYPE(sym->st_info) != STT_FUNC || sym->st_value == 0 ||
                sym->st_name >= strings->sh_size)
                continue;
            const char *name = names + sym->st_name;
            if (memchr(name, '\0', strings->sh_size - sym->st_name) == NULL)
                continue;
            if (add_symbol(table, &capacity, sym->st_value, sym->st_size, name) < 0)
                goto out;
        }
    }
    qsort(table->symbols, table->count, sizeof *table->symbols, by_address);
    result = 0;
out:
    free(data);
    if (result < 0)
        symtab_free(table);
    return result;
}

void symtab_free(struct symtab *table)
{
    for (size_t i = 0; i < table->count; i++)
        free(table->symbols[i].name);
    free(table->symbols);
    table->symbols = NULL;
    table->count = 0;
}

int symtab_load_kallsyms(struct symtab *table, const char *path)
{
    size_t capacity = 0;
    table->symbols = NULL;
    table->count = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256], name[200], type;
    unsigned long long address;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%llx %c %199s", &address, &type, name) != 3)
            continue;
        /* nasm's local labels ("..@4.off") are places inside a function, not functions */
        if (strncmp(name, "..@", 3) == 0)
            continue;
        if (add_symbol(table, &capacity, address, 0, name) < 0)
            break;
    }
    fclose(f);
    qsort(table->symbols, table->count, sizeof *table->symbols, by_address);
    return 0;
}

const char *symtab_lookup(const struct symtab *table, uint64_t address)
{
    size_t lo = 0, hi = table->count;
    if (hi == 0 || address < table->symbols[0].address)
        return NULL;
    while (hi - lo > 1) { /* the last symbol at or below the address */
        size_t mid = (lo + hi) / 2;
        if (table->symbols[mid].address <= address)
            lo = mid;
        else
            hi = mid;
    }
    const struct symbol *s = &table->symbols[lo];
    if (s->size && address >= s->address + s->size)
        return NULL; /* in a gap between functions */
    return s->name;
}
