/*
 * parse_compound.c - the compound commands and function definitions.
 *
 *   if      := 'if' list 'then' list ('elif' list 'then' list)* ['else' list] 'fi'
 *   while   := ('while' | 'until') list 'do' list 'done'
 *   for     := 'for' NAME [newline* 'in' WORD* (';' | newline)] newline* 'do' list 'done'
 *   case    := 'case' WORD newline* 'in' newline* (item)* 'esac'
 *   item    := ['('] WORD ('|' WORD)* ')' list [';;'] newline*
 *   group   := '{' list '}'        subshell := '(' list ')'
 *   function:= NAME '(' ')' newline* compound
 *
 * Reserved words are recognised only where a command may start, so
 * "echo if" prints "if". An "elif" becomes an if inside the else part.
 */
#include "user/sh/parse.h"

#include <stdlib.h>
#include <string.h>

static const char *const reserved_words[] = {
    "if", "then", "else", "elif", "fi", "while", "until", "for",
    "do", "done", "case", "esac", "{",  "}",     "in",
};

bool parse_is_reserved(const char *word)
{
    for (size_t i = 0; i < sizeof reserved_words / sizeof reserved_words[0]; i++)
        if (strcmp(word, reserved_words[i]) == 0)
            return true;
    return false;
}

/* Expects the reserved word w next and steps over it. */
static bool expect_word(struct parser *p, const char *w)
{
    if (parse_at_word(p, w)) {
        p->pos++;
        return true;
    }
    if (p->status == SYNTAX_OK && !parse_at(p, TOKEN_END))
        return parse_fail(
            p, SYNTAX_ERROR, "syntax error near '%s': '%s' expected",
            parse_at(p, TOKEN_WORD) ? parse_peek(p)->text : lex_token_name(parse_peek(p)->kind), w);
    return parse_unexpected(p);
}

/* A list that must not be empty ("if then" is an error), up to a closing word. */
static struct cmd_list *nested_list(struct parser *p)
{
    struct cmd_list *list = mem_alloc(sizeof *list);
    *list = (struct cmd_list){0};
    if (parse_list(p, list, true) && list->count == 0)
        parse_unexpected(p);
    return list;
}

static bool parse_if(struct parser *p, struct command *command)
{
    command->kind = COMMAND_IF;
    p->pos++; /* if or elif */
    command->part[0] = nested_list(p);
    if (p->status != SYNTAX_OK || !expect_word(p, "then"))
        return false;
    command->part[1] = nested_list(p);
    if (p->status != SYNTAX_OK)
        return false;
    if (parse_at_word(p, "elif")) {
        /* else part = a list of one command, the inner if (it eats the fi) */
        struct cmd_list *list = mem_alloc(sizeof *list);
        *list = (struct cmd_list){0};
        command->part[2] = list;
        list->items = mem_alloc(sizeof *list->items);
        list->count = 1;
        list->items[0] = (struct and_or){.count = 1, .text = mem_strdup("elif")};
        list->items[0].pipelines = mem_alloc(sizeof(struct pipeline));
        list->items[0].pipelines[0] = (struct pipeline){.count = 1};
        list->items[0].pipelines[0].commands = mem_alloc(sizeof(struct command));
        list->items[0].pipelines[0].commands[0] = (struct command){0};
        return parse_if(p, &list->items[0].pipelines[0].commands[0]);
    }
    if (parse_at_word(p, "else")) {
        p->pos++;
        command->part[2] = nested_list(p);
        if (p->status != SYNTAX_OK)
            return false;
    }
    return expect_word(p, "fi");
}

/* do list done: the body of while, until and for. */
static bool parse_do_group(struct parser *p, struct command *command)
{
    if (!expect_word(p, "do"))
        return false;
    command->part[1] = nested_list(p);
    return p->status == SYNTAX_OK && expect_word(p, "done");
}

static bool parse_while(struct parser *p, struct command *command)
{
    command->kind = parse_at_word(p, "while") ? COMMAND_WHILE : COMMAND_UNTIL;
    p->pos++;
    command->part[0] = nested_list(p);
    return p->status == SYNTAX_OK && parse_do_group(p, command);
}

