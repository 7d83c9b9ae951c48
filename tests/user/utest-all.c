/*
 * utest-all.c - run every test program in /bin whose name starts with "t_",
 * one after another, and add up their results.  This is the program
 * tests/qemu/test_user.sh runs inside sprout: one boot for all user tests.
 *
 *   utest-all [PREFIX]    only programs starting with t_PREFIX
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROGRAM_TIMEOUT_SECONDS 120

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

    int failed_programs = 0;
    for (int i = 0; i < n; i++) {
        char path[300];
        snprintf(path, sizeof path, "/bin/%s", names[i]);
        printf("--- %s\n", path);
        pid_t pid = fork();
        if (pid == 0) {
            alarm(PROGRAM_TIMEOUT_SECONDS);
            execl(path, path, (char *)NULL);
            printf("FAIL user.%s: cannot run: %s\n", names[i], strerror(errno));
            _exit(127);
        }
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            failed_programs++;
            if (WIFSIGNALED(status))
                printf("FAIL user.%s: the test program died from signal %d\n", names[i],
                       WTERMSIG(status));
        }
    }
    printf("utest-all: %d programs, %d with failures\n", n, failed_programs);
    return failed_programs ? 1 : 0;
}
