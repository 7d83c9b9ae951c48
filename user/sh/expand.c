/*
 * expand.c - turn a raw word into the strings a program receives as argv.
 *
 * One left-to-right walk over the raw word does, as POSIX orders them:
 *
 *   1. tilde, parameters ($HOME, ${x:-default}, $1, "$@"), command
 *      substitution ($(cmd), `cmd`) and arithmetic ($((1 + 2)));
 *   2. field splitting: the results of *unquoted* substitutions are cut
 *      at the characters of $IFS (blank, tab, newline by default);
 *   3. pathname expansion: an unquoted *, ? or [ makes the field a pattern
 *      that is replaced by the matching file names (glob.c);
 *   4. quote removal: 'single' keeps everything literal, "double" still
 *      substitutes $ and `, and a backslash makes the next character literal.
 *
 *   raw word           fields (with A="x  y", B unset, files a.c b.c)
 *   $A                 "x" "y"
 *   "$A"               "x  y"
 *   '$A'               "$A"
 *   a\ b               "a b"
 *   $B                 (no field at all)
 *   "$B"               ""  (quotes make an empty field)
 *   *.c  "*.c"         "a.c" "b.c"   "*.c"
 *
 * Each field is built twice: as text (quotes removed) and as a pattern in
 * which every quoted *, ?, [ or \ is escaped with a backslash, so only the
 * unquoted ones act as wildcards. The ${...} forms are in expand_param.c.
 */
#include "user/sh/expand.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int expand_substitution_status = -1; /* $? of the last $(...), -1 if none ran */

/* Errors are built in a walk's own buffer; this copy outlives the walk. */
static const char *mem_error(const char *message)
{
    static char kept[256];
    if (message != kept)
        snprintf(kept, sizeof kept, "%s", message);
    return kept;
}

static bool is_glob_char(char c) { return c == '*' || c == '?' || c == '[' || c == ']'; }

/* Characters that came from quotes, or from a quoted substitution. */
void expand_add_quoted(struct expansion *e, const char *s, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        if (is_glob_char(s[i]) || s[i] == '\\')
            strbuf_addc(&e->pattern, '\\');
        strbuf_addc(&e->pattern, s[i]);
    }
    strbuf_add(&e->field, s, length);
    e->started = true;
}

/* Unquoted characters: a *, ? or [ among them may be a wildcard. */
static void add_unquoted(struct expansion *e, const char *s, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        if (s[i] == '*' || s[i] == '?' || s[i] == '[')
            e->magic = true;
        if (s[i] == '\\')
            strbuf_addc(&e->pattern, '\\');
        strbuf_addc(&e->pattern, s[i]);
    }
    strbuf_add(&e->field, s, length);
    e->started = true;
}

/* Ends the field being built: as it is, or as the file names it matches. */
void expand_field_end(struct expansion *e, bool force)
{
    if (e->started || force) {
        if (e->glob && e->magic && !shell.noglob &&
            glob_expand(strbuf_str(&e->pattern), e->fields) > 0)
            strbuf_clear(&e->field);
        else
            strvec_push(e->fields, mem_strdup(strbuf_str(&e->field)));
    }
    strbuf_clear(&e->field);
    strbuf_clear(&e->pattern);
    e->started = e->magic = false;
}

/* The value of a substitution: quoted it is one piece of the field;
 * unquoted its IFS characters separate fields. */
void expand_add_value(struct expansion *e, const char *value, bool quoted)
{
    if (quoted) {
        expand_add_quoted(e, value, strlen(value));
        return;
    }
    if (!e->split) {
        add_unquoted(e, value, strlen(value));
        return;
    }
    const char *ifs = vars_get("IFS");
    if (!ifs)
        ifs = " \t\n";
    for (const char *c = value; *c; c++) {
        if (!strchr(ifs, *c) || *c == '\0') {
            add_unquoted(e, c, 1);
        } else if (*c == ' ' || *c == '\t' || *c == '\n') {
            expand_field_end(e, false); /* IFS white space: runs of it are one separator */
        } else {
            expand_field_end(e, true); /* other IFS characters: each ends a field, even "" */
            while (c[1] == ' ' || c[1] == '\t' || c[1] == '\n')
                if (strchr(ifs, c[1]))
                    c++;
                else
                    break;
        }
    }
}

/*
 * Where the construct starting at s[pos] ends: a quote, a backquote,
 * $(...), $((...)) or ${...}. Returns the index just after it (the lexer
 * has already checked that it is closed; a broken one ends the string).
 */
