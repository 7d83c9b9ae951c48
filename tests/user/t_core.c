/*
 * t_core.c - core files.  A process killed by SIGSEGV, SIGABRT, SIGQUIT ...
 * leaves `core` in its working directory: an ELF core file (ET_CORE, a
 * PT_NOTE with NT_PRSTATUS and friends, one PT_LOAD per memory region) that
 * holds its registers and memory.  The wait status carries WCOREDUMP only
 * when the file was written (even cut short by RLIMIT_CORE, as on Linux):
 * never for SIGKILL or SIGTERM, not with RLIMIT_CORE 0 or under a page, not
 * when the directory refuses the file or has a directory called `core`.
 *
 * The file's layout is checked against libc's own <elf.h> and
 * <sys/procfs.h>, not the kernel's structs.  On Linux the same cases run
 * when /proc/sys/kernel/core_pattern is plain "core" (else they are skipped).
 */
#include "tests/user/sigtest.h"
#include "tests/user/filetest.h"
#include <elf.h>
#include <sys/auxv.h>
#include <sys/procfs.h>
#include <sys/reg.h>

#define BAD_CODE_ADDRESS 0x1234000UL /* nothing is mapped here */
#define MAX_PHDRS 256
#define SI_ADDR_OFFSET 16 /* siginfo_t: si_signo, si_errno, si_code, padding, then si_addr */

/* --- making a child crash ------------------------------------------------- */

static int crash_signal; /* for die_of_own_signal */
static char data_marker[32] = "the program's initial data";
static char *heap_marker;  /* malloc'ed, filled by the child */
static char *untouched;    /* 1 MiB read-write, never touched */
static char *inaccessible; /* 2 pages of PROT_NONE */

static void write_to_null(void) { *(volatile int *)0 = 1; }

typedef int (*code_fn)(void);
/* A call (not a jump) so the return address is on the stack in the core. */
static __attribute__((noinline)) int call_bad_address(void)
{
    code_fn fn = (code_fn)BAD_CODE_ADDRESS;
    return fn() + 1;
}
static void jump_to_bad_address(void) { call_bad_address(); }

static void die_of_own_signal(void)
{
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_UNBLOCK, &all, NULL);
    signal(crash_signal, SIG_DFL);
    kill(getpid(), crash_signal);
    _exit(99); /* not reached: the signal kills */
}

static void divide_by_zero(void)
{
    volatile int zero = 0, n = 1000; /* (1 / x alone gcc turns into a comparison) */
    printf("%d\n", n / zero);
}
static void illegal_instruction(void) { __asm__ volatile("ud2"); }

static void segv_handler(int sig) { _exit(3); }
static void handled_segv(void)
{
    signal(SIGSEGV, segv_handler);
    write_to_null();
}

static void change_markers_then_segv(void)
{
    strcpy(data_marker, "changed by the child");
    memset(heap_marker, 'h', 4096);
    write_to_null();
}

/*
 * Fork a child that enters `dir`, sets its RLIMIT_CORE soft limit to `limit`
 * and runs `crash`; returns its wait status.  *pid_out gets its PID.
 */
static int crash_in(const char *dir, rlim_t limit, void (*crash)(void), pid_t *pid_out)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        struct rlimit rl;
        if (getrlimit(RLIMIT_CORE, &rl) != 0)
            _exit(100);
        rl.rlim_cur = limit;
        if (chdir(dir) != 0 || setrlimit(RLIMIT_CORE, &rl) != 0)
            _exit(101);
        crash();
        _exit(102);
    }
    if (pid_out)
        *pid_out = pid;
    return wait_status(pid);
}

/* The cores go to the working directory, named "core" (always on sprout). */
static int cores_named_core(void)
{
    if (is_sprout())
        return 1;
    char pattern[64] = "", uses_pid[8] = "";
    int fd = open("/proc/sys/kernel/core_pattern", O_RDONLY);
    if (fd >= 0) {
        ssize_t n = read(fd, pattern, sizeof pattern - 1);
        pattern[n > 0 ? n : 0] = '\0';
        close(fd);
    }
    fd = open("/proc/sys/kernel/core_uses_pid", O_RDONLY);
    if (fd >= 0) {
        ssize_t n = read(fd, uses_pid, sizeof uses_pid - 1);
        uses_pid[n > 0 ? n : 0] = '\0';
        close(fd);
    }
    return strcmp(pattern, "core\n") == 0 && uses_pid[0] == '0';
}

