/*
 * t_dynamic.c - execve of a dynamically linked program (PT_INTERP), and the
 * calls Debian's glibc programs need: statx, fadvise64, the xattr family.
 *
 * The programs are crafted here, at run time, in /tmp: one page at
 * 0x10000000 whose code exits with 7, with a PT_INTERP naming the
 * interpreter under test.  For the good case the interpreter is this very
 * program (static, ET_EXEC): a constructor sees that AT_ENTRY is the crafted
 * program's entry, checks the auxiliary vector a dynamic loader would use,
 * and exits with 42.  Debian's real ld-linux runs in tests/qemu/test_disk.sh.
 */
#include "utest.h"
#include <elf.h>
#include <stddef.h>
#include <sys/auxv.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>

#define BASE 0x10000000ul
#define AS_INTERPRETER_OK 42

struct crafted {
    Elf64_Ehdr eh;
    Elf64_Phdr ph[2]; /* PT_LOAD, PT_INTERP */
    char interp[128];
    unsigned char code[16];
};
#define ENTRY (BASE + offsetof(struct crafted, code))

/* Run as the crafted program's interpreter?  Check what a loader needs, exit. */
__attribute__((constructor)) static void maybe_interpreter(void)
{
    if (getauxval(AT_ENTRY) != ENTRY)
        return;
    if (getenv("T_DYNAMIC_PAUSE")) /* running_program_is_busy_not_its_interpreter: until killed */
        for (alarm(20);;)          /* (alarm: gone even if the test fails before its kill) */
            pause();
    const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    int bad = 0;
    if (getauxval(AT_BASE) != 0) /* an ET_EXEC interpreter is not moved: Linux says 0 */
        bad = 1;
    else if ((unsigned long)ph != BASE + offsetof(struct crafted, ph) || getauxval(AT_PHNUM) != 2 ||
             getauxval(AT_PHENT) != sizeof(Elf64_Phdr))
        bad = 2;
    else if (ph[0].p_type != PT_LOAD || ph[1].p_type != PT_INTERP)
        bad = 3; /* the program's own headers, mapped at AT_PHDR */
    else if (!execfn || strncmp(execfn, "/tmp/dyn", 8) != 0)
        bad = 4;
    else if (getauxval(AT_PAGESZ) != 4096 || !getauxval(AT_RANDOM))
        bad = 5;
    _exit(bad ? bad : AS_INTERPRETER_OK);
}

/* Write a crafted program to `path`; interp NULL for a static one.  interp_size 0: its length+1. */
static void craft(const char *path, const char *interp, size_t interp_size)
{
    struct crafted c;
    memset(&c, 0, sizeof c);
    memcpy(c.eh.e_ident, ELFMAG, SELFMAG);
    c.eh.e_ident[EI_CLASS] = ELFCLASS64;
    c.eh.e_ident[EI_DATA] = ELFDATA2LSB;
    c.eh.e_ident[EI_VERSION] = EV_CURRENT;
    c.eh.e_type = ET_EXEC;
    c.eh.e_machine = EM_X86_64;
    c.eh.e_version = EV_CURRENT;
    c.eh.e_entry = ENTRY;
    c.eh.e_phoff = offsetof(struct crafted, ph);
    c.eh.e_ehsize = sizeof c.eh;
    c.eh.e_phentsize = sizeof(Elf64_Phdr);
    c.eh.e_phnum = interp ? 2 : 1;
    c.ph[0] = (Elf64_Phdr){PT_LOAD, PF_R | PF_X, 0, BASE, BASE, sizeof c, sizeof c, 4096};
    if (interp) {
        strcpy(c.interp, interp);
        c.ph[1] = (Elf64_Phdr){PT_INTERP, PF_R, offsetof(struct crafted, interp),
                               0,         0,    interp_size ? interp_size : strlen(interp) + 1,
                               0,         1};
        c.ph[1].p_memsz = c.ph[1].p_filesz;
    }
    static const unsigned char exit7[] = {0xbf, 7, 0, 0, 0, 0xb8, 60, 0, 0, 0, 0x0f, 0x05};
    memcpy(c.code, exit7, sizeof exit7); /* mov $7,%edi; mov $60,%eax; syscall */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, &c, sizeof c), (long)sizeof c);
    CHECK_EQ(close(fd), 0);
}

