/*
 * vars.c - shell variables, the environment, and the shell's own state.
 *
 * A variable is a name, a value and an "exported" mark. Only exported
 * variables are copied into a child's environment (the envp of execve):
 *
 *   $ X=1            X is a shell variable: children do not see it
 *   $ export X       now every command started from here on gets X=1
 *   $ Y=2 env        Y=2 is put in env's environment only, for this one run
 *
 * Variables the shell inherited in its own environment start out exported.
 * The table is a plain array searched front to back: a shell has a few
 * dozen variables, so anything cleverer would only hide the idea.
 */
#include "user/sh/sh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct shell shell;

struct var {
    char *name;
    char *value; /* NULL: declared by "export NAME" but never set */
    bool exported;
};

static struct var *vars;
static int var_count, var_capacity;

/* A name is a letter or _, then letters, digits or _: "PATH", "_x1". */
bool vars_is_name(const char *s, size_t length)
{
    if (length == 0 ||
        !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return false;
    for (size_t i = 1; i < length; i++) {
        char c = s[i];
        if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

static struct var *vars_find(const char *name, size_t length)
{
    for (int i = 0; i < var_count; i++)
        if (strncmp(vars[i].name, name, length) == 0 && vars[i].name[length] == '\0')
            return &vars[i];
    return NULL;
}

static struct var *vars_find_or_add(const char *name, size_t length)
{
    struct var *v = vars_find(name, length);
    if (!v) {
        ARRAY_RESERVE(vars, var_count, var_capacity);
        v = &vars[var_count++];
        *v = (struct var){.name = mem_strndup(name, length)};
    }
    return v;
}

const char *vars_get(const char *name)
{
    struct var *v = vars_find(name, strlen(name));
    return v ? v->value : NULL;
}

void vars_set(const char *name, const char *value)
{
    struct var *v = vars_find_or_add(name, strlen(name));
    char *copy = mem_strdup(value);
    free(v->value);
    v->value = copy;
}

/* Applies "NAME=value" (as export NAME=value when exported). Returns -1,
 * changing nothing, when the text before '=' is not a valid name. */
int vars_assign(const char *assignment, bool exported)
{
    const char *equals = strchr(assignment, '=');
    if (!equals || !vars_is_name(assignment, (size_t)(equals - assignment)))
        return -1;
    struct var *v = vars_find_or_add(assignment, (size_t)(equals - assignment));
    char *copy = mem_strdup(equals + 1);
    free(v->value);
    v->value = copy;
    v->exported |= exported;
    return 0;
}

void vars_export(const char *name) { vars_find_or_add(name, strlen(name))->exported = true; }

void vars_unset(const char *name)
{
    struct var *v = vars_find(name, strlen(name));
    if (!v)
        return;
    free(v->name);
    free(v->value);
    *v = vars[--var_count]; /* order does not matter: move the last one here */
}

/* Takes the environment the shell was started with: all of it exported. */
void vars_import(char **environment)
{
    for (char **e = environment; e && *e; e++)
        vars_assign(*e, true); /* strings without a valid NAME= are skipped */
}

/*
 * Builds the envp for execve in *out: every exported variable with a value,
 * except those that this command's own "NAME=value" assignments replace,
 * then those assignments.
 */
void vars_build_environment(const struct strvec *assignments, struct strvec *out)
{
    for (int i = 0; i < var_count; i++) {
        const struct var *v = &vars[i];
        if (!v->exported || !v->value)
            continue;
        bool replaced = false;
        size_t length = strlen(v->name);
        for (int j = 0; assignments && j < assignments->count; j++)
            if (strncmp(assignments->items[j], v->name, length) == 0 &&
                assignments->items[j][length] == '=')
                replaced = true;
        if (replaced)
            continue;
        struct strbuf entry = {0};
        strbuf_adds(&entry, v->name);
        strbuf_addc(&entry, '=');
        strbuf_adds(&entry, v->value);
        strvec_push(out, strbuf_take(&entry));
    }
    for (int j = 0; assignments && j < assignments->count; j++)
        strvec_push(out, mem_strdup(assignments->items[j]));
}

/* "export" with no arguments: lists exported variables so they could be
 * typed back in. */
void vars_print_exported(int fd)
{
    for (int i = 0; i < var_count; i++) {
        if (!vars[i].exported)
            continue;
        if (!vars[i].value) {
            fd_printf(fd, "export %s\n", vars[i].name);
            continue;
        }
        /* Single quotes keep everything literal; a ' itself becomes '\'' */
        struct strbuf quoted = {0};
        for (const char *c = vars[i].value; *c; c++) {
            if (*c == '\'')
                strbuf_adds(&quoted, "'\\''");
            else
                strbuf_addc(&quoted, *c);
        }
        fd_printf(fd, "export %s='%s'\n", vars[i].name, strbuf_str(&quoted));
        strbuf_free(&quoted);
    }
}

/* Forgets every variable (the unit tests start each case afresh). */
void vars_free_all(void)
{
    for (int i = 0; i < var_count; i++) {
        free(vars[i].name);
        free(vars[i].value);
    }
    free(vars);
    vars = NULL;
    var_count = var_capacity = 0;
}

/* Replaces $1... by copies of params[0..count). */
void vars_set_params(char **params, int count)
{
    char **copies = count > 0 ? mem_alloc((size_t)count * sizeof *copies) : NULL;
    for (int i = 0; i < count; i++)
        copies[i] = mem_strdup(params[i]);
    for (int i = 0; i < shell.param_count; i++)
        free(shell.params[i]);
    free(shell.params);
    shell.params = copies;
    shell.param_count = count;
}

/*
 * local NAME: the variable's old value is pushed on a stack and put back
 * when the function returns (vars_local_restore to the mark taken when it
 * was called), so the function may change NAME freely.
 */
struct saved_var {
    char *name;
    char *value; /* NULL: it was unset */
    bool exported;
};
static struct saved_var *saved_vars;
static int saved_count, saved_capacity;

int vars_local_mark(void) { return saved_count; }

void vars_local(const char *name)
{
    struct var *v = vars_find(name, strlen(name));
    ARRAY_RESERVE(saved_vars, saved_count, saved_capacity);
    saved_vars[saved_count++] = (struct saved_var){
        .name = mem_strdup(name),
        .value = v && v->value ? mem_strdup(v->value) : NULL,
        .exported = v && v->exported,
    };
}

void vars_local_restore(int mark)
{
    while (saved_count > mark) {
        struct saved_var *s = &saved_vars[--saved_count];
        if (s->value) {
            vars_set(s->name, s->value);
            vars_find(s->name, strlen(s->name))->exported = s->exported;
        } else {
            vars_unset(s->name);
        }
        free(s->name);
        free(s->value);
    }
}

/* set with no arguments: every variable, quoted so it could be typed back. */
void vars_print_all(int fd)
{
    for (int i = 0; i < var_count; i++) {
        if (!vars[i].value)
            continue;
        struct strbuf quoted = {0};
        for (const char *c = vars[i].value; *c; c++) {
            if (*c == '\'')
                strbuf_adds(&quoted, "'\\''");
            else
                strbuf_addc(&quoted, *c);
        }
        fd_printf(fd, "%s='%s'\n", vars[i].name, strbuf_str(&quoted));
        strbuf_free(&quoted);
    }
}
