/*
 * t_hostile.c - what a hostile program tried (issue 11), each now a case:
 *
 *   - user values that reach registers and MSRs: a TLS base from clone, a
 *     signal handler's address, the registers and FPU state a handler's
 *     sigreturn frame or a tracer (ptrace SETREGS/POKEUSER) gives back;
 *   - memory calls on kernel addresses (madvise used to free the kernel's
 *     own pages) and on ranges that wrap;
 *   - memory calls over terabytes that used to loop page by page with the
 *     machine frozen: a child makes them while the parent checks that its
 *     own 100 ms sleep is not held up (a generous bound: "did not freeze",
 *     not a speed test);
 *   - brk(-1), mremap of a shared mapping, hand-made ELF files (execute-only
 *     code, more than 64 program headers), rename of /proc and /dev, chmod
 *     of /proc files.
 *
 * The expectations are Linux's; the program runs on Linux too.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <ucontext.h>
#include "tests/user/utest.h"

#define PAGE 4096ul
#define GIB (1ul << 30)
#define TIB (1ul << 40)
#define NON_CANONICAL 0x8000000000000000ul
#define KERNEL_TEXT 0xffffffff80100000ul
#define KERNEL_DATA 0xffffffff80129000ul /* the address from the report */
#define KERNEL_DIRECT 0xffff800000100000ul

/* Run fn in a child; the case fails unless the child is killed by `sig`. */
static void expect_killed_by(void (*fn)(void), int sig, int line)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        fn();
        _exit(0);
    }
    int status = wait_status(pid);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != sig)
        utest_fail(__FILE__, line, "expected the child to be killed by signal %d, got status %#x",
                   sig, status);
}

/* --- values that reach registers and MSRs ------------------------------- */

static char tls_area[256] __attribute__((aligned(64)));

/* clone's TLS becomes the FS base at every switch to the child: a kernel or
 * non-canonical one is refused (Linux: EPERM, as from arch_prctl). */
static void clone_with_bad_tls_gives_eperm(void)
{
    static const unsigned long bad[] = {NON_CANONICAL, KERNEL_TEXT, KERNEL_DIRECT, ~0ul};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        errno = 0;
        long r = syscall(SYS_clone, CLONE_SETTLS | SIGCHLD, 0, 0, 0, bad[i]);
        if (r == 0)
            syscall(SYS_exit_group, 0); /* the bug: a child with that TLS exists */
        if (r > 0)
            wait_status((pid_t)r);
        CHECK_EQ(r, -1);
        CHECK_EQ(errno, EPERM);
    }
    CHECK_ERRNO(syscall(SYS_arch_prctl, 0x1002 /* ARCH_SET_FS */, NON_CANONICAL), EPERM);
}

/* A user address is fine: the child starts with it as its FS base. */
static void clone_with_user_tls_sets_fs_base(void)
{
    unsigned long want = (unsigned long)tls_area;
    /* What musl and the compiler read through %fs: the self pointer at 0 and
     * the stack protector's canary at 0x28 (checked when syscall() returns). */
    unsigned long canary;
    __asm__ volatile("mov %%fs:0x28, %0" : "=r"(canary));
    memcpy(tls_area, &want, sizeof want);
    memcpy(tls_area + 0x28, &canary, sizeof canary);
    long r = syscall(SYS_clone, CLONE_SETTLS | SIGCHLD, 0, 0, 0, want);
    if (r == 0) {
        /* musl's thread pointer is now tls_area: use no libc function here. */
        unsigned long fs = 0;
        long ret;
        __asm__ volatile("syscall"
                         : "=a"(ret)
                         : "a"(SYS_arch_prctl), "D"(0x1003), "S"(&fs)
                         : "rcx", "r11", "memory");
        __asm__ volatile("syscall" ::"a"(SYS_exit_group), "D"(fs == want ? 0 : 1)
                         : "rcx", "r11", "memory");
    }
    CHECK(r > 0);
    int status = wait_status((pid_t)r);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
}

/* Linux's struct for the raw rt_sigaction call. */
struct raw_sigaction {
    unsigned long handler, flags, restorer, mask;
};
#define SA_RESTORER_FLAG 0x04000000

static void restorer_never_used(void) { _exit(3); }

static void install_raw_handler(int sig, unsigned long handler)
{
    struct raw_sigaction act = {handler, SA_RESTORER_FLAG, (unsigned long)restorer_never_used, 0};
    CHECK_EQ(syscall(SYS_rt_sigaction, sig, &act, NULL, 8), 0); /* Linux accepts any address */
}

static void raise_with_handler_at_non_canonical(void)
{
    install_raw_handler(SIGUSR1, NON_CANONICAL);
    kill(getpid(), SIGUSR1);
}

static void raise_with_handler_in_kernel(void)
{
    install_raw_handler(SIGUSR1, KERNEL_TEXT);
    kill(getpid(), SIGUSR1);
}

static void empty_handler(int sig) {}

static void raise_on_kernel_altstack(void)
{
    stack_t ss = {.ss_sp = (void *)KERNEL_DATA, .ss_size = 65536};
    CHECK_EQ(sigaltstack(&ss, NULL), 0); /* Linux checks only the size */
    struct sigaction sa = {.sa_handler = empty_handler, .sa_flags = SA_ONSTACK};
    CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
    kill(getpid(), SIGUSR1);
}

