/*
 * coredump.c - the core file a dying process leaves behind (see coredump.h).
 *
 * The file is what gdb expects from Linux (the System V ABI's core format
 * plus Linux's notes), so `gdb prog core` on the host shows the backtrace,
 * the registers and the memory of the moment the process died:
 *
 *   offset 0      ELF header: type ET_CORE, e_phnum = 1 + number of regions
 *   64            program headers: PT_NOTE, PT_LOAD, PT_LOAD, ...
 *   ...           the notes (what PT_NOTE points at)
 *   page-aligned  each readable region's bytes, in address order; a region
 *                 that cannot be read (PROT_NONE) gets p_filesz 0
 *
 * Only pages the process has touched are written; the others are left as
 * holes, which read back as the zeros the process would have seen.  The
 * file never grows past RLIMIT_CORE: a core cut short by it stays, and the
 * wait status still says "core dumped" (as on Linux).
 */
#include "proc/coredump.h"
#include "kernel/errno.h"
#include "kernel/fpu.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/vfs.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/x86.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/swap.h"
#include "mm/vm.h"
#include "proc/elf.h"
#include "proc/proc.h"
#include "proc/thread.h"
#include "proc/signal.h"
#include "sched/sched.h"

/* --- the ELF header and program headers come from proc/elf.h ---------- */

#define CORE_MAX_PHNUM 0xFFFE /* 0xFFFF means "the count is elsewhere" (PN_XNUM) */

/* --- Linux's note types and their contents (x86-64 layouts) ------------- */

#define NT_PRSTATUS 1
#define NT_PRFPREG 2
#define NT_PRPSINFO 3
#define NT_AUXV 6
#define NT_SIGINFO 0x53494749 /* "SIGI" */

struct core_timeval {
    i64 sec, usec;
};

/* Linux's struct user_regs_struct: the order gdb reads registers in. */
struct core_user_regs {
    u64 r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    u64 rax, rcx, rdx, rsi, rdi, orig_rax;
    u64 rip, cs, eflags, rsp, ss;
    u64 fs_base, gs_base, ds, es, fs, gs;
};

/* struct elf_prstatus: who died of what, and its registers. */
struct core_prstatus {
    i32 si_signo, si_code, si_errno; /* struct elf_siginfo */
    i16 cursig;                      /* the signal that killed it */
    u64 sigpend, sighold;            /* pending and blocked signals */
    i32 pid, ppid, pgrp, sid;
    struct core_timeval utime, stime, cutime, cstime;
    struct core_user_regs regs;
    i32 fpvalid; /* 1: an NT_PRFPREG note follows */
};
_Static_assert(__builtin_offsetof(struct core_prstatus, pid) == 32, "elf_prstatus.pr_pid");
_Static_assert(__builtin_offsetof(struct core_prstatus, regs) == 112, "elf_prstatus.pr_reg");
_Static_assert(sizeof(struct core_prstatus) == 336, "struct elf_prstatus is 336 bytes");

/* struct elf_prpsinfo: what ps would show. */
struct core_prpsinfo {
    char state, sname, zombie, nice;
    u64 flag;
    u32 uid, gid;
    i32 pid, ppid, pgrp, sid;
    char fname[16];  /* the command name */
    char psargs[80]; /* the start of the command line, arguments separated by spaces */
};
_Static_assert(sizeof(struct core_prpsinfo) == 136, "struct elf_prpsinfo is 136 bytes");

/* siginfo_t (128 bytes): for faults the address, for kill() the sender. */
struct core_siginfo {
    i32 signo, errno_value, code, pad;
    u64 fields[14]; /* [0]: si_addr, or si_pid | si_uid << 32 */
};
_Static_assert(sizeof(struct core_siginfo) == 128, "siginfo_t is 128 bytes");

#define AUXV_MAX_PAIRS 64
#define NOTES_SIZE 4096 /* all the notes above fit, with room to spare */

/* --- writing the file ------------------------------------------------------- */