static void write_file(const char *path, const void *data, size_t size, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, data, size), (long)size);
    CHECK_EQ(close(fd), 0);
    CHECK_EQ(chmod(path, mode), 0);
}

/* execve `path` in a child: its exit status, or 100 + errno if execve failed. */
static int run(const char *path)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char *argv[] = {(char *)path, NULL};
        execv(path, argv);
        _exit(100 + (errno & 0x7f));
    }
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void static_crafted_program_runs(void)
{
    craft("/tmp/dyn-static", NULL, 0);
    CHECK_EQ(run("/tmp/dyn-static"), 7);
}

static void interpreter_starts_with_the_programs_auxv(void)
{
    char self[256];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    CHECK(n > 0);
    self[n] = '\0';
    craft("/tmp/dyn-good", self, 0);
    CHECK_EQ(run("/tmp/dyn-good"), AS_INTERPRETER_OK); /* not 7: the interpreter ran */
}

static void missing_interpreter_gives_enoent(void)
{
    craft("/tmp/dyn-missing", "/nonexistent/ld-linux-x86-64.so.2", 0);
    CHECK_EQ(run("/tmp/dyn-missing"), 100 + ENOENT);
}

static void text_interpreter_gives_elibbad(void)
{
    static const char text[] =
        "#!/bin/sh\n# not an ELF file, though long enough to hold an ELF header\n";
    write_file("/tmp/ld-text", text, sizeof text, 0755);
    craft("/tmp/dyn-text", "/tmp/ld-text", 0);
    CHECK_EQ(run("/tmp/dyn-text"), 100 + ELIBBAD);
}

static void foreign_elf_interpreter_gives_elibbad(void)
{
    Elf64_Ehdr eh;
    memset(&eh, 0, sizeof eh);
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_type = ET_DYN;
    eh.e_machine = EM_AARCH64; /* an ARM loader */
    write_file("/tmp/ld-arm", &eh, sizeof eh, 0755);
    craft("/tmp/dyn-arm", "/tmp/ld-arm", 0);
    CHECK_EQ(run("/tmp/dyn-arm"), 100 + ELIBBAD);
}

static void empty_interpreter_gives_eio(void)
{
    write_file("/tmp/ld-empty", "", 0, 0755);
    craft("/tmp/dyn-empty", "/tmp/ld-empty", 0);
    CHECK_EQ(run("/tmp/dyn-empty"), 100 + EIO); /* too short to read its header */
}

static void unusable_interpreter_gives_eacces(void)
{
    craft("/tmp/dyn-dir", "/tmp", 0);
    CHECK_EQ(run("/tmp/dyn-dir"), 100 + EACCES); /* a directory */
    write_file("/tmp/ld-noexec", "\177ELF", 4, 0644);
    craft("/tmp/dyn-noexec", "/tmp/ld-noexec", 0);
    CHECK_EQ(run("/tmp/dyn-noexec"), 100 + EACCES); /* no x bit */
}

static void bad_interp_header_gives_enoexec(void)
{
    craft("/tmp/dyn-nonul", "/bin/sh", 7); /* "/bin/sh" without its NUL */
    CHECK_EQ(run("/tmp/dyn-nonul"), 100 + ENOEXEC);
    craft("/tmp/dyn-short", "/", 1); /* shorter than 2 bytes */
    CHECK_EQ(run("/tmp/dyn-short"), 100 + ENOEXEC);
}