/* A signal frame the kernel cannot write (the alternate stack is kernel
 * memory): the process dies of SIGSEGV, and the kernel's data is untouched. */
static void altstack_in_kernel_kills_with_sigsegv(void)
{
    expect_killed_by(raise_on_kernel_altstack, SIGSEGV, __LINE__);
}

/* Delivery to a handler the CPU cannot jump to kills with SIGSEGV. */
static void handler_outside_user_space_kills_with_sigsegv(void)
{
    expect_killed_by(raise_with_handler_at_non_canonical, SIGSEGV, __LINE__);
    expect_killed_by(raise_with_handler_in_kernel, SIGSEGV, __LINE__);
}

static void segv_reporter(int sig, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    _exit(uc->uc_mcontext.gregs[REG_RIP] == (greg_t)NON_CANONICAL ? 7 : 8);
}

/* As on Linux, that SIGSEGV can be caught, and its context shows the bad rip. */
static void handler_outside_user_space_sigsegv_can_be_caught(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        struct sigaction sa = {.sa_sigaction = segv_reporter, .sa_flags = SA_SIGINFO};
        CHECK_EQ(sigaction(SIGSEGV, &sa, NULL), 0);
        install_raw_handler(SIGUSR1, NON_CANONICAL);
        kill(getpid(), SIGUSR1);
        _exit(9);
    }
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 7);
}

static unsigned long frame_rip; /* what the handler writes into its frame's rip */

static void rip_changing_handler(int sig, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)frame_rip;
}

static void sigreturn_to(unsigned long rip)
{
    frame_rip = rip;
    struct sigaction sa = {.sa_sigaction = rip_changing_handler, .sa_flags = SA_SIGINFO};
    CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
    kill(getpid(), SIGUSR1);
}

static void sigreturn_to_non_canonical(void) { sigreturn_to(NON_CANONICAL); }
static void sigreturn_to_kernel(void) { sigreturn_to(KERNEL_TEXT); }

/* A frame whose rip is not a user address: SIGSEGV, never a kernel fault. */
static void sigreturn_bad_rip_kills_with_sigsegv(void)
{
    expect_killed_by(sigreturn_to_non_canonical, SIGSEGV, __LINE__);
    expect_killed_by(sigreturn_to_kernel, SIGSEGV, __LINE__);
}

static void flag_grabbing_handler(int sig, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    uc->uc_mcontext.gregs[REG_EFL] |= 0x3000;         /* IOPL 3: in/out and cli for user code */
    uc->uc_mcontext.gregs[REG_EFL] &= ~(greg_t)0x200; /* IF off */
}

static void selector_grabbing_handler(int sig, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    greg_t *g = &uc->uc_mcontext.gregs[REG_CSGSFS];
    *g = (*g & ~(greg_t)0xffff) | 0x08; /* cs = the kernel's code selector */
}

static unsigned long read_rflags(void)
{
    unsigned long flags;
    __asm__ volatile("pushfq; popq %0" : "=r"(flags));
    return flags;
}

static unsigned short read_cs(void)
{
    unsigned short cs;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    return cs;
}

/* rt_sigreturn keeps only the flags a program may change: the program
 * resumes with IOPL 0 and interrupts on. */
static void sigreturn_cannot_raise_privilege(void)
{
    struct sigaction sa = {.sa_sigaction = flag_grabbing_handler, .sa_flags = SA_SIGINFO};
    CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    unsigned long flags = read_rflags();
    CHECK_EQ((flags >> 12) & 3, 0); /* IOPL */
    CHECK_EQ(flags & 0x200, 0x200); /* IF */
}

static void return_with_kernel_cs(void)
{
    unsigned short cs_before = read_cs();
    struct sigaction sa = {.sa_sigaction = selector_grabbing_handler, .sa_flags = SA_SIGINFO};
    CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(read_cs(), cs_before); /* still ring 3, with our own code segment */
}

/* A kernel code selector in the frame never takes effect: sprout puts the
 * user's back (the program goes on); Linux keeps RPL 3, which iretq refuses
 * (the program gets SIGSEGV). */
static void sigreturn_cannot_enter_ring_0(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        return_with_kernel_cs();
        _exit(0);
    }
    int status = wait_status(pid);
    if (is_sprout())
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    else
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
}

static void mxcsr_poisoning_handler(int sig, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    uc->uc_mcontext.fpregs->mxcsr = 0xffffffff; /* reserved bits: fxrstor would fault */
}

static unsigned read_mxcsr(void)
{
    unsigned mxcsr;
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    return mxcsr;
}

static void return_with_bad_mxcsr(void)
{
    struct sigaction sa = {.sa_sigaction = mxcsr_poisoning_handler, .sa_flags = SA_SIGINFO};
    CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(read_mxcsr() & 0xffff0000u, 0); /* the reserved bits were not loaded */
}

/* An FPU state with reserved MXCSR bits never reaches fxrstor in the kernel:
 * sprout clears them (the program goes on); Linux refuses the frame (SIGSEGV). */