size_t expand_skip(const char *s, size_t pos)
{
    char c = s[pos];
    if (c == '\'') {
        const char *close = strchr(s + pos + 1, '\'');
        return close ? (size_t)(close - s) + 1 : strlen(s);
    }
    if (c == '"' || c == '`') {
        for (pos++; s[pos] && s[pos] != c;) {
            if (s[pos] == '\\' && s[pos + 1])
                pos += 2;
            else if (c == '"' && (s[pos] == '`' || (s[pos] == '$' && strchr("({", s[pos + 1]))))
                pos = expand_skip(s, pos);
            else
                pos++;
        }
        return s[pos] ? pos + 1 : pos;
    }
    /* $( or ${ */
    char open = s[pos + 1], close = open == '(' ? ')' : '}';
    int depth = 0;
    for (pos++; s[pos];) {
        char d = s[pos];
        if (d == '\\' && s[pos + 1]) {
            pos += 2;
        } else if ((d == '\'' && open == '(') || d == '"' || d == '`') {
            pos = expand_skip(s, pos);
        } else if (d == '$' && (s[pos + 1] == '(' || s[pos + 1] == '{')) {
            pos = expand_skip(s, pos);
        } else {
            pos++;
            if (d == open)
                depth++;
            else if (d == close && --depth == 0)
                return pos;
        }
    }
    return pos;
}

/*
 * $(text) or `text`: runs text in a child shell with its stdout on a pipe
 * and returns what it wrote, minus trailing newlines. *status gets its
 * exit status.
 */
char *expand_command_output(const char *text, bool backquoted, int *status)
{
    struct strbuf program = {0};
    for (const char *c = text; *c; c++) {
        if (backquoted && c[0] == '\\' && c[1] && strchr("$`\\", c[1]))
            c++; /* in `...`, \$ \` \\ stand for $ ` \ */
        strbuf_addc(&program, *c);
    }
    struct strbuf output = {0};
    int fds[2];
    *status = 1;
    if (pipe(fds) < 0) {
        shell_error("pipe: %s", strerror(errno));
        goto out;
    }
    pid_t pid = fork();
    if (pid < 0) {
        shell_error("fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        goto out;
    }
    if (pid == 0) {
        close(fds[0]);
        if (fds[1] != 1) {
            dup2(fds[1], 1);
            close(fds[1]);
        }
        subshell_enter();
        shell_exit(exec_string(strbuf_str(&program), NULL));
    }
    close(fds[1]);
    char chunk[4096];
    for (;;) {
        ssize_t n = read(fds[0], chunk, sizeof chunk);
        if (n > 0)
            strbuf_add(&output, chunk, (size_t)n);
        else if (n == 0 || errno != EINTR)
            break;
    }
    close(fds[0]);
    int wait_status;
    while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR)
        ;
    *status = status_to_exit_code(wait_status);
out:
    strbuf_free(&program);
    while (output.length > 0 && output.data[output.length - 1] == '\n')
        output.data[--output.length] = '\0';
    return output.data ? strbuf_take(&output) : mem_strdup("");
}

/* $(...), `...` and $((...)) starting at raw[*pos]. */
static void expand_substitution(struct expansion *e, const char *raw, size_t *pos, bool quoted)
{
    size_t end = expand_skip(raw, *pos);
    bool backquoted = raw[*pos] == '`';
    size_t open = backquoted ? 1 : 2;
    bool arithmetic = !backquoted && raw[*pos + 2] == '(' && end >= *pos + 5 && raw[end - 2] == ')';
    if (arithmetic) {
        char *text = mem_strndup(raw + *pos + 3, end - *pos - 5);
        char *expanded = NULL;
        const char *error = expand_text_quoted(text, &expanded);
        long value = 0;
        if (!error)
            error = arith_eval(expanded, &value);
        if (error) {
            snprintf(e->error_text, sizeof e->error_text, "arithmetic: %s: %s", text, error);
            e->error = e->error_text;
        } else {
            char number[32];
            snprintf(number, sizeof number, "%ld", value);
            expand_add_value(e, number, quoted);
        }
        free(expanded);
        free(text);
    } else {
        char *text = mem_strndup(raw + *pos + open, end - *pos - open - 1);
        char *output = expand_command_output(text, backquoted, &expand_substitution_status);
        expand_add_value(e, output, quoted);
        free(output);
        free(text);
    }
    *pos = end;
}

/* Inside "...": the positions between the quotes. */
static void walk_double_quoted(struct expansion *e, const char *raw, size_t pos, size_t end)
{
    e->started = true;
    while (pos < end && !e->error) {
        char c = raw[pos];
        if (c == '\\' && pos + 1 < end && strchr("$`\"\\\n", raw[pos + 1])) {
            if (raw[pos + 1] != '\n')
                expand_add_quoted(e, raw + pos + 1, 1);
            pos += 2;
        } else if (c == '$' || c == '`') {
            if (c == '`' || raw[pos + 1] == '(')
                expand_substitution(e, raw, &pos, true);
            else
                expand_dollar(e, raw, &pos, true);
        } else {
            expand_add_quoted(e, raw + pos++, 1);
        }
    }
}