struct core_file {
    struct inode *inode;
    u64 limit; /* RLIMIT_CORE: no byte at or beyond this offset */
    int error; /* the first failure; every later write does nothing */
};

/* Write `length` bytes at `offset`, stopping at the limit (then -EFBIG). */
static void core_write_at(struct core_file *core, u64 offset, const void *data, u64 length)
{
    if (core->error)
        return;
    if (offset >= core->limit || length > core->limit - offset) {
        length = offset < core->limit ? core->limit - offset : 0;
        core->error = -EFBIG;
    }
    if (length == 0)
        return;
    long written = core->inode->ops->write(core->inode, offset, data, length);
    if (written != (long)length)
        core->error = written < 0 ? (int)written : -ENOSPC;
}

/* Between chunks: let other processes run, and stop if SIGKILL wants us gone now. */
static void core_pause_point(struct core_file *core)
{
    struct proc *self = current;
    if (self->signals.pending & SIGMASK(SIGKILL))
        core->error = -EINTR;
    if (self->need_resched) {
        cli();
        schedule();
        sti();
    }
}

/*
 * Create `core` in the process's working directory, a new empty file.  As on
 * Linux, an old `core` (a file, a symlink, one of several hard links) is
 * unlinked first, so nothing is written through a link into someone else's
 * file; a directory named `core` means no core.
 */
static int core_create(struct proc *p, struct inode **result)
{
    struct inode *dir = p->cwd, *old = NULL;
    if (!dir)
        return -ENOENT;
    if (!dir->ops->create || !dir->ops->unlink)
        return -EACCES; /* /proc: no new files there */
    /* The same permissions as rm core; cat > core: a user cannot dump into
     * (or remove) someone else's directory or file. */
    int error = vfs_lookup(CORE_FILE_NAME, dir, 0, &old);
    if (error == 0) {
        bool is_dir = S_ISDIR(old->mode);
        error = is_dir ? -EISDIR : inode_may_delete(dir, old);
        inode_put(old);
        if (!error)
            error = dir->ops->unlink(dir, CORE_FILE_NAME);
    } else if (error == -ENOENT) {
        error = inode_permission(dir, MAY_WRITE | MAY_EXEC);
    }
    if (error)
        return error;
    struct inode *inode = NULL;
    error = dir->ops->create(dir, CORE_FILE_NAME, CORE_FILE_MODE & ~p->umask, &inode);
    if (error)
        return error;
    if (!S_ISREG(inode->mode) || !inode->ops->write || !inode->ops->truncate) {
        inode_put(inode);
        return -EPERM;
    }
    *result = inode;
    return 0;
}

/* --- the notes ---------------------------------------------------------------- */

/* Append one note ("CORE", type, desc) to buf at *used; false if it does not fit. */
static bool note_add(u8 *buf, size_t *used, u32 type, const void *desc, u32 size)
{
    u32 header[3] = {5, size, type}; /* namesz ("CORE" and its NUL), descsz, type */
    size_t total = sizeof header + 8 + ALIGN_UP(size, 4);
    if (*used + total > NOTES_SIZE)
        return false;
    u8 *at = buf + *used;
    memset(at, 0, total);
    memcpy(at, header, sizeof header);
    memcpy(at + sizeof header, "CORE", 5);
    memcpy(at + sizeof header + 8, desc, size);
    *used += total;
    return true;
}

static struct core_timeval ticks_to_timeval(u64 ticks)
{
    u64 us = ticks * (1000000 / HZ);
    return (struct core_timeval){(i64)(us / 1000000), (i64)(us % 1000000)};
}