#define NEED_CORE_PATTERN()                                                                        \
    do {                                                                                           \
        if (!cores_named_core()) {                                                                 \
            printf("(skipped: core_pattern is not \"core\" on this host)\n");                      \
            return;                                                                                \
        }                                                                                          \
    } while (0)

static void expect_core_flag(int status, int sig, int dumped)
{
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), sig);
    CHECK_EQ(WCOREDUMP(status) != 0, dumped);
}

/* --- reading a core file --------------------------------------------------- */

struct core {
    int fd;
    off_t size;
    Elf64_Ehdr eh;
    Elf64_Phdr ph[MAX_PHDRS];
    char *notes;
    size_t notes_size;
};

static void read_exactly(int fd, void *buf, size_t size, off_t offset)
{
    CHECK_EQ(pread(fd, buf, size, offset), (long)size);
}

/* Open and check the ELF header and program headers of the core at `path`. */
static void core_load(struct core *c, const char *path)
{
    memset(c, 0, sizeof *c);
    c->fd = open(path, O_RDONLY);
    CHECK(c->fd >= 0);
    c->size = size_of(path);
    read_exactly(c->fd, &c->eh, sizeof c->eh, 0);
    CHECK_EQ(memcmp(c->eh.e_ident, ELFMAG, SELFMAG), 0);
    CHECK_EQ(c->eh.e_ident[EI_CLASS], ELFCLASS64);
    CHECK_EQ(c->eh.e_ident[EI_DATA], ELFDATA2LSB);
    CHECK_EQ(c->eh.e_type, ET_CORE);
    CHECK_EQ(c->eh.e_machine, EM_X86_64);
    CHECK_EQ(c->eh.e_phentsize, sizeof(Elf64_Phdr));
    CHECK(c->eh.e_phnum >= 2 && c->eh.e_phnum <= MAX_PHDRS);
    read_exactly(c->fd, c->ph, c->eh.e_phnum * sizeof(Elf64_Phdr), (off_t)c->eh.e_phoff);
    int loads = 0;
    for (int i = 0; i < c->eh.e_phnum; i++) {
        const Elf64_Phdr *ph = &c->ph[i];
        CHECK((off_t)(ph->p_offset + ph->p_filesz) <= c->size);
        if (ph->p_type == PT_NOTE) {
            CHECK(c->notes == NULL); /* exactly one */
            c->notes_size = ph->p_filesz;
            c->notes = malloc(c->notes_size);
            CHECK(c->notes != NULL);
            read_exactly(c->fd, c->notes, c->notes_size, (off_t)ph->p_offset);
        } else if (ph->p_type == PT_LOAD) {
            loads++;
            CHECK(ph->p_filesz <= ph->p_memsz);
            CHECK_EQ(ph->p_vaddr % 4096, 0);
        }
    }
    CHECK(c->notes != NULL);
    CHECK(loads >= 3); /* at least code, data and stack */
}

/* The description of the first note of `type` ("CORE"); NULL if none. */
static const void *core_note(const struct core *c, unsigned type, size_t *size)
{
    size_t at = 0;
    while (at + sizeof(Elf64_Nhdr) <= c->notes_size) {
        const Elf64_Nhdr *n = (const void *)(c->notes + at);
        size_t name_at = at + sizeof *n, desc_at = name_at + ((n->n_namesz + 3) & ~3u);
        if (desc_at + n->n_descsz > c->notes_size)
            return NULL;
        if (n->n_type == type && n->n_namesz == 5 && memcmp(c->notes + name_at, "CORE", 5) == 0) {
            *size = n->n_descsz;
            return c->notes + desc_at;
        }
        at = desc_at + ((n->n_descsz + 3) & ~3u);
    }
    return NULL;
}

