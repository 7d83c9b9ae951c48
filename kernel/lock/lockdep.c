/*
 * lockdep.c - the lock validator (kernel/lock/lockdep.h).
 *
 * State, and what protects it:
 *   classes, the edge matrix and the edges: graph_lock (a bare test-and-set
 *     flag, not a struct spinlock, so the validator never validates itself);
 *     readers of edge_of[][] skip the lock, as entries only go 0 -> non-zero;
 *   held[cpu][] and depth[cpu]: only that CPU, interrupts off;
 *   held_mutexes[]: graph_lock (sleeping locks are held per process, and a
 *     process may move to another CPU while it holds one).
 */
#include "kernel/lock/lockdep.h"
#include "kernel/cpu.h"
#include "kernel/ksyms.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/x86.h"

static bool testing[MAX_CPUS];
static int test_reports;
static char test_report[LOCKDEP_REPORT];

static int cpu_id(void) { return this_cpu_early()->id; }

/* A lock one CPU holds (or a process, for a mutex), and where it took it. */
struct held_lock {
    const void *lock;
    u16 class_id;
    void *where;
    const void *owner; /* mutexes: the holding process (struct proc *) */
    u64 sequence;      /* mutexes: the order they were taken in */
};

struct chain_link {
    u16 class_id;
    void *where;
};

/* An edge from -> to: `to` was taken with `from` held; chain[] is what was
 * held then (outermost first), ending with `to` itself. */
struct edge {
    u16 from, to;
    u8 length;
    struct chain_link chain[LOCKDEP_CHAIN];
};

#if LOCKDEP
static volatile u32 graph_lock;
static const char *class_names[LOCKDEP_CLASSES];
static int class_count;
static u16 edge_of[LOCKDEP_CLASSES][LOCKDEP_CLASSES]; /* 1 + index in edges[], 0 = none */
static struct edge edges[LOCKDEP_EDGES];
static int edge_count;
static volatile bool disabled; /* a table filled up: checking stopped (said once) */

static struct held_lock held[MAX_CPUS][LOCKDEP_DEPTH];
static int depth[MAX_CPUS];
static bool busy[MAX_CPUS]; /* inside the validator: locks it takes are not checked */

static struct held_lock held_mutexes[LOCKDEP_MUTEXES];
static int mutex_slots_used; /* high-water mark in held_mutexes[] */
static u64 mutex_sequence;

static char report[LOCKDEP_REPORT]; /* graph_lock */

static void graph_acquire(void)
{
    while (__atomic_exchange_n(&graph_lock, 1, __ATOMIC_ACQUIRE))
        while (graph_lock)
            __builtin_ia32_pause();
}

static void graph_release(void) { __atomic_store_n(&graph_lock, 0, __ATOMIC_RELEASE); }

static void give_up(const char *table)
{
    if (!disabled)
        printk(KERN_ERR "lockdep: the %s table is full; lock checking is off from here\n", table);
    disabled = true;
}

/* The class of `map`, made on first use of its name.  graph_lock held. */
static u16 class_lookup(struct lockdep_map *map)
{
    for (int i = 0; i < class_count; i++)
        if (class_names[i] == map->name || strcmp(class_names[i], map->name) == 0)
            return (u16)(i + 1);
    if (class_count == LOCKDEP_CLASSES) {
        give_up("lock class");
        return 0;
    }
    class_names[class_count++] = map->name;
    return (u16)class_count;
}

static const char *class_name(u16 class_id) { return class_names[class_id - 1]; }

/* --- reports --------------------------------------------------------------- */

static size_t report_length;

static void PRINTF_LIKE(1, 2) say(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    if (report_length < sizeof report) {
        int n = vsnprintf(report + report_length, sizeof report - report_length, fmt, args);
        report_length = MIN(report_length + (size_t)n, sizeof report - 1);
    }
    va_end(args);
}