static void fill_prstatus(struct core_prstatus *s, struct proc *p, int sig,
                          const struct trap_frame *f)
{
    memset(s, 0, sizeof *s);
    s->si_signo = s->cursig = (i16)sig;
    s->sigpend = p->signals.pending;
    s->sighold = p->signals.blocked;
    s->pid = p->pid;
    s->ppid = p->parent ? p->parent->pid : 0;
    s->pgrp = p->pgid;
    s->sid = p->sid;
    u64 utime, stime;
    thread_group_cputime(p, &utime, &stime);
    s->utime = ticks_to_timeval(utime);
    s->stime = ticks_to_timeval(stime);
    s->cutime = ticks_to_timeval(p->cutime_ticks);
    s->cstime = ticks_to_timeval(p->cstime_ticks);
    /* The same values PTRACE_GETREGS gives (proc/ptrace.c). */
    s->regs = (struct core_user_regs){
        f->r15,    f->r14, f->r13, f->r12,     f->rbp, f->rbx, f->r11,      f->r10, f->r9,
        f->r8,     f->rax, f->rcx, f->rdx,     f->rsi, f->rdi, f->orig_rax, f->rip, f->cs,
        f->rflags, f->rsp, f->ss,  p->fs_base, 0,      f->ss,  f->ss,       0,      0,
    };
    s->fpvalid = 1;
}

static void fill_prpsinfo(struct core_prpsinfo *s, struct proc *p)
{
    memset(s, 0, sizeof *s);
    s->state = 0; /* running: it is the one dying */
    s->sname = 'R';
    s->pid = p->pid;
    s->uid = p->cred.uid;
    s->gid = p->cred.gid;
    s->ppid = p->parent ? p->parent->pid : 0;
    s->pgrp = p->pgid;
    s->sid = p->sid;
    strlcpy(s->fname, p->name, sizeof s->fname);
    struct mm *mm = p->mm;
    u64 length = MIN(mm->arg_end - mm->arg_start, sizeof s->psargs - 1);
    if (mm->arg_end > mm->arg_start &&
        vm_access(mm, mm->arg_start, s->psargs, length, VM_ACCESS_READ) == 0) {
        for (u64 i = 0; i + 1 < length; i++)
            if (s->psargs[i] == '\0')
                s->psargs[i] = ' '; /* "segv kernel", as ps shows it */
    } else {
        s->psargs[0] = '\0';
    }
}

static void fill_siginfo(struct core_siginfo *s, int sig, const struct pending_info *info)
{
    memset(s, 0, sizeof *s);
    s->signo = sig;
    s->code = info->code;
    if (info->code > 0 && info->code != SI_KERNEL)
        s->fields[0] = info->value; /* a fault: si_addr */
    else
        s->fields[0] = (u32)info->pid | (u64)info->uid << 32; /* kill(), tkill(): si_pid, si_uid */
}

/* Read one word of the process's memory; false if it cannot be read. */
static bool read_word(struct mm *mm, u64 addr, u64 *value)
{
    return vm_access(mm, addr, value, sizeof *value, VM_ACCESS_READ) == 0;
}

/*
 * The auxiliary vector exec left on the initial stack (proc/exec.c,
 * setup_stack): argc, argv[0..argc-1], NULL, envp..., NULL, auxv pairs up
 * to AT_NULL.  argv[0] points at the first argument string, which is
 * mm->arg_start, so look for that word below the strings.  Returns the
 * number of u64 words stored in auxv (pairs, AT_NULL included), 0 if the
 * program has overwritten that part of its stack.
 */
static size_t read_auxv(struct mm *mm, u64 *auxv)
{
    u64 argv0 = mm->arg_start, at = ALIGN_DOWN(argv0, 8), argc = 0, word = ~0ull;
    u64 lowest = at > 64 * 1024 ? at - 64 * 1024 : 0;
    while (at > lowest) { /* back to the word that holds argv[0] */
        at -= 8;
        if (!read_word(mm, at, &word))
            return 0;
        if (word == argv0)
            break;
    }
    if (word != argv0 || !read_word(mm, at - 8, &argc) || argc == 0 || argc > ARG_MAX)
        return 0;
    at += argc * 8; /* argv[argc]: NULL */
    if (!read_word(mm, at, &word) || word != 0)
        return 0;
    do { /* envp, up to its NULL */
        at += 8;
        if (!read_word(mm, at, &word))
            return 0;
    } while (word != 0 && at < argv0);
    at += 8; /* the first auxv pair */
    for (size_t n = 0; n + 2 <= AUXV_MAX_PAIRS * 2; n += 2) {
        if (!read_word(mm, at + n * 8, &auxv[n]) || !read_word(mm, at + n * 8 + 8, &auxv[n + 1]))
            return 0;
        if (auxv[n] == 0) /* AT_NULL */
            return n + 2;
    }
    return 0;
}