static bool parse_for(struct parser *p, struct command *command)
{
    command->kind = COMMAND_FOR;
    p->pos++;
    if (!parse_at(p, TOKEN_WORD))
        return parse_unexpected(p);
    if (!vars_is_name(parse_peek(p)->text, strlen(parse_peek(p)->text)))
        return parse_fail(p, SYNTAX_ERROR, "for: '%s': not a valid variable name",
                          parse_peek(p)->text);
    command->name = mem_strdup(parse_peek(p)->text);
    p->pos++;
    parse_skip_newlines(p);
    if (parse_at_word(p, "in")) {
        command->for_has_in = true;
        p->pos++;
        while (parse_at(p, TOKEN_WORD)) {
            ARRAY_RESERVE(command->words, command->word_count, command->word_capacity);
            command->words[command->word_count++] = mem_strdup(parse_peek(p)->text);
            p->pos++;
        }
        if (!parse_at(p, TOKEN_SEMI) && !parse_at(p, TOKEN_NEWLINE))
            return parse_unexpected(p);
        p->pos++;
    } else if (parse_at(p, TOKEN_SEMI)) {
        p->pos++;
    }
    parse_skip_newlines(p);
    return parse_do_group(p, command);
}

/* One "pattern | pattern) list ;;" of a case. */
static bool parse_case_item(struct parser *p, struct command *command)
{
    ARRAY_RESERVE(command->items, command->item_count, command->item_capacity);
    struct case_item *item = &command->items[command->item_count++];
    *item = (struct case_item){0};
    if (parse_at(p, TOKEN_LPAREN))
        p->pos++;
    for (;;) {
        if (!parse_at(p, TOKEN_WORD))
            return parse_unexpected(p);
        strvec_push(&item->patterns, mem_strdup(parse_peek(p)->text));
        p->pos++;
        if (!parse_at(p, TOKEN_PIPE))
            break;
        p->pos++;
    }
    if (!parse_at(p, TOKEN_RPAREN))
        return parse_unexpected(p);
    p->pos++;
    item->body = mem_alloc(sizeof *item->body);
    *item->body = (struct cmd_list){0};
    if (!parse_list(p, item->body, true))
        return false;
    if (parse_at(p, TOKEN_DSEMI))
        p->pos++;
    else if (!parse_at_word(p, "esac"))
        return parse_unexpected(p);
    parse_skip_newlines(p);
    return true;
}

static bool parse_case(struct parser *p, struct command *command)
{
    command->kind = COMMAND_CASE;
    p->pos++;
    if (!parse_at(p, TOKEN_WORD))
        return parse_unexpected(p);
    ARRAY_RESERVE(command->words, command->word_count, command->word_capacity);
    command->words[command->word_count++] = mem_strdup(parse_peek(p)->text);
    p->pos++;
    parse_skip_newlines(p);
    if (!expect_word(p, "in"))
        return false;
    parse_skip_newlines(p);
    while (!parse_at_word(p, "esac")) {
        if (parse_at(p, TOKEN_END))
            return parse_unexpected(p);
        if (!parse_case_item(p, command))
            return false;
    }
    p->pos++;
    return true;
}

/* { list } and ( list ) */
static bool parse_group(struct parser *p, struct command *command)
{
    bool subshell = parse_at(p, TOKEN_LPAREN);
    command->kind = subshell ? COMMAND_SUBSHELL : COMMAND_GROUP;
    p->pos++;
    command->part[1] = nested_list(p);
    if (p->status != SYNTAX_OK)
        return false;
    if (subshell) {
        if (!parse_at(p, TOKEN_RPAREN))
            return parse_unexpected(p);
        p->pos++;
        return true;
    }
    return expect_word(p, "}");
}

bool parse_compound(struct parser *p, struct command *command)
{
    if (parse_at(p, TOKEN_LPAREN) || parse_at_word(p, "{"))
        return parse_group(p, command);
    if (parse_at_word(p, "if"))
        return parse_if(p, command);
    if (parse_at_word(p, "while") || parse_at_word(p, "until"))
        return parse_while(p, command);
    if (parse_at_word(p, "for"))
        return parse_for(p, command);
    if (parse_at_word(p, "case"))
        return parse_case(p, command);
    return parse_unexpected(p); /* then, fi, done, ... where a command should start */
}

/* NAME ( ) compound-command: the body is shared with the function table. */
bool parse_function(struct parser *p, struct command *command)
{
    command->kind = COMMAND_FUNCTION;
    command->name = mem_strdup(parse_peek(p)->text);
    p->pos += 2;
    if (!parse_at(p, TOKEN_RPAREN))
        return parse_unexpected(p);
    p->pos++;
    parse_skip_newlines(p);
    command->function = mem_alloc(sizeof *command->function);
    *command->function = (struct function){.references = 1};
    struct command *body = &command->function->body;
    if (!parse_at(p, TOKEN_LPAREN) &&
        !(parse_at(p, TOKEN_WORD) && parse_is_reserved(parse_peek(p)->text)))
        return parse_fail(p, SYNTAX_ERROR, "function %s: the body must be { ...; } or ( ... )",
                          command->name);
    if (!parse_compound(p, body))
        return false;
    while (parse_at_redirect(p))
        if (!parse_redirect(p, body))
            return false;
    return true;
}