static void say_link(int index, u16 class_id, void *where, const char *note)
{
    char symbol[96];
    ksym_format((u64)where, symbol, sizeof symbol);
    say("    #%d \"%s\" taken at %s%s\n", index, class_name(class_id), symbol, note);
}

/* What the taker holds now, outermost first: the current process's mutexes
 * (in the order it took them), then this CPU's spinlocks.  Returns how many. */
static int held_now(int me, struct chain_link *out, int max)
{
    int n = 0;
    if (mutex_slots_used) {
        const void *owner = this_cpu_early()->running;
        graph_acquire();
        u64 last = 0;
        for (;;) { /* selection by sequence: a process holds few */
            int next = -1;
            for (int i = 0; i < mutex_slots_used; i++)
                if (held_mutexes[i].lock && held_mutexes[i].owner == owner &&
                    held_mutexes[i].sequence > last &&
                    (next < 0 || held_mutexes[i].sequence < held_mutexes[next].sequence))
                    next = i;
            if (next < 0 || n == max)
                break;
            out[n++] = (struct chain_link){held_mutexes[next].class_id, held_mutexes[next].where};
            last = held_mutexes[next].sequence;
        }
        graph_release();
    }
    for (int i = 0; i < depth[me] && n < max; i++)
        out[n++] = (struct chain_link){held[me][i].class_id, held[me][i].where};
    return n;
}

/* Is there a path from -> ... -> to?  Fills path[] with the edges (1-based
 * indices) and returns their number, or 0.  graph_lock held. */
static int find_path(u16 from, u16 to, u16 *path, int max)
{
    static u16 came_by[LOCKDEP_CLASSES + 1]; /* the edge that reached each class */
    static u16 queue[LOCKDEP_CLASSES];
    memset(came_by, 0, sizeof came_by);
    int head = 0, tail = 0;
    queue[tail++] = from;
    came_by[from] = 0xFFFF;
    while (head < tail) {
        u16 at = queue[head++];
        if (at == to)
            break;
        for (int next = 1; next <= class_count; next++) {
            u16 e = edge_of[at - 1][next - 1];
            if (e && !came_by[next]) {
                came_by[next] = e;
                queue[tail++] = (u16)next;
            }
        }
    }
    if (!came_by[to])
        return 0;
    int n = 0;
    for (u16 at = to; at != from && n < max; at = edges[came_by[at] - 1].from)
        path[n++] = came_by[at];
    for (int i = 0; i < n / 2; i++) { /* from first */
        u16 swap = path[i];
        path[i] = path[n - 1 - i];
        path[n - 1 - i] = swap;
    }
    return n;
}

/* Taking `taking` (at `where`) with chain[0..n) held closes a cycle through
 * the edges path[].  Write both chains into report[].  graph_lock held. */
static void describe_inversion(const struct chain_link *chain, int n, u16 holding, u16 taking,
                               void *where, const u16 *path, int path_length)
{
    report_length = 0;
    struct proc *p = this_cpu_early()->running;
    say("lockdep: possible deadlock: lock order inversion on CPU %d\n", cpu_id());
    say("  this chain takes \"%s\" while holding \"%s\"%s:\n", class_name(taking),
        class_name(holding), p ? "" : " (before the first process)");
    for (int i = 0; i < n; i++)
        say_link(i, chain[i].class_id, chain[i].where, "");
    say_link(n, taking, where, "  <- now");
    for (int k = 0; k < path_length; k++) {
        const struct edge *e = &edges[path[k] - 1];
        say("  but an earlier chain took \"%s\" while holding \"%s\":\n", class_name(e->to),
            class_name(e->from));
        for (int i = 0; i < e->length; i++)
            say_link(i, e->chain[i].class_id, e->chain[i].where, "");
    }
}

