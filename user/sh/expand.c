/*
 * expand.c - turn a raw word into the strings a program receives as argv.
 *
 * Three steps, in one left-to-right walk over the raw word:
 *
 *   1. substitute parameters: $HOME, ${HOME}, $?, $$, $!, $#, $0..$9, $@, $*
 *      (and ~ at the start of a word: $HOME);
 *   2. split the results of *unquoted* substitutions into fields at blanks,
 *      so X="-l -a"; ls $X passes two arguments but ls "$X" passes one;
 *   3. remove the quotes:  'single' keeps everything literal, "double" still
 *      substitutes $, and a backslash makes the next character literal.
 *
 *   raw word           fields (with A="x  y", B unset)
 *   $A                 "x" "y"
 *   "$A"               "x  y"
 *   '$A'               "$A"
 *   a\ b               "a b"
 *   $B                 (no field at all)
 *   "$B"               ""  (quotes make an empty field)
 *
 * Not done: pathname globbing (*.c), command substitution, ${X:-default},
 * and IFS other than space, tab and newline.
 */
#include "user/sh/sh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct expansion {
    struct strbuf field;   /* the field being built */
    bool started;          /* a field exists even if empty: "" or '' was seen */
    bool split;            /* split unquoted substitutions into fields? */
    struct strvec *fields; /* finished fields */
};

static void field_end(struct expansion *e)
{
    if (e->started)
        strvec_push(e->fields, strbuf_take(&e->field));
    e->started = false;
}

static void field_add(struct expansion *e, const char *s, size_t length)
{
    strbuf_add(&e->field, s, length);
    e->started = true;
}

/* The value of an unquoted substitution: its blanks separate fields. */
static void field_add_unquoted(struct expansion *e, const char *value)
{
    if (!e->split) {
        field_add(e, value, strlen(value));
        return;
    }
    for (const char *c = value; *c; c++) {
        if (*c == ' ' || *c == '\t' || *c == '\n')
            field_end(e);
        else
            field_add(e, c, 1);
    }
}

static bool is_name_char(char c, bool first)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (!first && c >= '0' && c <= '9');
}

/* $?, $$, $!, $#, and $@ / $* (all the parameters, joined by spaces). */
static const char *special_param_value(char name, struct strbuf *scratch)
{
    char number[32];
    long value = 0;
    switch (name) {
    case '?':
        value = shell.last_status;
        break;
    case '$':
        value = shell.pid;
        break;
    case '#':
        value = shell.param_count;
        break;
    case '!':
        if (shell.last_background == 0)
            return ""; /* no background job yet */
        value = shell.last_background;
        break;
    default:
        for (int i = 0; i < shell.param_count; i++) {
            if (i > 0)
                strbuf_addc(scratch, ' ');
            strbuf_adds(scratch, shell.params[i]);
        }
        return strbuf_str(scratch);
    }
    snprintf(number, sizeof number, "%ld", value);
    strbuf_adds(scratch, number);
    return strbuf_str(scratch);
}

/* The value of the parameter called name[0..length): "HOME", "?", "1".
 * Uses scratch for values it has to build. NULL when name is no parameter. */
static const char *param_value(const char *name, size_t length, struct strbuf *scratch)
{
    strbuf_clear(scratch);
    if (length == 1 && strchr("?$!#@*", name[0]))
        return special_param_value(name[0], scratch);
    if (length > 0 && name[0] >= '0' && name[0] <= '9') { /* $0, $1, ... ${10} */
        long index = 0;
        for (size_t i = 0; i < length; i++) {
            if (name[i] < '0' || name[i] > '9')
                return NULL;
            if (index < 1000000)
                index = index * 10 + (name[i] - '0');
        }
        if (index == 0)
            return shell.name ? shell.name : "sh";
        return index <= shell.param_count ? shell.params[index - 1] : "";
    }
    if (!vars_is_name(name, length))
        return NULL;
    strbuf_add(scratch, name, length);
    const char *value = vars_get(strbuf_str(scratch));
    return value ? value : "";
}

/*
 * At raw[*pos] == '$': reads the parameter's name, steps over it and returns
 * its value. Returns NULL for a '$' that starts no parameter ("$", "$%"),
 * which is then just a '$'. Sets *error for a broken ${...}.
 */
static const char *expand_dollar(const char *raw, size_t *pos, struct strbuf *scratch, bool *is_at,
                                 const char **error)
{
    const char *start = raw + *pos + 1;
    size_t length;
    const char *value;
    if (*start == '{') {
        const char *close = strchr(start, '}');
        if (!close) {
            *error = "${: missing }";
            return NULL;
        }
        length = (size_t)(close - start - 1);
        value = param_value(start + 1, length, scratch);
        if (!value) {
            *error = "bad substitution: only ${NAME} is supported";
            return NULL;
        }
        *is_at = length == 1 && start[1] == '@';
        *pos += length + 3;
        return value;
    }
    if (*start != '\0' && (strchr("?$!#@*", *start) || (*start >= '0' && *start <= '9')))
        length = 1; /* $10 is $1 then "0", as in POSIX; ${10} is the tenth */
    else
        for (length = 0; is_name_char(start[length], length == 0); length++)
            ;
    if (length == 0)
        return NULL;
    *is_at = *start == '@';
    *pos += length + 1;
    return param_value(start, length, scratch);
}

/* "...$@...": every parameter becomes a field of its own; text before the
 * quote joins the first, text after it the last. */