/* The PT_LOAD that covers `address`; fails the case if there is none. */
static const Elf64_Phdr *core_segment(const struct core *c, uintptr_t address)
{
    for (int i = 0; i < c->eh.e_phnum; i++) {
        const Elf64_Phdr *ph = &c->ph[i];
        if (ph->p_type == PT_LOAD && address >= ph->p_vaddr && address < ph->p_vaddr + ph->p_memsz)
            return ph;
    }
    utest_fail(__FILE__, __LINE__, "no PT_LOAD covers %#lx", (unsigned long)address);
    return NULL;
}

/* Read the dying process's memory at `address` from the core. */
static void core_read(const struct core *c, uintptr_t address, void *buf, size_t size)
{
    const Elf64_Phdr *ph = core_segment(c, address);
    CHECK(address + size <= ph->p_vaddr + ph->p_filesz); /* the bytes are in the file */
    read_exactly(c->fd, buf, size, (off_t)(ph->p_offset + (address - ph->p_vaddr)));
}

static void core_close(struct core *c)
{
    close(c->fd);
    free(c->notes);
}

/* --- the cases ------------------------------------------------------------- */

static void segv_writes_core_and_sets_flag(void)
{
    NEED_CORE_PATTERN();
    enter_scratch();
    int status = crash_in(scratch, RLIM_INFINITY, write_to_null, NULL);
    expect_core_flag(status, SIGSEGV, 1);
    struct core c;
    core_load(&c, at("core"));
    core_close(&c);
}

static void core_file_is_private(void)
{
    NEED_CORE_PATTERN();
    enter_scratch();
    mode_t old = umask(0);
    int status = crash_in(scratch, RLIM_INFINITY, write_to_null, NULL);
    umask(old);
    expect_core_flag(status, SIGSEGV, 1);
    struct stat st;
    CHECK_EQ(stat(at("core"), &st), 0);
    CHECK(S_ISREG(st.st_mode));
    CHECK_EQ(st.st_mode & 0777, 0600);
}

static void core_registers_show_the_fault(void)
{
    NEED_CORE_PATTERN();
    enter_scratch();
    pid_t pid;
    int status = crash_in(scratch, RLIM_INFINITY, jump_to_bad_address, &pid);
    expect_core_flag(status, SIGSEGV, 1);
    struct core c;
    core_load(&c, at("core"));
    size_t size = 0;
    const struct elf_prstatus *prs = core_note(&c, NT_PRSTATUS, &size);
    CHECK(prs != NULL);
    CHECK_EQ(size, sizeof *prs);
    CHECK_EQ(prs->pr_cursig, SIGSEGV);
    CHECK_EQ(prs->pr_info.si_signo, SIGSEGV);
    CHECK_EQ(prs->pr_pid, pid);
    CHECK_EQ(prs->pr_ppid, getpid());
    CHECK_EQ(prs->pr_reg[RIP], BAD_CODE_ADDRESS);
    CHECK_EQ(prs->pr_reg[CS] & 3, 3); /* user mode */
    /* The stack in the core holds the return address of the call that failed. */
    uint64_t return_address = 0;
    core_read(&c, prs->pr_reg[RSP], &return_address, sizeof return_address);
    CHECK(return_address > (uintptr_t)call_bad_address);
    CHECK(return_address < (uintptr_t)call_bad_address + 64);

    const char *si = core_note(&c, NT_SIGINFO, &size);
    CHECK(si != NULL);
    CHECK_EQ(size, 128);
    siginfo_t info;
    memcpy(&info, si, sizeof info);
    CHECK_EQ(info.si_signo, SIGSEGV);
    CHECK_EQ(info.si_code, SEGV_MAPERR);
    CHECK_EQ((uintptr_t)info.si_addr, BAD_CODE_ADDRESS);

    const void *fp = core_note(&c, NT_FPREGSET, &size);
    CHECK(fp != NULL);
    CHECK_EQ(size, 512); /* the fxsave area */
    core_close(&c);
}