static void sigreturn_bad_fpu_state_is_harmless(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        return_with_bad_mxcsr();
        _exit(0);
    }
    int status = wait_status(pid);
    if (is_sprout())
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    else
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
}

/* A traced child, stopped by its own SIGSTOP; it exits with what kill returned. */
static pid_t start_tracee(void)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        CHECK_EQ(ptrace(PTRACE_TRACEME, 0, 0, 0), 0);
        _exit((int)syscall(SYS_kill, getpid(), SIGSTOP));
    }
    int status = wait_status(pid);
    CHECK(WIFSTOPPED(status));
    CHECK_EQ(WSTOPSIG(status), SIGSTOP);
    return pid;
}

/* SETREGS/POKEUSER refuse what the CPU must never get (Linux: EIO) and
 * apply the rest: here, kill's return value becomes the exit status. */
static void ptrace_setregs_checks_values(void)
{
    pid_t pid = start_tracee();
    struct user_regs_struct regs, bad, now;
    CHECK_EQ(ptrace(PTRACE_GETREGS, pid, 0, &regs), 0);
    struct {
        const char *what;
        size_t offset;
        unsigned long value;
    } refused[] = {
        {"kernel cs", offsetof(struct user_regs_struct, cs), 0x08},
        {"cs 0", offsetof(struct user_regs_struct, cs), 0},
        {"kernel ss", offsetof(struct user_regs_struct, ss), 0x10},
        {"ds with RPL 0", offsetof(struct user_regs_struct, ds), 0x10},
        {"non-canonical fs_base", offsetof(struct user_regs_struct, fs_base), NON_CANONICAL},
        {"kernel fs_base", offsetof(struct user_regs_struct, fs_base), KERNEL_TEXT},
        {"kernel gs_base", offsetof(struct user_regs_struct, gs_base), KERNEL_TEXT},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        bad = regs;
        *(unsigned long *)((char *)&bad + refused[i].offset) = refused[i].value;
        errno = 0;
        if (ptrace(PTRACE_SETREGS, pid, 0, &bad) != -1 || errno != EIO)
            utest_fail(__FILE__, __LINE__, "SETREGS with %s: expected EIO, got errno %d",
                       refused[i].what, errno);
        errno = 0;
        if (ptrace(PTRACE_POKEUSER, pid, refused[i].offset, refused[i].value) != -1 || errno != EIO)
            utest_fail(__FILE__, __LINE__, "POKEUSER of %s: expected EIO, got errno %d",
                       refused[i].what, errno);
    }
    CHECK_ERRNO(ptrace(PTRACE_POKEUSER, pid, 3, 0), EIO); /* not a register's offset */
    CHECK_EQ(ptrace(PTRACE_GETREGS, pid, 0, &now), 0);
    CHECK(memcmp(&now, &regs, sizeof now) == 0); /* nothing of the refused calls stuck */

    /* IOPL and IF are the kernel's: asked for, silently kept as they were. */
    bad = regs;
    bad.eflags = regs.eflags ^ 0x3200;
    bad.rax = 77;
    CHECK_EQ(ptrace(PTRACE_SETREGS, pid, 0, &bad), 0);
    CHECK_EQ(ptrace(PTRACE_GETREGS, pid, 0, &now), 0);
    CHECK_EQ(now.eflags & 0x3200, regs.eflags & 0x3200);
    CHECK_EQ(now.rax, 77);
    errno = 0;
    CHECK_EQ(ptrace(PTRACE_PEEKUSER, pid, offsetof(struct user_regs_struct, rax), 0), 77);
    CHECK_EQ(ptrace(PTRACE_CONT, pid, 0, 0), 0);
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 77);
}

/* A non-canonical or kernel rip from a tracer: the tracee gets SIGSEGV. */
static void ptrace_bad_rip_gives_sigsegv(void)
{
    static const unsigned long rips[] = {NON_CANONICAL, KERNEL_TEXT};
    for (size_t i = 0; i < 2; i++) {
        pid_t pid = start_tracee();
        CHECK_EQ(ptrace(PTRACE_POKEUSER, pid, offsetof(struct user_regs_struct, rip), rips[i]), 0);
        CHECK_EQ(ptrace(PTRACE_CONT, pid, 0, 0), 0);
        int status = wait_status(pid);
        if (WIFSTOPPED(status)) { /* the SIGSEGV is reported to us first: pass it on */
            CHECK_EQ(WSTOPSIG(status), SIGSEGV);
            CHECK_EQ(ptrace(PTRACE_CONT, pid, 0, SIGSEGV), 0);
            status = wait_status(pid);
        }
        CHECK(WIFSIGNALED(status));
        CHECK_EQ(WTERMSIG(status), SIGSEGV);
    }
}

/* --- memory calls on kernel addresses and wrapping ranges ---------------- */