/* A new edge holding -> taking, or a report if it closes a cycle. */
static void add_edge(const struct chain_link *chain, int n, u16 holding, u16 taking, void *where)
{
    graph_acquire();
    if (edge_of[holding - 1][taking - 1] || disabled) {
        graph_release();
        return;
    }
    u16 path[8];
    int path_length = find_path(taking, holding, path, 8);
    if (path_length) {
        describe_inversion(chain, n, holding, taking, where, path, path_length);
        char summary[160];
        snprintf(summary, sizeof summary,
                 "lockdep: lock order inversion: \"%s\" -> \"%s\" here, \"%s\" -> \"%s\" before "
                 "(both chains above)",
                 class_name(holding), class_name(taking), class_name(taking), class_name(holding));
        lockdep_bug(report, summary); /* returns in test mode: the edge is not added */
        graph_release();
        return;
    }
    if (edge_count == LOCKDEP_EDGES) {
        graph_release();
        give_up("lock order edge");
        return;
    }
    struct edge *e = &edges[edge_count++];
    e->from = holding;
    e->to = taking;
    int first = n > LOCKDEP_CHAIN - 1 ? n - (LOCKDEP_CHAIN - 1) : 0; /* the innermost locks */
    e->length = 0;
    for (int i = first; i < n; i++)
        e->chain[e->length++] = chain[i];
    e->chain[e->length++] = (struct chain_link){taking, where};
    __atomic_store_n(&edge_of[holding - 1][taking - 1], (u16)edge_count, __ATOMIC_RELEASE);
    graph_release();
}

/* Are all the edges "held spinlock -> class_id" known already?  The common
 * case after the first seconds: then nothing needs the graph. */
static bool edges_known(int me, u16 class_id)
{
    for (int i = 0; i < depth[me]; i++) {
        u16 holding = held[me][i].class_id;
        if (holding != class_id && !edge_of[holding - 1][class_id - 1])
            return false;
    }
    return true;
}

/* The slow path: look up the class, and record the edges (or report). */
static SLOW_PATH void check_order(int me, struct lockdep_map *map, bool check, void *where)
{
    busy[me] = true;
    if (!map->class_id) {
        graph_acquire();
        map->class_id = class_lookup(map);
        graph_release();
    }
    u16 class_id = map->class_id;
    struct chain_link chain[LOCKDEP_DEPTH + 8];
    int n = check && class_id ? held_now(me, chain, ARRAY_SIZE(chain)) : 0;
    for (int i = 0; i < n; i++) {
        u16 holding = chain[i].class_id;
        /* Two locks of one class (two pipes): their order is not checked. */
        if (holding != class_id && !edge_of[holding - 1][class_id - 1])
            add_edge(chain, n, holding, class_id, where);
    }
    busy[me] = false;
}

static SLOW_PATH void push_mutex(struct held_lock entry)
{
    graph_acquire();
    int slot = 0;
    while (slot < LOCKDEP_MUTEXES && held_mutexes[slot].lock)
        slot++;
    if (slot < LOCKDEP_MUTEXES) {
        entry.sequence = ++mutex_sequence;
        held_mutexes[slot] = entry;
        if (slot >= mutex_slots_used)
            mutex_slots_used = slot + 1;
    }
    graph_release();
    if (slot == LOCKDEP_MUTEXES)
        give_up("held mutex");
}

/* A mutex, a first use of a class or a new edge: everything but the fast path. */
static SLOW_PATH void acquire_slow(int me, struct lockdep_map *map, const void *lock, bool sleeping,
                                   bool check, void *where)
{
    bool irq = sleeping ? irq_save() : false; /* a spinlock's caller has them off already */
    check_order(me, map, check, where);
    if (!map->class_id)
        goto out;
    if (sleeping)
        push_mutex((struct held_lock){lock, map->class_id, where, this_cpu_early()->running, 0});
    else if (depth[me] < LOCKDEP_DEPTH)
        held[me][depth[me]++] = (struct held_lock){lock, map->class_id, where, NULL, 0};
    else
        give_up("held spinlock");
out:
    irq_restore(irq);
}

