/*
 * test_user_pstree.c - pstree's drawing of a canned process table.
 */
#include "tests/unit/unit.h"

#include <stdlib.h>

#include "user/pstree.c"

/* A process with only what pstree reads: PID, parent and name. */
#define PROC(pid_, ppid_, comm_)                                                                   \
    {                                                                                              \
        .stat = {.pid = pid_, .ppid = ppid_, .comm = comm_, .state = 'S' }                         \
    }

/* Draws the table into a string (free it). */
static char *draw(struct process *procs, int count, int root, bool pids)
{
    struct proc_table table = {procs, count};
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);

    pstree_print(out, &table, root, pids);
    fclose(out);
    return text;
}

static void tree_with_branches(void)
{
    struct process procs[] = {
        PROC(1, 0, "init"),  PROC(2, 1, "sh"),    PROC(3, 2, "ps"),
        PROC(4, 1, "getty"), PROC(5, 1, "sleep"), PROC(6, 2, "a"),
    };
    char *text = draw(procs, 6, 1, false);

    CHECK_STR(text, "init-+-sh-+-ps\n"
                    "     |    `-a\n"
                    "     |-getty\n"
                    "     `-sleep\n");
    free(text);
}

static void single_children_and_pids(void)
{
    struct process procs[] = {
        PROC(1, 0, "init"),     PROC(7, 1, "sh"),  PROC(9, 7, "top"),
        PROC(12, 7, "my prog"), PROC(13, 12, "x"),
    };
    char *text = draw(procs, 5, 1, true);

    CHECK_STR(text, "init(1)---sh(7)-+-top(9)\n"
                    "                `-my prog(12)---x(13)\n");
    free(text);
    text = draw(procs, 5, 12, false); /* pstree 12: only that subtree */
    CHECK_STR(text, "my prog---x\n");
    free(text);
}

static void threads_hang_below_their_process(void)
{
    struct process procs[] = {PROC(1, 0, "init"), PROC(2, 1, "sh"), PROC(3, 2, "threads"),
                              PROC(4, 2, "deadlock"), PROC(5, 4, "cat")};
    procs[2].stat.num_threads = 4; /* three besides the first */
    procs[3].stat.num_threads = 2;
    char *text = draw(procs, 5, 1, false);

    CHECK_STR(text, "init---sh-+-threads---3*[{threads}]\n"
                    "          `-deadlock-+-cat\n"
                    "                     `-{deadlock}\n");
    free(text);
}

static void without_init_every_root_is_drawn(void)
{
    /* No PID 1 in the table: 2 and 5 have parents we cannot see. */
    struct process procs[] = {PROC(2, 0, "kthreadd"), PROC(3, 2, "kworker"), PROC(5, 1, "lost")};
    char *text = draw(procs, 3, 0, false);

    CHECK_STR(text, "kthreadd---kworker\n"
                    "lost\n");
    free(text);
}

static void parent_loop_terminates(void)
{
    /* Broken data (each the parent of the other) must not recurse forever. */
    struct process procs[] = {PROC(7, 8, "a"), PROC(8, 7, "b"), PROC(9, 9, "self")};
    char *text = draw(procs, 3, 7, false);

    CHECK(text != NULL && strncmp(text, "a---b---a---b", 13) == 0);
    free(text);
    text = draw(procs, 3, 9, false);
    CHECK_STR(text, "self\n");
    free(text);
}

static const struct unit_case cases[] = {
    UNIT(tree_with_branches),
    UNIT(single_children_and_pids),
    UNIT(threads_hang_below_their_process),
    UNIT(without_init_every_root_is_drawn),
    UNIT(parent_loop_terminates),
};
UNIT_MAIN("user.pstree", cases)
