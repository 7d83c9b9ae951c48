/*
 * lex.c - split a command line into tokens: words and operators.
 *
 *   echo "a b"'c'  2>&1 | wc -l >>out   # count
 *   WORD WORD      GREATAND(io 2) WORD PIPE WORD WORD DGREAT WORD END
 *
 * Words keep their quotes, backslashes and $ signs exactly as typed (the
 * "raw" word): what a quote means is decided later, by expand.c, so the lexer
 * only has to find where each word ends. "a b"'c d'\ e is one word.
 *
 * Operators are matched longest first (">>" before ">"). Digits written right
 * before < or > are an "io number": in 2>err the 2 says which fd to redirect,
 * but in "echo 2 >err" the 2 is an argument.
 *
 * Substitutions ($(...), `...`, ${...}, $((...))) stay inside their word,
 * found by matching the closing bracket. The body of a here-document is read
 * right after the newline that ends its line and stored in the << token.
 *
 * A quote left open or a backslash at the very end is SYNTAX_INCOMPLETE, not
 * an error: the shell then reads another line and tries again, which is how
 * a quoted string can span lines.
 */
#include "user/sh/sh.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *spelling;
    enum token_kind kind;
} operators[] = {
    /* two-character operators first, so ">>" is not read as ">" ">" */
    {"<<-", TOKEN_DLESSDASH}, {"&&", TOKEN_AND_IF},  {"||", TOKEN_OR_IF}, {">>", TOKEN_DGREAT},
    {">&", TOKEN_GREATAND},   {"<&", TOKEN_LESSAND}, {"<<", TOKEN_DLESS}, {";;", TOKEN_DSEMI},
    {"|", TOKEN_PIPE},        {"&", TOKEN_AMP},      {";", TOKEN_SEMI},   {"<", TOKEN_LESS},
    {">", TOKEN_GREAT},       {"(", TOKEN_LPAREN},   {")", TOKEN_RPAREN}, {"\n", TOKEN_NEWLINE},
};

static const char *const token_names[] = {
    [TOKEN_WORD] = "word",     [TOKEN_NEWLINE] = "newline",
    [TOKEN_SEMI] = ";",        [TOKEN_AMP] = "&",
    [TOKEN_PIPE] = "|",        [TOKEN_AND_IF] = "&&",
    [TOKEN_OR_IF] = "||",      [TOKEN_LESS] = "<",
    [TOKEN_GREAT] = ">",       [TOKEN_DGREAT] = ">>",
    [TOKEN_LESSAND] = "<&",    [TOKEN_GREATAND] = ">&",
    [TOKEN_DLESS] = "<<",      [TOKEN_LPAREN] = "(",
    [TOKEN_RPAREN] = ")",      [TOKEN_END] = "end of input",
    [TOKEN_DLESSDASH] = "<<-", [TOKEN_DSEMI] = ";;",
};

/* How error messages name a token: ";" or "newline". */
const char *lex_token_name(enum token_kind kind) { return token_names[kind]; }

struct lexer {
    const char *text;
    size_t pos;
    struct token_list *out;
    int heredoc_from; /* tokens before this one have their here-document bodies */
    char *error;
    size_t error_size;
};

static enum syntax_status lex_fail(struct lexer *lx, enum syntax_status status, const char *format,
                                   ...) __attribute__((format(printf, 3, 4)));

