/*
 * crash.c - a program with a bug, for a post-mortem in gdb.
 *
 * It keeps a tiny inventory as a linked list and adds up the weights, but
 * asks for one item more than the list holds: the loop follows the last
 * item's NULL `next` and reads through it.  The kernel kills it with SIGSEGV
 * and writes a core file; on the host, `gdb build/initrd/bin/crash core`
 * shows the function, the line and the variables at the moment it died
 * (docs/tour.md, "Core dumps: a post-mortem").
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct item {
    const char *name;
    int weight;
    struct item *next;
};

/* Put a new item at the front of the list. */
static struct item *inventory_add(struct item *list, const char *name, int weight)
{
    struct item *item = malloc(sizeof *item);
    if (!item) {
        perror("crash: malloc");
        exit(1);
    }
    item->name = name;
    item->weight = weight;
    item->next = list;
    return item;
}

/* The weights of the first `count` items added up. */
static __attribute__((noinline)) int total_weight(const struct item *list, int count)
{
    int total = 0;
    for (int i = 0; i < count; i++) {
        total += list->weight; /* the bug: after the last item, list is NULL */
        list = list->next;
    }
    return total;
}

int main(void)
{
    printf("crash: process %d adds up 3 weights but asks for 4; expect SIGSEGV.\n", (int)getpid());
    fflush(stdout);
    struct item *list = NULL;
    list = inventory_add(list, "apples", 3);
    list = inventory_add(list, "pears", 5);
    list = inventory_add(list, "plums", 2);
    printf("total weight: %d\n", total_weight(list, 4));
    return 0;
}
