/*
 * init_process.c - PID 1, the first user process.
 *
 * The kernel makes it by hand: there is no parent to fork from.  It gets a
 * PID, a kernel stack and a first-switch frame that starts it in
 * init_first_run(), which opens the console and execs the init program.
 */
#include "kernel/errno.h"
#include "kernel/fpu.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "proc/exec.h"
#include "proc/proc.h"
#include "proc/cgroup.h"
#include "sched/sched.h"

static const char *init_path;
static const char *init_run; /* run= from the command line, passed to init's environment */

/*
 * PID 1's first moments, on its own kernel stack (like fork_return): give it
 * the console as stdin, stdout and stderr, then execve the init program.
 */
static NORETURN void init_first_run(void)
{
    sti();
    struct proc *self = current;
    for (int fd = 0; fd < 3; fd++) {
        struct inode *console;
        long error;
        if (vfs_lookup("/dev/console", vfs_root, LOOKUP_FOLLOW, &console) < 0)
            panic("init: no /dev/console");
        struct file *file = file_open_inode(console, O_RDWR, "/dev/console", &error);
        inode_put(console);
        if (!file || fd_install(file, 0, false) != fd)
            panic("init: cannot open the console");
    }
    /* run= goes into init's environment; without memory for it, init runs without it. */
    char *run = init_run ? kmalloc(strlen(init_run) + 5) : NULL;
    if (run) {
        strlcpy(run, "run=", 5);
        strlcat(run, init_run, strlen(init_run) + 5);
    }
    const char *argv[] = {init_path, NULL};
    const char *envp[] = {"HOME=/", "PATH=/bin", "TERM=linux", "SHELL=/bin/sh", run, NULL};
    int error = exec_from_kernel(init_path, argv, envp);
    kfree(run);
    if (error)
        panic("cannot run init program %s (error %d); try init=/bin/sh", init_path, error);
    exit_to_user(self->tf);
    trap_return(self->tf);
}

void proc_start_init(const char *path, const char *run)
{
    init_path = path;
    init_run = run;
    struct proc *p = proc_alloc();
    if (IS_ERR(p))
        panic("cannot create the first process");
    ASSERT(p->pid == 1);
    init_proc = p;
    if (cgroup_fork(p, current) < 0) /* from the idle process: the root group */
        panic("cannot create the first process");
    proc_set_name(p, "init");
    p->files = fd_table_create();
    p->cwd = vfs_root;
    inode_get(vfs_root);
    if (!p->files)
        panic("cannot create the first process");
    p->sid = p->pgid = 1;
    proc_prepare_first_switch(p, init_first_run);
    fpu_init_state(p->fpu);
    sched_make_ready(p);
}

struct proc *proc_start_kernel_thread(const char *name, void (*start)(void))
{
    struct proc *p = proc_alloc();
    if (IS_ERR(p))
        return NULL;
    proc_set_name(p, name);
    /* An empty descriptor table and "/" as its directory, so /proc/PID/fd,
     * lsof and /proc/PID/cwd show it like any process. */
    p->files = fd_table_create();
    if (!p->files) {
        proc_free(p);
        return NULL;
    }
    p->cwd = vfs_root;
    inode_get(vfs_root);
    proc_prepare_first_switch(p, start);
    fpu_init_state(p->fpu);
    sched_make_ready(p);
    return p;
}