static enum syntax_status lex_fail(struct lexer *lx, enum syntax_status status, const char *format,
                                   ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(lx->error, lx->error_size, format, args);
    va_end(args);
    return status;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* Characters that end an unquoted word because an operator starts there. */
static bool is_operator_char(char c) { return c != '\0' && strchr("|&;<>()\n", c) != NULL; }

static void lex_push(struct lexer *lx, enum token_kind kind, char *text, int io_number,
                     size_t start)
{
    struct token_list *list = lx->out;
    ARRAY_RESERVE(list->items, list->count, list->capacity);
    list->items[list->count++] = (struct token){
        .kind = kind,
        .text = text,
        .io_number = io_number,
        .start = start,
        .end = lx->pos,
    };
}

static enum syntax_status scan_single_quoted(struct lexer *lx, struct strbuf *word);
static enum syntax_status scan_double_quoted(struct lexer *lx, struct strbuf *word);
static enum syntax_status scan_substitution(struct lexer *lx, struct strbuf *word);

/* `...`: up to the next backquote not escaped by a backslash. */
static enum syntax_status scan_backquoted(struct lexer *lx, struct strbuf *word)
{
    const char *s = lx->text;
    strbuf_addc(word, s[lx->pos++]);
    for (;;) {
        char c = s[lx->pos];
        if (c == '\0')
            return lex_fail(lx, SYNTAX_INCOMPLETE, "unterminated ` quote");
        if (c == '\\' && s[lx->pos + 1] != '\0') {
            strbuf_add(word, s + lx->pos, 2);
            lx->pos += 2;
            continue;
        }
        strbuf_addc(word, c);
        lx->pos++;
        if (c == '`')
            return SYNTAX_OK;
    }
}

/* $(...), $((...)) and ${...}: up to the matching close, stepping over
 * quotes and nested substitutions, whose ) or } do not count. */
static enum syntax_status scan_substitution(struct lexer *lx, struct strbuf *word)
{
    const char *s = lx->text;
    char open = s[lx->pos + 1], close = open == '(' ? ')' : '}';
    int depth = 0;
    strbuf_addc(word, s[lx->pos++]); /* the $ */
    for (;;) {
        char c = s[lx->pos];
        enum syntax_status status = SYNTAX_OK;
        if (c == '\0')
            return lex_fail(lx, SYNTAX_INCOMPLETE, "missing '%c'", close);
        if (c == '\\' && s[lx->pos + 1] != '\0') {
            strbuf_add(word, s + lx->pos, 2);
            lx->pos += 2;
            continue;
        }
        if (c == '\'' && open == '(') {
            status = scan_single_quoted(lx, word);
        } else if (c == '"') {
            status = scan_double_quoted(lx, word);
        } else if (c == '`') {
            status = scan_backquoted(lx, word);
        } else if (c == '$' && (s[lx->pos + 1] == '(' || s[lx->pos + 1] == '{')) {
            status = scan_substitution(lx, word);
        } else {
            strbuf_addc(word, c);
            lx->pos++;
            if (c == open)
                depth++;
            else if (c == close && --depth == 0)
                return SYNTAX_OK;
        }
        if (status != SYNTAX_OK)
            return status;
    }
}

/* '...': everything up to the next ' is literal, backslashes included. */
static enum syntax_status scan_single_quoted(struct lexer *lx, struct strbuf *word)
{
    const char *close = strchr(lx->text + lx->pos + 1, '\'');
    if (!close)
        return lex_fail(lx, SYNTAX_INCOMPLETE, "unterminated ' quote");
    size_t end = (size_t)(close - lx->text) + 1;
    strbuf_add(word, lx->text + lx->pos, end - lx->pos);
    lx->pos = end;
    return SYNTAX_OK;
}

/* "...": ends at the first " not escaped by a backslash. */
static enum syntax_status scan_double_quoted(struct lexer *lx, struct strbuf *word)
{
    const char *s = lx->text;
    strbuf_addc(word, s[lx->pos++]);
    for (;;) {
        char c = s[lx->pos];
        if (c == '\0')
            return lex_fail(lx, SYNTAX_INCOMPLETE, "unterminated \" quote");
        if (c == '`' || (c == '$' && (s[lx->pos + 1] == '(' || s[lx->pos + 1] == '{'))) {
            enum syntax_status status =
                c == '`' ? scan_backquoted(lx, word) : scan_substitution(lx, word);
            if (status != SYNTAX_OK)
                return status;
            continue;
        }
        if (c == '\\' && s[lx->pos + 1] == '\n') {
            lx->pos += 2; /* a line continuation vanishes, even in quotes */
            continue;
        }
        if (c == '\\' && s[lx->pos + 1] != '\0') {
            strbuf_add(word, s + lx->pos, 2);
            lx->pos += 2;
            continue;
        }
        strbuf_addc(word, c);
        lx->pos++;
        if (c == '"')
            return SYNTAX_OK;
    }
}

/* A backslash at the very end, alone or before the last newline: the
 * command goes on in the next line, which has not been read yet. */
static bool line_continues(const char *backslash)
{
    return backslash[1] == '\0' || (backslash[1] == '\n' && backslash[2] == '\0');
}

/* One word, from lx->pos to the first unquoted blank or operator. */
static enum syntax_status scan_word(struct lexer *lx, struct strbuf *word)
{
    const char *s = lx->text;
    while (s[lx->pos] != '\0' && !is_blank(s[lx->pos]) && !is_operator_char(s[lx->pos])) {
        char c = s[lx->pos];
        enum syntax_status status = SYNTAX_OK;
        if (c == '\\') {
            if (line_continues(s + lx->pos))
                return lex_fail(lx, SYNTAX_INCOMPLETE, "backslash at end of input");
            if (s[lx->pos + 1] != '\n') /* backslash-newline joins lines: drop both */
                strbuf_add(word, s + lx->pos, 2);
            lx->pos += 2;
        } else if (c == '\'') {
            status = scan_single_quoted(lx, word);
        } else if (c == '"') {
            status = scan_double_quoted(lx, word);
        } else if (c == '`') {
            status = scan_backquoted(lx, word);
        } else if (c == '$' && (s[lx->pos + 1] == '(' || s[lx->pos + 1] == '{')) {
            status = scan_substitution(lx, word);
        } else {
            strbuf_addc(word, c);
            lx->pos++;
        }
        if (status != SYNTAX_OK)
            return status;
    }
    return SYNTAX_OK;
}

/* At lx->pos: digits followed by < or >? Then they are the fd of a
 * redirection: returns it and steps over them. Else returns -1. */
static int scan_io_number(struct lexer *lx, enum syntax_status *status)
{
    size_t end = lx->pos;
    long value = 0;
    while (lx->text[end] >= '0' && lx->text[end] <= '9') {
        if (value <= SH_FD_MAX)
            value = value * 10 + (lx->text[end] - '0');
        end++;
    }
    if (end == lx->pos || (lx->text[end] != '<' && lx->text[end] != '>'))
        return -1;
    if (value > SH_FD_MAX) {
        *status = lex_fail(lx, SYNTAX_ERROR, "%.*s: file descriptor out of range (0-%d)",
                           (int)(end - lx->pos), lx->text + lx->pos, SH_FD_MAX);
        return -1;
    }
    lx->pos = end;
    return (int)value;
}

/* The delimiter of a here-document with its quotes removed; *quoted says
 * whether it had any ("<<'EOF'": the body is taken literally). */
static char *heredoc_delimiter(const char *raw, bool *quoted)
{
    struct strbuf out = {0};
    *quoted = false;
    for (const char *c = raw; *c; c++) {
        if (*c == '\'' || *c == '"') {
            *quoted = true;
        } else if (*c == '\\' && c[1]) {
            *quoted = true;
            strbuf_addc(&out, *++c);
        } else {
            strbuf_addc(&out, *c);
        }
    }
    return out.data ? strbuf_take(&out) : mem_strdup("");
}

/*
 * Just after a newline: reads the bodies of the here-documents started on
 * the line that ended, in order, each up to a line that is its delimiter.
 * The body goes into the << token's text. INCOMPLETE until every delimiter
 * line has been read.
 */
static enum syntax_status read_heredocs(struct lexer *lx)
{
    struct token_list *list = lx->out;
    for (int i = lx->heredoc_from; i < list->count; i++) {
        struct token *op = &list->items[i];
        if ((op->kind != TOKEN_DLESS && op->kind != TOKEN_DLESSDASH) || op->text)
            continue;
        if (i + 1 >= list->count || list->items[i + 1].kind != TOKEN_WORD)
            continue; /* the parser reports the missing delimiter */
        bool quoted;
        char *delimiter = heredoc_delimiter(list->items[i + 1].text, &quoted);
        struct strbuf body = {0};
        for (;;) {
            const char *line = lx->text + lx->pos;
            if (*line == '\0') {
                free(delimiter);
                strbuf_free(&body);
                return lex_fail(lx, SYNTAX_INCOMPLETE, "here-document without its end line");
            }
            const char *newline = strchr(line, '\n');
            size_t length = newline ? (size_t)(newline - line) : strlen(line);
            lx->pos += length + (newline ? 1 : 0);
            if (op->kind == TOKEN_DLESSDASH)
                while (length > 0 && *line == '\t')
                    line++, length--;
            if (length == strlen(delimiter) && strncmp(line, delimiter, length) == 0)
                break;
            strbuf_add(&body, line, length);
            strbuf_addc(&body, '\n');
        }
        free(delimiter);
        op->quoted = quoted;
        op->text = body.data ? strbuf_take(&body) : mem_strdup("");
    }
    lx->heredoc_from = list->count;
    return SYNTAX_OK;
}

static void scan_operator(struct lexer *lx, int io_number, size_t start)
{
    for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++) {
        size_t length = strlen(operators[i].spelling);
        if (strncmp(lx->text + lx->pos, operators[i].spelling, length) == 0) {
            lx->pos += length;
            lex_push(lx, operators[i].kind, NULL, io_number, start);
            return;
        }
    }
}

