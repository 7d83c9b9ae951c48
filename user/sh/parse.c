/*
 * parse.c - turn tokens into the syntax tree that exec.c runs.
 *
 * The grammar, one function per line (recursive descent):
 *
 *   list      := and_or ((';' | '&' | newline) and_or)* [';' | '&']
 *   and_or    := pipeline (('&&' | '||') newline* pipeline)*
 *   pipeline  := ['!'] command ('|' newline* command)*
 *   command   := (WORD | redirect)+
 *   redirect  := [io_number] ('<' | '>' | '>>' | '<&' | '>&') WORD
 *
 * A line that stops where more must follow ("ls |", "a &&") is
 * SYNTAX_INCOMPLETE, so the shell can read the rest from the next line.
 * Words stay raw here; expansion happens just before a command runs, since
 * "$?" must be the status of the command before it, not of the line before.
 */
#include "user/sh/sh.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
    const struct token *tokens;
    int pos;
    const char *text;
    char *error;
    size_t error_size;
    enum syntax_status status; /* the first failure wins */
};

/* Words that start compound commands in a full POSIX shell. */
static const char *const unsupported_keywords[] = {
    "if", "then", "else", "elif", "fi", "while", "until",    "for",
    "do", "done", "case", "esac", "{",  "}",     "function", "select",
};

