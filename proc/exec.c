/*
 * exec.c - execve: the same process, a new program.
 *
 * The PID, parent, open files (except close-on-exec ones) and limits stay;
 * the memory is replaced: a fresh address space gets the executable's
 * segments, an empty heap and a new stack holding argc, argv, envp and the
 * auxiliary vector.  Everything that can fail is done *before* the old
 * address space is dropped, so a failed execve returns an error to a process
 * that is still intact.
 */
#include "proc/exec.h"
#include "proc/exec_interp.h"
#include "proc/cgroup.h"
#include "kernel/errno.h"
#include "kernel/fpu.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/gdt.h"
#include "kernel/lib/string.h"
#include "kernel/param.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "mm/vm.h"
#include "proc/elf.h"
#include "proc/exit.h"
#include "proc/posix_timer.h"
#include "proc/proc.h"
#include "proc/ptrace.h"
#include "kernel/fs/permission.h"
#include "proc/thread.h"
#include "proc/signal.h"
#include "sched/sched.h"
#include "sched/trace.h"

#define MAX_SCRIPT_DEPTH 4
#define INITIAL_STACK_SIZE (128 * 1024) /* the stack region at exec; it grows on demand */

/* argv and envp, copied into the kernel before the old program is gone. */
struct exec_args {
    int argc, envc;
    char **argv, **envp; /* kmalloc'd strings */
    u64 bytes;           /* strings + pointers, against ARG_MAX */
};

static void args_free(struct exec_args *a)
{
    for (int i = 0; i < a->argc; i++)
        kfree(a->argv[i]);
    for (int i = 0; i < a->envc; i++)
        kfree(a->envp[i]);
    kfree(a->argv);
    kfree(a->envp);
    memset(a, 0, sizeof *a);
}

/* Append a copy of `s` to a vector (grown by doubling). */
static int vector_push(char ***vec, int *count, const char *s, size_t len, u64 *bytes)
{
    if ((*count & (*count - 1)) == 0) { /* 0, 1, 2, 4, 8...: time to grow */
        char **bigger = kmalloc((size_t)MAX(*count * 2, 8) * sizeof(char *));
        if (!bigger)
            return -ENOMEM;
        if (*count)
            memcpy(bigger, *vec, (size_t)*count * sizeof(char *));
        kfree(*vec);
        *vec = bigger;
    }
    char *copy = kmalloc(len + 1);
    if (!copy)
        return -ENOMEM;
    memcpy(copy, s, len);
    copy[len] = '\0';
    (*vec)[(*count)++] = copy;
    *bytes += len + 1 + sizeof(char *);
    return *bytes > ARG_MAX ? -E2BIG : 0;
}

/*
 * Copy one user string into *buf (kmalloc'd, *capacity bytes), growing the
 * buffer by doubling when the string does not fit, up to MAX_ARG_STRLEN (a
 * longer string is E2BIG, as on Linux).  Most arguments are short: starting
 * at ARG_BUFFER_START instead of MAX_ARG_STRLEN saves every exec from
 * allocating (and the debug heap from poisoning) 128 KiB.
 * Returns the length or -errno.
 */
#define ARG_BUFFER_START 1024
_Static_assert((MAX_ARG_STRLEN / ARG_BUFFER_START & (MAX_ARG_STRLEN / ARG_BUFFER_START - 1)) == 0,
               "doubling from ARG_BUFFER_START must land on MAX_ARG_STRLEN");
static long copy_user_arg(const char *s, char **buf, size_t *capacity)
{
    for (;;) {
        long len = strncpy_from_user(*buf, s, *capacity);
        if (len != -ENAMETOOLONG)
            return len;
        if (*capacity >= MAX_ARG_STRLEN)
            return -E2BIG;
        char *bigger = kmalloc(*capacity * 2);
        if (!bigger)
            return -ENOMEM;
        kfree(*buf);
        *buf = bigger;
        *capacity *= 2;
    }
}

