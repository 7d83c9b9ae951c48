/*
 * insnprof.c - a QEMU TCG plugin that counts how often each translated block
 * of guest code runs (tools/insnprof builds it with make, loads it through
 * tools/run-qemu --plugin, and reads what it writes).
 *
 * For every block QEMU translates, it finds the block's counter (blocks are
 * keyed by guest virtual address and length, so a retranslation, or the same
 * code at the same address in two processes, shares one) and has QEMU add one
 * to it each time the block runs: an inline add in the generated code, no call.
 * When QEMU exits it writes one line per block that ran to the file named by
 * out=PATH:
 *
 *     ADDRESS INSTRUCTIONS COUNT        (hex, decimal, decimal)
 *
 * A block that faults in its middle still counts whole: close enough for
 * shares.  The counters are plain adds, exact on one guest CPU (tools/insnprof
 * boots one); with several, two CPUs running the same block can lose counts.
 *
 * Debian packages no header for QEMU's plugins, so the few calls used here are
 * declared below as qemu-plugin.h of QEMU 7.2 declares them (plugin API
 * version 1).  A QEMU whose API no longer has them refuses to load the plugin
 * and says why; the test (tests/tools/test_insnprof.sh) then skips.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
#define EXPORT __attribute__((visibility("default")))

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
                                           void (*cb)(qemu_plugin_id_t, struct qemu_plugin_tb *));
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op,
                                              void *ptr, uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, void (*cb)(qemu_plugin_id_t, void *),
                                    void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);

EXPORT int qemu_plugin_version = 1;
EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv);

struct block {
    uint64_t vaddr, insns;
    uint64_t count; /* QEMU's generated code adds to it: it must never move */
};

/* Blocks live in chunks that are never freed or moved; the hash table points
 * at them and is rebuilt twice as large when half full.  A boot and a short
 * program translate about 100,000 distinct blocks. */
#define CHUNK_BLOCKS 4096
static struct block *chunk;
static size_t chunk_used = CHUNK_BLOCKS;
static struct block **table;
static size_t table_size, table_used;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER; /* vCPU threads translate */
static char out_path[4096] = "insnprof.txt";

static size_t slot_of(uint64_t vaddr, uint64_t insns, size_t size)
{
    return (size_t)(((vaddr ^ (insns << 56)) * 0x9E3779B97F4A7C15ull) >> 20) & (size - 1);
}

/* Put b into a table of `size` slots (a power of two) that has room. */
static void table_insert(struct block **slots, size_t size, struct block *b)
{
    size_t i = slot_of(b->vaddr, b->insns, size);
    while (slots[i])
        i = (i + 1) & (size - 1);
    slots[i] = b;
}

static int table_grow(void)
{
    size_t size = table_size ? table_size * 2 : 1u << 18;
    struct block **slots = calloc(size, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < table_size; i++)
        if (table[i])
            table_insert(slots, size, table[i]);
    free(table);
    table = slots;
    table_size = size;
    return 0;
}

/* The counter of the block at vaddr with insns instructions; NULL if out of memory.
 * Takes table_lock. */
static struct block *block_find_or_add(uint64_t vaddr, uint64_t insns)
{
    struct block *b = NULL;
    pthread_mutex_lock(&table_lock);
    if (table_used * 2 >= table_size && table_grow() < 0)
        goto out_unlock;
    size_t i = slot_of(vaddr, insns, table_size);
    for (; table[i]; i = (i + 1) & (table_size - 1)) {
        if (table[i]->vaddr == vaddr && table[i]->insns == insns) {
            b = table[i];
            goto out_unlock;
        }
    }
    if (chunk_used == CHUNK_BLOCKS) {
        struct block *fresh = calloc(CHUNK_BLOCKS, sizeof *fresh);
        if (!fresh)
            goto out_unlock;
        chunk = fresh;
        chunk_used = 0;
    }
    b = &chunk[chunk_used++];
    b->vaddr = vaddr;
    b->insns = insns;
    table[i] = b;
    table_used++;
out_unlock:
    pthread_mutex_unlock(&table_lock);
    return b;
}

/* QEMU translated a block: count its runs inline from now on. */
static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    struct block *b = block_find_or_add(qemu_plugin_tb_vaddr(tb), qemu_plugin_tb_n_insns(tb));
    if (b)
        qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &b->count, 1);
}

/* QEMU is exiting (the guest powered off, or a signal): write the counts. */
static void finished(qemu_plugin_id_t id, void *unused)
{
    FILE *f = fopen(out_path, "w");
    if (!f) {
        perror(out_path);
        return;
    }
    for (size_t i = 0; i < table_size; i++)
        if (table[i] && table[i]->count)
            fprintf(f, "%llx %llu %llu\n", (unsigned long long)table[i]->vaddr,
                    (unsigned long long)table[i]->insns, (unsigned long long)table[i]->count);
    fclose(f);
}

int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strncmp(argv[i], "out=", 4) == 0)
            snprintf(out_path, sizeof out_path, "%s", argv[i] + 4);
    if (table_grow() < 0)
        return -1;
    qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
    qemu_plugin_register_atexit_cb(id, finished, NULL);
    return 0;
}