static bool parse_fail(struct parser *p, enum syntax_status status, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static bool parse_fail(struct parser *p, enum syntax_status status, const char *format, ...)
{
    if (p->status == SYNTAX_OK) {
        va_list args;
        va_start(args, format);
        vsnprintf(p->error, p->error_size, format, args);
        va_end(args);
        p->status = status;
    }
    return false;
}

static const struct token *peek(const struct parser *p) { return &p->tokens[p->pos]; }

static bool at(const struct parser *p, enum token_kind kind) { return peek(p)->kind == kind; }

static void skip_newlines(struct parser *p)
{
    while (at(p, TOKEN_NEWLINE))
        p->pos++;
}

/* The token at p->pos cannot appear here. */
static bool unexpected(struct parser *p)
{
    const struct token *t = peek(p);
    if (t->kind == TOKEN_END)
        return parse_fail(p, SYNTAX_INCOMPLETE, "syntax error: unexpected end of input");
    if (t->kind == TOKEN_LPAREN || t->kind == TOKEN_RPAREN)
        return parse_fail(p, SYNTAX_ERROR, "syntax error near '%s': subshells are not supported",
                          lex_token_name(t->kind));
    return parse_fail(p, SYNTAX_ERROR, "syntax error near unexpected token '%s'",
                      t->kind == TOKEN_WORD ? t->text : lex_token_name(t->kind));
}

/* What each redirection operator makes, and the fd it sets when no io
 * number is written: "<f" is "0<f", ">f" is "1>f". */
static const struct {
    enum token_kind token;
    enum redir_kind kind;
    int default_fd;
} redirect_operators[] = {
    {TOKEN_LESS, REDIR_IN, 0},     {TOKEN_GREAT, REDIR_OUT, 1},    {TOKEN_DGREAT, REDIR_APPEND, 1},
    {TOKEN_LESSAND, REDIR_DUP, 0}, {TOKEN_GREATAND, REDIR_DUP, 1},
};
#define REDIRECT_COUNT (sizeof redirect_operators / sizeof redirect_operators[0])

static bool parse_redirect(struct parser *p, struct command *command)
{
    const struct token *op = &p->tokens[p->pos++];
    struct redir r = {.fd = op->io_number};
    size_t i = 0;
    while (i < REDIRECT_COUNT && redirect_operators[i].token != op->kind)
        i++;
    if (i == REDIRECT_COUNT) /* "<<", the only redirection token left */
        return parse_fail(p, SYNTAX_ERROR, "here-documents (<<) are not supported");
    r.kind = redirect_operators[i].kind;
    if (r.fd < 0) /* no io number */
        r.fd = redirect_operators[i].default_fd;
    if (!at(p, TOKEN_WORD)) {
        if (at(p, TOKEN_END))
            return unexpected(p);
        return parse_fail(p, SYNTAX_ERROR, "syntax error: '%s' needs a file name, got '%s'",
                          lex_token_name(op->kind), lex_token_name(peek(p)->kind));
    }
    r.target = mem_strdup(p->tokens[p->pos++].text);
    ARRAY_RESERVE(command->redirs, command->redir_count, command->redir_capacity);
    command->redirs[command->redir_count++] = r;
    return true;
}

static bool is_unsupported_keyword(const char *word)
{
    for (size_t i = 0; i < sizeof unsupported_keywords / sizeof unsupported_keywords[0]; i++)
        if (strcmp(word, unsupported_keywords[i]) == 0)
            return true;
    return false;
}

static bool parse_command(struct parser *p, struct command *command)
{
    for (;;) {
        const struct token *t = peek(p);
        if (t->kind == TOKEN_WORD) {
            if (command->word_count == 0 && is_unsupported_keyword(t->text))
                return parse_fail(p, SYNTAX_ERROR,
                                  "'%s': compound commands (if, while, for, case, { }) "
                                  "are not supported by this shell",
                                  t->text);
            ARRAY_RESERVE(command->words, command->word_count, command->word_capacity);
            command->words[command->word_count++] = mem_strdup(t->text);
            p->pos++;
        } else if (t->kind >= TOKEN_LESS && t->kind <= TOKEN_DLESS) {
            if (!parse_redirect(p, command))
                return false;
        } else {
            break;
        }
    }
    if (command->word_count == 0 && command->redir_count == 0)
        return unexpected(p);
    return true;
}

static bool parse_pipeline(struct parser *p, struct pipeline *pipeline)
{
    if (at(p, TOKEN_WORD) && strcmp(peek(p)->text, "!") == 0) {
        pipeline->negate = true;
        p->pos++;
    }
    int capacity = 0;
    for (;;) {
        ARRAY_RESERVE(pipeline->commands, pipeline->count, capacity);
        struct command *command = &pipeline->commands[pipeline->count++];
        *command = (struct command){0};
        if (!parse_command(p, command))
            return false;
        if (!at(p, TOKEN_PIPE))
            return true;
        p->pos++;
        skip_newlines(p);
    }
}

static bool parse_and_or(struct parser *p, struct and_or *and_or)
{
    int capacity = 0, op_capacity = 0;
    int first_token = p->pos;
    for (;;) {
        ARRAY_RESERVE(and_or->pipelines, and_or->count, capacity);
        struct pipeline *pipeline = &and_or->pipelines[and_or->count++];
        *pipeline = (struct pipeline){0};
        if (!parse_pipeline(p, pipeline))
            return false;
        if (!at(p, TOKEN_AND_IF) && !at(p, TOKEN_OR_IF))
            break;
        ARRAY_RESERVE(and_or->ops, and_or->count - 1, op_capacity);
        and_or->ops[and_or->count - 1] = at(p, TOKEN_AND_IF) ? AND_OR_AND : AND_OR_OR;
        p->pos++;
        skip_newlines(p);
    }
    size_t start = p->tokens[first_token].start, end = p->tokens[p->pos - 1].end;
    and_or->text = mem_strndup(p->text + start, end - start);
    return true;
}

static bool parse_list(struct parser *p, struct cmd_list *list)
{
    int capacity = 0;
    for (;;) {
        skip_newlines(p);
        if (at(p, TOKEN_END))
            return true;
        ARRAY_RESERVE(list->items, list->count, capacity);
        struct and_or *item = &list->items[list->count++];
        *item = (struct and_or){0};
        if (!parse_and_or(p, item))
            return false;
        if (at(p, TOKEN_SEMI) || at(p, TOKEN_AMP)) {
            item->background = at(p, TOKEN_AMP);
            p->pos++;
        } else if (!at(p, TOKEN_NEWLINE) && !at(p, TOKEN_END)) {
            return unexpected(p);
        }
    }
}

/*
 * Parses text into *out. On SYNTAX_OK the caller owns *out (parse_free);
 * otherwise *out is empty and error says what is wrong. SYNTAX_INCOMPLETE
 * means more input could make the text right ("echo 'abc", "ls |").
 */
enum syntax_status parse_line(const char *text, struct cmd_list *out, char *error,
                              size_t error_size)
{
    struct token_list tokens = {0};
    *out = (struct cmd_list){0};
    enum syntax_status status = lex_line(text, &tokens, error, error_size);
    if (status == SYNTAX_OK) {
        struct parser p = {
            .tokens = tokens.items, .text = text, .error = error, .error_size = error_size};
        parse_list(&p, out);
        status = p.status;
    }
    lex_free(&tokens);
    if (status != SYNTAX_OK)
        parse_free(out);
    return status;
}

static void command_free(struct command *command)
{
    for (int i = 0; i < command->word_count; i++)
        free(command->words[i]);
    for (int i = 0; i < command->redir_count; i++)
        free(command->redirs[i].target);
    free(command->words);
    free(command->redirs);
}

void parse_free(struct cmd_list *list)
{
    for (int i = 0; i < list->count; i++) {
        struct and_or *and_or = &list->items[i];
        for (int j = 0; j < and_or->count; j++) {
            for (int k = 0; k < and_or->pipelines[j].count; k++)
                command_free(&and_or->pipelines[j].commands[k]);
            free(and_or->pipelines[j].commands);
        }
        free(and_or->pipelines);
        free(and_or->ops);
        free(and_or->text);
    }
    free(list->items);
    *list = (struct cmd_list){0};
}
