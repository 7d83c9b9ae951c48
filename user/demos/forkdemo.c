/*
 * forkdemo.c - one program, two processes: what fork, exec and wait do.
 *
 *   forkdemo [PROGRAM [ARGS...]]      (default program: /bin/hello)
 *
 * 1. fork() makes a copy of this process.  Both copies return from fork:
 *    the parent gets the child's PID, the child gets 0.
 * 2. The copy has its own memory: the child changes a variable and the
 *    parent does not see the change (the kernel shares the pages until one
 *    of them writes: copy-on-write).
 * 3. The child calls execve(): same process (same PID), new program.
 * 4. The parent waits for the child and learns how it ended.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int counter = 100; /* a global: in the data segment of each process */

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char *default_program[] = {"/bin/hello", NULL};
    char **program = argc > 1 ? argv + 1 : default_program;

    printf("parent: I am PID %d; counter = %d at %p\n", getpid(), counter, (void *)&counter);
    pid_t pid = fork();
    if (pid < 0) {
        perror("forkdemo: fork");
        return 1;
    }
    if (pid == 0) {
        counter = 200; /* only the child's copy changes */
        printf("child:  I am PID %d, my parent is %d; I set counter = %d at %p\n", getpid(),
               getppid(), counter, (void *)&counter);
        printf("child:  now exec'ing %s: same PID, a new program\n", program[0]);
        execv(program[0], program);
        fprintf(stderr, "child:  exec %s failed: %s\n", program[0], strerror(errno));
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("parent: child %d is gone: ", pid);
    if (WIFEXITED(status))
        printf("it exited with status %d\n", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("it was killed by signal %d\n", WTERMSIG(status));
    printf("parent: my counter is still %d (same address, a different process's memory)\n",
           counter);
    return 0;
}
