/*
 * t_perms.c - file permissions as the student (uid 1000): owner/group/other
 * bits, directory search and write bits, the sticky /tmp, access() with the
 * real IDs, chmod/chown rules, set-user-ID bits cleared, umask, and /proc
 * files of other users' processes.  Each case starts as root, builds its
 * files in a fresh directory, then drops to the student.  Runs on Linux too
 * (as root).
 */
#define _GNU_SOURCE
#include "tests/user/utest.h"

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define STUDENT 1000
#define STAFF 100 /* a group the student may be put in */

static char dir[64];

/* A fresh root-owned directory /tmp/perms.<pid> (mode 0755) and its path + name. */
static const char *in_dir(const char *name)
{
    static char path[128];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/perms.%d", getpid());
        CHECK_EQ(mkdir(dir, 0755), 0);
        CHECK_EQ(chmod(dir, 0755), 0); /* whatever the umask */
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

/* As root: a file with these contents, owner, group and mode. */
static void make_file(const char *path, uid_t uid, gid_t gid, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, "data", 4), 4);
    close(fd);
    CHECK_EQ(chown(path, uid, gid), 0);
    CHECK_EQ(chmod(path, mode), 0);
}

static void become_student(void)
{
    CHECK_EQ(setresgid(STUDENT, STUDENT, STUDENT), 0);
    CHECK_EQ(setresuid(STUDENT, STUDENT, STUDENT), 0);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    CHECK_EQ(stat(path, &st), 0);
    return st.st_mode & 07777;
}

static void root_file_mode_600_is_unreadable(void)
{
    char secret[128];
    snprintf(secret, sizeof secret, "%s", in_dir("secret"));
    make_file(secret, 0, 0, 0600);
    become_student();
    CHECK_ERRNO(open(secret, O_RDONLY), EACCES);
    CHECK_ERRNO(open(secret, O_WRONLY), EACCES);
    CHECK_ERRNO(open(secret, O_RDWR | O_TRUNC), EACCES);
    CHECK_ERRNO(access(secret, R_OK), EACCES);
    struct stat st; /* stat needs only search permission on the directory */
    CHECK_EQ(stat(secret, &st), 0);
    CHECK_EQ(st.st_uid, 0);
    CHECK_EQ(st.st_mode & 0777, 0600);
}

static void owner_group_other_classes(void)
{
    char group_file[128], owner_file[128];
    snprintf(group_file, sizeof group_file, "%s", in_dir("group"));
    snprintf(owner_file, sizeof owner_file, "%s", in_dir("owner"));
    make_file(group_file, 0, STAFF, 0640);
    make_file(owner_file, STUDENT, 0, 0066); /* others may, the owner may not */
    gid_t staff[1] = {STAFF};
    CHECK_EQ(setgroups(1, staff), 0);
    become_student();
    int fd = open(group_file, O_RDONLY); /* group r via a supplementary group */
    CHECK(fd >= 0);
    close(fd);
    CHECK_ERRNO(open(group_file, O_WRONLY), EACCES);
    CHECK_ERRNO(open(owner_file, O_RDONLY), EACCES); /* only the owner's bits count */
    CHECK_EQ(access(group_file, R_OK), 0);
    CHECK_ERRNO(access(group_file, W_OK), EACCES);
    CHECK_ERRNO(access(group_file, X_OK), EACCES);
}

