/*
 * history.c - the lines typed at the prompt, for the up arrow and ^R.
 *
 * A plain array, oldest first, of at most HISTORY_MAX lines; when it is
 * full the oldest goes. Empty lines and a repeat of the line just before
 * are not kept (as bash's ignoredups), so pressing up after running the
 * same command three times does not show it three times.
 */
#include "user/sh/lineedit.h"

#include <stdlib.h>
#include <string.h>

static char *lines[HISTORY_MAX];
static int line_count;

int history_count(void) { return line_count; }

/* Line i, 0 the oldest; NULL outside the history. */
const char *history_get(int i) { return i >= 0 && i < line_count ? lines[i] : NULL; }

void history_add(const char *line, size_t length)
{
    while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == ' '))
        length--;
    if (length == 0)
        return;
    if (line_count > 0 && strlen(lines[line_count - 1]) == length &&
        strncmp(lines[line_count - 1], line, length) == 0)
        return;
    if (line_count == HISTORY_MAX) {
        free(lines[0]);
        memmove(lines, lines + 1, (HISTORY_MAX - 1) * sizeof *lines);
        line_count--;
    }
    lines[line_count++] = mem_strndup(line, length);
}

void history_clear(void)
{
    for (int i = 0; i < line_count; i++)
        free(lines[i]);
    line_count = 0;
}

/* The newest line at or before index that contains query; -1 if none. */
int history_search(const char *query, int index)
{
    if (index >= line_count)
        index = line_count - 1;
    for (int i = index; i >= 0; i--)
        if (strstr(lines[i], query))
            return i;
    return -1;
}
