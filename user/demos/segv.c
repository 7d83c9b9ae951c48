/*
 * segv.c - a segmentation fault: touching memory this process may not touch.
 *
 *   segv [write|read|exec|kernel]
 *
 * Every address a process uses goes through its page table. Page 0 is left
 * unmapped on purpose, so a NULL pointer bug faults instead of silently
 * corrupting something (the page is not present: error 4 or 6 in the
 * kernel's log). The kernel's memory is mapped in every process but marked
 * supervisor-only: `segv kernel` reads the first page of the kernel's direct
 * map of physical memory (mm/layout.h), which is always there, so the page
 * is present and the fault is a protection violation (error 5). Either way
 * the CPU raises a page fault, the kernel finds the access illegal, and it
 * kills the process with SIGSEGV (shell status 139). Only this process
 * dies; everything else runs on.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define KERNEL_ADDRESS 0xffff800000000000UL /* the kernel's view of physical address 0 */

enum how { WRITE_NULL, READ_NULL, CALL_NULL, READ_KERNEL, HOW_COUNT };
static const char *const how_names[HOW_COUNT] = {"write", "read", "exec", "kernel"};

int main(int argc, char **argv)
{
    volatile int *null = NULL; /* volatile: the compiler must really do the access */
    volatile long *kernel = (volatile long *)KERNEL_ADDRESS;
    void (*volatile null_function)(void) = NULL;
    int how = argc > 1 ? HOW_COUNT : WRITE_NULL;
    for (int i = 0; argc > 1 && i < HOW_COUNT; i++)
        if (strcmp(argv[1], how_names[i]) == 0)
            how = i;
    if (how == HOW_COUNT) {
        fprintf(stderr, "usage: segv [write|read|exec|kernel]\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("segv: process %d will touch memory it does not own; expect SIGSEGV.\n", getpid());
    switch (how) {
    case WRITE_NULL:
        printf("writing 42 to address 0 (a NULL pointer)...\n");
        *null = 42;
        break;
    case READ_NULL:
        printf("reading from address 0 (a NULL pointer)...\n");
        printf("read %d\n", *null);
        break;
    case CALL_NULL:
        printf("calling a NULL function pointer: the CPU fetches code from address 0...\n");
        null_function();
        break;
    default:
        printf("reading kernel memory at %#lx from user mode...\n", KERNEL_ADDRESS);
        printf("read %#lx\n", (unsigned long)*kernel);
        break;
    }
    printf("segv: still alive?! the access should have been fatal\n");
    return 1;
}
