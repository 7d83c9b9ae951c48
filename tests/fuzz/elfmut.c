/*
 * elfmut - exec thousands of broken executables, made by mutating good ones.
 *
 *   elfmut [-n COUNT] [-s SEED] PROGRAM...
 *
 * The corpus is the programs named on the command line (small static ones
 * such as /bin/true).  Each round takes one, changes it in one of the ways a
 * loader must survive -- random bytes in the ELF header or the program
 * headers, a field set to an extreme value, the file cut short -- writes it to
 * /tmp/elfmut.N and runs it in a child with a 2 s alarm.  The kernel must
 * answer every one with an errno from execve, or run the program and let it
 * die by a signal; it must never crash or hang.
 *
 * Prints "elfmut: N of COUNT" every hundred (a heartbeat for tools/fuzz),
 * a line for any execve that does not return within 5 s or mutant that
 * outlives its alarm, and the outcomes by kind at the end: "elfmut: done:
 * N execs, E exec errors (...), S killed by signals, X exited, H outlived
 * their alarm".
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/fuzz/fuzz_random.h"

#define MAX_SIZE (4 << 20)

struct program {
    const char *path;
    unsigned char *bytes;
    size_t size;
};

static int load(struct program *p)
{
    int fd = open(p->path, O_RDONLY);
    if (fd < 0)
        return -1;
    p->bytes = malloc(MAX_SIZE);
    ssize_t n = read(fd, p->bytes, MAX_SIZE);
    close(fd);
    if (n < (ssize_t)sizeof(Elf64_Ehdr))
        return -1;
    p->size = (size_t)n;
    return 0;
}

static const uint64_t extremes[] = {0,
                                    1,
                                    0x7f,
                                    0xff,
                                    0xffff,
                                    0x7fffffff,
                                    0xffffffff,
                                    0x8000000000000000ULL,
                                    ~0ULL,
                                    0xffffffff80000000ULL,
                                    0x7ffffffff000ULL,
                                    4096,
                                    0x400000};

/* Set a field of `width` bytes at `offset` to an extreme value. */
static void set_field(unsigned char *bytes, size_t size, size_t offset, int width)
{
    uint64_t value = extremes[random_below(sizeof extremes / sizeof extremes[0])];
    if (offset + (size_t)width <= size)
        memcpy(bytes + offset, &value, (size_t)width);
}

/* Change a copy of the program; returns its new size. */
static size_t mutate(unsigned char *bytes, size_t size)
{
    Elf64_Ehdr *eh = (Elf64_Ehdr *)bytes;
    size_t phoff = eh->e_phoff, phnum = eh->e_phnum;
    switch (random_below(6)) {
    case 0: /* random bytes in the ELF header */
        for (int i = 0, n = 1 + (int)random_below(4); i < n; i++)
            bytes[random_below(sizeof *eh)] = (unsigned char)random64();
        break;
    case 1: { /* a header field at an extreme value */
        static const struct {
            size_t offset;
            int width;
        } fields[] = {
            {offsetof(Elf64_Ehdr, e_entry), 8},     {offsetof(Elf64_Ehdr, e_phoff), 8},
            {offsetof(Elf64_Ehdr, e_phentsize), 2}, {offsetof(Elf64_Ehdr, e_phnum), 2},
            {offsetof(Elf64_Ehdr, e_type), 2},      {offsetof(Elf64_Ehdr, e_machine), 2},
        };
        int f = (int)random_below(sizeof fields / sizeof fields[0]);
        set_field(bytes, size, fields[f].offset, fields[f].width);
        break;
    }
    case 2: /* a program header field at an extreme value */
        if (phnum && phoff < size) {
            size_t ph = phoff + random_below(phnum) * sizeof(Elf64_Phdr);
            static const struct {
                size_t offset;
                int width;
            } fields[] = {
                {offsetof(Elf64_Phdr, p_type), 4},   {offsetof(Elf64_Phdr, p_flags), 4},
                {offsetof(Elf64_Phdr, p_offset), 8}, {offsetof(Elf64_Phdr, p_vaddr), 8},
                {offsetof(Elf64_Phdr, p_filesz), 8}, {offsetof(Elf64_Phdr, p_memsz), 8},
                {offsetof(Elf64_Phdr, p_align), 8},
            };
            int f = (int)random_below(sizeof fields / sizeof fields[0]);
            set_field(bytes, size, ph + fields[f].offset, fields[f].width);
        }
        break;
    case 3: /* random bytes among the program headers */
        if (phnum && phoff < size)
            for (int i = 0, n = 1 + (int)random_below(8); i < n; i++) {
                size_t at = phoff + random_below(phnum * sizeof(Elf64_Phdr));
                if (at < size)
                    bytes[at] = (unsigned char)random64();
            }
        break;
    case 4: /* cut short */
        size = random_below(size);
        break;
    default: /* random bytes anywhere in the first page */
        for (int i = 0, n = 1 + (int)random_below(16); i < n; i++)
            bytes[random_below(size < 4096 ? size : 4096)] = (unsigned char)random64();
        break;
    }
    return size;
}

