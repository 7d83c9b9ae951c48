/*
 * cmdline.h - the kernel command line: `key=value` words from GRUB.
 *
 *   loglevel=4 sched=mlfq quantum=20 "run=/bin/echo hello world"
 *
 * Words are separated by spaces; double quotes group spaces into a word and
 * a backslash escapes the next character (that is how GRUB passes a word
 * with spaces).  Each word is `key=value` or a bare `flag`.  Unknown keys
 * are reported at boot and otherwise ignored.  Plain C: tested on the host.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include "kernel/types.h"

#define CMDLINE_MAX_OPTIONS 32
#define CMDLINE_BUFFER 1024

struct cmdline {
    char buffer[CMDLINE_BUFFER]; /* keys and values, NUL-separated */
    int count;
    const char *keys[CMDLINE_MAX_OPTIONS];
    const char *values[CMDLINE_MAX_OPTIONS]; /* "" for a bare word */
    bool truncated;                          /* too long or too many words */
};

struct cmdline_key {
    const char *key;
    const char *help;
};
/* The keys sprout understands, ending with {NULL, NULL}. */
extern const struct cmdline_key cmdline_known_keys[];

void cmdline_parse(const char *text, struct cmdline *out);
/* The value of the last `key=...`, or NULL when absent. */
const char *cmdline_lookup(const struct cmdline *c, const char *key);
bool cmdline_is_known(const char *key);
/* Parse a decimal number; false unless the whole string is one. */
bool cmdline_parse_u64(const char *s, u64 *value);
/* Parse a size: bytes, with an optional K, M or G suffix (powers of 1024),
 * or "N%" of `whole`.  False if malformed, zero, over 100% or overflowing. */
bool cmdline_parse_size(const char *s, u64 whole, u64 *bytes);

/* The booted kernel's command line (kernel/main.c fills it). */
extern struct cmdline boot_cmdline;
/* Shorthand for cmdline_lookup(&boot_cmdline, key). */
const char *boot_option(const char *key);

#endif
