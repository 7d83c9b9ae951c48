/* writeback.c - the flusher thread (see writeback.h). */
#include "kernel/fs/writeback.h"
#include "kernel/fs/ext2/ext2fs.h"
#include "kernel/param.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "kernel/x86.h"
#include "mm/filemap.h"
#include "proc/proc.h"
#include "sched/wait.h"

static bool started;
static struct timer alarm;
static struct wait_queue flusher_wait = WAIT_QUEUE_INIT(flusher_wait);
static bool due; /* the alarm went off (interrupts off) */

static void alarm_fired(struct timer *timer)
{
    due = true;
    wake_up(&flusher_wait);
}

/* Sleep one interval.  Uninterruptible: a kernel thread never handles signals, and init's
 * kill(-1, SIGTERM) at power-off must not turn this into a busy loop. */
static void wait_interval(void)
{
    cli();
    due = false;
    timer_add(&alarm, jiffies + ms_to_ticks(DIRTY_WRITEBACK_MS));
    while (!due)
        sleep_on_uninterruptible(&flusher_wait, "flush");
    sti();
}

static NORETURN void flusher_main(void)
{
    sti();
    timer_init_event(&alarm, alarm_fired, NULL);
    for (;;) {
        wait_interval();
        filemap_writeback_all(); /* mapped pages into the block cache: they age from now */
        u64 expire = ms_to_ticks(DIRTY_EXPIRE_MS);
        int error = ext2_writeback_expired(jiffies > expire ? jiffies - expire : 0);
        if (error)
            pr_warn("flush: writeback failed (error %d)\n", error);
    }
}

void writeback_start(void)
{
    if (started)
        return;
    started = true; /* before: creating the thread may sleep */
    started = proc_start_kernel_thread("flush", flusher_main) != NULL;
}