static void madvise_kernel_range_gives_enomem(void)
{
    static const unsigned long addresses[] = {KERNEL_DATA, KERNEL_TEXT, KERNEL_DIRECT};
    for (size_t i = 0; i < 3; i++) {
        CHECK_ERRNO(madvise((void *)addresses[i], PAGE, MADV_DONTNEED), ENOMEM);
        CHECK_ERRNO(madvise((void *)addresses[i], 64 * PAGE, MADV_DONTNEED), ENOMEM);
        CHECK_ERRNO(madvise((void *)addresses[i], PAGE, MADV_NORMAL), ENOMEM);
    }
    /* The kernel's data is intact: the calls below use it. */
    CHECK_EQ(getpid(), getpid());
    int fd = open("/proc/self/status", O_RDONLY);
    CHECK(fd >= 0);
    char buf[64];
    CHECK(read(fd, buf, sizeof buf) > 0);
    close(fd);
}

static void madvise_bad_arguments(void)
{
    char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK_ERRNO(madvise(p + 1, PAGE, MADV_DONTNEED), EINVAL);      /* not page-aligned */
    CHECK_ERRNO(madvise(p, (size_t)-1, MADV_DONTNEED), EINVAL);    /* rounds up to 0 */
    CHECK_ERRNO(madvise(p, (size_t)-PAGE, MADV_DONTNEED), EINVAL); /* wraps */
    CHECK_ERRNO(madvise(p, PAGE, 12345), EINVAL);                  /* no such advice */
    CHECK_EQ(madvise(p, 0, MADV_DONTNEED), 0);
    CHECK_EQ(madvise(p, PAGE, MADV_NORMAL), 0);
}

/* MADV_DONTNEED still does its job on a private page, and keeps a shared one. */
static void madvise_dontneed_frees_private_pages(void)
{
    char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED && s != MAP_FAILED);
    p[0] = 5, p[PAGE] = 6, s[0] = 7;
    CHECK_EQ(madvise(p, PAGE, MADV_DONTNEED), 0);
    CHECK_EQ(p[0], 0);
    CHECK_EQ(p[PAGE], 6);
    CHECK_EQ(madvise(s, PAGE, MADV_DONTNEED), 0);
    CHECK_EQ(s[0], 7);
    /* A range running past the mapping: the mapped part is freed, then ENOMEM. */
    p[PAGE] = 6;
    CHECK_EQ(munmap(p, PAGE), 0);
    CHECK_ERRNO(madvise(p, 2 * PAGE, MADV_DONTNEED), ENOMEM);
    CHECK_EQ(p[PAGE], 0);
}