void lockdep_acquire(struct lockdep_map *map, const void *lock, bool sleeping, bool check,
                     void *where)
{
    int me = cpu_id();
    if (busy[me] || disabled)
        return;
    /* Fast path, nearly every acquisition after the first seconds: a spinlock
     * of a known class, no mutex held, every edge from a held spinlock to it
     * seen before.  Interrupts are off (spin_lock turned them off). */
    int n = depth[me];
    if (!sleeping && map->class_id && !mutex_slots_used && n < LOCKDEP_DEPTH &&
        edges_known(me, map->class_id)) {
        held[me][n] = (struct held_lock){.lock = lock, .class_id = map->class_id, .where = where};
        depth[me] = n + 1;
        return;
    }
    acquire_slow(me, map, lock, sleeping, check, where);
}

static SLOW_PATH void release_slow(int me, const void *lock, bool sleeping)
{
    if (busy[me])
        return;
    if (sleeping) {
        bool irq = irq_save();
        graph_acquire();
        for (int i = 0; i < mutex_slots_used; i++)
            if (held_mutexes[i].lock == lock)
                held_mutexes[i].lock = NULL;
        while (mutex_slots_used && !held_mutexes[mutex_slots_used - 1].lock)
            mutex_slots_used--;
        graph_release();
        irq_restore(irq);
        return;
    }
    /* Released out of order; a lock taken while we were busy is not there. */
    for (int i = depth[me] - 1; i >= 0; i--) {
        if (held[me][i].lock == lock) {
            for (int j = i; j < depth[me] - 1; j++)
                held[me][j] = held[me][j + 1];
            depth[me]--;
            return;
        }
    }
}

void lockdep_release(const void *lock, bool sleeping)
{
    int me = cpu_id();
    if (!sleeping && depth[me] && held[me][depth[me] - 1].lock == lock) {
        depth[me]--; /* the innermost: the usual case */
        return;
    }
    release_slow(me, lock, sleeping);
}

static SLOW_PATH void sleeping_with_spinlock(int me, const char *what)
{
    busy[me] = true;
    graph_acquire();
    report_length = 0;
    say("lockdep: CPU %d is going to sleep (%s) while holding %d spinlock%s:\n", me, what,
        depth[me], depth[me] == 1 ? "" : "s");
    for (int i = 0; i < depth[me]; i++)
        say_link(i, held[me][i].class_id, held[me][i].where, "");
    char summary[160];
    snprintf(summary, sizeof summary, "lockdep: sleeping (%s) with spinlock \"%s\" held", what,
             class_name(held[me][depth[me] - 1].class_id));
    busy[me] = false;
    lockdep_bug(report, summary);
    graph_release();
}

void lockdep_might_sleep(const char *what)
{
    int me = cpu_id();
    if (depth[me] && !busy[me])
        sleeping_with_spinlock(me, what);
}

int lockdep_depth(void) { return depth[cpu_id()]; }

#endif /* LOCKDEP */

void lockdep_bug(const char *text, const char *summary)
{
    int me = cpu_id();
    if (testing[me]) {
        test_reports++;
        strlcpy(test_report, text, sizeof test_report);
        return;
    }
#if LOCKDEP
    busy[me] = true; /* printk's own lock is not checked while we report */
#endif
    /* The bug may be in printk's or the console's lock itself (held by this
     * CPU, or by a stuck one): print as panic does, without them. */
    printk_panicking = true;
    /* One printk per line: printk formats at most a few hundred bytes at once. */
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        int length = end ? (int)(end - line) : (int)strlen(line);
        printk(KERN_EMERG "%.*s\n", length, line);
        line += length + (end ? 1 : 0);
    }
    panic("%s", summary);
}

void lockdep_test_begin(void)
{
    test_reports = 0;
    test_report[0] = '\0';
    testing[cpu_id()] = true;
}

int lockdep_test_end(char *out, size_t size)
{
    testing[cpu_id()] = false;
    strlcpy(out, test_report, size);
    return test_reports;
}

bool lockdep_testing(void) { return testing[cpu_id()]; }
