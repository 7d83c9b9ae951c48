/*
 * threadcrash.c - a crash in a thread ends the whole process; a crash in a
 * child process does not touch its parent.
 *
 * First a forked child dereferences NULL: it dies of SIGSEGV and the parent
 * goes on.  Then a child process starts two threads, one of which
 * dereferences NULL: the other thread, busy and innocent, dies with it --
 * the threads share one address space, so a fault in one is fatal to all.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void *busy(void *arg)
{
    for (;;)
        sleep(1);
    return NULL;
}

static void *crash(void *arg)
{
    *(volatile int *)arg = 1; /* arg is NULL */
    return NULL;
}

static void report(const char *what, int status)
{
    if (WIFSIGNALED(status))
        printf("threadcrash: %s died of %s\n", what, strsignal(WTERMSIG(status)));
    else
        printf("threadcrash: %s exited with %d\n", what, WEXITSTATUS(status));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core); /* no core files for this demo */
    int status;
    pid_t pid = fork();
    if (pid == 0)
        crash(NULL);
    waitpid(pid, &status, 0);
    report("a child process that crashed", status);
    printf("threadcrash: its parent (me, PID %d) is still running\n", getpid());

    pid = fork();
    if (pid == 0) {
        pthread_t a, b;
        pthread_create(&a, NULL, busy, NULL);
        printf("threadcrash: process %d has two threads and starts a third, which crashes\n",
               getpid());
        pthread_create(&b, NULL, crash, NULL);
        for (;;)
            sleep(1);
    }
    waitpid(pid, &status, 0);
    report("the process whose thread crashed (all three threads)", status);
    return 0;
}
