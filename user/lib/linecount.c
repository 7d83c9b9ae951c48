#include "user/lib/linecount.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A count of lines: digits only, no sign, no trailing text.  0 or -1. */
static int parse_count(const char *text, long *lines)
{
    char *end;

    if (*text < '0' || *text > '9')
        return -1;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (*end || errno)
        return -1;
    *lines = value;
    return 0;
}

/* Returns the index of the first file argument, or -1 for a usage error. */
static int parse_options(int argc, char **argv, long *lines)
{
    int option;

    if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9')
        return parse_count(argv[1] + 1, lines) < 0 ? -1 : 2;
    while ((option = getopt(argc, argv, "n:")) != -1)
        if (option != 'n' || parse_count(optarg, lines) < 0)
            return -1;
    return optind;
}

int linecount_main(int argc, char **argv, const char *program, linecount_show_fn show)
{
    long lines = 10;
    int status = 0;
    int first = parse_options(argc, argv, &lines);

    if (first < 0) {
        fprintf(stderr, "usage: %s [-n N | -N] [FILE...]\n", program);
        return 2;
    }
    if (first == argc)
        return show(stdin, "standard input", lines);
    for (int i = first; i < argc; i++) {
        FILE *file = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
        if (!file) {
            fprintf(stderr, "%s: cannot open '%s' for reading: %s\n", program, argv[i],
                    strerror(errno));
            status = 1;
            continue;
        }
        if (argc - first > 1)
            printf("%s==> %s <==\n", i > first ? "\n" : "", argv[i]);
        status |= show(file, argv[i], lines);
        if (file != stdin)
            fclose(file);
    }
    return status;
}
