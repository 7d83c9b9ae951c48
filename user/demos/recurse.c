/*
 * recurse.c - infinite recursion: watch the stack grow down until it hits its limit.
 *
 *   recurse [BYTES_PER_FRAME] [PRINT_EVERY] [MAX_DEPTH]
 *
 * Every function call pushes a frame (return address, saved registers, local
 * variables) onto the stack, and the stack has a fixed limit (RLIMIT_STACK,
 * `ulimit -s`). A recursion with no base case keeps pushing until the next
 * frame lands on an unmapped guard page: the CPU faults, the kernel finds no
 * memory there, and it kills the process with SIGSEGV (shell status 139).
 * MAX_DEPTH (default: none) adds the base case that stops it in time.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#define PAGE 4096

static long frame_bytes = 1024; /* size of the local array in each frame */
static long print_every;        /* print a line every this many frames */
static long max_depth;          /* 0: no base case, recurse until the crash */
static uintptr_t stack_top;     /* address of main's local: where we started */

/* One level deeper. The array is written page by page so the stack is really used,
 * and read back after the call so the compiler cannot turn this into a loop. */
static long dive(long depth)
{
    volatile char frame[frame_bytes];
    for (long i = frame_bytes - 1; i >= 0; i -= PAGE)
        frame[i] = (char)depth;
    frame[0] = (char)depth;
    if (depth % print_every == 0)
        printf("depth %7ld: frame at %p, %6lu KiB of stack used\n", depth, (void *)frame,
               (unsigned long)(stack_top - (uintptr_t)frame) / 1024);
    if (depth == max_depth)
        return 0;
    return dive(depth + 1) + frame[0];
}

int main(int argc, char **argv)
{
    volatile char start;
    struct rlimit limit;
    setvbuf(stdout, NULL, _IOLBF, 0); /* lines must be out before the crash */
    if (argc > 1)
        frame_bytes = atol(argv[1]);
    if (frame_bytes < 16 || frame_bytes > 1024 * 1024) {
        fprintf(stderr, "usage: recurse [BYTES_PER_FRAME (16..1048576)] [PRINT_EVERY] "
                        "[MAX_DEPTH]\n");
        return 2;
    }
    print_every = argc > 2 ? atol(argv[2]) : (256 * 1024) / frame_bytes;
    max_depth = argc > 3 ? atol(argv[3]) : 0;
    if (print_every < 1)
        print_every = 1;
    stack_top = (uintptr_t)&start;
    printf("recurse: a function that calls itself forever, %ld bytes of locals per call.\n",
           frame_bytes);
    printf("Each call pushes a frame; the stack grows down toward its limit");
    if (getrlimit(RLIMIT_STACK, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        printf(" (%lu KiB, see ulimit -s)", (unsigned long)limit.rlim_cur / 1024);
    printf(".\nWhen a frame lands past the limit the kernel sends SIGSEGV: expect a crash.\n");
    dive(1);
    printf("recurse: stopped at depth %ld (MAX_DEPTH) before the stack ran out\n", max_depth);
    return 0;
}
