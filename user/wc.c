/*
 * wc.c - count lines, words and bytes.
 *
 *   wc [-l] [-w] [-c] [FILE...]      no option: all three; no FILE: standard input
 *
 * A word is a run of characters between spaces, tabs or newlines.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct counts {
    unsigned long long lines, words, bytes;
};

/* Which columns to print. */
static bool show_lines, show_words, show_bytes;

/* Counts fd.  Returns 0 or -errno. */
static int count(int fd, struct counts *c)
{
    char buf[8192];
    bool in_word = false;
    ssize_t n;

    memset(c, 0, sizeof *c);
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        c->bytes += (unsigned long long)n;
        for (ssize_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)buf[i];
            if (ch == '\n')
                c->lines++;
            if (isspace(ch))
                in_word = false;
            else if (!in_word) {
                in_word = true;
                c->words++;
            }
        }
    }
    return 0;
}

/* One line of output: the chosen columns, then the name (none for standard input). */
static void print_counts(const struct counts *c, const char *name)
{
    const char *separator = "";

    if (show_lines) {
        printf("%7llu", c->lines);
        separator = " ";
    }
    if (show_words) {
        printf("%s%7llu", separator, c->words);
        separator = " ";
    }
    if (show_bytes)
        printf("%s%7llu", separator, c->bytes);
    printf("%s%s\n", name ? " " : "", name ? name : "");
}

int main(int argc, char **argv)
{
    struct counts c, total = {0, 0, 0};
    int option, status = 0;

    while ((option = getopt(argc, argv, "lwc")) != -1) {
        switch (option) {
        case 'l':
            show_lines = true;
            break;
        case 'w':
            show_words = true;
            break;
        case 'c':
            show_bytes = true;
            break;
        default:
            fprintf(stderr, "usage: wc [-l] [-w] [-c] [FILE...]\n");
            return 2;
        }
    }
    if (!show_lines && !show_words && !show_bytes)
        show_lines = show_words = show_bytes = true;
    if (optind == argc) {
        if (count(STDIN_FILENO, &c) < 0) {
            fprintf(stderr, "wc: -: %s\n", strerror(errno));
            return 1;
        }
        print_counts(&c, NULL);
        return 0;
    }
    for (int i = optind; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        int err = fd < 0 ? -errno : count(fd, &c);
        if (fd >= 0)
            close(fd);
        if (err < 0) {
            fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(-err));
            status = 1;
            continue;
        }
        print_counts(&c, argv[i]);
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
    }
    if (argc - optind > 1)
        print_counts(&total, "total");
    return status;
}
