/*
 * parse.h - what parse.c and parse_compound.c share: the parser's state
 * and its small helpers. The rest of the shell only calls parse_line().
 */
#ifndef USER_SH_PARSE_H
#define USER_SH_PARSE_H

#include "user/sh/sh.h"

struct parser {
    const struct token *tokens;
    int pos;
    const char *text;
    char *error;
    size_t error_size;
    enum syntax_status status; /* the first failure wins */
};

bool parse_fail(struct parser *p, enum syntax_status status, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
const struct token *parse_peek(const struct parser *p);
bool parse_at(const struct parser *p, enum token_kind kind);
bool parse_at_word(const struct parser *p, const char *word);
void parse_skip_newlines(struct parser *p);
bool parse_unexpected(struct parser *p);
bool parse_at_redirect(const struct parser *p);
bool parse_redirect(struct parser *p, struct command *command);
bool parse_list(struct parser *p, struct cmd_list *list, bool nested);

/* parse_compound.c */
bool parse_is_reserved(const char *word);
bool parse_compound(struct parser *p, struct command *command);
bool parse_function(struct parser *p, struct command *command);

#endif
