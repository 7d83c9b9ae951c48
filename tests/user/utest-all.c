/*
 * utest-all.c - run every test program in /bin whose name starts with "t_",
 * one after another, and add up their results.  This is the program
 * tests/qemu/test_user.sh runs inside sprout: one boot for all user tests.
 *
 *   utest-all [PREFIX]    only programs starting with t_PREFIX
 *
 * Then the programs of `as_student` run once more as the student account
 * (UID and GID 1000, in group 100), the way a user's own programs run:
 * whatever they test must work without root's rights.  Their cases are
 * named user.SUITE-as-student.CASE (utest.h reads UTEST_AS).  The others
 * need root (mount, creds, perms, ...), change the system, or take long
 * enough that running them twice would cost make test more than it tells
 * (these nine take about 3 s together).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <grp.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROGRAM_TIMEOUT_SECONDS 120

#define STUDENT 1000 /* user/etc/passwd */
#define USERS_GROUP 100

static const char *const as_student[] = {
    "t_badargs", "t_core",  "t_fd",       "t_files", "t_paths",
    "t_sigargs", "t_smoke", "t_timeouts", "t_tty",
};

static int runs_as_student(const char *name)
{
    for (size_t i = 0; i < sizeof as_student / sizeof as_student[0]; i++)
        if (strcmp(name, as_student[i]) == 0)
            return 1;
    return 0;
}

/* Run one program (as the student if asked); 1 if it failed. */
static int run_program(const char *name, int student)
{
    char path[300];
    snprintf(path, sizeof path, "/bin/%s", name);
    printf("--- %s%s\n", path, student ? " (as student)" : "");
    pid_t pid = fork();
    if (pid == 0) {
        alarm(PROGRAM_TIMEOUT_SECONDS);
        gid_t users[1] = {USERS_GROUP};
        if (student &&
            (setgroups(1, users) < 0 || setresgid(STUDENT, STUDENT, STUDENT) < 0 ||
             setresuid(STUDENT, STUDENT, STUDENT) < 0 || setenv("UTEST_AS", "student", 1) < 0)) {
            printf("FAIL user.%s-as-student: cannot become the student: %s\n", name,
                   strerror(errno));
            _exit(126);
        }
        if (student && chdir("/home/student") < 0) /* a directory of theirs (cores go there) */
            printf("note: /home/student: %s\n", strerror(errno));
        execl(path, path, (char *)NULL);
        printf("FAIL user.%s: cannot run: %s\n", name, strerror(errno));
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(status))
        printf("FAIL user.%s%s: the test program died from signal %d\n", name,
               student ? "-as-student" : "", WTERMSIG(status));
    return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

static int compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "t_%s", argc > 1 ? argv[1] : "");
    DIR *dir = opendir("/bin");
    if (!dir) {
        printf("FAIL user.utest-all: cannot open /bin: %s\n", strerror(errno));
        return 1;
    }
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) && n < 256)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            names[n++] = strdup(e->d_name);
    closedir(dir);
    qsort(names, (size_t)n, sizeof names[0], compare);

    int failed_programs = 0, runs = n;
    for (int i = 0; i < n; i++)
        failed_programs += run_program(names[i], 0);
    for (int i = 0; i < n; i++)
        if (runs_as_student(names[i])) {
            failed_programs += run_program(names[i], 1);
            runs++;
        }
    printf("utest-all: %d programs, %d with failures\n", runs, failed_programs);
    return failed_programs ? 1 : 0;
}
