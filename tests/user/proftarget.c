/*
 * proftarget.c - known workloads for the profiler's tests (t_prof.c) and the tour.
 *
 *   proftarget hot [N]   most time in hot_loop(), a fifth as much in cold_loop()
 *   proftarget sys [N]   a loop of getppid() system calls: time in the kernel
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

volatile unsigned long sink;

__attribute__((noinline)) void hot_loop(unsigned long n)
{
    for (unsigned long i = 0; i < n; i++)
        sink += i * i;
}

__attribute__((noinline)) void cold_loop(unsigned long n)
{
    for (unsigned long i = 0; i < n; i++)
        sink += i;
}

int main(int argc, char **argv)
{
    unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
    if (argc > 1 && strcmp(argv[1], "hot") == 0) {
        n = n ? n : 30000000;
        hot_loop(n);
        cold_loop(n / 5);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "sys") == 0) {
        n = n ? n : 100000;
        for (unsigned long i = 0; i < n; i++)
            sink += (unsigned long)getppid();
        return 0;
    }
    fprintf(stderr, "usage: proftarget hot|sys [N]\n");
    return 2;
}
