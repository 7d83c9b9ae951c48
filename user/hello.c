/* hello.c - the smallest program: what does a process need to print one line? */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    printf("Hello from process %d (parent %d)! I was started as '%s'.\n", getpid(), getppid(),
           argv[0]);
    return 0;
}
