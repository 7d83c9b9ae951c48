/*
 * parse.c - turn tokens into the syntax tree that exec.c runs.
 *
 * The grammar, one function per line (recursive descent):
 *
 *   list      := and_or ((';' | '&' | newline) and_or)* [';' | '&']
 *   and_or    := pipeline (('&&' | '||') newline* pipeline)*
 *   pipeline  := ['!'] command ('|' newline* command)*
 *   command   := simple | compound redirect* | NAME '(' ')' compound
 *   simple    := (WORD | redirect)+
 *   redirect  := [io_number] ('<' | '>' | '>>' | '<&' | '>&' | '<<' | '<<-') WORD
 *
 * The compound commands (if, while, until, for, case, { }, ( )) are in
 * parse_compound.c. A list inside one ends at a reserved word ("then",
 * "done", ...) that is not the first word of a command: "echo done" is an
 * echo, "; done" ends the loop.
 *
 * A line that stops where more must follow ("ls |", "a &&", "if true") is
 * SYNTAX_INCOMPLETE, so the shell can read the rest from the next line.
 * Words stay raw here; expansion happens just before a command runs, since
 * "$?" must be the status of the command before it, not of the line before.
 */
#include "user/sh/parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool parse_fail(struct parser *p, enum syntax_status status, const char *format, ...)
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

const struct token *parse_peek(const struct parser *p) { return &p->tokens[p->pos]; }

bool parse_at(const struct parser *p, enum token_kind kind) { return parse_peek(p)->kind == kind; }

/* Is the next token the word w, unquoted (a reserved word where one may be)? */
bool parse_at_word(const struct parser *p, const char *w)
{
    return parse_at(p, TOKEN_WORD) && strcmp(parse_peek(p)->text, w) == 0;
}

void parse_skip_newlines(struct parser *p)
{
    while (parse_at(p, TOKEN_NEWLINE))
        p->pos++;
}

/* The token at p->pos cannot appear here. */
bool parse_unexpected(struct parser *p)
{
    const struct token *t = parse_peek(p);
    if (t->kind == TOKEN_END)
        return parse_fail(p, SYNTAX_INCOMPLETE, "syntax error: unexpected end of input");
    return parse_fail(p, SYNTAX_ERROR, "syntax error near unexpected token '%s'",
                      t->kind == TOKEN_WORD ? t->text : lex_token_name(t->kind));
}

/* Words that end a list inside a compound command. */
static const char *const list_enders[] = {"then", "else", "elif", "fi", "do", "done", "esac", "}"};

static bool at_list_end(const struct parser *p)
{
    if (parse_at(p, TOKEN_END) || parse_at(p, TOKEN_RPAREN) || parse_at(p, TOKEN_DSEMI))
        return true;
    for (size_t i = 0; i < sizeof list_enders / sizeof list_enders[0]; i++)
        if (parse_at_word(p, list_enders[i]))
            return true;
    return false;
}

/* What each redirection operator makes, and the fd it sets when no io
 * number is written: "<f" is "0<f", ">f" is "1>f". */
static const struct {
    enum token_kind token;
    enum redir_kind kind;
    int default_fd;
} redirect_operators[] = {
    {TOKEN_LESS, REDIR_IN, 0},           {TOKEN_GREAT, REDIR_OUT, 1},
    {TOKEN_DGREAT, REDIR_APPEND, 1},     {TOKEN_LESSAND, REDIR_DUP, 0},
    {TOKEN_GREATAND, REDIR_DUP, 1},      {TOKEN_DLESS, REDIR_HEREDOC, 0},
    {TOKEN_DLESSDASH, REDIR_HEREDOC, 0},
};
#define REDIRECT_COUNT (sizeof redirect_operators / sizeof redirect_operators[0])

bool parse_at_redirect(const struct parser *p)
{
    for (size_t i = 0; i < REDIRECT_COUNT; i++)
        if (parse_at(p, redirect_operators[i].token))
            return true;
    return false;
}

bool parse_redirect(struct parser *p, struct command *command)
{
    const struct token *op = &p->tokens[p->pos++];
    struct redir r = {.fd = op->io_number};
    size_t i = 0;
    while (i < REDIRECT_COUNT && redirect_operators[i].token != op->kind)
        i++;
    r.kind = redirect_operators[i].kind;
    if (r.fd < 0) /* no io number */
        r.fd = redirect_operators[i].default_fd;
    if (!parse_at(p, TOKEN_WORD)) {
        if (parse_at(p, TOKEN_END))
            return parse_unexpected(p);
        return parse_fail(p, SYNTAX_ERROR, "syntax error: '%s' needs a file name, got '%s'",
                          lex_token_name(op->kind), lex_token_name(parse_peek(p)->kind));
    }
    if (r.kind == REDIR_HEREDOC) {
        r.target = mem_strdup(op->text ? op->text : "");
        r.quoted = op->quoted;
    } else {
        r.target = mem_strdup(parse_peek(p)->text);
    }
    p->pos++;
    ARRAY_RESERVE(command->redirs, command->redir_count, command->redir_capacity);
    command->redirs[command->redir_count++] = r;
    return true;
}