/* Copy a NULL-terminated vector of user strings (argv or envp). */
static int copy_user_vector(const char *const *user_vec, char ***vec, int *count, u64 *bytes)
{
    if (!user_vec)
        return 0; /* Linux accepts NULL as an empty list */
    size_t capacity = ARG_BUFFER_START;
    char *buf = kmalloc(capacity);
    if (!buf)
        return -ENOMEM;
    int error = 0;
    for (u64 i = 0;; i++) {
        const char *s;
        if (copy_from_user(&s, &user_vec[i], sizeof s) < 0) {
            error = -EFAULT;
            break;
        }
        if (!s)
            break;
        long len = copy_user_arg(s, &buf, &capacity);
        if (len < 0) {
            error = (int)len;
            break;
        }
        if ((error = vector_push(vec, count, buf, (size_t)len, bytes)) < 0)
            break;
    }
    kfree(buf);
    return error;
}

/* Insert `s` at position `index` of argv (for #! scripts). */
static int argv_insert(struct exec_args *a, int index, const char *s)
{
    int error = vector_push(&a->argv, &a->argc, s, strlen(s), &a->bytes);
    if (error)
        return error;
    char *moved = a->argv[a->argc - 1];
    memmove(&a->argv[index + 1], &a->argv[index], (size_t)(a->argc - 1 - index) * sizeof(char *));
    a->argv[index] = moved;
    return 0;
}

/* Read `size` bytes at `offset` of a regular file into a kernel buffer. */
static long read_file(struct inode *inode, u64 offset, void *buf, size_t size)
{
    return inode->ops->read ? inode->ops->read(inode, offset, buf, size) : -EACCES;
}

/* Does any other segment touch the pages of segment `i`? */
static bool shares_a_page(const struct elf_image *image, int i)
{
    const struct elf_segment *s = &image->segments[i];
    u64 start = ALIGN_DOWN(s->vaddr, PAGE_SIZE), end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
    for (int j = 0; j < image->nsegments; j++) {
        const struct elf_segment *o = &image->segments[j];
        u64 o_start = ALIGN_DOWN(o->vaddr, PAGE_SIZE);
        if (j != i && o_start < end && start < ALIGN_UP(o->vaddr + o->memsz, PAGE_SIZE))
            return true;
    }
    return false;
}

/*
 * Map segment `s` from the page cache (demand paging, like Linux's
 * elf_map): the pages holding its file bytes become a file-backed private
 * region, so text pages are the cache's frames, shared read-only by every
 * process running the program, and data pages are copied on their first
 * write.  The rest (bss) is anonymous and zero-filled.  A writable
 * segment's last file page is copied now and its tail past filesz zeroed.
 *
 *   vaddr (down to a page)    vaddr + filesz           vaddr + memsz
 *   |-- file pages: page cache --|-- bss: anonymous zero pages --|
 */
static int map_segment(struct mm *mm, struct file *file, const struct elf_segment *s, u32 prot)
{
    u64 start = ALIGN_DOWN(s->vaddr, PAGE_SIZE), end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
    u64 file_end = ALIGN_UP(s->vaddr + s->filesz, PAGE_SIZE);
    int error = vm_map(mm, start, file_end - start, prot, VMA_CODE);
    if (error)
        return error;
    struct vma *vma = vm_find(mm, start);
    vma->file = file;
    file_get(file);
    vma->file_offset = ALIGN_DOWN(s->offset, PAGE_SIZE);
    u64 tail = (s->vaddr + s->filesz) % PAGE_SIZE;
    if (tail && (prot & VM_WRITE)) { /* a read-only one shows the file's next bytes, as on Linux */
        static const u8 zeros[PAGE_SIZE];
        error =
            vm_access(mm, s->vaddr + s->filesz, (void *)zeros, PAGE_SIZE - tail, VM_ACCESS_WRITE);
        if (error)
            return error == -EFAULT ? -EIO : error;
    }
    if (end > file_end && (error = vm_map(mm, file_end, end - file_end, prot, VMA_CODE)) < 0)
        return error;
    return 0;
}

/* Can segment i come from the page cache?  The file system must have one, the segment's
 * offset and address must agree within a page, it must own its pages, and a read-only
 * segment's memory must be all file (its bss tail could not be zeroed). */
static bool can_map(const struct elf_image *image, int i, struct file *file)
{
    const struct elf_segment *s = &image->segments[i];
    if (!file || s->filesz == 0 || (s->vaddr - s->offset) % PAGE_SIZE != 0)
        return false;
    if (!(s->flags & PF_W) && s->memsz != s->filesz)
        return false;
    return !shares_a_page(image, i);
}