static void directory_bits(void)
{
    char nosearch[128], listonly[128], readonly[128], path[160];
    snprintf(nosearch, sizeof nosearch, "%s", in_dir("nosearch"));
    snprintf(listonly, sizeof listonly, "%s", in_dir("searchonly"));
    snprintf(readonly, sizeof readonly, "%s", in_dir("readonly"));
    const char *dirs[] = {nosearch, listonly, readonly};
    const mode_t modes[] = {0644, 0711, 0555};
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(mkdir(dirs[i], 0700), 0);
        snprintf(path, sizeof path, "%s/f", dirs[i]);
        make_file(path, 0, 0, 0644);
        CHECK_EQ(chmod(dirs[i], modes[i]), 0);
    }
    become_student();
    snprintf(path, sizeof path, "%s/f", nosearch); /* r but no x: names cannot be used */
    CHECK_ERRNO(open(path, O_RDONLY), EACCES);
    struct stat st;
    CHECK_ERRNO(stat(path, &st), EACCES);
    CHECK_ERRNO(chdir(nosearch), EACCES);
    snprintf(path, sizeof path, "%s/f", listonly); /* x but no r: use, not list */
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    close(fd);
    CHECK_ERRNO(open(listonly, O_RDONLY | O_DIRECTORY), EACCES);
    CHECK_EQ(chdir(listonly), 0);
    snprintf(path, sizeof path, "%s/new", readonly); /* r-x: no new or removed names */
    CHECK_ERRNO(open(path, O_WRONLY | O_CREAT, 0644), EACCES);
    CHECK_ERRNO(mkdir(path, 0755), EACCES);
    CHECK_ERRNO(symlink("f", path), EACCES);
    CHECK_ERRNO(unlink(path), ENOENT); /* a missing name: looked up first */
    snprintf(path, sizeof path, "%s/f", readonly);
    CHECK_ERRNO(mkdir(path, 0755), EEXIST); /* an existing one too */
    CHECK_ERRNO(symlink("x", path), EEXIST);
    CHECK_ERRNO(unlink(path), EACCES);
    char moved[160];
    snprintf(moved, sizeof moved, "%s/g", readonly);
    CHECK_ERRNO(rename(path, moved), EACCES);
    DIR *d = opendir(readonly);
    CHECK(d != NULL);
    closedir(d);
}

static void sticky_tmp_protects_others_files(void)
{
    CHECK_EQ(mode_of("/tmp"), 01777);
    char sticky[128], roots[160], mine[160], moved[160];
    snprintf(sticky, sizeof sticky, "%s", in_dir("sticky"));
    CHECK_EQ(mkdir(sticky, 0700), 0);
    CHECK_EQ(chmod(sticky, 01777), 0);
    snprintf(roots, sizeof roots, "%s/roots", sticky);
    make_file(roots, 0, 0, 0666); /* even writable by everyone */
    become_student();
    snprintf(mine, sizeof mine, "%s/mine", sticky);
    snprintf(moved, sizeof moved, "%s/moved", sticky);
    CHECK_ERRNO(unlink(roots), EPERM);
    CHECK_ERRNO(rename(roots, moved), EPERM);
    int fd = open(mine, O_WRONLY | O_CREAT, 0644);
    CHECK(fd >= 0);
    close(fd);
    CHECK_ERRNO(rename(mine, roots), EPERM); /* nor replace it */
    fd = open(roots, O_WRONLY);              /* writing is up to the file's own mode */
    CHECK(fd >= 0);
    close(fd);
    CHECK_EQ(rename(mine, moved), 0);
    CHECK_EQ(unlink(moved), 0);
}

static void exec_needs_x(void)
{
    char prog[128];
    snprintf(prog, sizeof prog, "%s", in_dir("prog"));
    copy_file("/bin/true", prog, 0744); /* only the owner (root) may run it */
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {prog, NULL};
        become_student();
        execve(prog, argv, NULL);
        _exit(errno == EACCES ? 0 : 1);
    }
    CHECK_EQ(WEXITSTATUS(wait_options(pid, 0)), 0);
    CHECK_EQ(chmod(prog, 0755), 0);
    pid = fork();
    if (pid == 0) {
        char *argv[] = {prog, NULL};
        become_student();
        execve(prog, argv, NULL);
        _exit(99);
    }
    CHECK_EQ(WEXITSTATUS(wait_options(pid, 0)), 0); /* /bin/true ran */
}