/* Reads the next token (or skips a comment). */
static enum syntax_status lex_next(struct lexer *lx)
{
    const char *s = lx->text;
    size_t start = lx->pos;
    enum syntax_status status = SYNTAX_OK;

    if (s[lx->pos] == '#') { /* a comment: only where a word would start */
        while (s[lx->pos] != '\0' && s[lx->pos] != '\n')
            lx->pos++;
        return SYNTAX_OK;
    }
    int io_number = scan_io_number(lx, &status);
    if (status != SYNTAX_OK)
        return status;
    if (io_number >= 0 || is_operator_char(s[lx->pos])) {
        scan_operator(lx, io_number, start);
        if (lx->out->items[lx->out->count - 1].kind == TOKEN_NEWLINE)
            return read_heredocs(lx);
        return SYNTAX_OK;
    }
    struct strbuf word = {0};
    status = scan_word(lx, &word);
    if (status != SYNTAX_OK) {
        strbuf_free(&word);
        return status;
    }
    lex_push(lx, TOKEN_WORD, strbuf_take(&word), -1, start);
    return SYNTAX_OK;
}

/*
 * Splits text into tokens, appended to *out (zero-initialise it; free with
 * lex_free even after an error). The list always ends with TOKEN_END when
 * the result is SYNTAX_OK. On failure, error holds a message.
 */
