/*
 * head.c - print the first lines of files (or of standard input).
 *
 *   head [-n N | -N] [FILE...]  N = 10 by default
 *
 * It stops reading as soon as it has N lines, so `yes | head -n 3` ends:
 * when head exits, yes's next write() to the pipe gets SIGPIPE.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Copies the first `lines` lines of file to standard output. */
static void head(FILE *file, long lines)
{
    int ch;

    while (lines > 0 && (ch = getc(file)) != EOF) {
        putchar(ch);
        if (ch == '\n')
            lines--;
    }
}

int main(int argc, char **argv)
{
    long lines = 10;
    int option, status = 0;
    char *end;

    /* The old form "head -3" means "head -n 3". */
    if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
        lines = strtol(argv[1] + 1, &end, 10);
        if (*end) {
            fprintf(stderr, "usage: head [-n N | -N] [FILE...]\n");
            return 2;
        }
        argv[1] = argv[0];
        argv++;
        argc--;
    }
    while ((option = getopt(argc, argv, "n:")) != -1) {
        if (option != 'n' || (lines = strtol(optarg, &end, 10)) < 0 || *end || end == optarg) {
            fprintf(stderr, "usage: head [-n N | -N] [FILE...]\n");
            return 2;
        }
    }
    if (optind == argc) {
        head(stdin, lines);
        return 0;
    }
    for (int i = optind; i < argc; i++) {
        FILE *file = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
        if (!file) {
            fprintf(stderr, "head: cannot open '%s' for reading: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        if (argc - optind > 1)
            printf("%s==> %s <==\n", i > optind ? "\n" : "", argv[i]);
        head(file, lines);
        if (file != stdin)
            fclose(file);
    }
    return status;
}