int exec_load_segments(struct mm *mm, struct inode *inode, const struct elf_image *image,
                       const char *path)
{
    u8 *chunk = kmalloc(PAGE_SIZE);
    if (!chunk)
        return -ENOMEM;
    long open_error;
    struct file *file = inode->ops->get_page ? file_open_inode(inode, O_RDONLY, path, &open_error)
                                             : NULL; /* no page cache: every segment is copied */
    int error = 0;
    for (int i = 0; i < image->nsegments && !error; i++) {
        const struct elf_segment *s = &image->segments[i];
        u64 start = ALIGN_DOWN(s->vaddr, PAGE_SIZE), end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
        u32 prot = ((s->flags & PF_R) ? VM_READ : 0) | ((s->flags & PF_W) ? VM_WRITE : 0) |
                   ((s->flags & PF_X) ? VM_EXEC : 0);
        if (prot & VM_EXEC) {
            mm->start_code = mm->start_code ? MIN(mm->start_code, s->vaddr) : s->vaddr;
            mm->end_code = MAX(mm->end_code, s->vaddr + s->filesz);
        }
        if (prot & VM_WRITE) {
            mm->start_data = mm->start_data ? MIN(mm->start_data, s->vaddr) : s->vaddr;
            mm->end_data = MAX(mm->end_data, s->vaddr + s->memsz);
        }
        if (can_map(image, i, file)) {
            error = map_segment(mm, file, s, prot);
            continue;
        }
        /* Two segments may share a page: that page gets both sets of rights. */
        struct vma *below = vm_find(mm, start);
        if (below) {
            u64 shared_end = MIN(below->end, end);
            vm_protect(mm, start, shared_end - start, below->prot | prot);
            start = shared_end;
        }
        if (start < end && (error = vm_map(mm, start, end - start, prot, VMA_CODE)) < 0)
            break;
        struct vma *vma = vm_find(mm, start);
        if (vma)
            vma->file_offset =
                ALIGN_DOWN(s->offset, PAGE_SIZE) + (start - ALIGN_DOWN(s->vaddr, PAGE_SIZE));
        /* Copy the file's bytes; the rest (bss) stays zero: new frames are zeroed. */
        for (u64 done = 0; done < s->filesz && !error; done += PAGE_SIZE) {
            size_t n = (size_t)MIN((u64)PAGE_SIZE, s->filesz - done);
            if (read_file(inode, s->offset + done, chunk, n) != (long)n)
                error = -EIO;
            else if (vm_access(mm, s->vaddr + done, chunk, n, VM_ACCESS_WRITE | VM_ACCESS_FORCE) <
                     0)
                error = -ENOMEM;
        }
    }
    if (file)
        file_put(file); /* the regions hold their own references */
    kfree(chunk);
    return error;
}

/* auxiliary vector keys (Linux) */
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_HWCAP2 26
#define AT_EXECFN 31

/*
 * The initial stack (System V x86-64 ABI), built in a kernel buffer and
 * copied to the top of the new address space:
 *
 *   stack_top -> [ 16 random bytes | "x86_64" | path | env strings | arg strings ]
 *                [ padding to 16 bytes                                           ]
 *                [ auxv: (key, value) pairs ... AT_NULL                          ]
 *                [ envp[0..envc-1], NULL                                         ]
 *                [ argv[0..argc-1], NULL                                         ]
 *   rsp ->       [ argc                                                          ]
 */
