/*
 * expand_param.c - parameters: $name, $1, $?, "$@" and the ${...} forms.
 *
 *   ${x}          the value                 ${#x}      its length
 *   ${x:-word}    word if x is unset or ""  ${x-word}  word if x is unset
 *   ${x:=word}    the same, and x=word      ${x:+word} word if x is set and not ""
 *   ${x:?word}    error "x: word" if unset or ""
 *   ${x#pat}  ${x##pat}   x without its shortest / longest prefix matching pat
 *   ${x%pat}  ${x%%pat}   x without its shortest / longest suffix matching pat
 *
 * The word is expanded only when it is used, in the same quoting context
 * as the ${...} itself: "${x:-a b}" is one field, ${x:-a b} two.
 */
#include "user/sh/expand.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_name_char(char c, bool first)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (!first && c >= '0' && c <= '9');
}

/* How long the parameter name at s is: "HOME", "1", "12" (in braces), "?". */
static size_t name_length(const char *s, bool braced)
{
    if (*s && strchr("?$!#@*-", *s))
        return 1;
    size_t length = 0;
    if (*s >= '0' && *s <= '9') {
        while (braced && s[length] >= '0' && s[length] <= '9')
            length++;
        return braced ? length : 1; /* $10 is $1 then "0"; ${10} is the tenth */
    }
    while (is_name_char(s[length], length == 0))
        length++;
    return length;
}

static void join_params(struct strbuf *out, char separator)
{
    for (int i = 0; i < shell.param_count; i++) {
        if (i > 0 && separator)
            strbuf_addc(out, separator);
        strbuf_adds(out, shell.params[i]);
    }
}

/* The value of parameter name[0..length), built in scratch if needed, or
 * NULL when it is unset. */
static const char *param_lookup(const char *name, size_t length, struct strbuf *scratch)
{
    char number[32];
    strbuf_clear(scratch);
    if (length == 1 && strchr("?$!#@*-", name[0])) {
        long value = 0;
        switch (name[0]) {
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
                return NULL;
            value = shell.last_background;
            break;
        case '-':
            strbuf_adds(scratch, shell.errexit ? "e" : "");
            strbuf_adds(scratch, shell.noglob ? "f" : "");
            strbuf_adds(scratch, shell.interactive ? "i" : "");
            strbuf_adds(scratch, shell.nounset ? "u" : "");
            strbuf_adds(scratch, shell.xtrace ? "x" : "");
            return strbuf_str(scratch);
        default: /* @ and * */
            if (shell.param_count == 0)
                return NULL;
            join_params(scratch, ' ');
            return strbuf_str(scratch);
        }
        snprintf(number, sizeof number, "%ld", value);
        strbuf_adds(scratch, number);
        return strbuf_str(scratch);
    }
    if (name[0] >= '0' && name[0] <= '9') {
        long index = 0;
        for (size_t i = 0; i < length && index < 1000000; i++)
            index = index * 10 + (name[i] - '0');
        if (index == 0)
            return shell.name ? shell.name : "sh";
        return index <= shell.param_count ? shell.params[index - 1] : NULL;
    }
    strbuf_add(scratch, name, length);
    return vars_get(strbuf_str(scratch));
}

static void set_error(struct expansion *e, const char *format, const char *name, size_t length,
                      const char *detail)
{
    snprintf(e->error_text, sizeof e->error_text, format, (int)length, name, detail);
    e->error = e->error_text;
}

/* $@ and $* outside ${...} forms: "$@" makes one field per parameter. */
static void add_all_params(struct expansion *e, char which, bool quoted)
{
    if (quoted && which == '@') {
        for (int i = 0; i < shell.param_count; i++) {
            if (i > 0)
                expand_field_end(e, true);
            expand_add_quoted(e, shell.params[i], strlen(shell.params[i]));
        }
        return;
    }
    struct strbuf joined = {0};
    const char *ifs = vars_get("IFS");
    join_params(&joined, quoted ? (ifs ? ifs[0] : ' ') : ' ');
    expand_add_value(e, strbuf_str(&joined), quoted);
    strbuf_free(&joined);
}

/* ${x#pat} and friends: what is left of value. */
static char *remove_affix(const char *value, const char *pattern, char op, bool longest)
{
    size_t length = strlen(value);
    for (size_t step = 0; step <= length; step++) {
        size_t i = longest ? length - step : step; /* candidate prefix length */
        if (op == '#') {
            char *prefix = mem_strndup(value, i);
            bool match = glob_match(pattern, prefix);
            free(prefix);
            if (match)
                return mem_strdup(value + i);
        } else {
            size_t start = longest ? step : length - step; /* candidate suffix start */
            if (glob_match(pattern, value + start))
                return mem_strndup(value, start);
        }
    }
    return mem_strdup(value);
}

/* One ${name<op>word}, taken apart. */
struct param_form {
    const char *name;
    size_t length;
    const char *value; /* NULL: unset */
    bool colon;        /* ":-" rather than "-": an empty value counts as missing */
    char kind;         /* '-' '+' '=' '?' '#' '%', or '\0' for plain ${name} */
    const char *word;
    bool missing;
};

