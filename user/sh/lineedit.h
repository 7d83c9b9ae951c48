/*
 * lineedit.h - the interactive line editor (lineedit.c, lineedit_tty.c),
 * its history (history.c) and Tab completion (complete.c).
 *
 * The editor is a state machine fed one byte at a time: it never reads or
 * writes by itself, it only collects in `out` what the terminal should be
 * sent. lineedit_tty.c does the reading, the writing and the terminal
 * modes; the unit tests feed it bytes and look at the line and at `out`.
 */
#ifndef USER_SH_LINEEDIT_H
#define USER_SH_LINEEDIT_H

#include "user/sh/sh.h"

enum edit_result {
    EDIT_MORE,      /* keep feeding bytes */
    EDIT_DONE,      /* Enter: the line is complete */
    EDIT_EOF,       /* ^D on an empty line */
    EDIT_INTERRUPT, /* ^C: the line is thrown away */
};

struct line_editor {
    char line[LINE_MAX_BYTES + 1]; /* NUL-terminated */
    size_t length, cursor;         /* bytes in line; where the cursor is (0..length) */
    bool overflowed;               /* bytes past LINE_MAX_BYTES were dropped */

    const char *prompt;
    size_t prompt_width;
    int columns;    /* of the terminal, for lines that wrap */
    int cursor_row; /* rows below the prompt's row where the terminal's cursor is */

    enum { KEY_PLAIN, KEY_ESCAPE, KEY_SEQUENCE } key_state;
    char sequence[16]; /* ESC [ or ESC O, then parameters so far */
    size_t sequence_length;

    int history_index;  /* history_count() while editing a new line */
    char *unsaved_line; /* the new line, kept while browsing the history */
    bool searching;     /* in ^R */
    struct strbuf query;
    int search_match; /* history index shown, or -1 */

    bool tab_again;       /* the key before was a Tab that could not complete further */
    struct strbuf killed; /* the text ^K ^U ^W took, for ^Y */
    struct strbuf out;    /* bytes to send to the terminal */
};

void lineedit_start(struct line_editor *e, const char *prompt, int columns);
enum edit_result lineedit_feed(struct line_editor *e, unsigned char byte);
void lineedit_finish(struct line_editor *e);
void lineedit_insert(struct line_editor *e, const char *text, size_t length);
void lineedit_refresh(struct line_editor *e);

/* lineedit_tty.c: reads a line from the terminal fd with editing. Appends it
 * with its '\n' to *line. Returns 0, or -1 at EOF, or -2 after ^C. */
int lineedit_read(int fd, const char *prompt, struct strbuf *line);

/* history.c */
void history_add(const char *line, size_t length);
int history_count(void);
const char *history_get(int index);
int history_search(const char *query, int index);
void history_clear(void);

/* complete.c: Tab at the cursor. */
void complete_at_cursor(struct line_editor *e);
void complete_candidates(const char *line, size_t cursor, size_t *word_start, struct strvec *out);

#endif