static int setup_stack(struct mm *mm, const struct exec_args *a, const struct elf_image *image,
                       u64 interp_base, const char *path, const struct cred *cred, u64 *rsp)
{
    u64 strings = 16 + 8 + strlen(path) + 1;
    for (int i = 0; i < a->argc; i++)
        strings += strlen(a->argv[i]) + 1;
    for (int i = 0; i < a->envc; i++)
        strings += strlen(a->envp[i]) + 1;
    u64 vectors = (u64)(1 + a->argc + 1 + a->envc + 1 + 2 * 20) * 8;
    u64 total = ALIGN_UP(strings, 16) + ALIGN_UP(vectors, 16);
    u64 region = ALIGN_UP(total + INITIAL_STACK_SIZE, PAGE_SIZE);
    u64 top = mm->stack_top;
    int error = vm_map(mm, top - region, region, VM_READ | VM_WRITE, VMA_STACK);
    if (error)
        return error;

    u8 *buf = kzalloc(total);
    if (!buf)
        return -ENOMEM;
    u64 base = top - total; /* user address of buf[0] */
    u64 at = total;         /* fill strings downwards from the top */
#define PUT_BYTES(src, n) (at -= (n), memcpy(buf + at, (src), (n)), base + at)
    u8 random_bytes[16];
    random_fill(random_bytes, sizeof random_bytes);
    u64 random_addr = PUT_BYTES(random_bytes, 16);
    u64 platform_addr = PUT_BYTES("x86_64", 7);
    u64 execfn_addr = PUT_BYTES(path, strlen(path) + 1);
    u64 *envp = kmalloc((size_t)(a->envc + 1) * 8), *argv = kmalloc((size_t)(a->argc + 1) * 8);
    if (!envp || !argv) {
        error = -ENOMEM;
        goto out;
    }
    mm->env_end = base + at;
    for (int i = a->envc - 1; i >= 0; i--)
        envp[i] = PUT_BYTES(a->envp[i], strlen(a->envp[i]) + 1);
    mm->env_start = base + at;
    mm->arg_end = base + at;
    for (int i = a->argc - 1; i >= 0; i--)
        argv[i] = PUT_BYTES(a->argv[i], strlen(a->argv[i]) + 1);
    mm->arg_start = base + at;
#undef PUT_BYTES

    u32 eax, ebx, ecx, edx;
    cpuid(1, 0, &eax, &ebx, &ecx, &edx);
    u64 auxv[][2] = {
        {AT_PHDR, image->phdr_vaddr},
        {AT_PHENT, image->phentsize},
        {AT_PHNUM, image->phnum},
        {AT_PAGESZ, PAGE_SIZE},
        {AT_BASE, interp_base}, /* the dynamic loader, 0 for a static program */
        {AT_FLAGS, 0},
        {AT_ENTRY, image->entry},
        {AT_UID, cred->uid},
        {AT_EUID, cred->euid},
        {AT_GID, cred->gid},
        {AT_EGID, cred->egid},
        {AT_PLATFORM, platform_addr},
        {AT_HWCAP, edx},
        {AT_HWCAP2, 0},
        {AT_CLKTCK, HZ},
        {AT_SECURE, cred->uid != cred->euid || cred->gid != cred->egid},
        {AT_RANDOM, random_addr},
        {AT_EXECFN, execfn_addr},
        {AT_NULL, 0},
    };
    /* The vectors start 16-byte aligned, so rsp (pointing at argc) is too. */
    u64 words = 1 + (u64)a->argc + 1 + (u64)a->envc + 1 + ARRAY_SIZE(auxv) * 2;
    u64 start = ALIGN_DOWN(at - words * 8, 16);
    u64 *w = (u64 *)(buf + start);
    *w++ = (u64)a->argc;
    for (int i = 0; i < a->argc; i++)
        *w++ = argv[i];
    *w++ = 0;
    for (int i = 0; i < a->envc; i++)
        *w++ = envp[i];
    *w++ = 0;
    memcpy(w, auxv, sizeof auxv);
    *rsp = base + start;
    error = vm_access(mm, base + start, buf + start, total - start, VM_ACCESS_WRITE);
out:
    kfree(envp);
    kfree(argv);
    kfree(buf);
    return error;
}

/* The address-space layout for a new program whose segments end at `highest`. */
static void place_regions(struct mm *mm, u64 highest, const struct proc *p)
{
    mm->stack_top = USER_TOP;
    u64 stack_room = MIN(p->rlimits[RLIMIT_STACK].cur, 1ull << 30);
    mm->mmap_base = ALIGN_DOWN(mm->stack_top - stack_room - STACK_GUARD_GAP, PAGE_SIZE);
    mm->brk_start = mm->brk = ALIGN_UP(highest, PAGE_SIZE);
}

/*
 * Read the start of the executable into a new buffer (*buffer, for kfree):
 * the first page, or more when the program headers go on beyond it (Linux
 * allows a page of them, wherever they start).  Returns the length read or -errno; *buffer is
 * NULL only when it could not be allocated.
 */
