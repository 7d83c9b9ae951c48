/*
 * glob.c - shell patterns: matching a string (case, ${x#pattern}) and
 * expanding a word into the file names that match it (ls *.c).
 *
 *   *        any string, also the empty one
 *   ?        any one character
 *   [abc]    one of a, b, c;  [a-z] a range;  [!a-z] or [^a-z] anything else
 *   \*       a literal *: the expander escapes quoted characters this way,
 *            so "*.c" (quoted) matches only a file really called *.c
 *
 * Pathname expansion goes one '/'-separated component at a time, reading
 * each directory with opendir/readdir. A name starting with '.' matches only
 * a pattern that starts with '.' (ls * does not list .profile). The matches
 * come out sorted; when there are none the word stays as it was written.
 */
#include "user/sh/sh.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool class_has(const char *name, size_t length, unsigned char c)
{
    static const struct {
        const char *name;
        const char *ranges; /* pairs of first, last */
    } classes[] = {
        {"alpha", "azAZ"}, {"digit", "09"},     {"alnum", "azAZ09"},  {"upper", "AZ"},
        {"lower", "az"},   {"space", "\t\r  "}, {"xdigit", "09afAF"}, {"punct", "!/:@[`{~"},
    };
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        if (strlen(classes[i].name) != length || strncmp(classes[i].name, name, length) != 0)
            continue;
        for (const char *r = classes[i].ranges; r[0] && r[1]; r += 2)
            if (c >= (unsigned char)r[0] && c <= (unsigned char)r[1])
                return true;
        return false;
    }
    return false;
}

/*
 * At *pattern == '[': does c match the bracket expression? Returns 1 or 0
 * and leaves *pattern on its closing ']', or -1 when there is no closing
 * ']' (then the '[' is an ordinary character).
 */
static int match_bracket(const char **pattern, unsigned char c)
{
    const char *p = *pattern + 1;
    bool negate = *p == '!' || *p == '^';
    bool found = false;
    if (negate)
        p++;
    for (bool first = true; *p && (first || *p != ']'); first = false) {
        if (p[0] == '[' && p[1] == ':') {
            const char *end = strstr(p + 2, ":]");
            if (end) {
                found |= class_has(p + 2, (size_t)(end - p - 2), c);
                p = end + 2;
                continue;
            }
        }
        unsigned char low = (unsigned char)*p;
        if (*p == '\\' && p[1])
            low = (unsigned char)*++p;
        p++;
        unsigned char high = low;
        if (p[0] == '-' && p[1] && p[1] != ']') {
            high = (unsigned char)p[1];
            if (p[1] == '\\' && p[2])
                high = (unsigned char)p[2], p++;
            p += 2;
        }
        found |= c >= low && c <= high;
    }
    if (*p != ']')
        return -1;
    *pattern = p;
    return found != negate;
}

bool glob_match(const char *pattern, const char *string)
{
    const char *p = pattern, *s = string;
    for (; *p; p++) {
        switch (*p) {
        case '?':
            if (!*s)
                return false;
            s++;
            break;
        case '*':
            while (p[1] == '*')
                p++;
            if (!p[1])
                return true;
            for (; *s; s++)
                if (glob_match(p + 1, s))
                    return true;
            return glob_match(p + 1, s);
        case '[': {
            const char *close = p;
            int result = *s ? match_bracket(&close, (unsigned char)*s) : 0;
            if (result < 0 || (!*s && match_bracket(&close, 0) < 0)) {
                if (*s != '[') /* no closing ']': a plain '[' */
                    return false;
                s++;
                break;
            }
            if (!result)
                return false;
            p = close;
            s++;
            break;
        }
        case '\\': /* the escaped character is literal */
            if (p[1])
                p++;
            if (*p != *s)
                return false;
            s++;
            break;
        default:
            if (*p != *s)
                return false;
            s++;
        }
    }
    return *s == '\0';
}

bool glob_has_magic(const char *pattern)
{
    for (const char *p = pattern; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '*' || *p == '?')
            return true;
        else if (*p == '[') {
            const char *q = p;
            if (match_bracket(&q, 'a') >= 0)
                return true;
        }
    }
    return false;
}

char *glob_unescape(const char *pattern)
{
    struct strbuf out = {0};
    for (const char *p = pattern; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        strbuf_addc(&out, *p);
    }
    return out.data ? strbuf_take(&out) : mem_strdup("");
}

static bool is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Matches rest (a pattern, maybe with more '/' components) below prefix
 * ("" or "dir/"), pushing whole paths onto results. */
static void glob_walk(const char *prefix, const char *rest, struct strvec *results)
{
    const char *slash = rest;
    while (*slash && *slash != '/')
        slash += (*slash == '\\' && slash[1]) ? 2 : 1;
    char *component = mem_strndup(rest, (size_t)(slash - rest));
    const char *remainder = *slash ? slash + 1 : NULL;
    while (remainder && *remainder == '/')
        remainder++;

    if (!glob_has_magic(component)) {
        char *name = glob_unescape(component);
        struct strbuf path = {0};
        strbuf_adds(&path, prefix);
        strbuf_adds(&path, name);
        if (!remainder) {
            struct stat st;
            if (lstat(strbuf_str(&path), &st) == 0)
                strvec_push(results, mem_strdup(strbuf_str(&path)));
        } else if (is_directory(strbuf_str(&path))) {
            strbuf_addc(&path, '/');
            if (*remainder)
                glob_walk(strbuf_str(&path), remainder, results);
            else
                strvec_push(results, mem_strdup(strbuf_str(&path)));
        }
        strbuf_free(&path);
        free(name);
        free(component);
        return;
    }
    DIR *dir = opendir(*prefix ? prefix : ".");
    struct dirent *entry;
    while (dir && (entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        if (name[0] == '.' && component[0] != '.')
            continue; /* hidden unless asked for */
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        if (!glob_match(component, name))
            continue;
        struct strbuf path = {0};
        strbuf_adds(&path, prefix);
        strbuf_adds(&path, name);
        if (!remainder) {
            strvec_push(results, strbuf_take(&path));
            continue;
        }
        if (is_directory(strbuf_str(&path))) {
            strbuf_addc(&path, '/');
            if (*remainder)
                glob_walk(strbuf_str(&path), remainder, results);
            else
                strvec_push(results, mem_strdup(strbuf_str(&path)));
        }
        strbuf_free(&path);
    }
    if (dir)
        closedir(dir);
    free(component);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int glob_expand(const char *pattern, struct strvec *out)
{
    struct strvec results = {0};
    if (pattern[0] == '/') {
        const char *rest = pattern;
        while (*rest == '/')
            rest++;
        glob_walk("/", rest, &results);
    } else {
        glob_walk("", pattern, &results);
    }
    if (results.count > 1)
        qsort(results.items, (size_t)results.count, sizeof *results.items, compare_strings);
    int count = results.count;
    for (int i = 0; i < count; i++) {
        strvec_push(out, results.items[i]);
        results.items[i] = NULL;
    }
    strvec_free(&results);
    return count;
}