static void field_add_each_param(struct expansion *e)
{
    for (int i = 0; i < shell.param_count; i++) {
        if (i > 0) {
            strvec_push(e->fields, strbuf_take(&e->field));
            e->started = true;
        }
        field_add(e, shell.params[i], strlen(shell.params[i]));
    }
}

/* Inside "...": returns the position after the closing quote. */
static size_t expand_double_quoted(struct expansion *e, const char *raw, size_t pos,
                                   struct strbuf *scratch, const char **error)
{
    e->started = true;
    for (pos++; raw[pos] != '\0' && raw[pos] != '"';) {
        if (raw[pos] == '\\' && raw[pos + 1] != '\0' && strchr("$`\"\\", raw[pos + 1])) {
            field_add(e, raw + pos + 1, 1); /* only these are escaped in "" */
            pos += 2;
            continue;
        }
        if (raw[pos] == '$') {
            bool is_at = false;
            const char *value = expand_dollar(raw, &pos, scratch, &is_at, error);
            if (*error)
                return pos;
            if (value && is_at)
                field_add_each_param(e);
            else if (value)
                field_add(e, value, strlen(value));
            else
                field_add(e, raw + pos++, 1);
            continue;
        }
        field_add(e, raw + pos++, 1);
    }
    return raw[pos] == '"' ? pos + 1 : pos;
}

/* The walk over one raw word, described at the top of the file. */
static const char *expand_into(struct expansion *e, const char *raw)
{
    struct strbuf scratch = {0};
    const char *error = NULL;
    size_t pos = 0;
    if (raw[0] == '~' && (raw[1] == '\0' || raw[1] == '/')) {
        const char *home = vars_get("HOME");
        field_add(e, home ? home : "~", strlen(home ? home : "~"));
        pos = 1;
    }
    while (raw[pos] != '\0' && !error) {
        char c = raw[pos];
        if (c == '\\') { /* the next character is literal; a lone \ at the end is itself */
            bool last = raw[pos + 1] == '\0';
            field_add(e, raw + pos + (last ? 0 : 1), 1);
            pos += last ? 1 : 2;
        } else if (c == '\'') {
            const char *close = strchr(raw + pos + 1, '\'');
            size_t end = close ? (size_t)(close - raw) : strlen(raw);
            field_add(e, raw + pos + 1, end - pos - 1);
            pos = close ? end + 1 : end;
        } else if (c == '"') {
            pos = expand_double_quoted(e, raw, pos, &scratch, &error);
        } else if (c == '$') {
            bool is_at = false;
            const char *value = expand_dollar(raw, &pos, &scratch, &is_at, &error);
            if (value)
                field_add_unquoted(e, value);
            else if (!error)
                field_add(e, raw + pos++, 1);
        } else {
            field_add(e, raw + pos++, 1);
        }
    }
    strbuf_free(&scratch);
    return error;
}

/*
 * Expands raw into zero or more fields, appended to *fields. Returns NULL,
 * or an error message (and appends nothing).
 */
const char *expand_word(const char *raw, struct strvec *fields)
{
    /* "$@" with no parameters is no field at all, not one empty field:
     * the one place where quotes do not make a field. */
    if (strcmp(raw, "\"$@\"") == 0 && shell.param_count == 0)
        return NULL;
    struct strvec out = {0};
    struct expansion e = {.split = true, .fields = &out};
    const char *error = expand_into(&e, raw);
    field_end(&e);
    strbuf_free(&e.field);
    for (int i = 0; !error && i < out.count; i++) {
        strvec_push(fields, out.items[i]);
        out.items[i] = NULL;
    }
    strvec_free(&out);
    return error;
}

/*
 * Expands raw into exactly one string, without field splitting: for
 * VAR=value and redirection targets, where "> $F" means one file even if
 * $F has spaces. *out is malloc'ed (free it) unless an error is returned.
 */
const char *expand_word_single(const char *raw, char **out)
{
    struct strvec fields = {0};
    struct expansion e = {.split = false, .fields = &fields};
    const char *error = expand_into(&e, raw);
    field_end(&e);
    strbuf_free(&e.field);
    *out = NULL;
    if (!error) {
        struct strbuf joined = {0};
        for (int i = 0; i < fields.count; i++) {
            if (i > 0)
                strbuf_addc(&joined, ' ');
            strbuf_adds(&joined, fields.items[i]);
        }
        *out = strbuf_take(&joined);
    }
    strvec_free(&fields);
    return error;
}

/* NAME=value, with NAME a valid variable name (unquoted, by its spelling). */
bool expand_is_assignment(const char *raw)
{
    const char *equals = strchr(raw, '=');
    return equals && vars_is_name(raw, (size_t)(equals - raw));
}

/*
 * Expands a whole command: the leading NAME=value words become
 * "NAME=value" strings in *assignments, every other word adds its fields to
 * *argv. Returns NULL or an error message; the caller frees both lists.
 */
const char *expand_command(const struct command *command, struct strvec *argv,
                           struct strvec *assignments)
{
    int i = 0;
    for (; i < command->word_count && expand_is_assignment(command->words[i]); i++) {
        const char *raw = command->words[i];
        size_t name_length = (size_t)(strchr(raw, '=') - raw);
        char *value;
        const char *error = expand_word_single(raw + name_length + 1, &value);
        if (error)
            return error;
        struct strbuf assignment = {0};
        strbuf_add(&assignment, raw, name_length + 1);
        strbuf_adds(&assignment, value);
        free(value);
        strvec_push(assignments, strbuf_take(&assignment));
    }
    for (; i < command->word_count; i++) {
        const char *error = expand_word(command->words[i], argv);
        if (error)
            return error;
    }
    return NULL;
}
