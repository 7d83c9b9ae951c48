/*
 * report.c - prof report: read a data file, name every address, count.
 *
 * A sample's own function is where the CPU was: the user function for a
 * sample in user mode, the innermost kernel function for one in the kernel.
 * The default report counts samples per (mode, command, function), most
 * first.  --folded prints one line per distinct stack in Brendan Gregg's
 * "folded" format, which tools/flamegraph (and his flamegraph.pl) draw:
 *
 *     command;user_function;outer_kernel_function_[k];...;inner_[k] count
 *
 * Kernel frames carry perf's "_[k]" suffix.  Only the innermost user
 * function is known (the kernel does not walk user stacks).
 */
#include "user/prof/prof.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PROGRAMS 64
#define MAX_FRAMES 16
#define TOP_ROWS 25

struct sample {
    int pid;
    char comm[16];
    int kernel;
    uint64_t user_rip;
    int depth;
    uint64_t chain[MAX_FRAMES];
};

struct program {
    int pid;
    char comm[16];
    char path[256];
    struct symtab symbols;
    int loaded; /* 1: symbols read, -1: could not */
};

static struct program programs[MAX_PROGRAMS];
static int program_count;
static struct symtab kernel_symbols;

/* A counted key: a function row or a folded stack. */
struct tally {
    char *key;
    long count;
};
static struct tally *tallies;
static size_t tally_count, tally_capacity;

static void count_key(const char *key)
{
    for (size_t i = 0; i < tally_count; i++) { /* few distinct keys: a list is enough */
        if (strcmp(tallies[i].key, key) == 0) {
            tallies[i].count++;
            return;
        }
    }
    if (tally_count == tally_capacity) {
        tally_capacity = tally_capacity ? tally_capacity * 2 : 64;
        tallies = realloc(tallies, tally_capacity * sizeof *tallies);
        if (!tallies) {
            perror("prof");
            exit(1);
        }
    }
    tallies[tally_count++] = (struct tally){strdup(key), 1};
}

static int by_count(const void *a, const void *b)
{
    const struct tally *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->key, y->key);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const struct tally *)a)->key, ((const struct tally *)b)->key);
}

static struct program *program_of(int pid, const char *comm)
{
    struct program *match = NULL;
    for (int i = 0; i < program_count; i++)
        if (programs[i].pid == pid && strcmp(programs[i].comm, comm) == 0)
            match = &programs[i];
    if (!match) { /* not seen alive: sprout's programs live in /bin */
        for (int i = 0; i < program_count; i++)
            if (strcmp(programs[i].comm, comm) == 0)
                return &programs[i];
        if (program_count == MAX_PROGRAMS)
            return NULL;
        match = &programs[program_count++];
        match->pid = pid;
        snprintf(match->comm, sizeof match->comm, "%s", comm);
        snprintf(match->path, sizeof match->path, "/bin/%s", comm);
    }
    if (!match->loaded)
        match->loaded = symtab_load_elf(&match->symbols, match->path) == 0 ? 1 : -1;
    return match;
}

static const char *user_name(const struct sample *s, char *buf, size_t size)
{
    struct program *p = program_of(s->pid, s->comm);
    const char *name = p && p->loaded > 0 ? symtab_lookup(&p->symbols, s->user_rip) : NULL;
    if (name)
        return name;
    snprintf(buf, size, "[unknown]");
    return buf;
}

/* Frame i of the kernel chain: 0 is where the CPU was, the rest return addresses. */
static const char *kernel_name(const struct sample *s, int i, char *buf, size_t size)
{
    uint64_t address = i == 0 ? s->chain[0] : s->chain[i] - 1; /* inside the call */
    const char *name = symtab_lookup(&kernel_symbols, address);
    if (name)
        return name;
    snprintf(buf, size, "0x%llx", (unsigned long long)address);
    return buf;
}

static int parse_sample(char *line, struct sample *s)
{
    char mode;
    int used = 0;
    unsigned long long rip;
    if (sscanf(line, "s %d %*d %15s %c %llx%n", &s->pid, s->comm, &mode, &rip, &used) != 4)
        return -1;
    s->kernel = mode == 'k';
    s->user_rip = rip;
    s->depth = 0;
    char *p = line + used;
    unsigned long long address;
    int n;
    while (s->depth < MAX_FRAMES && sscanf(p, " %llx%n", &address, &n) == 1) {
        s->chain[s->depth++] = address;
        p += n;
    }
    return s->kernel && s->depth == 0 ? -1 : 0;
}

int prof_report(int argc, char **argv)
{
    int folded = 0;
    const char *path = PROF_DEFAULT_FILE;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--folded") == 0)
            folded = 1;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: prof report [--folded] [FILE]\n");
            return 2;
        } else
            path = argv[i];
    }
    FILE *in = fopen(path, "r");
    if (!in) {
        perror(path);
        return 1;
    }
    if (symtab_load_kallsyms(&kernel_symbols, "/proc/kallsyms") < 0)
        fprintf(stderr, "prof: no /proc/kallsyms: kernel addresses stay numbers\n");

    char line[1024], buf[32], key[1024];
    unsigned hz = 0;
    unsigned long long recorded = 0, dropped = 0, interrupts = 0;
    long total = 0, in_kernel = 0;
    struct sample s;
    while (fgets(line, sizeof line, in)) {
        struct program *p = &programs[program_count];
        if (sscanf(line, "hz %u", &hz) == 1 ||
            sscanf(line, "stats %llu %llu %llu", &recorded, &dropped, &interrupts) == 3)
            continue;
        if (program_count < MAX_PROGRAMS &&
            sscanf(line, "exe %d %15s %255s", &p->pid, p->comm, p->path) == 3) {
            program_count++;
            continue;
        }
        if (parse_sample(line, &s) < 0)
            continue;
        total++;
        in_kernel += s.kernel;
        const char *user = user_name(&s, buf, sizeof buf);
        if (!folded) {
            snprintf(key, sizeof key, "%-6s %-15s %s", s.kernel ? "kernel" : "user", s.comm,
                     s.kernel ? kernel_name(&s, 0, buf, sizeof buf) : user);
        } else {
            int n = snprintf(key, sizeof key, "%s;%s", s.comm, user);
            for (int i = s.depth - 1; i >= 0 && n < (int)sizeof key; i--)
                n += snprintf(key + n, sizeof key - n, ";%s_[k]",
                              kernel_name(&s, i, buf, sizeof buf));
        }
        count_key(key);
    }
    fclose(in);

    if (folded) {
        qsort(tallies, tally_count, sizeof *tallies, by_key);
        for (size_t i = 0; i < tally_count; i++)
            printf("%s %ld\n", tallies[i].key, tallies[i].count);
        return 0;
    }
    qsort(tallies, tally_count, sizeof *tallies, by_count);
    printf("# %ld samples: %ld user, %ld kernel; %llu dropped; %u Hz\n", total, total - in_kernel,
           in_kernel, dropped, hz);
    printf("# overhead  samples  mode   command         function\n");
    for (size_t i = 0; i < tally_count && i < TOP_ROWS; i++)
        printf("%9.2f%% %8ld  %s\n", total ? 100.0 * tallies[i].count / total : 0.0,
               tallies[i].count, tallies[i].key);
    if (tally_count > TOP_ROWS)
        printf("  ... %zu more\n", tally_count - TOP_ROWS);
    return 0;
}
