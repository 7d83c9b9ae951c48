/*
 * tbcount.c - a QEMU TCG plugin that counts how often each translated
 * block of guest code runs (tools/tb-profile builds and loads it).
 *
 * At exit it writes one line per block that ran, "ADDRESS INSTRUCTIONS
 * COUNT" (hex, decimal, decimal), to the file named by out=PATH.  Blocks
 * are keyed by guest virtual address and length, so the same address in
 * two processes is one entry.  Meant for one guest CPU (-icount): the
 * counters are not atomic.
 *
 * The declarations are those of QEMU's qemu-plugin.h, API version 1 (QEMU
 * 7.2), written out here because Debian ships no header for plugins.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*tb_trans_cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*udata_cb)(qemu_plugin_id_t id, void *userdata);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, tb_trans_cb cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op,
                                              void *ptr, uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, udata_cb cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

struct block {
    uint64_t vaddr, ninsns, count;
};

#define SLOTS (1u << 22) /* an open-addressed table of blocks; a boot makes ~100,000 */
static struct block *slots;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char out_path[512] = "tbcount.out";

/* Called when QEMU translates a block: find its counter, count each run inline. */
static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    uint64_t vaddr = qemu_plugin_tb_vaddr(tb), ninsns = qemu_plugin_tb_n_insns(tb);
    uint64_t h = ((vaddr ^ (ninsns << 56)) * 0x9E3779B97F4A7C15ull) >> 40;
    pthread_mutex_lock(&lock);
    struct block *b;
    for (;; h++) {
        b = &slots[h & (SLOTS - 1)];
        if (b->ninsns == 0) {
            b->vaddr = vaddr;
            b->ninsns = ninsns;
            break;
        }
        if (b->vaddr == vaddr && b->ninsns == ninsns)
            break;
    }
    pthread_mutex_unlock(&lock);
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &b->count, 1);
}

static void on_exit_write(qemu_plugin_id_t id, void *userdata)
{
    FILE *f = fopen(out_path, "w");
    if (!f)
        return;
    for (uint64_t i = 0; i < SLOTS; i++)
        if (slots[i].count)
            fprintf(f, "%llx %llu %llu\n", (unsigned long long)slots[i].vaddr,
                    (unsigned long long)slots[i].ninsns, (unsigned long long)slots[i].count);
    fclose(f);
}

__attribute__((visibility("default"))) int
qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strncmp(argv[i], "out=", 4) == 0)
            snprintf(out_path, sizeof out_path, "%s", argv[i] + 4);
    slots = calloc(SLOTS, sizeof *slots);
    if (!slots)
        return -1;
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, on_exit_write, NULL);
    return 0;
}
