/*
 * layout.c - where a process keeps things: code, data, bss, heap, mmap area, stack.
 *
 *   layout
 *
 * A process sees one private virtual address space, laid out in segments:
 * machine code at the bottom, then initialised globals (data), zeroed globals
 * (bss), the heap growing up from the program break (brk), big anonymous
 * mappings (mmap) higher up, and the stack near the top growing down. This
 * prints one address from each, highest first, then /proc/self/maps - the
 * kernel's list of this process's mappings - marking where each address falls.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAPS_MAX 32768

struct place {
    const char *label;
    uintptr_t address;
};

int initialised_global = 42; /* stored in the executable: data */
int uninitialised_global;    /* only its size is stored; zeroed at exec: bss */

static int by_address_descending(const void *a, const void *b)
{
    uintptr_t x = ((const struct place *)a)->address, y = ((const struct place *)b)->address;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Prints each line of /proc/self/maps, marking the places that fall in its range. */
static void print_maps(const struct place *places, int count)
{
    static char maps[MAPS_MAX];
    int fd = open("/proc/self/maps", O_RDONLY);
    ssize_t len = 0, n;
    if (fd < 0) {
        printf("(no /proc/self/maps here: cannot show the kernel's view)\n");
        return;
    }
    while (len < MAPS_MAX - 1 && (n = read(fd, maps + len, MAPS_MAX - 1 - len)) > 0)
        len += n;
    close(fd);
    maps[len] = '\0';
    printf("\n/proc/self/maps (start-end perms offset dev inode path):\n");
    for (char *line = maps; *line;) {
        char *end = strchr(line, '\n'), *dash;
        if (end)
            *end = '\0';
        uintptr_t start = strtoul(line, &dash, 16), stop = strtoul(dash + 1, NULL, 16);
        printf("%s", line);
        for (int i = 0; i < count; i++)
            if (places[i].address >= start && places[i].address < stop)
                printf("   <- %s", places[i].label);
        printf("\n");
        if (!end)
            break;
        line = end + 1;
    }
}

/* Grows the heap by one page with the brk system call and returns the new page.
 * (musl's sbrk(n) refuses to move the break, so ask the kernel directly.) */
static uintptr_t grow_heap(void)
{
    uintptr_t old_break = (uintptr_t)syscall(SYS_brk, 0);
    uintptr_t new_break = (uintptr_t)syscall(SYS_brk, old_break + 4096);
    if (new_break < old_break + 4096)
        return 0;
    *(volatile char *)old_break = 1; /* the page is ours now: use it */
    return old_break;
}

int main(int argc, char **argv)
{
    int local = 1;
    char *small = malloc(64), *big = malloc(4 << 20);
    uintptr_t heap_page = grow_heap();
    struct place places[] = {
        {"code   main()", (uintptr_t)main},
        {"data   initialised_global", (uintptr_t)&initialised_global},
        {"bss    uninitialised_global", (uintptr_t)&uninitialised_global},
        {"heap   page added by brk(break + 4096)", heap_page},
        {"heap   program break, brk(0): first byte past the heap", (uintptr_t)syscall(SYS_brk, 0)},
        {"mmap   malloc(64): musl keeps small blocks in mmap'd groups", (uintptr_t)small},
        {"mmap   malloc(4 MiB)", (uintptr_t)big},
        {"stack  local variable", (uintptr_t)&local},
        {"stack  argv[0] string", (uintptr_t)argv[0]},
    };
    int count = sizeof places / sizeof places[0];
    printf("layout: one address from each part of process %d, highest first.\n", getpid());
    printf("The stack sits high and grows down; the heap (up to the program break) sits\n"
           "low and grows up; mmap'd areas go in between. Every address is virtual.\n\n");
    qsort(places, count, sizeof places[0], by_address_descending);
    for (int i = 0; i < count; i++)
        printf("  %#18lx  %s\n", (unsigned long)places[i].address, places[i].label);
    fflush(stdout);
    print_maps(places, count);
    free(small);
    free(big);
    return 0;
}