static void access_uses_the_real_ids(void)
{
    char secret[128];
    snprintf(secret, sizeof secret, "%s", in_dir("secret"));
    make_file(secret, 0, 0, 0600);
    CHECK_EQ(setresuid(STUDENT, 0, 0), 0); /* as a set-user-ID root program run by the student */
    int fd = open(secret, O_RDONLY);
    CHECK(fd >= 0); /* the effective ID opens it */
    close(fd);
    CHECK_ERRNO(access(secret, R_OK), EACCES);                  /* the student could not */
    CHECK_EQ(faccessat(AT_FDCWD, secret, R_OK, AT_EACCESS), 0); /* we can */
    CHECK_EQ(access(secret, F_OK), 0);
    CHECK_ERRNO(access(secret, 8), EINVAL);
}

static void chmod_only_by_the_owner(void)
{
    char roots[128], mine[128];
    snprintf(roots, sizeof roots, "%s", in_dir("roots"));
    snprintf(mine, sizeof mine, "%s", in_dir("mine"));
    make_file(roots, 0, 0, 0644);
    make_file(mine, STUDENT, 0, 0644);
    become_student();
    CHECK_ERRNO(chmod(roots, 0666), EPERM);
    CHECK_EQ(chmod(mine, 0600), 0);
    CHECK_EQ(mode_of(mine), 0600);
    CHECK_EQ(chmod(mine, 02755), 0); /* not in the file's group (0): set-group-ID dropped */
    CHECK_EQ(mode_of(mine), 0755);
    CHECK_EQ(chmod(mine, 04755), 0); /* set-user-ID on one's own file is fine */
    CHECK_EQ(mode_of(mine), 04755);
    int fd = open(roots, O_RDONLY);
    CHECK_ERRNO(fchmod(fd, 0666), EPERM);
    close(fd);
    CHECK_ERRNO(fchmod(-1, 0666), EBADF);
}

static void chown_rules(void)
{
    char roots[128], mine[128];
    snprintf(roots, sizeof roots, "%s", in_dir("roots"));
    snprintf(mine, sizeof mine, "%s", in_dir("mine"));
    make_file(roots, 0, 0, 0644);
    make_file(mine, STUDENT, STUDENT, 0644);
    gid_t staff[1] = {STAFF};
    CHECK_EQ(setgroups(1, staff), 0);
    become_student();
    CHECK_ERRNO(chown(mine, 0, -1), EPERM); /* giving a file away */
    CHECK_ERRNO(chown(roots, STUDENT, -1), EPERM);
    CHECK_ERRNO(chown(roots, -1, STUDENT), EPERM);
    CHECK_ERRNO(chown(mine, -1, 0), EPERM); /* a group we are not in */
    CHECK_EQ(chown(mine, -1, STAFF), 0);    /* one we are in */
    CHECK_EQ(chown(mine, STUDENT, -1), 0);  /* "to ourselves": no change */
    struct stat st;
    CHECK_EQ(stat(mine, &st), 0);
    CHECK_EQ(st.st_uid, STUDENT);
    CHECK_EQ(st.st_gid, STAFF);
    CHECK_ERRNO(fchown(-1, 0, 0), EBADF);
    CHECK_ERRNO(fchownat(AT_FDCWD, mine, -1, -1, 0x4000), EINVAL);
    CHECK_ERRNO(lchown("/nonexistent", 0, 0), ENOENT);
}

static void chown_clears_setuid(void)
{
    char prog[128];
    snprintf(prog, sizeof prog, "%s", in_dir("prog"));
    make_file(prog, STUDENT, STUDENT, 06755);
    CHECK_EQ(mode_of(prog), 06755);
    CHECK_EQ(chown(prog, 0, 0), 0); /* even root's chown drops both bits */
    CHECK_EQ(mode_of(prog), 0755);
    CHECK_EQ(chmod(prog, 04755), 0);
    CHECK_EQ(chown(prog, STUDENT, -1), 0);
    CHECK_EQ(mode_of(prog), 0755);
}

