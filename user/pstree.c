/*
 * pstree.c - draw the processes as the tree that fork() built.
 *
 *   pstree [-p] [PID]
 *
 * Every process has one parent (the PPid in /proc/PID/stat), so the
 * processes form a tree rooted at init (PID 1).  An orphan - whose parent
 * exited - is adopted by init, which is why it shows up under PID 1:
 *
 *   init-+-sh---pstree
 *        `-sleep
 *
 * Children are shown in PID order: the order in which they were created.
 * A process's other threads come last, in braces: sh---threads---3*[{threads}].
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/lib/procfs.h"
#include "user/lib/proctable.h"

#define PSTREE_MAX_DEPTH 256 /* deeper than any real tree; stops a ppid loop */

struct tree {
    const struct proc_table *table;
    bool show_pids;
    FILE *out;
    char prefix[4096]; /* what starts each continuation line at the current depth */
};

/* The i-th child of parent after index `after` (the table is in PID order), or -1. */
static int next_child(const struct proc_table *table, int parent, int after)
{
    for (int i = after + 1; i < table->count; i++)
        if (table->procs[i].stat.ppid == parent && table->procs[i].stat.pid != parent)
            return i;
    return -1;
}

/*
 * Prints the process at index `node` and its subtree.  The current line
 * already holds everything left of it; prefix[0..prefix_length) is what
 * goes left of it on the following lines.
 */
static void print_subtree(struct tree *t, int node, size_t prefix_length, int depth)
{
    const struct process *p = &t->table->procs[node];
    char label[PROCFS_COMM_MAX + 16];
    int width;

    if (t->show_pids)
        width = snprintf(label, sizeof label, "%s(%d)", p->stat.comm, p->stat.pid);
    else
        width = snprintf(label, sizeof label, "%s", p->stat.comm);
    fputs(label, t->out);

    /* A process's threads other than the first hang below it, after its
     * children, as one leaf: "{name}", or "3*[{name}]" for three. */
    long threads = p->stat.num_threads > 1 ? p->stat.num_threads - 1 : 0;
    int child = next_child(t->table, p->stat.pid, -1);
    if ((child < 0 && !threads) || depth >= PSTREE_MAX_DEPTH ||
        prefix_length + (size_t)width + 4 >= sizeof t->prefix) {
        fputc('\n', t->out);
        return;
    }
    /* Continuation lines of the children start under the "-+-" after our label. */
    memset(t->prefix + prefix_length, ' ', (size_t)width);
    size_t child_prefix = prefix_length + (size_t)width + 3;
    bool first = true;
    while (child >= 0 || threads) {
        int next = child >= 0 ? next_child(t->table, p->stat.pid, child) : -1;
        bool last = child < 0 || (next < 0 && !threads);
        if (first)
            fputs(last ? "---" : "-+-", t->out);
        else
            fprintf(t->out, "%.*s %s", (int)(prefix_length + (size_t)width), t->prefix,
                    last ? "`-" : "|-");
        /* Below this child, a '|' continues down to its next sibling. */
        memcpy(t->prefix + prefix_length + width, last ? "   " : " | ", 3);
        if (child >= 0) {
            print_subtree(t, child, child_prefix, depth + 1);
            child = next;
        } else {
            if (threads > 1)
                fprintf(t->out, "%ld*[{%s}]\n", threads, p->stat.comm);
            else
                fprintf(t->out, "{%s}\n", p->stat.comm);
            threads = 0;
        }
        first = false;
    }
}

/*
 * Prints the tree under `root_pid`, or, if there is no such process, every
 * tree whose root's parent is not in the table (PID 1, kernel threads).
 */
static void pstree_print(FILE *out, const struct proc_table *table, int root_pid, bool show_pids)
{
    struct tree *t = calloc(1, sizeof *t);

    if (!t)
        return;
    t->table = table;
    t->show_pids = show_pids;
    t->out = out;
    for (int i = 0; i < table->count; i++) {
        const struct process *p = &table->procs[i];
        bool is_root = root_pid > 0
                           ? p->stat.pid == root_pid
                           : p->stat.pid == p->stat.ppid || !proctable_find(table, p->stat.ppid);
        if (is_root)
            print_subtree(t, i, 0, 0);
    }
    free(t);
}

#ifndef HOST_TEST
int main(int argc, char **argv)
{
    struct proc_table table;
    bool show_pids = false;
    int root_pid = 1, err;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-p") == 0)
            show_pids = true;
        else if ((root_pid = procfs_name_to_number(argv[i])) <= 0) {
            fprintf(stderr, "usage: pstree [-p] [PID]\n");
            return 2;
        }
    }
    err = proctable_read(&table);
    if (err < 0) {
        fprintf(stderr, "pstree: cannot read /proc: %s\n", strerror(-err));
        return 1;
    }
    if (!proctable_find(&table, root_pid)) {
        if (root_pid != 1) {
            fprintf(stderr, "pstree: no process %d\n", root_pid);
            proctable_free(&table);
            return 1;
        }
        root_pid = 0; /* no init: draw every tree */
    }
    pstree_print(stdout, &table, root_pid, show_pids);
    proctable_free(&table);
    return 0;
}
#endif
