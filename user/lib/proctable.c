/*
 * proctable.c - reading a snapshot of all processes (see proctable.h).
 */
#include "user/lib/proctable.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int proctable_read_process(int pid, struct process *p)
{
    char text[PROCFS_TEXT_SIZE], joined[PROCFS_TEXT_SIZE];
    unsigned long long number;
    ssize_t n;

    memset(p, 0, sizeof *p);
    n = procfs_read_pid(pid, "stat", text, sizeof text);
    if (n < 0)
        return (int)n;
    if (procfs_parse_pid_stat(text, &p->stat) < 0)
        return -EINVAL;

    if (procfs_read_pid(pid, "status", text, sizeof text) >= 0) {
        if (procfs_key_number(text, "Uid", 10, &number) == 0)
            p->uid = (unsigned)number;
        if (procfs_key_number(text, "voluntary_ctxt_switches", 10, &number) == 0)
            p->voluntary_switches = number;
        if (procfs_key_number(text, "nonvoluntary_ctxt_switches", 10, &number) == 0)
            p->involuntary_switches = number;
    }

    n = procfs_read_pid(pid, "cmdline", text, sizeof text);
    procfs_join_cmdline(text, n > 0 ? (size_t)n : 0, joined, sizeof joined);
    p->cmdline = strdup(joined);
    return p->cmdline ? 0 : -ENOMEM;
}

int proctable_read(struct proc_table *table)
{
    int *pids;
    int count = procfs_list_pids(&pids);

    table->procs = NULL;
    table->count = 0;
    if (count < 0)
        return count;
    table->procs = calloc((size_t)count + 1, sizeof *table->procs);
    if (!table->procs) {
        free(pids);
        return -ENOMEM;
    }
    for (int i = 0; i < count; i++) {
        /* A process that exited since the listing is left out. */
        if (proctable_read_process(pids[i], &table->procs[table->count]) == 0)
            table->count++;
    }
    free(pids);
    return 0;
}

static int compare_pids(const void *a, const void *b)
{
    return ((const struct process *)a)->stat.pid - ((const struct process *)b)->stat.pid;
}

int proctable_read_threads(struct proc_table *table)
{
    struct proc_table processes;
    int err = proctable_read(&processes);
    if (err < 0)
        return err;
    int capacity = processes.count * 2 + 16;
    table->count = 0;
    table->procs = calloc((size_t)capacity, sizeof *table->procs);
    if (!table->procs) {
        proctable_free(&processes);
        return -ENOMEM;
    }
    for (int i = 0; i < processes.count; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/task", processes.procs[i].stat.pid);
        DIR *dir = opendir(path);
        struct dirent *e;
        while (dir && (e = readdir(dir))) {
            int tid = atoi(e->d_name);
            if (tid <= 0)
                continue;
            if (table->count == capacity) {
                struct process *more =
                    realloc(table->procs, (size_t)capacity * 2 * sizeof *table->procs);
                if (!more)
                    break;
                table->procs = more;
                capacity *= 2;
            }
            if (proctable_read_process(tid, &table->procs[table->count]) == 0)
                table->count++;
        }
        if (dir)
            closedir(dir);
    }
    proctable_free(&processes);
    qsort(table->procs, (size_t)table->count, sizeof *table->procs, compare_pids);
    return 0;
}

void proctable_free(struct proc_table *table)
{
    for (int i = 0; i < table->count; i++)
        free(table->procs[i].cmdline);
    free(table->procs);
    table->procs = NULL;
    table->count = 0;
}

const struct process *proctable_find(const struct proc_table *table, int pid)
{
    /* The table is sorted by PID: a binary search. */
    int low = 0, high = table->count - 1;

    while (low <= high) {
        int middle = low + (high - low) / 2;
        int found = table->procs[middle].stat.pid;
        if (found == pid)
            return &table->procs[middle];
        if (found < pid)
            low = middle + 1;
        else
            high = middle - 1;
    }
    return NULL;
}

void proctable_command(const struct process *p, bool full_command, char *out, size_t size)
{
    const char *defunct = p->stat.state == 'Z' ? " <defunct>" : "";

    if (!full_command)
        snprintf(out, size, "%s%s", p->stat.comm, defunct);
    else if (p->cmdline && p->cmdline[0])
        snprintf(out, size, "%s%s", p->cmdline, defunct);
    else
        snprintf(out, size, "[%s]%s", p->stat.comm, defunct);
}