enum syntax_status lex_line(const char *text, struct token_list *out, char *error,
                            size_t error_size)
{
    struct lexer lx = {.text = text, .out = out, .error = error, .error_size = error_size};
    if (error_size)
        error[0] = '\0';
    for (;;) {
        while (is_blank(text[lx.pos]) || (text[lx.pos] == '\\' && text[lx.pos + 1] == '\n')) {
            if (text[lx.pos] == '\\' && line_continues(text + lx.pos))
                return lex_fail(&lx, SYNTAX_INCOMPLETE, "backslash at end of input");
            lx.pos += text[lx.pos] == '\\' ? 2 : 1;
        }
        if (text[lx.pos] == '\0')
            break;
        enum syntax_status status = lex_next(&lx);
        if (status != SYNTAX_OK)
            return status;
    }
    for (int i = lx.heredoc_from; i < out->count; i++)
        if ((out->items[i].kind == TOKEN_DLESS || out->items[i].kind == TOKEN_DLESSDASH) &&
            i + 1 < out->count && out->items[i + 1].kind == TOKEN_WORD)
            return lex_fail(&lx, SYNTAX_INCOMPLETE, "here-document without its end line");
    lex_push(&lx, TOKEN_END, NULL, -1, lx.pos);
    return SYNTAX_OK;
}

void lex_free(struct token_list *tokens)
{
    for (int i = 0; i < tokens->count; i++)
        free(tokens->items[i].text);
    free(tokens->items);
    tokens->items = NULL;
    tokens->count = tokens->capacity = 0;
}