static void writing_clears_setuid(void)
{
    char prog[128];
    snprintf(prog, sizeof prog, "%s", in_dir("prog"));
    make_file(prog, STUDENT, 0, 04755);
    int fd = open(prog, O_WRONLY | O_APPEND);
    CHECK_EQ(write(fd, "x", 1), 1); /* root keeps the bit (CAP_FSETID) */
    close(fd);
    CHECK_EQ(mode_of(prog), 04755);
    become_student();
    fd = open(prog, O_WRONLY | O_APPEND);
    CHECK(fd >= 0);
    CHECK_EQ(write(fd, "x", 1), 1);
    close(fd);
    CHECK_EQ(mode_of(prog), 0755);
    CHECK_EQ(chmod(prog, 04755), 0);
    CHECK_EQ(truncate(prog, 1), 0); /* truncating is writing too */
    CHECK_EQ(mode_of(prog), 0755);
}

static void new_files_belong_to_their_creator(void)
{
    char sticky[128], file[160], sub[160];
    snprintf(sticky, sizeof sticky, "%s", in_dir("open"));
    CHECK_EQ(mkdir(sticky, 0700), 0);
    CHECK_EQ(chmod(sticky, 0777), 0);
    become_student();
    umask(027);
    snprintf(file, sizeof file, "%s/f", sticky);
    snprintf(sub, sizeof sub, "%s/d", sticky);
    int fd = open(file, O_RDWR | O_CREAT | O_EXCL, 0400); /* created read-only, opened rw */
    CHECK(fd >= 0);
    close(fd);
    CHECK_EQ(mkdir(sub, 0777), 0);
    struct stat st;
    CHECK_EQ(stat(file, &st), 0);
    CHECK_EQ(st.st_uid, STUDENT);
    CHECK_EQ(st.st_gid, STUDENT);
    CHECK_EQ(st.st_mode & 07777, 0400);
    CHECK_EQ(mode_of(sub), 0750);
    CHECK_EQ(umask(0), 027);
    CHECK_ERRNO(open(file, O_RDWR), EACCES); /* the second time the mode counts */
}

/* A set-group-ID directory hands its group to new names in it and its bit to
 * new subdirectories; a set-group-ID program of a group one is not in loses
 * the bit, at creation as at chmod. */
static void setgid_directories(void)
{
    char shared[128], file[160], sub[160], deeper[200], prog[160];
    snprintf(shared, sizeof shared, "%s", in_dir("shared"));
    CHECK_EQ(mkdir(shared, 0700), 0);
    CHECK_EQ(chown(shared, 0, STAFF), 0);
    CHECK_EQ(chmod(shared, 02777), 0);
    snprintf(file, sizeof file, "%s/f", shared);
    snprintf(sub, sizeof sub, "%s/d", shared);
    snprintf(deeper, sizeof deeper, "%s/d/e", shared);
    snprintf(prog, sizeof prog, "%s/p", shared);
    CHECK_EQ(setgroups(0, NULL), 0); /* the student is not in STAFF */
    become_student();
    umask(0);
    int fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0644);
    CHECK(fd >= 0);
    close(fd);
    CHECK_EQ(mkdir(sub, 0755), 0);
    CHECK_EQ(mkdir(deeper, 0700), 0);
    struct stat st;
    CHECK_EQ(stat(file, &st), 0);
    CHECK_EQ(st.st_uid, STUDENT);
    CHECK_EQ(st.st_gid, STAFF); /* the directory's group, not the student's */
    CHECK_EQ(st.st_mode & 07777, 0644);
    CHECK_EQ(stat(sub, &st), 0);
    CHECK_EQ(st.st_gid, STAFF);
    CHECK_EQ(st.st_mode & 07777, 02755); /* the bit goes down with the group */
    CHECK_EQ(stat(deeper, &st), 0);
    CHECK_EQ(st.st_gid, STAFF);
    CHECK_EQ(st.st_mode & 07777, 02700);
    fd = open(prog, O_WRONLY | O_CREAT | O_EXCL, 02755); /* not a member of STAFF */
    CHECK(fd >= 0);
    close(fd);
    CHECK_EQ(mode_of(prog), 0755);
    CHECK_EQ(chmod(prog, 02755), 0); /* own file, foreign group: chmod drops it too */
    CHECK_EQ(mode_of(prog), 0755);
    CHECK_EQ(chmod(sub, 0755), 0); /* the owner may clear it on a directory */
    CHECK_EQ(mode_of(sub), 0755);
    CHECK_EQ(chmod(sub, 02755), 0); /* but setting it again drops it: not in STAFF */
    CHECK_EQ(mode_of(sub), 0755);
}