/* Does /proc/PID/maps name `path`? */
static int maps_name(pid_t pid, const char *path)
{
    char name[64], text[8192];
    snprintf(name, sizeof name, "/proc/%d/maps", (int)pid);
    int fd = open(name, O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    text[n > 0 ? n : 0] = '\0';
    return strstr(text, path) != NULL;
}

/* As on Linux (6.x): a running program is ETXTBSY for writing, its interpreter is not. */
static void running_program_is_busy_not_its_interpreter(void)
{
    /* A copy of this program as the interpreter, so nothing else has it open. */
    char self[256];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    CHECK(n > 0);
    self[n] = '\0';
    int in = open(self, O_RDONLY), out = open("/tmp/ld-busy", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    CHECK(in >= 0 && out >= 0);
    char buf[4096];
    for (ssize_t got; (got = read(in, buf, sizeof buf)) > 0;)
        CHECK_EQ(write(out, buf, (size_t)got), got);
    close(in);
    close(out);
    craft("/tmp/dyn-busy", "/tmp/ld-busy", 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char *argv[] = {"/tmp/dyn-busy", NULL}, *envp[] = {"T_DYNAMIC_PAUSE=1", NULL};
        execve(argv[0], argv, envp);
        _exit(100);
    }
    for (int i = 0; i < 500 && !maps_name(pid, "/tmp/ld-busy"); i++)
        usleep(10000); /* until its execve has mapped the interpreter */
    CHECK(maps_name(pid, "/tmp/ld-busy"));
    CHECK_ERRNO(open("/tmp/dyn-busy", O_WRONLY), ETXTBSY);
    int fd = open("/tmp/ld-busy", O_WRONLY);
    CHECK(fd >= 0);
    close(fd);
    CHECK_EQ(kill(pid, SIGKILL), 0);
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFSIGNALED(status));
}

/* --- statx ------------------------------------------------------------- */

struct statx_timestamp_user {
    long long tv_sec;
    unsigned tv_nsec;
    int reserved;
};
struct statx_user {
    unsigned stx_mask, stx_blksize;
    unsigned long long stx_attributes;
    unsigned stx_nlink, stx_uid, stx_gid;
    unsigned short stx_mode, spare0;
    unsigned long long stx_ino, stx_size, stx_blocks, stx_attributes_mask;
    struct statx_timestamp_user stx_atime, stx_btime, stx_ctime, stx_mtime;
    unsigned stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
    unsigned long long spare[14];
};
_Static_assert(sizeof(struct statx_user) == 256, "struct statx is 256 bytes");
#define STATX_BASIC_STATS 0x7ff
#define AT_STATX_FORCE_SYNC 0x2000
#define AT_STATX_DONT_SYNC 0x4000

static long statx_call(int dirfd, const char *path, int flags, unsigned mask, void *buf)
{
    return syscall(SYS_statx, dirfd, path, flags, mask, buf);
}

static void statx_agrees_with_stat(void)
{
    write_file("/tmp/statx-me", "twelve bytes", 12, 0640);
    struct stat st;
    struct statx_user sx;
    memset(&sx, 0xff, sizeof sx);
    CHECK_EQ(stat("/tmp/statx-me", &st), 0);
    CHECK_EQ(statx_call(AT_FDCWD, "/tmp/statx-me", 0, STATX_BASIC_STATS, &sx), 0);
    CHECK_EQ(sx.stx_mask & STATX_BASIC_STATS, STATX_BASIC_STATS);
    CHECK_EQ(sx.stx_size, 12);
    CHECK_EQ(sx.stx_mode, st.st_mode);
    CHECK_EQ(sx.stx_ino, st.st_ino);
    CHECK_EQ(sx.stx_nlink, st.st_nlink);
    CHECK_EQ(sx.stx_uid, st.st_uid);
    CHECK_EQ(sx.stx_blocks, st.st_blocks);
    CHECK_EQ(sx.stx_mtime.tv_sec, st.st_mtim.tv_sec);
    CHECK_EQ(sx.stx_mtime.tv_nsec, st.st_mtim.tv_nsec);
    CHECK_EQ(makedev(sx.stx_dev_major, sx.stx_dev_minor), st.st_dev);
    CHECK_EQ(sx.spare[13], 0); /* the reserved tail is zeroed */
    /* AT_EMPTY_PATH: the descriptor itself; AT_SYMLINK_NOFOLLOW: the link itself */
    int fd = open("/tmp/statx-me", O_RDONLY);
    CHECK(fd >= 0);
    CHECK_EQ(statx_call(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx), 0);
    CHECK_EQ(sx.stx_ino, st.st_ino);
    unlink("/tmp/statx-link");
    CHECK_EQ(symlink("/tmp/statx-me", "/tmp/statx-link"), 0);
    CHECK_EQ(statx_call(AT_FDCWD, "/tmp/statx-link", AT_SYMLINK_NOFOLLOW, 0, &sx), 0);
    CHECK(S_ISLNK(sx.stx_mode));
    CHECK_EQ(statx_call(AT_FDCWD, "/tmp/statx-link", AT_STATX_DONT_SYNC, 0, &sx), 0);
    CHECK(S_ISREG(sx.stx_mode));
}

static void statx_bad_arguments(void)
{
    struct statx_user sx;
    CHECK_ERRNO(statx_call(AT_FDCWD, "/", 0x1, STATX_BASIC_STATS, &sx), EINVAL); /* unknown flag */
    CHECK_ERRNO(statx_call(AT_FDCWD, "/", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, 0, &sx),
                EINVAL);
    CHECK_ERRNO(statx_call(AT_FDCWD, "/", 0, 0x80000000u, &sx), EINVAL); /* STATX__RESERVED */
    CHECK_ERRNO(statx_call(AT_FDCWD, "/", 0, STATX_BASIC_STATS, (void *)16), EFAULT);
    CHECK_ERRNO(statx_call(AT_FDCWD, (const char *)16, 0, STATX_BASIC_STATS, &sx), EFAULT);
    CHECK_ERRNO(statx_call(AT_FDCWD, "/no/such/file", 0, STATX_BASIC_STATS, &sx), ENOENT);
    CHECK_ERRNO(statx_call(AT_FDCWD, "", 0, STATX_BASIC_STATS, &sx), ENOENT);
    CHECK_ERRNO(statx_call(9999, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx), EBADF);
    CHECK_ERRNO(statx_call(9999, "relative", 0, STATX_BASIC_STATS, &sx), EBADF);
}

/* --- fadvise64 and the xattr family ------------------------------------ */

static void fadvise_checks_and_accepts(void)
{
    int fd = open("/bin/sh", O_RDONLY);
    CHECK(fd >= 0);
    CHECK_EQ(syscall(SYS_fadvise64, fd, 0, 0, 2 /* SEQUENTIAL */), 0);
    CHECK_EQ(syscall(SYS_fadvise64, fd, 4096, 100, 4 /* DONTNEED */), 0);
    CHECK_ERRNO(syscall(SYS_fadvise64, fd, 0, 0, 99), EINVAL);
    CHECK_ERRNO(syscall(SYS_fadvise64, 9999, 0, 0, 0), EBADF);
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_ERRNO(syscall(SYS_fadvise64, p[0], 0, 0, 0), ESPIPE);
}

/* No such attribute: sprout has none at all (EOPNOTSUPP); Linux's ext4 says ENODATA. */
#define CHECK_NO_ATTRIBUTE(call)                                                                   \
    do {                                                                                           \
        errno = 0;                                                                                 \
        CHECK_EQ((call), -1);                                                                      \
        CHECK(errno == EOPNOTSUPP || errno == ENODATA);                                            \
    } while (0)

static void xattrs_are_not_supported(void)
{
    char buf[64];
    CHECK_NO_ATTRIBUTE(syscall(SYS_getxattr, "/bin/sh", "user.x", buf, sizeof buf));
    CHECK_NO_ATTRIBUTE(
        syscall(SYS_lgetxattr, "/bin/sh", "system.posix_acl_access", buf, sizeof buf));
    CHECK_ERRNO(syscall(SYS_getxattr, "/no/such", "user.x", buf, sizeof buf), ENOENT);
    CHECK_ERRNO(syscall(SYS_getxattr, "/bin/sh", "", buf, sizeof buf), ERANGE);
    CHECK_ERRNO(syscall(SYS_getxattr, "/bin/sh", (char *)16, buf, sizeof buf), EFAULT);
    CHECK_ERRNO(syscall(SYS_getxattr, (char *)16, "user.x", buf, sizeof buf), EFAULT);
    char long_name[300];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    CHECK_ERRNO(syscall(SYS_getxattr, "/bin/sh", long_name, buf, sizeof buf), ERANGE);
    int fd = open("/bin/sh", O_RDONLY);
    CHECK(fd >= 0);
    CHECK_NO_ATTRIBUTE(syscall(SYS_fgetxattr, fd, "user.x", buf, sizeof buf));
    CHECK_ERRNO(syscall(SYS_fgetxattr, 9999, "user.x", buf, sizeof buf), EBADF);
    CHECK_EQ(syscall(SYS_listxattr, "/bin/sh", buf, sizeof buf), 0); /* an empty list */
    CHECK_EQ(syscall(SYS_llistxattr, "/bin/sh", NULL, 0), 0);
    CHECK_EQ(syscall(SYS_flistxattr, fd, buf, sizeof buf), 0);
    CHECK_ERRNO(syscall(SYS_listxattr, "/no/such", buf, sizeof buf), ENOENT);
    CHECK_ERRNO(syscall(SYS_flistxattr, 9999, buf, sizeof buf), EBADF);
}

static void setting_xattrs_is_checked_then_refused(void)
{
    write_file("/tmp/xattr-me", "x", 1, 0644);
    char big[70000];
    memset(big, 'v', sizeof big);
    /* the flags, name and value are checked before the file is looked up */
    CHECK_ERRNO(syscall(SYS_setxattr, "/no/such", "user.x", "v", 1, 4), EINVAL);
    CHECK_ERRNO(syscall(SYS_setxattr, "/no/such", "", "v", 1, 0), ERANGE);
    CHECK_ERRNO(syscall(SYS_setxattr, "/tmp/xattr-me", "user.x", big, sizeof big, 0), E2BIG);
    CHECK_ERRNO(syscall(SYS_setxattr, "/tmp/xattr-me", "user.x", (void *)16, 1, 0), EFAULT);
    CHECK_ERRNO(syscall(SYS_lsetxattr, "/no/such", "user.x", "v", 1, 0), ENOENT);
    CHECK_ERRNO(syscall(SYS_fsetxattr, 9999, "user.x", "v", 1, 0), EBADF);
    CHECK_ERRNO(syscall(SYS_removexattr, "/no/such", "user.x"), ENOENT);
    CHECK_ERRNO(syscall(SYS_removexattr, "/tmp/xattr-me", (char *)16), EFAULT);
    CHECK_ERRNO(syscall(SYS_fremovexattr, 9999, "user.x"), EBADF);
    /* sprout: no extended attributes (EOPNOTSUPP); Linux's tmpfs keeps user.* ones */
    errno = 0;
    if (syscall(SYS_setxattr, "/tmp/xattr-me", "user.x", "v", 1, 0) == 0) {
        CHECK_EQ(syscall(SYS_removexattr, "/tmp/xattr-me", "user.x"), 0);
    } else {
        CHECK_EQ(errno, EOPNOTSUPP);
        CHECK_ERRNO(syscall(SYS_removexattr, "/tmp/xattr-me", "user.x"), EOPNOTSUPP);
        int fd = open("/tmp/xattr-me", O_RDONLY);
        CHECK(fd >= 0);
        CHECK_ERRNO(syscall(SYS_fsetxattr, fd, "user.x", "v", 1, 0), EOPNOTSUPP);
        CHECK_ERRNO(syscall(SYS_fremovexattr, fd, "user.x"), EOPNOTSUPP);
    }
}

static const struct utest_case cases[] = {
    UTEST(static_crafted_program_runs),
    UTEST(interpreter_starts_with_the_programs_auxv),
    UTEST(missing_interpreter_gives_enoent),
    UTEST(text_interpreter_gives_elibbad),
    UTEST(foreign_elf_interpreter_gives_elibbad),
    UTEST(empty_interpreter_gives_eio),
    UTEST(unusable_interpreter_gives_eacces),
    UTEST(bad_interp_header_gives_enoexec),
    UTEST(running_program_is_busy_not_its_interpreter),
    UTEST(statx_agrees_with_stat),
    UTEST(statx_bad_arguments),
    UTEST(fadvise_checks_and_accepts),
    UTEST(xattrs_are_not_supported),
    UTEST(setting_xattrs_is_checked_then_refused),
};
UTEST_MAIN("dynamic", cases)