/* Every note, into buf (NOTES_SIZE bytes); returns the length. */
static size_t build_notes(u8 *buf, struct proc *p, int sig, const struct pending_info *info,
                          const struct trap_frame *frame)
{
    size_t used = 0;
    struct core_prstatus status;
    fill_prstatus(&status, p, sig, frame);
    note_add(buf, &used, NT_PRSTATUS, &status, sizeof status);
    struct core_prpsinfo ps;
    fill_prpsinfo(&ps, p);
    note_add(buf, &used, NT_PRPSINFO, &ps, sizeof ps);
    struct core_siginfo si;
    fill_siginfo(&si, sig, info);
    note_add(buf, &used, NT_SIGINFO, &si, sizeof si);
    u64 auxv[AUXV_MAX_PAIRS * 2];
    size_t words = read_auxv(p->mm, auxv);
    if (words)
        note_add(buf, &used, NT_AUXV, auxv, (u32)(words * 8));
    /* The process is on this CPU, so its FPU/SSE registers are the CPU's. */
    u8 fpu[FPU_STATE_SIZE] __attribute__((aligned(16)));
    fpu_save(fpu);
    note_add(buf, &used, NT_PRFPREG, fpu, sizeof fpu);
    return used;
}

/* --- the memory ------------------------------------------------------------------ */

/* Does the region go into the file? (PROT_NONE: only its header.) */
static bool region_dumped(const struct vma *vma) { return (vma->prot & VM_READ) != 0; }

struct page_copy {
    struct core_file *core;
    struct mm *mm;
    u64 region_start; /* the region's first address ... */
    u64 file_offset;  /* ... and where its bytes go in the file */
};

/* pagetable_walk_all callback: one page of the region into the file. */
static void copy_page(u64 va, pte_t *entry, void *arg)
{
    struct page_copy *copy = arg;
    u64 at = copy->file_offset + (va - copy->region_start);
    if (pte_is_swap(*entry)) { /* out on swap: read it back (mm/reclaim.c) */
        u8 *bounce = kmalloc(PAGE_SIZE);
        if (bounce && vm_access(copy->mm, va, bounce, PAGE_SIZE, VM_ACCESS_READ) == 0)
            core_write_at(copy->core, at, bounce, PAGE_SIZE);
        kfree(bounce);
        return;
    }
    if (!(*entry & PTE_PRESENT))
        return; /* a PROT_NONE page keeps a frame but is not readable */
    /* Writing the file may sleep: hold the frame so reclaim cannot free it. */
    phys_addr_t frame = PTE_ADDRESS(*entry);
    frame_get(frame);
    core_write_at(copy->core, at, phys_to_virt(frame), PAGE_SIZE);
    swap_frame_put(frame);
}

#define CORE_CHUNK (64ull * 1024 * 1024) /* written between two pause points */

/* The region's resident pages; untouched pages stay holes in the file. */
static void write_region(struct core_file *core, struct mm *mm, const struct vma *vma,
                         u64 file_offset)
{
    struct page_copy copy = {core, mm, vma->start, file_offset};
    for (u64 at = vma->start; at < vma->end && !core->error; at += CORE_CHUNK) {
        pagetable_walk_all(mm->pml4, at, MIN(vma->end, at + CORE_CHUNK), copy_page, &copy);
        core_pause_point(core);
    }
}

/* --- the whole file ---------------------------------------------------------------- */