static bool parse_simple(struct parser *p, struct command *command)
{
    for (;;) {
        const struct token *t = parse_peek(p);
        if (t->kind == TOKEN_WORD) {
            ARRAY_RESERVE(command->words, command->word_count, command->word_capacity);
            command->words[command->word_count++] = mem_strdup(t->text);
            p->pos++;
        } else if (parse_at_redirect(p)) {
            if (!parse_redirect(p, command))
                return false;
        } else {
            break;
        }
    }
    if (command->word_count == 0 && command->redir_count == 0)
        return parse_unexpected(p);
    return true;
}

static bool parse_command(struct parser *p, struct command *command)
{
    const struct token *t = parse_peek(p);
    if (t->kind == TOKEN_WORD && p->tokens[p->pos + 1].kind == TOKEN_LPAREN &&
        vars_is_name(t->text, strlen(t->text)) && !parse_is_reserved(t->text))
        return parse_function(p, command);
    if (parse_at(p, TOKEN_LPAREN) || (t->kind == TOKEN_WORD && parse_is_reserved(t->text))) {
        if (!parse_compound(p, command))
            return false;
        while (parse_at_redirect(p))
            if (!parse_redirect(p, command))
                return false;
        return true;
    }
    return parse_simple(p, command);
}

static bool parse_pipeline(struct parser *p, struct pipeline *pipeline)
{
    if (parse_at_word(p, "!")) {
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
        if (!parse_at(p, TOKEN_PIPE))
            return true;
        p->pos++;
        parse_skip_newlines(p);
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
        if (!parse_at(p, TOKEN_AND_IF) && !parse_at(p, TOKEN_OR_IF))
            break;
        ARRAY_RESERVE(and_or->ops, and_or->count - 1, op_capacity);
        and_or->ops[and_or->count - 1] = parse_at(p, TOKEN_AND_IF) ? AND_OR_AND : AND_OR_OR;
        p->pos++;
        parse_skip_newlines(p);
    }
    size_t start = p->tokens[first_token].start, end = p->tokens[p->pos - 1].end;
    and_or->text = mem_strndup(p->text + start, end - start);
    return true;
}

/* A list up to the end of the input, or (nested) up to a word that ends it. */
bool parse_list(struct parser *p, struct cmd_list *list, bool nested)
{
    int capacity = 0;
    for (;;) {
        parse_skip_newlines(p);
        if (parse_at(p, TOKEN_END) || (nested && at_list_end(p)))
            return true;
        ARRAY_RESERVE(list->items, list->count, capacity);
        struct and_or *item = &list->items[list->count++];
        *item = (struct and_or){0};
        if (!parse_and_or(p, item))
            return false;
        if (parse_at(p, TOKEN_SEMI) || parse_at(p, TOKEN_AMP)) {
            item->background = parse_at(p, TOKEN_AMP);
            p->pos++;
        } else if (!parse_at(p, TOKEN_NEWLINE) && !(nested && at_list_end(p)) &&
                   !parse_at(p, TOKEN_END)) {
            return parse_unexpected(p);
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
        if (parse_list(&p, out, false) && !parse_at(&p, TOKEN_END))
            parse_unexpected(&p);
        status = p.status;
    }
    lex_free(&tokens);
    if (status != SYNTAX_OK)
        parse_free(out);
    return status;
}

static void list_free(struct cmd_list *list)
{
    if (list) {
        parse_free(list);
        free(list);
    }
}

void command_free(struct command *command)
{
    for (int i = 0; i < command->word_count; i++)
        free(command->words[i]);
    for (int i = 0; i < command->redir_count; i++)
        free(command->redirs[i].target);
    free(command->words);
    free(command->redirs);
    free(command->name);
    for (int i = 0; i < 3; i++)
        list_free(command->part[i]);
    for (int i = 0; i < command->item_count; i++) {
        strvec_free(&command->items[i].patterns);
        list_free(command->items[i].body);
    }
    free(command->items);
    if (command->function)
        function_release(command->function);
    *command = (struct command){0};
}

/* A function's body lives as long as the tree that defined it or the
 * function table still holds it. */
void function_release(struct function *function)
{
    if (--function->references == 0) {
        command_free(&function->body);
        free(function);
    }
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
