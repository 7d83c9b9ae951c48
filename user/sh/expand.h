/*
 * expand.h - what expand.c and expand_param.c share: the state of one walk
 * over a raw word. The rest of the shell uses the expand_* calls in sh.h.
 */
#ifndef USER_SH_EXPAND_H
#define USER_SH_EXPAND_H

#include "user/sh/sh.h"

struct expansion {
    struct strbuf field;   /* the field being built, quotes removed */
    struct strbuf pattern; /* the same, quoted wildcards escaped with '\' */
    bool started;          /* a field exists even if empty: "" or '' was seen */
    bool magic;            /* an unquoted *, ? or [ is in it */
    bool split;            /* split unquoted substitutions at $IFS? */
    bool glob;             /* expand patterns into file names? */
    bool tilde;            /* ~ at the start means $HOME? */
    bool split_literals;   /* the word of an unquoted ${x:-word}: its text is split too */
    struct strvec *fields; /* finished fields */
    const char *error;     /* the first error; the walk stops */
    char error_text[256];  /* room to build error */
};

void expand_walk(struct expansion *e, const char *raw, bool quoted);
void expand_add_quoted(struct expansion *e, const char *s, size_t length);
void expand_add_value(struct expansion *e, const char *value, bool quoted);
void expand_field_end(struct expansion *e, bool force);
size_t expand_skip(const char *s, size_t pos);
const char *expand_text_quoted(const char *text, char **out);
extern int expand_substitution_status;

/* expand_param.c: at raw[*pos] == '$' (not "$("): a parameter. */
void expand_dollar(struct expansion *e, const char *raw, size_t *pos, bool quoted);

#endif