/* The walk over raw (or, with quoted, over text that is inside "..."). */
void expand_walk(struct expansion *e, const char *raw, bool quoted)
{
    size_t pos = 0;
    if (quoted) {
        walk_double_quoted(e, raw, 0, strlen(raw));
        return;
    }
    if (e->tilde && raw[0] == '~' && (raw[1] == '\0' || raw[1] == '/')) {
        const char *home = vars_get("HOME");
        expand_add_quoted(e, home ? home : "~", strlen(home ? home : "~"));
        pos = 1;
    }
    while (raw[pos] != '\0' && !e->error) {
        char c = raw[pos];
        if (c == '\\') { /* the next character is literal; a lone \ at the end is itself */
            bool last = raw[pos + 1] == '\0';
            expand_add_quoted(e, raw + pos + (last ? 0 : 1), 1);
            pos += last ? 1 : 2;
        } else if (c == '\'') {
            size_t end = expand_skip(raw, pos);
            expand_add_quoted(e, raw + pos + 1, end - pos - 2 + (raw[end - 1] != '\''));
            e->started = true;
            pos = end;
        } else if (c == '"') {
            size_t end = expand_skip(raw, pos);
            walk_double_quoted(e, raw, pos + 1, raw[end - 1] == '"' ? end - 1 : end);
            pos = end;
        } else if (c == '`' || (c == '$' && raw[pos + 1] == '(')) {
            expand_substitution(e, raw, &pos, false);
        } else if (c == '$') {
            expand_dollar(e, raw, &pos, false);
        } else if (e->split_literals) {
            char one[2] = {raw[pos++], '\0'};
            expand_add_value(e, one, false);
        } else {
            add_unquoted(e, raw + pos++, 1);
        }
    }
}

/* Expands text as if it stood between double quotes: one string. */
const char *expand_text_quoted(const char *text, char **out)
{
    struct strvec fields = {0};
    struct expansion e = {.fields = &fields};
    expand_walk(&e, text, true);
    *out = mem_strdup(strbuf_str(&e.field));
    strbuf_free(&e.field);
    strbuf_free(&e.pattern);
    strvec_free(&fields);
    return e.error ? mem_error(e.error) : NULL;
}

/*
 * Expands raw into zero or more fields, appended to *fields. Returns NULL,
 * or an error message (and appends nothing).
 */
const char *expand_word(const char *raw, struct strvec *fields)
{
    /* "$@" with no parameters is no field at all, not one empty field:
     * the one place where quotes do not make a field. */
    if ((strcmp(raw, "\"$@\"") == 0 || strcmp(raw, "\"${@}\"") == 0) && shell.param_count == 0)
        return NULL;
    struct strvec out = {0};
    struct expansion e = {.split = true, .glob = true, .tilde = true, .fields = &out};
    expand_walk(&e, raw, false);
    expand_field_end(&e, false);
    strbuf_free(&e.field);
    strbuf_free(&e.pattern);
    for (int i = 0; !e.error && i < out.count; i++) {
        strvec_push(fields, out.items[i]);
        out.items[i] = NULL;
    }
    strvec_free(&out);
    return e.error ? mem_error(e.error) : NULL;
}

/* One string, no splitting, no globbing; pattern: with escapes for glob.c. */
static const char *expand_one(const char *raw, char **out, bool pattern)
{
    struct strvec fields = {0};
    struct expansion e = {.tilde = !pattern, .fields = &fields};
    expand_walk(&e, raw, false);
    *out = NULL;
    if (!e.error)
        *out = mem_strdup(strbuf_str(pattern ? &e.pattern : &e.field));
    strbuf_free(&e.field);
    strbuf_free(&e.pattern);
    strvec_free(&fields);
    return e.error ? mem_error(e.error) : NULL;
}

/*
 * Expands raw into exactly one string, without field splitting: for
 * VAR=value and redirection targets, where "> $F" means one file even if
 * $F has spaces. *out is malloc'ed (free it) unless an error is returned.
 */
const char *expand_word_single(const char *raw, char **out) { return expand_one(raw, out, false); }

/* For case patterns and ${x#pattern}: quoted wildcards are escaped. */
const char *expand_word_pattern(const char *raw, char **out) { return expand_one(raw, out, true); }

/* A here-document body: $, ` and \ act as inside "...", quotes do not. */
const char *expand_heredoc(const char *body, char **out)
{
    struct strvec fields = {0};
    struct expansion e = {.fields = &fields};
    size_t pos = 0, length = strlen(body);
    while (pos < length && !e.error) {
        char c = body[pos];
        if (c == '\\' && strchr("$`\\\n", body[pos + 1]) && body[pos + 1]) {
            if (body[pos + 1] != '\n')
                expand_add_quoted(&e, body + pos + 1, 1);
            pos += 2;
        } else if (c == '`' || (c == '$' && body[pos + 1] == '(')) {
            expand_substitution(&e, body, &pos, true);
        } else if (c == '$') {
            expand_dollar(&e, body, &pos, true);
        } else {
            expand_add_quoted(&e, body + pos++, 1);
        }
    }
    *out = mem_strdup(strbuf_str(&e.field));
    strbuf_free(&e.field);
    strbuf_free(&e.pattern);
    strvec_free(&fields);
    return e.error ? mem_error(e.error) : NULL;
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
    expand_substitution_status = -1;
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