long exec_read_headers(struct inode *inode, u8 **buffer)
{
    size_t size = ELF_HEADER_READ;
    for (;;) {
        u8 *buf = *buffer = kmalloc(size);
        if (!buf)
            return -ENOMEM;
        long n = read_file(inode, 0, buf, size);
        u64 need = n > 0 ? elf_headers_end(buf, (size_t)n) : 0;
        if (n >= 0 && need > (u64)n && need <= inode->size && need <= ELF_HEADERS_MAX &&
            size == ELF_HEADER_READ) {
            kfree(buf); /* once more, with room for every program header */
            size = (size_t)need;
            continue;
        }
        return n;
    }
}

/* Build the new address space for `inode`; nothing of the caller changes. */
static int build_mm(struct inode *inode, const struct exec_args *args, const char *path,
                    const struct cred *cred, struct mm **result, u64 *entry, u64 *rsp)
{
    u8 *header;
    long n = exec_read_headers(inode, &header);
    if (!header)
        return (int)n;
    struct elf_image image;
    int error = n < 0 ? (int)n : elf_check(header, (size_t)n, inode->size, &image);
    kfree(header);
    if (error)
        return error;
    struct mm *mm = mm_create();
    if (!mm)
        return -ENOMEM;
    mm->memcg = cgroup_memcg(current); /* its group pays for the new image's pages */
    if ((error = inode_deny_write_access(inode)) < 0) { /* open for writing: ETXTBSY */
        mm_put(mm);
        return error;
    }
    inode_get(inode);
    mm->exe_inode = inode; /* mm_put allows writes again */
    place_regions(mm, image.highest, current);
    strlcpy(mm->exe_path, path, sizeof mm->exe_path);
    error = exec_load_segments(mm, inode, &image, path);
    u64 interp_base = 0, interp_entry = image.entry;
    if (!error && image.interp_size) /* dynamically linked: its loader starts first */
        error = exec_load_interpreter(mm, inode, &image, &interp_base, &interp_entry);
    if (!error)
        error = setup_stack(mm, args, &image, interp_base, path, cred, rsp);
    if (error) {
        mm_put(mm);
        return error;
    }
    *entry = interp_entry;
    *result = mm;
    return 0;
}

/* What script_interpreter() returns when it does not fail (-EXXX). */
enum script_check {
    NOT_A_SCRIPT = 0,     /* no "#!": run the file itself */
    SCRIPT_REWRITTEN = 1, /* path and argv now name the interpreter: look that up instead */
};

/* "#!interpreter [arg]": rewrite argv to run the interpreter on the script. */
static int script_interpreter(struct inode *inode, char *path, struct exec_args *args)
{
    char line[128];
    long n = read_file(inode, 0, line, sizeof line - 1);
    if (n < 2 || line[0] != '#' || line[1] != '!')
        return NOT_A_SCRIPT;
    line[n] = '\0';
    char *end = strchr(line, '\n');
    if (!end)
        return -ENOEXEC; /* the #! line is too long */
    *end = '\0';
    char *interp = line + 2;
    while (*interp == ' ' || *interp == '\t')
        interp++;
    char *arg = interp;
    while (*arg && *arg != ' ' && *arg != '\t')
        arg++;
    if (*arg)
        *arg++ = '\0';
    while (*arg == ' ' || *arg == '\t')
        arg++;
    if (!*interp)
        return -ENOEXEC;
    /* argv becomes: interpreter [arg] script-path original-argv[1..] */
    if (args->argc > 0) {
        kfree(args->argv[0]);
        args->argv[0] = NULL;
        memmove(&args->argv[0], &args->argv[1], (size_t)(args->argc - 1) * sizeof(char *));
        args->argc--;
    }
    int error = argv_insert(args, 0, path);
    if (!error && *arg)
        error = argv_insert(args, 0, arg);
    if (!error)
        error = argv_insert(args, 0, interp);
    if (!error)
        strlcpy(path, interp, PATH_MAX);
    return error ? error : SCRIPT_REWRITTEN;
}