static void setgid_directory_member_keeps_the_bit(void)
{
    char shared[128], prog[160];
    snprintf(shared, sizeof shared, "%s", in_dir("members"));
    CHECK_EQ(mkdir(shared, 0700), 0);
    CHECK_EQ(chown(shared, 0, STAFF), 0);
    CHECK_EQ(chmod(shared, 02777), 0);
    snprintf(prog, sizeof prog, "%s/p", shared);
    gid_t staff[1] = {STAFF};
    CHECK_EQ(setgroups(1, staff), 0);
    become_student();
    umask(0);
    int fd = open(prog, O_WRONLY | O_CREAT | O_EXCL, 02755);
    CHECK(fd >= 0);
    close(fd);
    CHECK_EQ(mode_of(prog), 02755);
    struct stat st;
    CHECK_EQ(stat(prog, &st), 0);
    CHECK_EQ(st.st_gid, STAFF);
    CHECK_ERRNO(chmod(shared, 0777), EPERM); /* not the directory's owner */
}

static void other_users_proc_secrets_are_closed(void)
{
    pid_t root_child = fork_sleeper();
    become_student();
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/environ", root_child);
    CHECK_ERRNO(open(path, O_RDONLY), EACCES);
    snprintf(path, sizeof path, "/proc/%d/fd", root_child);
    CHECK_ERRNO(open(path, O_RDONLY | O_DIRECTORY), EACCES);
    snprintf(path, sizeof path, "/proc/%d/fd/0", root_child);
    char target[64];
    CHECK_ERRNO(readlink(path, target, sizeof target), EACCES);
    snprintf(path, sizeof path, "/proc/%d/exe", root_child);
    CHECK_ERRNO(readlink(path, target, sizeof target), EACCES);
    snprintf(path, sizeof path, "/proc/%d/cwd", root_child);
    CHECK_ERRNO(readlink(path, target, sizeof target), EACCES);
    CHECK_EQ(readlink("/proc/self/exe", target, sizeof target) > 0, 1);
    snprintf(path, sizeof path, "/proc/%d/status", root_child); /* status is public */
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    close(fd);
    if (is_sprout()) { /* (Linux makes a process that dropped root undumpable: root's files) */
        fd = open("/proc/self/environ", O_RDONLY); /* our own */
        CHECK(fd >= 0);
        close(fd);
        CHECK_EQ(readlink("/proc/self/fd/1", target, sizeof target) > 0, 1);
    }
}

/* A crash leaves no core where the process may not write (sprout writes
 * cores to the working directory; Linux's core_pattern varies). */
static void no_core_in_a_directory_of_others(void)
{
    if (!is_sprout())
        return;
    char core[160];
    snprintf(core, sizeof core, "%s/core", in_dir("."));
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
        setrlimit(RLIMIT_CORE, &unlimited);
        become_student();
        if (chdir(dir) < 0)
            _exit(1);
        abort();
    }
    int status = wait_options(pid, 0);
    CHECK(WIFSIGNALED(status));
    CHECK(!WCOREDUMP(status));
    struct stat st;
    CHECK_ERRNO(stat(core, &st), ENOENT);
}

static const struct utest_case cases[] = {
    UTEST(root_file_mode_600_is_unreadable),
    UTEST(owner_group_other_classes),
    UTEST(directory_bits),
    UTEST(sticky_tmp_protects_others_files),
    UTEST(exec_needs_x),
    UTEST(access_uses_the_real_ids),
    UTEST(chmod_only_by_the_owner),
    UTEST(chown_rules),
    UTEST(chown_clears_setuid),
    UTEST(writing_clears_setuid),
    UTEST(new_files_belong_to_their_creator),
    UTEST(setgid_directories),
    UTEST(setgid_directory_member_keeps_the_bit),
    UTEST(other_users_proc_secrets_are_closed),
    UTEST(no_core_in_a_directory_of_others),
};
UTEST_MAIN("perms", cases)
