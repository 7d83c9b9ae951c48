/*
 * list.h - intrusive circular doubly-linked lists.
 *
 * A struct that wants to be on a list embeds a `struct list_node`; the list
 * itself is a `struct list` head.  container_of() gets back from the node to
 * the struct.  Header-only and free of hardware, so the scheduler simulator
 * (tests/sched-sim) can use the same lists as the kernel.
 *
 *   struct proc { ...; struct list_node run_node; };
 *   list_push_back(&rq->ready, &p->run_node);
 *   struct proc *first = list_first_entry(&rq->ready, struct proc, run_node);
 */
#ifndef KERNEL_LIST_H
#define KERNEL_LIST_H

#include "kernel/types.h"

struct list_node {
    struct list_node *prev, *next;
};

struct list {
    struct list_node head; /* head.next is the first node, head.prev the last */
};

#define LIST_INIT(name)                                                                            \
    {                                                                                              \
        {                                                                                          \
            &(name).head, &(name).head                                                             \
        }                                                                                          \
    }

static inline void list_init(struct list *list) { list->head.prev = list->head.next = &list->head; }
/* A node that is on no list points at itself (so list_node_linked works). */
static inline void list_node_init(struct list_node *node) { node->prev = node->next = node; }
static inline bool list_empty(const struct list *list) { return list->head.next == &list->head; }
static inline bool list_node_linked(const struct list_node *node) { return node->next != node; }

static inline void list_insert_between(struct list_node *node, struct list_node *prev,
                                       struct list_node *next)
{
    node->prev = prev;
    node->next = next;
    prev->next = node;
    next->prev = node;
}

static inline void list_push_back(struct list *list, struct list_node *node)
{
    list_insert_between(node, list->head.prev, &list->head);
}

static inline void list_push_front(struct list *list, struct list_node *node)
{
    list_insert_between(node, &list->head, list->head.next);
}

/* Insert `node` just before `position` (a node on some list). */
static inline void list_insert_before(struct list_node *position, struct list_node *node)
{
    list_insert_between(node, position->prev, position);
}

static inline void list_remove(struct list_node *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    list_node_init(node);
}

static inline struct list_node *list_pop_front(struct list *list)
{
    if (list_empty(list))
        return NULL;
    struct list_node *node = list->head.next;
    list_remove(node);
    return node;
}

static inline size_t list_length(const struct list *list)
{
    size_t n = 0;
    for (const struct list_node *node = list->head.next; node != &list->head; node = node->next)
        n++;
    return n;
}

#define list_entry(node, type, member) container_of(node, type, member)
#define list_first_entry(list, type, member)                                                       \
    (list_empty(list) ? NULL : list_entry((list)->head.next, type, member))

/* for (each entry of type `type` linked by `member`); safe against removing `pos`. */
#define list_for_each_entry_safe(pos, tmp, list, member)                                           \
    for (pos = list_entry((list)->head.next, __typeof__(*pos), member),                            \
        tmp = list_entry(pos->member.next, __typeof__(*pos), member);                              \
         &pos->member != &(list)->head;                                                            \
         pos = tmp, tmp = list_entry(tmp->member.next, __typeof__(*pos), member))

#define list_for_each_entry(pos, list, member)                                                     \
    for (pos = list_entry((list)->head.next, __typeof__(*pos), member);                            \
         &pos->member != &(list)->head;                                                            \
         pos = list_entry(pos->member.next, __typeof__(*pos), member))

#endif
