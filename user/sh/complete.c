/*
 * complete.c - Tab completion of command names and paths.
 *
 *   $ pm<Tab>          -> pmap          first word: builtins, functions, $PATH
 *   $ cat ~/no<Tab>    -> cat ~/notes   ~/ means $HOME
 *   $ cat /pro<Tab>    -> cat /proc/    other words: files; a directory gets '/'
 *   $ ls /bin/s<Tab>   -> (beeps: several; they share only "s")
 *   $ ls /bin/s<Tab><Tab>  lists: schedbench segv sh sleep spin strace stty
 *
 * One candidate is inserted whole (with a space after a file or command);
 * several are completed to their longest common prefix, and a second Tab
 * lists them below the line, which is then drawn again.
 */
#include "user/sh/lineedit.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Characters that end a word for completion. */
static bool is_separator(char c) { return c && strchr(" \t;|&<>()", c); }

/* Is the word starting at start the first of a command? */
static bool is_command_position(const char *line, size_t start)
{
    size_t i = start;
    while (i > 0 && (line[i - 1] == ' ' || line[i - 1] == '\t'))
        i--;
    return i == 0 || strchr(";|&(", line[i - 1]);
}

static void add_unique(struct strvec *out, const char *name)
{
    for (int i = 0; i < out->count; i++)
        if (strcmp(out->items[i], name) == 0)
            return;
    strvec_push(out, mem_strdup(name));
}

/* Programs in each $PATH directory whose name starts with prefix. */
static void command_candidates(const char *prefix, struct strvec *out)
{
    size_t length = strlen(prefix);
    struct strvec builtins = {0};
    builtin_names(&builtins);
    for (int i = 0; i < builtins.count; i++)
        if (strncmp(builtins.items[i], prefix, length) == 0)
            add_unique(out, builtins.items[i]);
    strvec_free(&builtins);
    struct strvec functions = {0};
    functions_names(&functions);
    for (int i = 0; i < functions.count; i++)
        if (strncmp(functions.items[i], prefix, length) == 0)
            add_unique(out, functions.items[i]);
    strvec_free(&functions);
    const char *path = vars_get("PATH") ? vars_get("PATH") : DEFAULT_PATH;
    char *copy = mem_strdup(path);
    for (char *dir = strtok(copy, ":"); dir; dir = strtok(NULL, ":")) {
        DIR *d = opendir(*dir ? dir : ".");
        struct dirent *entry;
        while (d && (entry = readdir(d)) != NULL) {
            if (entry->d_name[0] == '.' || strncmp(entry->d_name, prefix, length) != 0)
                continue;
            struct strbuf full = {0};
            strbuf_adds(&full, dir);
            strbuf_addc(&full, '/');
            strbuf_adds(&full, entry->d_name);
            struct stat st;
            if (stat(strbuf_str(&full), &st) == 0 && S_ISREG(st.st_mode) &&
                access(strbuf_str(&full), X_OK) == 0)
                add_unique(out, entry->d_name);
            strbuf_free(&full);
        }
        if (d)
            closedir(d);
    }
    free(copy);
}

/* Files matching word ("dir/pre"): each as the whole word, a directory with '/'. */
static void path_candidates(const char *word, struct strvec *out)
{
    const char *slash = strrchr(word, '/');
    char *dir = slash ? mem_strndup(word, (size_t)(slash - word) + 1) : mem_strdup("");
    const char *prefix = slash ? slash + 1 : word;
    size_t length = strlen(prefix);
    /* "~/no" is looked up in $HOME but completed as typed: "~/notes" */
    struct strbuf real_dir = {0};
    const char *home = vars_get("HOME");
    if (dir[0] == '~' && dir[1] == '/' && home) {
        strbuf_adds(&real_dir, home);
        strbuf_adds(&real_dir, dir + 1);
    } else {
        strbuf_adds(&real_dir, *dir ? dir : ".");
    }
    DIR *d = opendir(strbuf_str(&real_dir));
    struct dirent *entry;
    while (d && (entry = readdir(d)) != NULL) {
        const char *name = entry->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        if ((name[0] == '.' && prefix[0] != '.') || strncmp(name, prefix, length) != 0)
            continue;
        struct strbuf full = {0}, real = {0};
        strbuf_adds(&full, dir);
        strbuf_adds(&full, name);
        strbuf_adds(&real, strbuf_str(&real_dir));
        strbuf_addc(&real, '/');
        strbuf_adds(&real, name);
        struct stat st;
        if (stat(strbuf_str(&real), &st) == 0 && S_ISDIR(st.st_mode))
            strbuf_addc(&full, '/');
        strvec_push(out, strbuf_take(&full));
        strbuf_free(&real);
    }
    if (d)
        closedir(d);
    strbuf_free(&real_dir);
    free(dir);
}