/* waitpid with a limit: true when pid ended (status set), false when it had
 * to be killed after `ms` milliseconds. */
static bool wait_with_timeout(pid_t pid, int *status, int ms)
{
    for (int waited = 0; waited < ms; waited += 10) {
        if (waitpid(pid, status, WNOHANG) == pid)
            return true;
        struct timespec tick = {0, 10 * 1000000L};
        nanosleep(&tick, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, status, 0);
    return false;
}

int main(int argc, char **argv)
{
    long count = 300;
    uint64_t seed = (uint64_t)time(NULL);
    int opt;
    while ((opt = getopt(argc, argv, "n:s:")) != -1) {
        switch (opt) {
        case 'n':
            count = atol(optarg);
            break;
        case 's':
            seed = strtoull(optarg, NULL, 0);
            break;
        default:
            fprintf(stderr, "usage: elfmut [-n COUNT] [-s SEED] PROGRAM...\n");
            return 2;
        }
    }
    int nprograms = argc - optind;
    if (nprograms < 1) {
        fprintf(stderr, "elfmut: name at least one program to mutate\n");
        return 2;
    }
    struct program programs[16];
    if (nprograms > 16)
        nprograms = 16;
    for (int i = 0; i < nprograms; i++) {
        programs[i].path = argv[optind + i];
        if (load(&programs[i]) < 0) {
            fprintf(stderr, "elfmut: cannot read %s\n", programs[i].path);
            return 2;
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    rng = seed ? seed : 1;
    printf("elfmut: seed %llu, %ld executables from %d programs\n", (unsigned long long)seed, count,
           nprograms);
    unsigned char *copy = malloc(MAX_SIZE);
    long exec_errors[200] = {0}, signals = 0, exited = 0, exec_error_total = 0, outlived = 0;
    char path[64];
    for (long round = 0; round < count; round++) {
        struct program *p = &programs[random_below((uint64_t)nprograms)];
        memcpy(copy, p->bytes, p->size);
        size_t size = mutate(copy, p->size);
        snprintf(path, sizeof path, "/tmp/elfmut.%ld", round % 4);
        unlink(path);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
        if (fd < 0 || write(fd, copy, size) != (ssize_t)size) {
            perror("elfmut: writing the mutant");
            return 2;
        }
        close(fd);
        int pipefd[2];
        if (pipe2(pipefd, O_CLOEXEC) < 0)
            return 2;
        pid_t pid = fork();
        if (pid == 0) {
            int null = open("/dev/null", O_RDWR);
            for (int fd = 0; fd < 3; fd++)
                dup2(null, fd);
            alarm(2);
            char *args[] = {path, NULL}, *env[] = {NULL};
            execve(path, args, env);
            int e = errno;
            (void)!write(pipefd[1], &e, sizeof e);
            _exit(127);
        }
        close(pipefd[1]);
        /* The pipe closes when execve succeeds (close-on-exec) and carries the
         * errno when it fails.  Neither within 5 s: the kernel is stuck in it. */
        int exec_errno = 0;
        struct pollfd pfd = {.fd = pipefd[0], .events = POLLIN};
        ssize_t got = -1;
        if (poll(&pfd, 1, 5000) == 1)
            got = read(pipefd[0], &exec_errno, sizeof exec_errno);
        else
            printf("elfmut: execve of mutant %ld did not return in 5 s\n", round);
        close(pipefd[0]);
        int status = 0;
        if (!wait_with_timeout(pid, &status, 5000)) {
            printf("elfmut: mutant %ld outlived its 2 s alarm (killed)\n", round);
            outlived++;
        } else if (got == (ssize_t)sizeof exec_errno) {
            exec_error_total++;
            exec_errors[exec_errno > 0 && exec_errno < 200 ? exec_errno : 0]++;
        } else if (WIFSIGNALED(status)) {
            signals++;
        } else {
            exited++;
        }
        if ((round + 1) % 100 == 0)
            printf("elfmut: %ld of %ld\n", round + 1, count); /* a heartbeat for tools/fuzz */
    }
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "/tmp/elfmut.%d", i);
        unlink(path);
    }
    printf("elfmut: done: %ld execs, %ld exec errors (", count, exec_error_total);
    const char *sep = "";
    for (int e = 0; e < 200; e++)
        if (exec_errors[e]) {
            printf("%s%s %ld", sep, e ? strerror(e) : "other", exec_errors[e]);
            sep = ", ";
        }
    printf("), %ld killed by signals, %ld exited, %ld outlived their alarm\n", signals, exited,
           outlived);
    return 0;
}