static void core_holds_the_memory(void)
{
    NEED_CORE_PATTERN();
    enter_scratch();
    heap_marker = malloc(4096);
    untouched = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    inaccessible = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(heap_marker && untouched != MAP_FAILED && inaccessible != MAP_FAILED);
    memset(heap_marker, 'p', 4096); /* the child writes 'h' over it */
    int status = crash_in(scratch, RLIM_INFINITY, change_markers_then_segv, NULL);
    expect_core_flag(status, SIGSEGV, 1);
    struct core c;
    core_load(&c, at("core"));

    char text[sizeof data_marker];
    core_read(&c, (uintptr_t)data_marker, text, sizeof text);
    CHECK_STR(text, "changed by the child"); /* the child's memory, not the program file's */
    char heap[4096], hs[4096];
    memset(hs, 'h', sizeof hs);
    core_read(&c, (uintptr_t)heap_marker, heap, sizeof heap);
    CHECK_EQ(memcmp(heap, hs, sizeof heap), 0);

    /* Never-touched pages are in the file (as holes) and read as zeros.
     * (Linux may leave a never-touched region out: p_filesz 0.) */
    const Elf64_Phdr *ph = core_segment(&c, (uintptr_t)untouched);
    CHECK(ph->p_flags & PF_R);
    CHECK(ph->p_flags & PF_W);
    if (is_sprout() || ph->p_filesz != 0) {
        CHECK_EQ(ph->p_filesz, ph->p_memsz);
        char zeros[64], got[64];
        memset(zeros, 0, sizeof zeros);
        memset(got, 'x', sizeof got);
        core_read(&c, (uintptr_t)untouched + 300000, got, sizeof got);
        CHECK_EQ(memcmp(got, zeros, sizeof got), 0);
    }

    /* PROT_NONE: described, but no bytes. */
    ph = core_segment(&c, (uintptr_t)inaccessible);
    CHECK_EQ(ph->p_filesz, 0);
    CHECK_EQ(ph->p_flags & (PF_R | PF_W | PF_X), 0);
    CHECK(ph->p_memsz >= 8192);
    core_close(&c);
}

static void core_names_program_and_auxv(void)
{
    NEED_CORE_PATTERN();
    enter_scratch();
    int status = crash_in(scratch, RLIM_INFINITY, write_to_null, NULL);
    expect_core_flag(status, SIGSEGV, 1);
    struct core c;
    core_load(&c, at("core"));
    size_t size = 0;
    const struct elf_prpsinfo *ps = core_note(&c, NT_PRPSINFO, &size);
    CHECK(ps != NULL);
    CHECK_EQ(size, sizeof *ps);
    CHECK_STR(ps->pr_fname, "t_core");
    char want[ELF_PRARGSZ];
    snprintf(want, sizeof want, "%s", program_invocation_name);
    CHECK_EQ(strncmp(ps->pr_psargs, want, strlen(want)), 0);

    const uint64_t *auxv = core_note(&c, NT_AUXV, &size);
    CHECK(auxv != NULL);
    CHECK(size >= 16 && size % 16 == 0);
    int found_pagesz = 0, found_entry = 0;
    for (size_t i = 0; i + 1 < size / 8; i += 2) {
        if (auxv[i] == AT_PAGESZ && auxv[i + 1] == 4096)
            found_pagesz = 1;
        if (auxv[i] == AT_ENTRY && auxv[i + 1] == getauxval(AT_ENTRY))
            found_entry = 1;
    }
    CHECK_EQ(auxv[size / 8 - 2], AT_NULL);
    CHECK(found_pagesz);
    CHECK(found_entry);
    core_close(&c);
}

/* 1 GiB that was never touched: the core describes it all, but writes no
 * page of it (with 256 MiB of RAM, copying it would fail). */