static int compare_candidates(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The candidates for the word that ends at cursor, sorted. *word_start is
 * where that word begins: a candidate replaces line[*word_start, cursor).
 */
void complete_candidates(const char *line, size_t cursor, size_t *word_start, struct strvec *out)
{
    size_t start = cursor;
    while (start > 0 && !is_separator(line[start - 1]))
        start--;
    *word_start = start;
    char *word = mem_strndup(line + start, cursor - start);
    if (is_command_position(line, start) && !strchr(word, '/'))
        command_candidates(word, out);
    else
        path_candidates(word, out);
    free(word);
    if (out->count > 1)
        qsort(out->items, (size_t)out->count, sizeof *out->items, compare_candidates);
}

/* "dir/sub/" -> "sub/", "dir/file" -> "file": how a candidate is listed. */
static const char *display_name(const char *item)
{
    size_t length = strlen(item);
    size_t end = length > 0 && item[length - 1] == '/' ? length - 1 : length;
    size_t start = end;
    while (start > 0 && item[start - 1] != '/')
        start--;
    return item + start;
}

/* Prints the candidates in columns below the line, then the line again. */
static void list_candidates(struct line_editor *e, const struct strvec *candidates)
{
    size_t widest = 0;
    for (int i = 0; i < candidates->count; i++) {
        size_t length = strlen(display_name(candidates->items[i]));
        widest = length > widest ? length : widest;
    }
    int per_row = e->columns / (int)(widest + 2);
    if (per_row < 1)
        per_row = 1;
    if (e->cursor != e->length) {
        e->cursor = e->length;
        lineedit_refresh(e);
    }
    strbuf_addc(&e->out, '\n');
    for (int i = 0; i < candidates->count; i++) {
        const char *name = display_name(candidates->items[i]);
        strbuf_adds(&e->out, name);
        bool last_in_row = (i + 1) % per_row == 0 || i + 1 == candidates->count;
        for (size_t pad = strlen(name); !last_in_row && pad < widest + 2; pad++)
            strbuf_addc(&e->out, ' ');
        if (last_in_row)
            strbuf_addc(&e->out, '\n');
    }
    e->cursor_row = 0; /* a fresh row below the list */
    lineedit_refresh(e);
}

void complete_at_cursor(struct line_editor *e)
{
    struct strvec candidates = {0};
    size_t start;
    complete_candidates(e->line, e->cursor, &start, &candidates);
    size_t typed = e->cursor - start;
    if (candidates.count == 0) {
        strbuf_addc(&e->out, '\a');
    } else if (candidates.count == 1) {
        const char *only = candidates.items[0];
        size_t length = strlen(only);
        if (length > typed)
            lineedit_insert(e, only + typed, length - typed);
        if (length == 0 || only[length - 1] != '/')
            lineedit_insert(e, " ", 1);
    } else {
        size_t common = strlen(candidates.items[0]);
        for (int i = 1; i < candidates.count; i++) {
            size_t j = 0;
            while (j < common && candidates.items[i][j] == candidates.items[0][j])
                j++;
            common = j;
        }
        if (common > typed) {
            lineedit_insert(e, candidates.items[0] + typed, common - typed);
        } else if (e->tab_again) {
            list_candidates(e, &candidates);
        } else {
            strbuf_addc(&e->out, '\a');
            e->tab_again = true;
        }
    }
    strvec_free(&candidates);
}