static void other_memory_calls_refuse_kernel_ranges(void)
{
    static const unsigned long addresses[] = {KERNEL_DATA, KERNEL_TEXT, KERNEL_DIRECT,
                                              NON_CANONICAL};
    for (size_t i = 0; i < 4; i++) {
        void *a = (void *)addresses[i];
        CHECK_ERRNO(munmap(a, PAGE), EINVAL);
        CHECK_ERRNO(mprotect(a, PAGE, PROT_READ | PROT_WRITE), ENOMEM);
        CHECK(mremap(a, PAGE, 2 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED);
        CHECK_EQ(errno, EFAULT);
        CHECK(mmap(a, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
                   0) == MAP_FAILED);
        CHECK_EQ(errno, ENOMEM);
        CHECK(mmap(a, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) ==
              MAP_FAILED);
        CHECK_EQ(errno, ENOMEM);
    }
    /* Ranges that start in user space and wrap around or run into the kernel. */
    char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    p[0] = 1;
    size_t to_kernel = KERNEL_TEXT - (unsigned long)p;
    CHECK_ERRNO(munmap(p, (size_t)-PAGE), EINVAL);
    CHECK_ERRNO(munmap(p, to_kernel), EINVAL);
    CHECK_ERRNO(mprotect(p, (size_t)-PAGE, PROT_READ), ENOMEM);
    CHECK_ERRNO(mprotect(p, to_kernel, PROT_READ), ENOMEM);
    CHECK(mmap(p, to_kernel, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
          MAP_FAILED);
    CHECK_EQ(errno, ENOMEM);
    /* (raw calls: musl's wrappers refuse such lengths before the kernel sees them) */
    CHECK_ERRNO(
        syscall(SYS_mmap, p, -PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
        ENOMEM);
    CHECK_ERRNO(syscall(SYS_mmap, p, -1ul, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
    CHECK_ERRNO(syscall(SYS_mremap, p, PAGE, -1ul, MREMAP_MAYMOVE, 0), EINVAL); /* rounds to 0 */
    CHECK_ERRNO(syscall(SYS_mremap, p, PAGE, -PAGE, MREMAP_MAYMOVE, 0), ENOMEM);
    CHECK_EQ(p[0], 1); /* and the mapping is untouched */
}

static void msync_checks_range_and_flags(void)
{
    char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK_EQ(msync(p, 2 * PAGE, MS_SYNC), 0);
    CHECK_EQ(msync(p, 1, MS_ASYNC | MS_INVALIDATE), 0);
    CHECK_EQ(msync(p, 0, MS_SYNC), 0);
    CHECK_ERRNO(msync(p + 1, PAGE, MS_SYNC), EINVAL);
    CHECK_ERRNO(msync(p, PAGE, MS_SYNC | MS_ASYNC), EINVAL);
    CHECK_ERRNO(msync(p, PAGE, 0x100), EINVAL);
    CHECK_ERRNO(msync(p, (size_t)-PAGE, MS_SYNC), ENOMEM); /* wraps */
    CHECK_ERRNO(msync((void *)KERNEL_DATA, PAGE, MS_SYNC), ENOMEM);
    CHECK_ERRNO(msync((void *)NON_CANONICAL, PAGE, MS_SYNC), ENOMEM);
    CHECK_EQ(munmap(p + PAGE, PAGE), 0);
    CHECK_ERRNO(msync(p, 2 * PAGE, MS_SYNC), ENOMEM); /* partly unmapped */
}

static void mincore_reports_resident_pages(void)
{
    char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    p[0] = 1, p[2 * PAGE] = 1; /* the middle page is never touched */
    unsigned char vec[3] = {9, 9, 9};
    CHECK_EQ(mincore(p, 3 * PAGE, vec), 0);
    CHECK_EQ(vec[0] & 1, 1);
    CHECK_EQ(vec[1] & 1, 0);
    CHECK_EQ(vec[2] & 1, 1);
    CHECK_ERRNO(mincore(p + 1, PAGE, vec), EINVAL);
    CHECK_ERRNO(mincore(p, PAGE, NULL), EFAULT);
    CHECK_ERRNO(mincore(p, PAGE, (unsigned char *)KERNEL_DATA), EFAULT);
    CHECK_ERRNO(mincore((void *)KERNEL_DATA, PAGE, vec), ENOMEM);
    CHECK_ERRNO(mincore((void *)NON_CANONICAL, PAGE, vec), ENOMEM);
    CHECK_ERRNO(mincore(p, (size_t)-PAGE, vec), ENOMEM); /* wraps */
    CHECK_EQ(munmap(p + PAGE, PAGE), 0);
    CHECK_ERRNO(mincore(p, 3 * PAGE, vec), ENOMEM); /* a hole */
}

/* --- bounded work: huge ranges must not freeze the machine --------------- */

/*
 * Run fn in a child while this process sleeps 100 ms.  The kernel runs a
 * system call to its end before switching, so a call that loops over every
 * page of a huge range holds up the sleeper's wake-up (and cannot be killed).
 * The bound is generous: this asserts "did not freeze", not a speed.
 */
static void check_runs_beside_sleeper(void (*fn)(void), int line)
{
    int go[2];
    CHECK_EQ(pipe(go), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        char c;
        close(go[1]);
        CHECK_EQ(read(go[0], &c, 1), 1); /* start when the parent is about to sleep */
        fn();
        _exit(0);
    }
    close(go[0]);
    double start = now_seconds();
    CHECK_EQ(write(go[1], "x", 1), 1);
    sleep_ms(100);
    double late = now_seconds() - start - 0.1;
    int status = wait_status(pid);
    close(go[1]);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        utest_fail(__FILE__, line, "the child making the calls failed (status %#x)", status);
    if (late > 2.0)
        utest_fail(__FILE__, line, "a 100 ms sleep was %.1f s late: the machine froze", late);
}

static uintptr_t brk_now(void) { return (uintptr_t)syscall(SYS_brk, 0); }

static void far_brks(void)
{
    uintptr_t b = brk_now();
    CHECK_EQ((uintptr_t)syscall(SYS_brk, b + 64 * TIB), b); /* more than RAM: refused */
    CHECK_EQ((uintptr_t)syscall(SYS_brk, b + 100 * TIB), b);
    CHECK_EQ(brk_now(), b);
}

static void huge_mmaps(void)
{
    /* PROT_NONE reserves address space only: Linux grants it, terabytes or not. */
    char *p = mmap(NULL, 64 * TIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK(mmap(p, 64 * TIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p);
    CHECK(mmap(p, 64 * TIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p);
    CHECK_EQ(mprotect(p, 64 * TIB, PROT_READ), 0);
    CHECK_EQ(p[32 * TIB], 0);
    unsigned char vec[4096];
    CHECK_EQ(mincore(p + 32 * TIB - 2048 * PAGE, 4096 * PAGE, vec), 0);
    CHECK_EQ(vec[2047] & 1, 0);
    CHECK_EQ(vec[2048] & 1, 1);
    CHECK_EQ(msync(p, 64 * TIB, MS_ASYNC), 0);
    CHECK_EQ(munmap(p, 64 * TIB), 0);
    CHECK_EQ(munmap(p, 64 * TIB), 0); /* nothing there any more: still fine */
    /* A hint over terabytes, free: honoured. */
    char *hint = (char *)(16 * TIB);
    CHECK(mmap(hint, 32 * TIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == hint);
    CHECK_EQ(munmap(hint, 32 * TIB), 0);
    /* Writable private memory beyond RAM: ENOMEM (Linux's overcommit heuristic). */
    CHECK(mmap(NULL, 64 * TIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
          MAP_FAILED);
    CHECK_EQ(errno, ENOMEM);
    CHECK(mmap(NULL, 256 * TIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
    CHECK_EQ(errno, ENOMEM); /* more than user space holds */
}

static void huge_mremaps(void)
{
    /* Low in memory, so that growing in place has terabytes of room. */
    char *want = (char *)(1ul << 30);
    char *p = mmap(want, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK(p == want);
    CHECK(mremap(p, PAGE, 100 * TIB, 0) == p); /* grown in place */
    CHECK_EQ(p[100 * TIB - 1], 0);
    CHECK(mremap(p, 100 * TIB, PAGE, 0) == p);
    CHECK(mremap(p, PAGE, 200 * TIB, 0) == MAP_FAILED); /* more than user space */
    CHECK_EQ(errno, ENOMEM);
    CHECK(mremap(p, PAGE, 200 * TIB, MREMAP_MAYMOVE) == MAP_FAILED);
    CHECK_EQ(errno, ENOMEM);
    CHECK_EQ(munmap(p, PAGE), 0);
    /* Writable private memory beyond RAM: ENOMEM (Linux's overcommit heuristic). */
    char *w = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(w != MAP_FAILED);
    w[0] = 3;
    CHECK(mremap(w, PAGE, 64 * TIB, MREMAP_MAYMOVE) == MAP_FAILED);
    CHECK_EQ(errno, ENOMEM);
    CHECK_EQ(w[0], 3);
}

static void huge_madvises(void)
{
    /* Low in memory, so that 64 TiB above it hold nothing else (not the stack). */
    char *want = (char *)(1ul << 30);
    char *p = mmap(want, PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK(p == want);
    p[0] = 9;
    CHECK_ERRNO(madvise(p, 64 * TIB, MADV_DONTNEED), ENOMEM);
    CHECK_EQ(p[0], 0); /* the mapped part was still discarded */
    CHECK_ERRNO(madvise(p, 1ul << 50, MADV_WILLNEED), ENOMEM); /* past the end of user space */
    CHECK_ERRNO(madvise(p, 1ul << 50, MADV_NORMAL), ENOMEM);
    /* 32 TiB where nothing is mapped (the program is low, the mmap area high). */
    CHECK_ERRNO(madvise((void *)(64 * TIB), 32 * TIB, MADV_DONTNEED), ENOMEM);
    CHECK_ERRNO(madvise((void *)(64 * TIB), 32 * TIB, MADV_WILLNEED), ENOMEM);
    /* Over a terabyte mapping of which one page was touched. */
    char *big = mmap(NULL, 2 * TIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    CHECK(big != MAP_FAILED);
    CHECK_EQ(big[TIB], 0);
    CHECK_EQ(madvise(big, 2 * TIB, MADV_DONTNEED), 0);
    CHECK_EQ(munmap(big, 2 * TIB), 0);
}

static void huge_brk_does_not_freeze(void) { check_runs_beside_sleeper(far_brks, __LINE__); }
static void huge_mmap_does_not_freeze(void) { check_runs_beside_sleeper(huge_mmaps, __LINE__); }
static void huge_mremap_does_not_freeze(void) { check_runs_beside_sleeper(huge_mremaps, __LINE__); }
static void huge_madvise_does_not_freeze(void)
{
    check_runs_beside_sleeper(huge_madvises, __LINE__);
}

/* --- brk(-1) --------------------------------------------------------------- */

static int data_marker = 1234;

/* Values that used to wrap to 0 when rounded up: the break stays, and so do
 * the program's code and data. */
static void brk_huge_value_returns_current_break(void)
{
    uintptr_t b = brk_now();
    static const unsigned long values[] = {~0ul, ~0ul - PAGE, 0xfffffffffffff000ul, NON_CANONICAL,
                                           0x800000000000ul};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        CHECK_EQ((uintptr_t)syscall(SYS_brk, values[i]), b);
    CHECK_EQ(brk_now(), b);
    CHECK_EQ(data_marker, 1234);
    CHECK_EQ((uintptr_t)syscall(SYS_brk, b + PAGE), b + PAGE); /* and the heap still grows */
    *(volatile char *)b = 1;
    CHECK_EQ((uintptr_t)syscall(SYS_brk, b), b);
}

/* --- mremap of a shared mapping ------------------------------------------- */

static void mremap_moves_and_grows_shared_mapping(void)
{
    char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    /* Keep the page after p busy (it may be already), so growing must move. */
    char *after =
        mmap(p + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK(after == p + PAGE || (after == MAP_FAILED && errno == EEXIST));
    p[0] = 'a';
    int go[2];
    CHECK_EQ(pipe(go), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) { /* shares the page: writes it once the parent has moved it */
        char c;
        CHECK_EQ(read(go[0], &c, 1), 1);
        p[0] = 'b';
        _exit(0);
    }
    CHECK(mremap(p, PAGE, 3 * PAGE, 0) == MAP_FAILED); /* no room, may not move */
    CHECK_EQ(errno, ENOMEM);
    char *q = mremap(p, PAGE, 3 * PAGE, MREMAP_MAYMOVE);
    CHECK(q != MAP_FAILED);
    CHECK(q != p);
    CHECK_EQ(q[0], 'a');
    CHECK_EQ(q[PAGE], 0);
    q[2 * PAGE] = 'z';
    CHECK_EQ(write(go[1], "x", 1), 1);
    int status = wait_status(pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_EQ(q[0], 'b');                      /* still the page the child shares */
    CHECK(mremap(q, 3 * PAGE, PAGE, 0) == q); /* shrinking stays in place */
    /* Growing in place when the next page is free. */
    char *r = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(r != MAP_FAILED);
    CHECK_EQ(munmap(r + PAGE, PAGE), 0);
    r[0] = 'c';
    CHECK(mremap(r, PAGE, 2 * PAGE, 0) == r);
    CHECK_EQ(r[0], 'c');
    CHECK_EQ(r[PAGE], 0);
    r[PAGE] = 'd';
    CHECK_EQ(r[PAGE], 'd');
}

/* --- hand-made ELF files ---------------------------------------------------- */

struct elf_header {
    unsigned char ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct program_header {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* Reads the byte after itself (from its own page) and exits with it: 42. */
static const unsigned char exit_42_code[] = {
    0x0f, 0xb6, 0x3d, 0x07, 0x00, 0x00, 0x00, /* movzx edi, byte [rip + 7] */
    0xb8, 0x3c, 0x00, 0x00, 0x00,             /* mov eax, 60 (exit) */
    0x0f, 0x05,                               /* syscall */
    42,
};

/*
 * Write an executable to `path`: one PT_LOAD (flags `flags`) holding the
 * whole file at 0x400000, `phnum` program headers (the rest PT_NULL).
 */
static void write_elf(const char *path, uint32_t flags, unsigned phnum)
{
    size_t code = sizeof(struct elf_header) + (size_t)phnum * sizeof(struct program_header);
    size_t size = code + sizeof exit_42_code;
    unsigned char *image = calloc(1, size);
    CHECK(image != NULL);
    struct elf_header *eh = (struct elf_header *)image;
    memcpy(eh->ident, "\177ELF\2\1\1", 7);
    eh->type = 2; /* ET_EXEC */
    eh->machine = 62;
    eh->version = 1;
    eh->entry = 0x400000 + code;
    eh->phoff = sizeof *eh;
    eh->ehsize = sizeof *eh;
    eh->phentsize = sizeof(struct program_header);
    eh->phnum = (uint16_t)phnum;
    struct program_header *ph = (struct program_header *)(image + sizeof *eh);
    ph[0] = (struct program_header){1, flags, 0, 0x400000, 0x400000, size, size, PAGE};
    memcpy(image + code, exit_42_code, sizeof exit_42_code);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, image, size), (long)size);
    CHECK_EQ(close(fd), 0);
    free(image);
}

/* Exec `path` in a child: its exit status, or 200 + errno if execve failed. */
static int run_elf(const char *path)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        char *argv[] = {(char *)path, NULL}, *envp[] = {NULL};
        execve(path, argv, envp);
        _exit(200 + errno);
    }
    int status = wait_status(pid);
    CHECK(WIFEXITED(status));
    return WEXITSTATUS(status);
}

#define PF_X 1
#define PF_W 2
#define PF_R 4

static void elf_execute_only_segment_runs(void)
{
    const char *path = "/tmp/t_hostile_xonly";
    write_elf(path, PF_X, 1); /* x86 cannot forbid reading what it may execute */
    CHECK_EQ(run_elf(path), 42);
    write_elf(path, PF_R | PF_X, 1);
    CHECK_EQ(run_elf(path), 42);
    unlink(path);
}

static void elf_many_program_headers(void)
{
    const char *path = "/tmp/t_hostile_phdrs";
    write_elf(path, PF_R | PF_X, 65); /* one more than sprout used to take */
    CHECK_EQ(run_elf(path), 42);
    write_elf(path, PF_R | PF_X, 73); /* 4088 bytes, Linux's limit is a page: they end past it */
    CHECK_EQ(run_elf(path), 42);
    write_elf(path, PF_R | PF_X, 74);
    CHECK_EQ(run_elf(path), 200 + ENOEXEC);
    write_elf(path, PF_R | PF_X, 1171);
    CHECK_EQ(run_elf(path), 200 + ENOEXEC);
    unlink(path);
}

/* --- mount points and /proc ---------------------------------------------- */

static void rename_mount_point_gives_ebusy(void)
{
    CHECK_ERRNO(rename("/proc", "/proc_moved"), EBUSY);
    CHECK_ERRNO(rename("/dev", "/dev_moved"), EBUSY);
    CHECK_ERRNO(rename("/proc/", "/proc_moved"), EBUSY);
    if (mkdir("/t_hostile_dir", 0755) == 0) { /* (as root: /proc's parent, the same mount) */
        CHECK_ERRNO(rename("/t_hostile_dir", "/proc"), EBUSY); /* over a mount point */
        CHECK_EQ(rmdir("/t_hostile_dir"), 0);
    }
    CHECK_EQ(access("/proc/self/status", R_OK), 0); /* still there for everyone */
    CHECK_EQ(access("/dev/null", R_OK), 0);
    CHECK_ERRNO(access("/proc_moved", F_OK), ENOENT);
}

static void chmod_proc_files_gives_eperm(void)
{
    CHECK_ERRNO(chmod("/proc/self/status", 0777), EPERM);
    CHECK_ERRNO(chmod("/proc/1/stat", 0600), EPERM);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/cmdline", getpid());
    CHECK_ERRNO(chmod(path, 0600), EPERM);
    int fd = open("/proc/self/status", O_RDONLY);
    CHECK(fd >= 0);
    CHECK_ERRNO(fchmod(fd, 0600), EPERM);
    close(fd);
    struct stat st;
    CHECK_EQ(stat("/proc/self/status", &st), 0);
    CHECK_EQ(st.st_mode & 0777, 0444); /* unchanged */
    if (is_sprout()) /* sprout stores nothing in /proc, so no mode can stick (Linux keeps it) */
        CHECK_ERRNO(chmod("/proc/meminfo", 0600), EPERM);
}

/* mremap(MREMAP_MAYMOVE | MREMAP_FIXED): to a given address, replacing what was there. */
static void mremap_fixed_moves_to_the_given_address(void)
{
    const long page = 4096;
    unsigned char vec[8];
    char *area = mmap(NULL, 8 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(area != MAP_FAILED);
    strcpy(area, "first");
    strcpy(area + page, "second");
    memset(area + 4 * page, 'x', 3 * page); /* what the move replaces */
    char *moved = mremap(area, 2 * page, 3 * page, MREMAP_MAYMOVE | MREMAP_FIXED, area + 4 * page);
    CHECK(moved == area + 4 * page);
    CHECK_EQ(strcmp(moved, "first"), 0);
    CHECK_EQ(strcmp(moved + page, "second"), 0);
    CHECK_EQ(moved[2 * page], 0); /* the grown page is new: zeros, not the old 'x' */
    CHECK_EQ(moved[3 * page - 1], 0);
    CHECK_ERRNO(mincore(area, 2 * page, vec), ENOMEM); /* the old place is unmapped */
    /* Shrink and move back. */
    CHECK(mremap(moved, 3 * page, page, MREMAP_MAYMOVE | MREMAP_FIXED, area) == area);
    CHECK_EQ(strcmp(area, "first"), 0);
    CHECK_ERRNO(mincore(moved, 3 * page, vec), ENOMEM);
    CHECK_EQ(mincore(area + 2 * page, 2 * page, vec), 0); /* untouched neighbours stay */
}

static void mremap_fixed_bad_arguments(void)
{
    const long page = 4096;
    char *area = mmap(NULL, 8 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(area != MAP_FAILED);
    CHECK(munmap(area + 6 * page, 2 * page) == 0);
    /* FIXED needs MAYMOVE; the target must be aligned, inside user space, apart from the old */
    CHECK_ERRNO(syscall(SYS_mremap, area, page, page, MREMAP_FIXED, area + 4 * page), EINVAL);
    CHECK_ERRNO(
        syscall(SYS_mremap, area, page, page, MREMAP_MAYMOVE | MREMAP_FIXED, area + 4 * page + 1),
        EINVAL);
    CHECK_ERRNO(
        syscall(SYS_mremap, area, page, 2 * page, MREMAP_MAYMOVE | MREMAP_FIXED, 0x7ffffffff000ul),
        EINVAL);
    CHECK_ERRNO(
        syscall(SYS_mremap, area, 2 * page, 2 * page, MREMAP_MAYMOVE | MREMAP_FIXED, area + page),
        EINVAL); /* overlapping */
    CHECK_ERRNO(syscall(SYS_mremap, area + 6 * page, page, page, MREMAP_MAYMOVE | MREMAP_FIXED,
                        area + 2 * page),
                EFAULT);  /* nothing mapped at the old address */
    CHECK_EQ(area[0], 0); /* and the failures changed nothing */
    area[2 * page] = 'k';
    CHECK_EQ(area[2 * page], 'k');
}

static const struct utest_case cases[] = {
    UTEST(clone_with_bad_tls_gives_eperm),
    UTEST(clone_with_user_tls_sets_fs_base),
    UTEST(handler_outside_user_space_kills_with_sigsegv),
    UTEST(handler_outside_user_space_sigsegv_can_be_caught),
    UTEST(altstack_in_kernel_kills_with_sigsegv),
    UTEST(sigreturn_bad_rip_kills_with_sigsegv),
    UTEST(sigreturn_cannot_raise_privilege),
    UTEST(sigreturn_cannot_enter_ring_0),
    UTEST(sigreturn_bad_fpu_state_is_harmless),
    UTEST(ptrace_setregs_checks_values),
    UTEST(ptrace_bad_rip_gives_sigsegv),
    UTEST(madvise_kernel_range_gives_enomem),
    UTEST(madvise_bad_arguments),
    UTEST(madvise_dontneed_frees_private_pages),
    UTEST(other_memory_calls_refuse_kernel_ranges),
    UTEST(msync_checks_range_and_flags),
    UTEST(mincore_reports_resident_pages),
    UTEST(huge_brk_does_not_freeze),
    UTEST(huge_mmap_does_not_freeze),
    UTEST(huge_mremap_does_not_freeze),
    UTEST(huge_madvise_does_not_freeze),
    UTEST(brk_huge_value_returns_current_break),
    UTEST(mremap_moves_and_grows_shared_mapping),
    UTEST(mremap_fixed_moves_to_the_given_address),
    UTEST(mremap_fixed_bad_arguments),
    UTEST(elf_execute_only_segment_runs),
    UTEST(elf_many_program_headers),
    UTEST(rename_mount_point_gives_ebusy),
    UTEST(chmod_proc_files_gives_eperm),
};
UTEST_MAIN("hostile", cases)