/* ${x:-word} and ${x:+word}: the word, expanded in the same context. */
static void form_alternative(struct expansion *e, const struct param_form *f, bool quoted)
{
    if (f->missing == (f->kind == '-')) {
        bool saved = e->split_literals;
        e->split_literals = !quoted && e->split;
        expand_walk(e, f->word, quoted);
        e->split_literals = saved;
    } else if (f->kind == '-') {
        expand_add_value(e, f->value, quoted);
    }
}

/* ${x:=word} assigns the word when x is missing; ${x:?word} fails. */
static void form_assign_or_fail(struct expansion *e, const struct param_form *f, bool quoted)
{
    if (!f->missing) {
        expand_add_value(e, f->value, quoted);
        return;
    }
    char *text = NULL;
    const char *error = expand_word_single(f->word, &text);
    if (error) {
        set_error(e, "%.*s%s", error, strlen(error), "");
    } else if (f->kind == '?') {
        const char *why = *text      ? text
                          : f->colon ? "parameter null or not set"
                                     : "parameter not set";
        set_error(e, "%.*s: %s", f->name, f->length, why);
    } else if (!vars_is_name(f->name, f->length)) {
        set_error(e, "%.*s: cannot assign in this way%s", f->name, f->length, "");
    } else {
        char *variable = mem_strndup(f->name, f->length);
        vars_set(variable, text);
        free(variable);
        expand_add_value(e, text, quoted);
    }
    free(text);
}

/* ${x#pattern} ${x##pattern} ${x%pattern} ${x%%pattern} */
static void form_remove(struct expansion *e, const struct param_form *f, bool quoted)
{
    bool longest = f->word[0] == f->kind;
    char *pattern = NULL;
    const char *error = expand_word_pattern(f->word + longest, &pattern);
    if (error) {
        set_error(e, "%.*s%s", error, strlen(error), "");
    } else {
        char *rest = remove_affix(f->value ? f->value : "", pattern, f->kind, longest);
        expand_add_value(e, rest, quoted);
        free(rest);
    }
    free(pattern);
}

/* ${...}: inner is the text between the braces. */
static void expand_braced(struct expansion *e, const char *inner, bool quoted)
{
    struct strbuf scratch = {0};
    bool length_of = inner[0] == '#' && inner[1] && name_length(inner + 1, true) > 0 &&
                     inner[1 + name_length(inner + 1, true)] == '\0';
    struct param_form f = {.name = inner + length_of};
    f.length = name_length(f.name, true);
    const char *op = f.name + f.length;
    if (f.length == 0 || (length_of && *op)) {
        set_error(e, "${%.*s%s}: bad substitution", inner, strlen(inner), "");
        return;
    }
    f.value = param_lookup(f.name, f.length, &scratch);
    f.colon = op[0] == ':';
    f.kind = f.colon ? op[1] : op[0];
    f.word = op + (f.colon ? 2 : 1);
    f.missing = !f.value || (f.colon && !*f.value);
    bool all = f.name[0] == '@' || f.name[0] == '*';
    if (length_of) {
        char number[32];
        snprintf(number, sizeof number, "%zu",
                 all ? (size_t)shell.param_count : strlen(f.value ? f.value : ""));
        expand_add_value(e, number, quoted);
    } else if (f.kind == '\0' && !f.colon) {
        if (!f.value && shell.nounset)
            set_error(e, "%.*s: parameter not set%s", f.name, f.length, "");
        else if (all)
            add_all_params(e, f.name[0], quoted);
        else
            expand_add_value(e, f.value ? f.value : "", quoted);
    } else if (f.kind == '-' || f.kind == '+') {
        form_alternative(e, &f, quoted);
    } else if (f.kind == '=' || f.kind == '?') {
        form_assign_or_fail(e, &f, quoted);
    } else if ((f.kind == '#' || f.kind == '%') && !f.colon) {
        form_remove(e, &f, quoted);
    } else {
        set_error(e, "${%.*s%s}: bad substitution", inner, strlen(inner), "");
    }
    strbuf_free(&scratch);
}

void expand_dollar(struct expansion *e, const char *raw, size_t *pos, bool quoted)
{
    const char *start = raw + *pos + 1;
    if (*start == '{') {
        size_t end = expand_skip(raw, *pos);
        if (raw[end - 1] != '}') {
            set_error(e, "%.*s: missing }%s", start - 1, end - *pos, "");
            *pos = end;
            return;
        }
        char *inner = mem_strndup(start + 1, end - *pos - 3 + (raw[end - 1] != '}'));
        *pos = end;
        expand_braced(e, inner, quoted);
        free(inner);
        return;
    }
    size_t length = name_length(start, false);
    if (length == 0) { /* "$" alone, "$%": just a dollar sign */
        expand_add_quoted(e, "$", 1);
        (*pos)++;
        return;
    }
    *pos += length + 1;
    if (*start == '@' || *start == '*') {
        add_all_params(e, *start, quoted);
        return;
    }
    struct strbuf scratch = {0};
    const char *value = param_lookup(start, length, &scratch);
    if (!value && shell.nounset && *start != '!')
        set_error(e, "%.*s: parameter not set%s", start, length, "");
    else
        expand_add_value(e, value ? value : "", quoted);
    strbuf_free(&scratch);
}
