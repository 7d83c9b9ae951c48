/*
 * read.c - read [-r] NAME...: one line from stdin into variables.
 *
 *   $ read a b <<< "one two three"     a=one  b="two three"
 *
 * The line is split at the characters of $IFS (blank, tab, newline by
 * default); the last name gets the rest of the line. Without -r a backslash
 * makes the next character an ordinary one (never a separator) and
 * backslash-newline continues the line. Status 1 at end of file.
 *
 * One byte per read(), so nothing after the newline is taken from the
 * commands that read the same input after us ("while read l; do ...").
 */
#include "user/sh/sh.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct read_line {
    struct strbuf text;
    struct strbuf escaped; /* escaped.data[i] == 1: text[i] came after a backslash */
    const char *ifs;
};

/* Reads up to a newline. Returns 0, or 1 at end of file (what was read stays). */
static int read_bytes(int fd, bool raw, struct read_line *line)
{
    for (;;) {
        char c;
        ssize_t n = read(fd, &c, 1);
        if (n < 0 && errno == EINTR && !shell.interrupted)
            continue;
        if (n <= 0)
            return 1;
        if (c == '\n')
            return 0;
        bool escaped = false;
        if (c == '\\' && !raw) {
            if (read(fd, &c, 1) <= 0)
                return 1;
            if (c == '\n')
                continue; /* a continued line */
            escaped = true;
        }
        strbuf_addc(&line->text, c);
        strbuf_addc(&line->escaped, escaped);
    }
}

static bool is_field_separator(const struct read_line *line, size_t i)
{
    char c = line->text.data[i];
    return !line->escaped.data[i] && c && strchr(line->ifs, c);
}

static bool is_white_field_separator(const struct read_line *line, size_t i)
{
    return is_field_separator(line, i) && strchr(" \t\n", line->text.data[i]);
}

/* The next field from *pos; the last name takes the rest of the line. */
static char *next_field(const struct read_line *line, size_t *pos, bool last)
{
    size_t length = line->text.length;
    while (*pos < length && is_white_field_separator(line, *pos))
        (*pos)++;
    size_t start = *pos;
    if (last) {
        size_t end = length;
        while (end > start && is_white_field_separator(line, end - 1))
            end--;
        *pos = end;
    } else {
        while (*pos < length && !is_field_separator(line, *pos))
            (*pos)++;
    }
    char *field = mem_strndup(strbuf_str(&line->text) + start, *pos - start);
    if (*pos < length && is_field_separator(line, *pos)) { /* step over one separator */
        bool white = is_white_field_separator(line, *pos);
        (*pos)++;
        while (white && *pos < length && is_white_field_separator(line, *pos))
            (*pos)++;
        if (white && *pos < length && is_field_separator(line, *pos) &&
            !is_white_field_separator(line, *pos))
            (*pos)++; /* "a , b" with IFS=" ,": blanks around one comma */
    }
    return field;
}

int builtin_read(int argc, char **argv, struct builtin_io *io)
{
    bool raw = argc > 1 && strcmp(argv[1], "-r") == 0;
    int first = raw ? 2 : 1;
    if (first >= argc) {
        builtin_error(io, "read: arg count");
        return 2;
    }
    struct read_line line = {.ifs = vars_get("IFS") ? vars_get("IFS") : " \t\n"};
    int status = read_bytes(io->fd[0], raw, &line);
    strbuf_addc(&line.text, '\0'); /* so data is never NULL */
    strbuf_addc(&line.escaped, 0);
    line.text.length--;
    line.escaped.length--;
    size_t pos = 0;
    for (int v = first; v < argc; v++) {
        char *value = next_field(&line, &pos, v == argc - 1);
        if (!vars_is_name(argv[v], strlen(argv[v]))) {
            builtin_error(io, "read: '%s': not a valid variable name", argv[v]);
            status = 2;
        } else {
            vars_set(argv[v], value);
        }
        free(value);
    }
    strbuf_free(&line.text);
    strbuf_free(&line.escaped);
    return status;
}
