/*
 * procfs_pid.c - parsing the per-process files of /proc: stat, status,
 * cmdline, maps, fdinfo.  Pure string functions: nothing here opens a file,
 * so tests/unit/test_user_procfs.c can feed them canned text.
 */
#include "user/lib/procfs.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Reads one signed decimal number at *cursor, which must be preceded by
 * exactly one space, and advances past it.  Returns 0 or -EINVAL.
 */
static int next_number(const char **cursor, long long *number)
{
    const char *p = *cursor;
    char *end;

    if (*p != ' ' || !(isdigit((unsigned char)p[1]) || p[1] == '-'))
        return -EINVAL;
    errno = 0;
    *number = strtoll(p + 1, &end, 10);
    if (errno == ERANGE && p[1] != '-') { /* rsslim (field 25) is often 2^64 - 1 */
        errno = 0;
        *number = (long long)strtoull(p + 1, &end, 10);
    }
    if (errno || (*end != ' ' && *end != '\n' && *end != '\0'))
        return -EINVAL;
    *cursor = end;
    return 0;
}

/*
 * The fields of /proc/PID/stat we read, numbered as in `man 5 proc`.
 * Fields 1..3 are pid, (comm) and state; everything after is a number.
 */
enum {
    STAT_PPID = 4,
    STAT_PGRP = 5,
    STAT_SESSION = 6,
    STAT_TTY_NR = 7,
    STAT_TPGID = 8,
    STAT_MINFLT = 10,
    STAT_MAJFLT = 12,
    STAT_UTIME = 14,
    STAT_STIME = 15,
    STAT_PRIORITY = 18,
    STAT_NICE = 19,
    STAT_NUM_THREADS = 20,
    STAT_STARTTIME = 22,
    STAT_VSIZE = 23,
    STAT_RSS = 24,
    STAT_LAST_NEEDED = STAT_RSS,
    STAT_PROCESSOR = 39, /* optional: an older or shorter line leaves -1 */
};

int procfs_parse_pid_stat(const char *text, struct proc_stat *stat)
{
    long long field[STAT_LAST_NEEDED + 1];
    const char *comm_open, *comm_close, *cursor;
    char *end;

    memset(stat, 0, sizeof *stat);
    errno = 0;
    long pid = strtol(text, &end, 10);
    if (end == text || errno || pid < 0 || end[0] != ' ' || end[1] != '(')
        return -EINVAL;
    /*
     * comm is whatever the program called itself and may contain spaces
     * and parentheses: "(a) (b)" is a valid comm.  No later field can
     * hold a ')', so the LAST ')' of the line is the one that ends comm.
     */
    comm_open = end + 1;
    comm_close = strrchr(comm_open, ')');
    if (!comm_close)
        return -EINVAL;
    size_t comm_length = (size_t)(comm_close - comm_open - 1);
    if (comm_length >= sizeof stat->comm)
        comm_length = sizeof stat->comm - 1;
    memcpy(stat->comm, comm_open + 1, comm_length);
    stat->comm[comm_length] = '\0';

    if (comm_close[1] != ' ' || !isalpha((unsigned char)comm_close[2]))
        return -EINVAL;
    stat->state = comm_close[2];
    cursor = comm_close + 3;
    for (int i = STAT_PPID; i <= STAT_LAST_NEEDED; i++)
        if (next_number(&cursor, &field[i]) < 0)
            return -EINVAL;

    stat->pid = (int)pid;
    stat->ppid = (int)field[STAT_PPID];
    stat->pgrp = (int)field[STAT_PGRP];
    stat->session = (int)field[STAT_SESSION];
    stat->tty_nr = (int)field[STAT_TTY_NR];
    stat->tpgid = (int)field[STAT_TPGID];
    stat->minflt = (unsigned long long)field[STAT_MINFLT];
    stat->majflt = (unsigned long long)field[STAT_MAJFLT];
    stat->utime = (unsigned long long)field[STAT_UTIME];
    stat->stime = (unsigned long long)field[STAT_STIME];
    stat->priority = (long)field[STAT_PRIORITY];
    stat->nice = (long)field[STAT_NICE];
    stat->num_threads = (long)field[STAT_NUM_THREADS];
    stat->starttime = (unsigned long long)field[STAT_STARTTIME];
    stat->vsize = (unsigned long long)field[STAT_VSIZE];
    stat->rss = field[STAT_RSS];
    long long value = -1;
    int i = STAT_LAST_NEEDED + 1;
    for (; i <= STAT_PROCESSOR && next_number(&cursor, &value) == 0; i++)
        ;
    stat->processor = i > STAT_PROCESSOR ? (int)value : -1;
    return 0;
}

const char *procfs_next_line(const char *line)
{
    const char *newline = strchr(line, '\n');

    return newline && newline[1] ? newline + 1 : NULL;
}

int procfs_key_value(const char *text, const char *key, char *value, size_t size)
{
    size_t key_length = strlen(key);

    for (const char *line = text; line; line = procfs_next_line(line)) {
        if (strncmp(line, key, key_length) != 0 || line[key_length] != ':')
            continue;
        const char *start = line + key_length + 1;
        while (*start == ' ' || *start == '\t')
            start++;
        size_t length = strcspn(start, "\n");
        if (size == 0)
            return 0;
        if (length >= size)
            length = size - 1;
        memcpy(value, start, length);
        value[length] = '\0';
        return 0;
    }
    return -ENOENT;
}

