/*
 * test.c - the test and [ builtins: file tests, string and number
 * comparisons, combined with !, -a, -o and parentheses.
 *
 *   expr    := and ('-o' and)*
 *   and     := not ('-a' not)*
 *   not     := '!' not | primary
 *   primary := '(' expr ')' | UNARY ARG | ARG BINARY ARG | ARG
 *
 * As POSIX asks, the number of arguments decides first: with three, a
 * binary operator in the middle wins ("[ ! = x ]" compares "!" and "x").
 * Status 0 true, 1 false, 2 error (with a message).
 */
#include "user/sh/sh.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct test {
    char **args;
    int count, pos;
    const char *error;
    struct builtin_io *io;
};

static const char *const binary_ops[] = {"=",   "!=",  "==",  "<",   ">",   "-eq", "-ne",
                                         "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"};

static bool is_binary(const char *s)
{
    for (size_t i = 0; i < sizeof binary_ops / sizeof binary_ops[0]; i++)
        if (strcmp(s, binary_ops[i]) == 0)
            return true;
    return false;
}

static bool is_unary(const char *s)
{
    return s[0] == '-' && s[1] && !s[2] && strchr("bcdefghknprsStuwxzLO", s[1]);
}

static long number(struct test *t, const char *s)
{
    char *end;
    while (*s == ' ' || *s == '\t')
        s++;
    long value = strtol(s, &end, 10);
    while (*end == ' ' || *end == '\t')
        end++;
    if (*s == '\0' || *end != '\0')
        t->error = "integer expression expected";
    return value;
}

static bool file_test(char op, const char *path)
{
    struct stat st;
    if (op == 't')
        return isatty(atoi(path));
    if (op == 'L' || op == 'h')
        return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
    if (stat(path, &st) != 0)
        return false;
    switch (op) {
    case 'e':
        return true;
    case 'f':
        return S_ISREG(st.st_mode);
    case 'd':
        return S_ISDIR(st.st_mode);
    case 'b':
        return S_ISBLK(st.st_mode);
    case 'c':
        return S_ISCHR(st.st_mode);
    case 'p':
        return S_ISFIFO(st.st_mode);
    case 'S':
        return S_ISSOCK(st.st_mode);
    case 's':
        return st.st_size > 0;
    case 'g':
        return st.st_mode & S_ISGID;
    case 'u':
        return st.st_mode & S_ISUID;
    case 'k':
        return st.st_mode & S_ISVTX;
    case 'r':
        return access(path, R_OK) == 0;
    case 'w':
        return access(path, W_OK) == 0;
    case 'x':
        return access(path, X_OK) == 0;
    case 'O':
        return st.st_uid == geteuid();
    }
    return false;
}

static bool binary(struct test *t, const char *left, const char *op, const char *right)
{
    if (strcmp(op, "=") == 0 || strcmp(op, "==") == 0)
        return strcmp(left, right) == 0;
    if (strcmp(op, "!=") == 0)
        return strcmp(left, right) != 0;
    if (strcmp(op, "<") == 0)
        return strcmp(left, right) < 0;
    if (strcmp(op, ">") == 0)
        return strcmp(left, right) > 0;
    if (strcmp(op, "-nt") == 0 || strcmp(op, "-ot") == 0 || strcmp(op, "-ef") == 0) {
        struct stat a, b;
        bool have_a = stat(left, &a) == 0, have_b = stat(right, &b) == 0;
        if (strcmp(op, "-ef") == 0)
            return have_a && have_b && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
        if (!have_a || !have_b)
            return false; /* as dash: both files must exist */
        return strcmp(op, "-nt") == 0 ? a.st_mtime > b.st_mtime : a.st_mtime < b.st_mtime;
    }
    long l = number(t, left), r = number(t, right);
    if (strcmp(op, "-eq") == 0)
        return l == r;
    if (strcmp(op, "-ne") == 0)
        return l != r;
    if (strcmp(op, "-lt") == 0)
        return l < r;
    if (strcmp(op, "-le") == 0)
        return l <= r;
    if (strcmp(op, "-gt") == 0)
        return l > r;
    return l >= r;
}

static bool test_or(struct test *t);

static const char *next(struct test *t)
{
    if (t->pos >= t->count) {
        t->error = "argument expected";
        return "";
    }
    return t->args[t->pos++];
}

static bool test_primary(struct test *t)
{
    int left = t->count - t->pos;
    const char *a = next(t);
    if (left >= 3 && is_binary(t->args[t->pos])) {
        const char *op = next(t);
        return binary(t, a, op, next(t));
    }
    if (strcmp(a, "(") == 0 && left >= 2) {
        bool value = test_or(t);
        if (t->pos >= t->count || strcmp(t->args[t->pos], ")") != 0)
            t->error = "')' expected";
        t->pos++;
        return value;
    }
    if (is_unary(a) && left >= 2) {
        const char *operand = next(t);
        if (a[1] == 'n')
            return *operand != '\0';
        if (a[1] == 'z')
            return *operand == '\0';
        return file_test(a[1], operand);
    }
    return *a != '\0';
}

static bool test_not(struct test *t)
{
    int left = t->count - t->pos;
    if (left >= 2 && strcmp(t->args[t->pos], "!") == 0 &&
        !(left == 3 && is_binary(t->args[t->pos + 1]))) {
        t->pos++;
        return !test_not(t);
    }
    return test_primary(t);
}

static bool test_and(struct test *t)
{
    bool value = test_not(t);
    while (t->pos < t->count && strcmp(t->args[t->pos], "-a") == 0) {
        t->pos++;
        value = test_not(t) && value;
    }
    return value;
}

static bool test_or(struct test *t)
{
    bool value = test_and(t);
    while (t->pos < t->count && strcmp(t->args[t->pos], "-o") == 0) {
        t->pos++;
        value = test_and(t) || value;
    }
    return value;
}

int builtin_test(int argc, char **argv, struct builtin_io *io)
{
    struct test t = {.args = argv + 1, .count = argc - 1, .io = io};
    if (strcmp(argv[0], "[") == 0) {
        if (argc < 2 || strcmp(argv[argc - 1], "]") != 0) {
            builtin_error(io, "[: missing ]");
            return 2;
        }
        t.count--;
    }
    if (t.count == 0)
        return 1;
    bool value = test_or(&t);
    if (!t.error && t.pos < t.count)
        t.error = "unexpected argument";
    if (t.error) {
        builtin_error(io, "%s: %s", argv[0], t.error);
        return 2;
    }
    return value ? 0 : 1;
}
