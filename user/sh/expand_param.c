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

/* ${...}: inner is the text between the braces. */
static void expand_braced(struct expansion *e, const char *inner, bool quoted)
{
    struct strbuf scratch = {0};
    bool length_of = inner[0] == '#' && inner[1] && name_length(inner + 1, true) > 0 &&
                     inner[1 + name_length(inner + 1, true)] == '\0';
    const char *name = inner + length_of;
    size_t length = name_length(name, true);
    const char *op = name + length;
    if (length == 0 || (length_of && *op)) {
        set_error(e, "${%.*s%s}: bad substitution", inner, strlen(inner), "");
        return;
    }
    const char *value = param_lookup(name, length, &scratch);
    bool colon = op[0] == ':';
    char kind = colon ? op[1] : op[0];
    const char *word = op + (colon ? 2 : 1);
    bool missing = !value || (colon && !*value);
    if (length_of) {
        char number[32];
        snprintf(number, sizeof number, "%zu",
                 name[0] == '@' || name[0] == '*' ? (size_t)shell.param_count
                                                  : strlen(value ? value : ""));
        expand_add_value(e, number, quoted);
    } else if (kind == '\0' && !colon) {
        if (!value && shell.nounset)
            set_error(e, "%.*s: parameter not set%s", name, length, "");
        else if (name[0] == '@' || name[0] == '*')
            add_all_params(e, name[0], quoted);
        else
            expand_add_value(e, value ? value : "", quoted);
    } else if (kind == '-' || kind == '+') {
        if (missing == (kind == '-')) {
            bool saved = e->split_literals;
            e->split_literals = !quoted && e->split;
            expand_walk(e, word, quoted);
            e->split_literals = saved;
        } else if (kind == '-')
            expand_add_value(e, value, quoted);
    } else if (kind == '=' || kind == '?') {
        if (!missing) {
            expand_add_value(e, value, quoted);
        } else {
            char *text = NULL;
            const char *error = expand_word_single(word, &text);
            if (error)
                set_error(e, "%.*s%s", error, strlen(error), "");
            else if (kind == '?')
                set_error(e, "%.*s: %s", name, length,
                          *text   ? text
                          : colon ? "parameter null or not set"
                                  : "parameter not set");
            else if (!vars_is_name(name, length))
                set_error(e, "%.*s: cannot assign in this way%s", name, length, "");
            else {
                char *variable = mem_strndup(name, length);
                vars_set(variable, text);
                free(variable);
                expand_add_value(e, text, quoted);
            }
            free(text);
        }
    } else if ((kind == '#' || kind == '%') && !colon) {
        bool longest = word[0] == kind;
        char *pattern = NULL;
        const char *error = expand_word_pattern(word + longest, &pattern);
        if (error) {
            set_error(e, "%.*s%s", error, strlen(error), "");
        } else {
            char *rest = remove_affix(value ? value : "", pattern, kind, longest);
            expand_add_value(e, rest, quoted);
            free(rest);
        }
        free(pattern);
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