int procfs_key_number(const char *text, const char *key, int base, unsigned long long *number)
{
    char value[64];
    char *end;
    int err = procfs_key_value(text, key, value, sizeof value);

    if (err < 0)
        return err;
    if (!isxdigit((unsigned char)value[0]))
        return -EINVAL;
    errno = 0;
    *number = strtoull(value, &end, base);
    if (errno || end == value || (*end && !isspace((unsigned char)*end)))
        return -EINVAL;
    return 0;
}

size_t procfs_join_cmdline(const char *data, size_t length, char *out, size_t size)
{
    size_t used = 0;

    if (size == 0)
        return 0;
    /* The last argument ends with a NUL too; it is not a separator. */
    while (length > 0 && data[length - 1] == '\0')
        length--;
    for (size_t i = 0; i < length && used + 1 < size; i++) {
        unsigned char c = (unsigned char)data[i];
        out[used++] = c == '\0' ? ' ' : isprint(c) ? (char)c : '?';
    }
    out[used] = '\0';
    return used;
}

/* Reads a hexadecimal number at *cursor followed by `separator`; advances past both. */
static int next_hex(const char **cursor, char separator, unsigned long long *number)
{
    char *end;

    if (!isxdigit((unsigned char)**cursor))
        return -EINVAL;
    errno = 0;
    *number = strtoull(*cursor, &end, 16);
    if (errno || *end != separator)
        return -EINVAL;
    *cursor = end + 1;
    return 0;
}

int procfs_parse_maps_line(const char *line, struct proc_map *map)
{
    unsigned long long major, minor;
    const char *p = line;
    char *end;

    memset(map, 0, sizeof *map);
    if (next_hex(&p, '-', &map->start) < 0 || next_hex(&p, ' ', &map->end) < 0 ||
        map->end < map->start)
        return -EINVAL;
    for (int i = 0; i < 4; i++) {
        if (!strchr("rwxps-", p[i]) || p[i] == '\0')
            return -EINVAL;
        map->perms[i] = p[i];
    }
    p += 4;
    if (*p++ != ' ')
        return -EINVAL;
    if (next_hex(&p, ' ', &map->offset) < 0 || next_hex(&p, ':', &major) < 0 ||
        next_hex(&p, ' ', &minor) < 0 || !isdigit((unsigned char)*p))
        return -EINVAL;
    map->dev_major = (unsigned)major;
    map->dev_minor = (unsigned)minor;
    errno = 0;
    map->inode = strtoull(p, &end, 10);
    if (errno || (*end != ' ' && *end != '\n' && *end != '\0'))
        return -EINVAL;
    /* The path is padded into a column and may itself contain spaces. */
    p = end;
    while (*p == ' ')
        p++;
    size_t length = strcspn(p, "\n");
    if (length >= sizeof map->path)
        length = sizeof map->path - 1;
    memcpy(map->path, p, length);
    map->path[length] = '\0';
    return 0;
}

void procfs_tty_name(int tty_nr, char *name, size_t size)
{
    /* Linux's dev_t encoding: minor bits 0-7 and 20-31, major bits 8-19. */
    unsigned major = ((unsigned)tty_nr >> 8) & 0xfff;
    unsigned minor = ((unsigned)tty_nr & 0xff) | (((unsigned)tty_nr >> 12) & 0xfff00);

    if (tty_nr == 0)
        snprintf(name, size, "?");
    else if (major == 4 && minor >= 64)
        snprintf(name, size, "ttyS%u", minor - 64);
    else if (major == 4)
        snprintf(name, size, "tty%u", minor);
    else if (major == 5 && minor == 1)
        snprintf(name, size, "console");
    else if (major >= 136 && major <= 143)
        snprintf(name, size, "pts/%u", (major - 136) * 256 + minor);
    else
        snprintf(name, size, "%u,%u", major, minor);
}

char procfs_fdinfo_access(const char *fdinfo_text)
{
    unsigned long long flags;

    if (procfs_key_number(fdinfo_text, "flags", 8, &flags) < 0)
        return 0;
    switch (flags & O_ACCMODE) {
    case O_RDONLY:
        return 'r';
    case O_WRONLY:
        return 'w';
    default:
        return 'u';
    }
}

/* A signed "key: value" number (procfs_key_number() reads unsigned ones). */
static int key_signed(const char *text, const char *key, long long *number)
{
    char value[64];
    char *end;

    if (procfs_key_value(text, key, value, sizeof value) < 0)
        return -EINVAL;
    errno = 0;
    *number = strtoll(value, &end, 10);
    return errno || end == value || *end ? -EINVAL : 0;
}

int procfs_parse_pid_sched(const char *text, struct proc_sched *sched)
{
    const struct {
        const char *key;
        unsigned long long *field;
    } counters[] = {
        {"tickets", &sched->tickets},
        {"run_ticks", &sched->run_ticks},
        {"wait_ticks", &sched->wait_ticks},
        {"times_scheduled", &sched->times_scheduled},
        {"voluntary_switches", &sched->voluntary},
        {"involuntary_switches", &sched->involuntary},
        {"turnaround_ticks", &sched->turnaround_ticks},
    };
    long long nice, level, hz;

    memset(sched, 0, sizeof *sched);
    if (procfs_key_value(text, "policy", sched->policy, sizeof sched->policy) < 0)
        return -EINVAL;
    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++)
        if (procfs_key_number(text, counters[i].key, 10, counters[i].field) < 0)
            return -EINVAL;
    if (key_signed(text, "nice", &nice) < 0 || key_signed(text, "level", &level) < 0 ||
        key_signed(text, "response_ticks", &sched->response_ticks) < 0 ||
        key_signed(text, "hz", &hz) < 0 || hz <= 0)
        return -EINVAL;
    sched->nice = (long)nice;
    sched->level = (long)level;
    sched->hz = (long)hz;
    return 0;
}
