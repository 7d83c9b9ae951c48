/* cmdline.c - split the command line into options. */
#include "kernel/cmdline.h"
#include "kernel/lib/string.h"

const struct cmdline_key cmdline_known_keys[] = {
    {"init", "program to run as PID 1 (default /bin/init)"},
    {"run", "program (and arguments) for init to run instead of the shell, then power off"},
    {"root", "root file system: /dev/vda (ext2 on the disk; the default with a disk) or initrd"},
    {"sched", "scheduling policy: rr (default) or another registered name"},
    {"quantum", "time slice in milliseconds (default 10)"},
    {"idle_poll", "microseconds an idle CPU polls its run queue before it halts (default 0)"},
    {"loglevel", "console log level 0-8: show messages below this level (default 7)"},
    {"ktest", "run in-kernel tests at boot: all, or a test-name prefix; then power off"},
    {"crash", "deliberately crash the kernel at boot: null (NULL dereference), panic, panic-ap (on "
              "CPU 1), ..."},
    {"schedtrace", "1: record every context switch in /proc/schedtrace from boot"},
    {"quiet", "only warnings and errors on the console (loglevel=4)"},
    {"apic",
     "off: the legacy 8259 PIC and the PIT, one CPU (default: the APICs when ACPI has a MADT)"},
    {"acpi", "off: ignore the ACPI tables (no MADT: one CPU, the legacy PIC)"},
    {"swap", "swap area to activate at boot: a block device made by mkswap (vdb or /dev/vdb)"},
    {"tmpfs_size", "size limit of /tmp and /dev/shm: bytes with K/M/G, or N% of RAM (default 50%)"},
    {NULL, NULL},
};

struct cmdline boot_cmdline;

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

void cmdline_parse(const char *text, struct cmdline *out)
{
    memset(out, 0, sizeof *out);
    size_t used = 0;
    const char *p = text;

    while (true) {
        while (is_space(*p))
            p++;
        if (!*p)
            return;
        if (out->count == CMDLINE_MAX_OPTIONS) {
            out->truncated = true;
            return;
        }
        /* Copy one word, removing quotes and backslash escapes (GRUB quotes
         * a word that contains spaces and escapes \ ' " inside it). */
        size_t word = used;
        bool quoted = false;
        for (; *p && (quoted || !is_space(*p)); p++) {
            if (*p == '"') {
                quoted = !quoted;
                continue;
            }
            if (*p == '\\' && p[1])
                p++;
            if (used + 2 >= sizeof out->buffer) { /* room for this byte and the NUL */
                out->truncated = true;
                return;
            }
            out->buffer[used++] = *p;
        }
        out->buffer[used++] = '\0';
        /* Split at the first '=': "key=value", or a bare "flag" with value "". */
        char *key = &out->buffer[word];
        char *equals = strchr(key, '=');
        if (equals)
            *equals = '\0';
        out->keys[out->count] = key;
        out->values[out->count] = equals ? equals + 1 : &out->buffer[used - 1];
        out->count++;
    }
}

const char *cmdline_lookup(const struct cmdline *c, const char *key)
{
    for (int i = c->count - 1; i >= 0; i--)
        if (strcmp(c->keys[i], key) == 0)
            return c->values[i];
    return NULL;
}

bool cmdline_is_known(const char *key)
{
    for (const struct cmdline_key *k = cmdline_known_keys; k->key; k++)
        if (strcmp(k->key, key) == 0)
            return true;
    return false;
}

bool cmdline_parse_u64(const char *s, u64 *value)
{
    if (!s || !*s)
        return false;
    u64 v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        u64 next = v * 10 + (u64)(*s - '0');
        if (next / 10 != v)
            return false; /* overflow */
        v = next;
    }
    *value = v;
    return true;
}

bool cmdline_parse_size(const char *s, u64 whole, u64 *bytes)
{
    if (!s || *s < '0' || *s > '9')
        return false;
    u64 value = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        u64 next = value * 10 + (u64)(*s - '0');
        if (next / 10 != value)
            return false; /* overflow */
        value = next;
    }
    int shift = *s == 'K' || *s == 'k'   ? 10
                : *s == 'M' || *s == 'm' ? 20
                : *s == 'G' || *s == 'g' ? 30
                                         : 0;
    if (*s == '%') {
        if (value > 100)
            return false;
        value = whole / 100 * value;
        s++;
    } else if (shift) {
        if (value > (~0ull >> shift))
            return false;
        value <<= shift;
        s++;
    }
    if (*s || value == 0)
        return false;
    *bytes = value;
    return true;
}

const char *boot_option(const char *key) { return cmdline_lookup(&boot_cmdline, key); }