static void write_headers(struct core_file *core, struct mm *mm, u64 phnum, u64 notes_size,
                          u64 data_start)
{
    struct elf64_ehdr eh = {
        .ident = {0x7F, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* little-endian */, 1 /* version */},
        .type = ET_CORE,
        .machine = EM_X86_64,
        .version = 1,
        .phoff = sizeof eh,
        .ehsize = sizeof eh,
        .phentsize = sizeof(struct elf64_phdr),
        .phnum = (u16)phnum,
    };
    core_write_at(core, 0, &eh, sizeof eh);
    u64 at = sizeof eh;
    struct elf64_phdr note = {
        .type = PT_NOTE,
        .offset = sizeof eh + phnum * sizeof note,
        .filesz = notes_size,
        .align = 4,
    };
    core_write_at(core, at, &note, sizeof note);
    at += sizeof note;

    u64 offset = data_start;
    struct vma *vma;
    list_for_each_entry (vma, &mm->vmas, node) {
        u64 size = vma->end - vma->start;
        struct elf64_phdr load = {
            .type = PT_LOAD,
            .flags = ((vma->prot & VM_READ) ? PF_R : 0) | ((vma->prot & VM_WRITE) ? PF_W : 0) |
                     ((vma->prot & VM_EXEC) ? PF_X : 0),
            .offset = offset,
            .vaddr = vma->start,
            .filesz = region_dumped(vma) ? size : 0,
            .memsz = size,
            .align = PAGE_SIZE,
        };
        core_write_at(core, at, &load, sizeof load);
        at += sizeof load;
        offset += load.filesz;
    }
}

/* Write the whole core into core->inode; returns its size (valid if !core->error). */
static u64 write_core(struct core_file *core, struct proc *p, int sig,
                      const struct pending_info *info, const struct trap_frame *frame)
{
    struct mm *mm = p->mm;
    u64 regions = 0;
    struct vma *vma;
    list_for_each_entry (vma, &mm->vmas, node)
        regions++;
    if (regions + 1 > CORE_MAX_PHNUM) {
        core->error = -E2BIG;
        return 0;
    }
    u8 *notes = kmalloc(NOTES_SIZE);
    if (!notes) {
        core->error = -ENOMEM;
        return 0;
    }
    u64 phnum = regions + 1;
    u64 notes_offset = sizeof(struct elf64_ehdr) + phnum * sizeof(struct elf64_phdr);
    u64 notes_size = build_notes(notes, p, sig, info, frame);
    u64 data_start = ALIGN_UP(notes_offset + notes_size, PAGE_SIZE);

    write_headers(core, mm, phnum, notes_size, data_start);
    core_write_at(core, notes_offset, notes, notes_size);
    kfree(notes);

    u64 offset = data_start;
    list_for_each_entry (vma, &mm->vmas, node) {
        if (!region_dumped(vma))
            continue;
        write_region(core, mm, vma, offset);
        offset += vma->end - vma->start;
    }
    return offset;
}

bool coredump_write(int sig, const struct pending_info *info, const struct trap_frame *frame)
{
    struct proc *p = current;
    struct core_file core = {.limit = p->rlimits[RLIMIT_CORE].cur};
    if (!p->mm || core.limit < PAGE_SIZE)
        return false; /* (Linux too writes nothing under one page) */
    if (p->cred.uid != p->cred.euid || p->cred.gid != p->cred.egid)
        return false; /* a set-user-ID program's memory may hold its owner's secrets */
    if (core_create(p, &core.inode) < 0)
        return false;
    u64 size = write_core(&core, p, sig, info, frame);
    if (!core.error && size > core.limit)
        core.error = -EFBIG; /* (only holes were left to write) */
    /* Holes at the end: the file still ends where the last region does. */
    if (!core.error && core.inode->size < size)
        core.error = core.inode->ops->truncate(core.inode, size);
    if (core.error == -ENOSPC || core.error == -ENOMEM)
        core.inode->ops->truncate(core.inode, 0); /* give the memory back (ramfs is RAM) */
    inode_put(core.inode);
    /* Cut short by RLIMIT_CORE still counts as dumped (Linux says so too). */
    return core.error == 0 || core.error == -EFBIG;
}
