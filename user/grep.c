/*
 * grep.c - print the lines that contain a string.
 *
 *   grep [-v] [-c] [-i] [-n] STRING [FILE...]
 *
 *   -v  the lines that do NOT contain it     -c  only count the lines
 *   -i  ignore upper/lower case              -n  number the lines
 *
 * The pattern is a fixed string (no regular expressions).  Exit status:
 * 0 if some line was selected, 1 if none, 2 on an error.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct options {
    bool invert, count_only, ignore_case, numbers, with_names;
};

/* Does line contain pattern (ignoring case if asked)? */
static bool contains(const char *line, const char *pattern, bool ignore_case)
{
    size_t length = strlen(pattern);

    if (!ignore_case)
        return strstr(line, pattern) != NULL;
    for (const char *start = line; *start; start++) {
        size_t i = 0;
        while (i < length && start[i] &&
               tolower((unsigned char)start[i]) == tolower((unsigned char)pattern[i]))
            i++;
        if (i == length)
            return true;
    }
    return length == 0;
}

/* Searches one file; returns how many lines were selected. */
static long grep_file(FILE *file, const char *name, const char *pattern, const struct options *o)
{
    char *line = NULL;
    size_t capacity = 0;
    long selected = 0, number = 0;

    while (getline(&line, &capacity, file) >= 0) {
        number++;
        if (contains(line, pattern, o->ignore_case) == o->invert)
            continue;
        selected++;
        if (o->count_only)
            continue;
        if (o->with_names)
            printf("%s:", name);
        if (o->numbers)
            printf("%ld:", number);
        fputs(line, stdout);
        if (line[strlen(line) - 1] != '\n')
            putchar('\n');
    }
    free(line);
    if (o->count_only && o->with_names)
        printf("%s:%ld\n", name, selected);
    else if (o->count_only)
        printf("%ld\n", selected);
    return selected;
}

int main(int argc, char **argv)
{
    struct options o = {false, false, false, false, false};
    int option, errors = 0;
    long selected = 0;

    while ((option = getopt(argc, argv, "vcin")) != -1) {
        switch (option) {
        case 'v':
            o.invert = true;
            break;
        case 'c':
            o.count_only = true;
            break;
        case 'i':
            o.ignore_case = true;
            break;
        case 'n':
            o.numbers = true;
            break;
        default:
            fprintf(stderr, "usage: grep [-v] [-c] [-i] [-n] STRING [FILE...]\n");
            return 2;
        }
    }
    if (optind == argc) {
        fprintf(stderr, "usage: grep [-v] [-c] [-i] [-n] STRING [FILE...]\n");
        return 2;
    }
    const char *pattern = argv[optind++];
    if (optind == argc)
        return grep_file(stdin, "(standard input)", pattern, &o) > 0 ? 0 : 1;
    o.with_names = argc - optind > 1;
    for (int i = optind; i < argc; i++) {
        FILE *file = fopen(argv[i], "r");
        if (!file) {
            fprintf(stderr, "grep: %s: %s\n", argv[i], strerror(errno));
            errors++;
            continue;
        }
        selected += grep_file(file, argv[i], pattern, &o);
        fclose(file);
    }
    return errors ? 2 : selected > 0 ? 0 : 1;
}