/* The point of no return: the process gets its new program. */
static void commit(struct mm *mm, const char *path, const struct cred *cred, u64 entry, u64 rsp)
{
    struct proc *self = current;
    self->cred = *cred; /* a set-user-ID program's rights start here */
    struct mm *old = self->mm;
    bool irq = irq_save();
    self->mm = mm;
    pagetable_activate(mm->pml4);
    irq_restore(irq);
    proc_vfork_release(self); /* a vfork parent may run again: we no longer use its memory */
    mm_put(old);

    fd_table_close_on_exec(self->files);
    signal_exec(&self->signals);
    posix_timers_release(self->group); /* timer_create's timers do not survive exec */
    const char *name = strrchr(path, '/');
    proc_set_name(self, name ? name + 1 : path);
    self->did_exec = true;
    sched_trace(TRACE_EXEC, self, NULL, 0);
    self->fs_base = 0;
    wrmsr(MSR_FS_BASE, 0);
    fpu_init_state(self->fpu);
    fpu_restore(self->fpu);

    struct trap_frame *f = self->tf;
    memset(f, 0, sizeof *f);
    f->rip = entry;
    f->rsp = rsp;
    f->rflags = RFLAGS_IF;
    f->cs = GDT_USER_CODE;
    f->ss = GDT_USER_DATA;
    f->vector = VEC_SYSCALL;
    f->orig_rax = (u64)-1;
}

int exec_lookup(const char *path, struct inode **result)
{
    struct inode *inode;
    int error = vfs_lookup(path, current->cwd, LOOKUP_FOLLOW, &inode);
    if (error)
        return error;
    /* A regular file with an x bit: root too needs one. */
    error = S_ISREG(inode->mode) ? inode_permission(inode, MAY_EXEC) : -EACCES;
    if (error) {
        inode_put(inode);
        return error;
    }
    *result = inode;
    return 0;
}

/* execve with argv/envp already in the kernel.  0 on success (the caller
 * then returns into the new program), or an error with nothing changed. */
static int do_execve(char *path, struct exec_args *args)
{
    for (int depth = 0;; depth++) {
        struct inode *inode;
        int error = exec_lookup(path, &inode);
        if (error)
            return error;
        if (depth < MAX_SCRIPT_DEPTH)
            error = script_interpreter(inode, path, args);
        if (error == SCRIPT_REWRITTEN) {
            inode_put(inode);
            continue;
        }
        struct mm *mm;
        u64 entry, rsp;
        struct cred cred = current->cred;
        /* Traced by someone without CAP_SYS_PTRACE: no new rights, or the tracer would get them. */
        bool weak_tracer = current->tracer && !cred_has_cap(&current->tracer->cred, CAP_SYS_PTRACE);
        cred_exec(&cred, inode->mode, inode->uid, inode->gid, weak_tracer);
        if (!error)
            error = build_mm(inode, args, path, &cred, &mm, &entry, &rsp);
        inode_put(inode);
        if (!error && (error = thread_group_exec()) < 0)
            mm_put(mm); /* killed while the other threads died */
        if (error)
            return error;
        commit(mm, path, &cred, entry, rsp);
        ptrace_exec_event();
        return 0;
    }
}

long sys_execve(const char *user_path, const char *const *user_argv, const char *const *user_envp)
{
    char *path = kmalloc(PATH_MAX);
    if (!path)
        return -ENOMEM;
    struct exec_args args = {0};
    long error = strncpy_from_user(path, user_path, PATH_MAX);
    if (error == 0)
        error = -ENOENT;
    if (error > 0)
        error = copy_user_vector(user_argv, &args.argv, &args.argc, &args.bytes);
    if (error >= 0)
        error = copy_user_vector(user_envp, &args.envp, &args.envc, &args.bytes);
    if (error >= 0)
        error = do_execve(path, &args);
    args_free(&args);
    kfree(path);
    return error;
}

int exec_from_kernel(const char *path, const char *const *argv, const char *const *envp)
{
    char *copy = kmalloc(PATH_MAX); /* do_execve rewrites it for #! scripts */
    if (!copy)
        return -ENOMEM;
    strlcpy(copy, path, PATH_MAX);
    struct exec_args args = {0};
    int error = 0;
    for (int i = 0; !error && argv[i]; i++)
        error = vector_push(&args.argv, &args.argc, argv[i], strlen(argv[i]), &args.bytes);
    for (int i = 0; !error && envp[i]; i++)
        error = vector_push(&args.envp, &args.envc, envp[i], strlen(envp[i]), &args.bytes);
    if (!error)
        error = do_execve(copy, &args);
    args_free(&args);
    kfree(copy);
    return error;
}
