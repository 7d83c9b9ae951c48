/*
 * insnprof.c - a QEMU TCG plugin: how many guest instructions each translated
 * block ran (tools/insnprof builds it, loads it and reads what it writes).
 *
 * For every block QEMU translates it remembers the block's start address and
 * its number of instructions, and has QEMU add one to the block's counter
 * each time the block runs (an inline add, no call).  When QEMU exits it
 * writes "ADDRESS INSTRUCTIONS EXECUTIONS" per block that ran to out=FILE.
 * A block that faults in its middle counts whole: close enough for shares.
 *
 * Only the few plugin calls it needs are declared here (QEMU 7.2's API,
 * version 1), so it builds without QEMU's headers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
#define EXPORT __attribute__((visibility("default")))

EXPORT int qemu_plugin_version = 1;
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
                                           void (*cb)(qemu_plugin_id_t, struct qemu_plugin_tb *));
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op,
                                              void *ptr, uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, void (*cb)(qemu_plugin_id_t, void *),
                                    void *userdata);

struct block {
    uint64_t vaddr, insns, count;
};
static struct block **blocks; /* every translation, retranslations too */
static size_t nblocks, capacity;
static const char *out_path = "insnprof.txt";

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    struct block *b = calloc(1, sizeof *b);
    if (!b)
        return;
    if (nblocks == capacity) {
        size_t more = capacity ? capacity * 2 : 65536;
        struct block **grown = realloc(blocks, more * sizeof *blocks);
        if (!grown) {
            free(b);
            return;
        }
        blocks = grown;
        capacity = more;
    }
    b->vaddr = qemu_plugin_tb_vaddr(tb);
    b->insns = qemu_plugin_tb_n_insns(tb);
    blocks[nblocks++] = b;
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &b->count, 1);
}

static void finished(qemu_plugin_id_t id, void *unused)
{
    FILE *f = fopen(out_path, "w");
    if (!f)
        return;
    for (size_t i = 0; i < nblocks; i++)
        if (blocks[i]->count)
            fprintf(f, "%lx %lu %lu\n", (unsigned long)blocks[i]->vaddr,
                    (unsigned long)blocks[i]->insns, (unsigned long)blocks[i]->count);
    fclose(f);
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strncmp(argv[i], "out=", 4) == 0)
            out_path = strdup(argv[i] + 4);
    qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
    qemu_plugin_register_atexit_cb(id, finished, NULL);
    return 0;
}