static void huge_untouched_mapping_costs_nothing(void)
{
    NEED_CORE_PATTERN();
    enter_scratch();
    const size_t huge = 1ul << 30;
    untouched = mmap(NULL, huge, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    CHECK(untouched != MAP_FAILED);
    expect_core_flag(crash_in(scratch, RLIM_INFINITY, write_to_null, NULL), SIGSEGV, 1);
    struct core c;
    core_load(&c, at("core"));
    const Elf64_Phdr *ph = core_segment(&c, (uintptr_t)untouched);
    CHECK(ph->p_memsz >= huge);
    if (ph->p_filesz == 0) {
        CHECK(!is_sprout()); /* Linux leaves never-touched anonymous memory out */
    } else {
        CHECK_EQ(ph->p_filesz, ph->p_memsz); /* sprout: all of it, as a hole */
        CHECK(c.size >= (off_t)huge);
        char got[16], zeros[16] = {0};
        core_read(&c, (uintptr_t)untouched + huge - sizeof got, got, sizeof got);
        CHECK_EQ(memcmp(got, zeros, sizeof got), 0);
    }
    core_close(&c);
    CHECK_EQ(unlink(at("core")), 0);
}

/* Every signal whose default action is "core" dumps; the others never do. */
static const struct {
    int sig;
    int dumps;
} signal_table[] = {
    {SIGQUIT, 1}, {SIGILL, 1},  {SIGTRAP, 1}, {SIGABRT, 1}, {SIGBUS, 1},  {SIGFPE, 1},
    {SIGSEGV, 1}, {SIGXCPU, 1}, {SIGXFSZ, 1}, {SIGSYS, 1},  {SIGKILL, 0}, {SIGTERM, 0},
    {SIGHUP, 0},  {SIGINT, 0},  {SIGUSR1, 0}, {SIGALRM, 0}, {SIGPIPE, 0},
};

static void only_core_signals_dump(void)
{
    NEED_CORE_PATTERN();
    enter_scratch();
    for (size_t i = 0; i < sizeof signal_table / sizeof signal_table[0]; i++) {
        unlink(at("core"));
        crash_signal = signal_table[i].sig;
        int status = crash_in(scratch, RLIM_INFINITY, die_of_own_signal, NULL);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != crash_signal ||
            (WCOREDUMP(status) != 0) != signal_table[i].dumps ||
            exists(at("core")) != signal_table[i].dumps)
            utest_fail(__FILE__, __LINE__, "signal %d: wait status %#x, core file %s (want %s)",
                       crash_signal, status, exists(at("core")) ? "written" : "absent",
                       signal_table[i].dumps ? "a core" : "none");
    }
}

static void real_faults_dump(void)
{
    NEED_CORE_PATTERN();
    enter_scratch();
    static const struct {
        void (*crash)(void);
        int sig;
    } faults[] = {{abort, SIGABRT}, {divide_by_zero, SIGFPE}, {illegal_instruction, SIGILL}};
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        unlink(at("core"));
        expect_core_flag(crash_in(scratch, RLIM_INFINITY, faults[i].crash, NULL), faults[i].sig, 1);
        CHECK(exists(at("core")));
    }
}

static void handled_segv_leaves_no_core(void)
{
    NEED_CORE_PATTERN();
    enter_scratch();
    int status = crash_in(scratch, RLIM_INFINITY, handled_segv, NULL);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 3);
    CHECK(!exists(at("core")));
}

/* RLIMIT_CORE: 0 and anything under a page mean no file at all. */
static void small_limits_write_nothing(void)
{
    NEED_CORE_PATTERN();
    enter_scratch();
    static const rlim_t limits[] = {0, 1, 4095};
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        int status = crash_in(scratch, limits[i], write_to_null, NULL);
        expect_core_flag(status, SIGSEGV, 0);
        if (exists(at("core")))
            utest_fail(__FILE__, __LINE__, "RLIMIT_CORE %lu: a core was written",
                       (unsigned long)limits[i]);
    }
}

/* A limit smaller than the core: the file stops there.  It was still dumped
 * (as Linux says: WCOREDUMP set), just incomplete. */
static void limit_cuts_core_short(void)
{
    NEED_CORE_PATTERN();
    enter_scratch();
    int status = crash_in(scratch, 8192, write_to_null, NULL);
    expect_core_flag(status, SIGSEGV, 1);
    CHECK(exists(at("core")));
    CHECK(size_of(at("core")) <= 8192);
    char magic[4] = "";
    slurp(at("core"), magic, sizeof magic);
    CHECK_EQ(memcmp(magic, ELFMAG, 3), 0);
}

/* The directory refuses the file: /proc, and a directory that was removed. */
static void unwritable_directory_no_core(void)
{
    NEED_CORE_PATTERN();
    expect_core_flag(crash_in("/proc", RLIM_INFINITY, write_to_null, NULL), SIGSEGV, 0);
    enter_scratch();
    CHECK_EQ(mkdir(at("gone"), 0755), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) { /* its cwd is removed before it crashes */
        if (chdir(at("gone")) != 0 || rmdir(at("gone")) != 0)
            _exit(101);
        write_to_null();
        _exit(102);
    }
    expect_core_flag(wait_status(pid), SIGSEGV, 0);
}

/* An old `core` that is a symlink or one of two hard links is unlinked and a
 * new file made (as Linux does): nothing is written through the old name.
 * A directory called `core` means no core. */
static void old_core_name_is_replaced_not_followed(void)
{
    NEED_CORE_PATTERN();
    enter_scratch();
    CHECK_EQ(symlink("target", at("core")), 0);
    expect_core_flag(crash_in(scratch, RLIM_INFINITY, write_to_null, NULL), SIGSEGV, 1);
    CHECK(!exists(at("target"))); /* the link was not followed */
    struct stat st;
    CHECK_EQ(lstat(at("core"), &st), 0);
    CHECK(S_ISREG(st.st_mode));

    make_file(at("data"), "precious");
    CHECK_EQ(unlink(at("core")), 0);
    if (link(at("data"), at("core")) == 0) {
        expect_core_flag(crash_in(scratch, RLIM_INFINITY, write_to_null, NULL), SIGSEGV, 1);
        char buf[32];
        CHECK_STR(slurp(at("data"), buf, sizeof buf), "precious");
        CHECK_EQ(stat(at("data"), &st), 0);
        CHECK_EQ(st.st_nlink, 1); /* "core" is a new file now */
        struct core c;
        core_load(&c, at("core"));
        core_close(&c);
        CHECK_EQ(unlink(at("core")), 0);
    } else {
        CHECK(is_sprout() && errno == EPERM); /* sprout's ramfs has no hard links yet */
    }

    CHECK_EQ(mkdir(at("core"), 0755), 0);
    expect_core_flag(crash_in(scratch, RLIM_INFINITY, write_to_null, NULL), SIGSEGV, 0);
    CHECK_EQ(stat(at("core"), &st), 0);
    CHECK(S_ISDIR(st.st_mode));
}

/* An old core with one name is replaced, not appended to. */
static void old_core_is_replaced(void)
{
    NEED_CORE_PATTERN();
    enter_scratch();
    make_file(at("core"), "an old core file that is not ELF at all");
    expect_core_flag(crash_in(scratch, RLIM_INFINITY, write_to_null, NULL), SIGSEGV, 1);
    struct core c;
    core_load(&c, at("core"));
    core_close(&c);
}

static const struct utest_case cases[] = {
    UTEST(segv_writes_core_and_sets_flag),
    UTEST(core_file_is_private),
    UTEST(core_registers_show_the_fault),
    UTEST(core_holds_the_memory),
    UTEST(core_names_program_and_auxv),
    UTEST(huge_untouched_mapping_costs_nothing),
    UTEST(only_core_signals_dump),
    UTEST(real_faults_dump),
    UTEST(handled_segv_leaves_no_core),
    UTEST(small_limits_write_nothing),
    UTEST(limit_cuts_core_short),
    UTEST(unwritable_directory_no_core),
    UTEST(old_core_name_is_replaced_not_followed),
    UTEST(old_core_is_replaced),
};

int main(int argc, char **argv)
{
    return filetest_main("core", cases, sizeof cases / sizeof cases[0], argc, argv);
}
