/*
 * lineedit.c - editing the line at the prompt: keys in, screen updates out.
 *
 * Keys (as bash and readline; arrows come as ESC [ A or ESC O A):
 *
 *   Left Right ^B ^F     move by a character    Home End ^A ^E   line start, end
 *   Alt-b Alt-f          move by a word         Up Down ^P ^N    history
 *   Backspace ^H         delete before          Delete ^D        delete under the cursor
 *   ^K ^U ^W             cut to the end, to the start, the word before; ^Y pastes it
 *   ^L                   clear the screen       ^R               search the history
 *   Tab                  complete a command or a path (twice: list the choices)
 *   ^C                   throw the line away    ^D (empty line)  end of input
 *
 * Typing at the end of the line only echoes the character, so what the
 * console shows is the same as with the terminal's own echo. Any other
 * change redraws the line: back to the prompt's row, prompt and text
 * again, clear the rest of the screen, cursor to its place. Long lines
 * wrap over several rows, so the row arithmetic uses the terminal's width:
 *
 *   row 0  $ echo aaaaaaaaaaaaaaaaa       cursor_row = the row the cursor is on,
 *   row 1  aaaaaaaa_                      counted from the prompt's row
 *
 * A terminal that has just filled a row keeps the cursor on that row until
 * the next character ("pending wrap"), hence row_of() below.
 */
#include "user/sh/lineedit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CTRL(c) ((c)&0x1f)

/* Starts a new line. e must be zeroed before its first use (its buffers are
 * reused from line to line). */
void lineedit_start(struct line_editor *e, const char *prompt, int columns)
{
    free(e->unsaved_line);
    struct strbuf out = e->out, killed = e->killed, query = e->query;
    *e = (struct line_editor){.prompt = prompt, .prompt_width = strlen(prompt)};
    e->columns = columns > 0 ? columns : 80;
    e->out = out;
    e->killed = killed;
    e->query = query;
    strbuf_clear(&e->out);
    strbuf_clear(&e->query);
    e->history_index = history_count();
    e->search_match = -1;
    strbuf_adds(&e->out, prompt);
}

void lineedit_finish(struct line_editor *e)
{
    free(e->unsaved_line);
    e->unsaved_line = NULL;
}

/* UTF-8: a character is one lead byte and its continuation bytes
 * (10xxxxxx); it takes one column, and the cursor moves over it whole. */
static bool is_continuation(char c) { return ((unsigned char)c & 0xc0) == 0x80; }

static size_t columns_of(const char *s, size_t length)
{
    size_t columns = 0;
    for (size_t i = 0; i < length; i++)
        columns += !is_continuation(s[i]);
    return columns;
}

static size_t char_before(const struct line_editor *e, size_t at)
{
    if (at == 0)
        return 0;
    at--;
    while (at > 0 && is_continuation(e->line[at]))
        at--;
    return at;
}

static size_t char_after(const struct line_editor *e, size_t at)
{
    if (at >= e->length)
        return e->length;
    at++;
    while (at < e->length && is_continuation(e->line[at]))
        at++;
    return at;
}

static void emit(struct line_editor *e, const char *format, int n)
{
    char text[32];
    snprintf(text, sizeof text, format, n);
    strbuf_adds(&e->out, text);
}

/* The row of screen position `used` (columns from the prompt's start). */
static int row_of(const struct line_editor *e, size_t used, bool at_end)
{
    size_t columns = (size_t)e->columns;
    if (at_end && used > 0 && used % columns == 0)
        return (int)(used / columns) - 1; /* pending wrap: still on the full row */
    return (int)(used / columns);
}

/* Redraws prompt and line and puts the cursor in its place. */
void lineedit_refresh(struct line_editor *e)
{
    const char *prompt = e->prompt;
    struct strbuf search_prompt = {0};
    if (e->searching) {
        strbuf_adds(&search_prompt, "(reverse-i-search)`");
        strbuf_adds(&search_prompt, strbuf_str(&e->query));
        strbuf_adds(&search_prompt, "': ");
        prompt = strbuf_str(&search_prompt);
    }
    size_t width = strlen(prompt);
    if (e->cursor_row > 0)
        emit(e, "\x1b[%dA", e->cursor_row);
    strbuf_addc(&e->out, '\r');
    strbuf_adds(&e->out, prompt);
    strbuf_add(&e->out, e->line, e->length);
    strbuf_adds(&e->out, "\x1b[J");
    size_t end = width + columns_of(e->line, e->length);
    size_t at = width + columns_of(e->line, e->cursor);
    int end_row = row_of(e, end, true);
    if (e->cursor == e->length) {
        e->cursor_row = end_row;
    } else {
        int row = row_of(e, at, false);
        int column = (int)(at % (size_t)e->columns);
        if (end_row > row)
            emit(e, "\x1b[%dA", end_row - row);
        strbuf_addc(&e->out, '\r');
        if (column > 0)
            emit(e, "\x1b[%dC", column);
        e->cursor_row = row;
    }
    strbuf_free(&search_prompt);
}

/* Puts text at the cursor. Bytes beyond LINE_MAX_BYTES are dropped, with
 * a bell, as the terminal's canonical mode does. */
void lineedit_insert(struct line_editor *e, const char *text, size_t length)
{
    if (e->length + length > LINE_MAX_BYTES) {
        length = LINE_MAX_BYTES - e->length;
        e->overflowed = true;
        strbuf_addc(&e->out, '\a');
    }
    if (length == 0)
        return;
    memmove(e->line + e->cursor + length, e->line + e->cursor, e->length - e->cursor);
    memcpy(e->line + e->cursor, text, length);
    e->length += length;
    e->cursor += length;
    e->line[e->length] = '\0';
    if (e->cursor == e->length && !e->searching) { /* at the end: just echo it */
        strbuf_add(&e->out, text, length);
        e->cursor_row = row_of(e, e->prompt_width + columns_of(e->line, e->length), true);
    } else {
        lineedit_refresh(e);
    }
}

/* Removes line[from, to), keeping it for ^Y if kill. */
static void delete_range(struct line_editor *e, size_t from, size_t to, bool kill)
{
    if (from >= to)
        return;
    if (kill) {
        strbuf_clear(&e->killed);
        strbuf_add(&e->killed, e->line + from, to - from);
    }
    memmove(e->line + from, e->line + to, e->length - to);
    e->length -= to - from;
    e->line[e->length] = '\0';
    e->cursor = from;
    lineedit_refresh(e);
}

static bool is_space(char c) { return c == ' ' || c == '\t'; }

static size_t word_left(const struct line_editor *e)
{
    size_t i = e->cursor;
    while (i > 0 && is_space(e->line[i - 1]))
        i--;
    while (i > 0 && !is_space(e->line[i - 1]))
        i--;
    return i;
}

static size_t word_right(const struct line_editor *e)
{
    size_t i = e->cursor;
    while (i < e->length && is_space(e->line[i]))
        i++;
    while (i < e->length && !is_space(e->line[i]))
        i++;
    return i;
}

static void move_to(struct line_editor *e, size_t cursor)
{
    if (cursor != e->cursor) {
        e->cursor = cursor;
        lineedit_refresh(e);
    }
}

static void set_line(struct line_editor *e, const char *text)
{
    size_t length = strlen(text);
    if (length > LINE_MAX_BYTES)
        length = LINE_MAX_BYTES;
    memcpy(e->line, text, length);
    e->line[length] = '\0';
    e->length = e->cursor = length;
    lineedit_refresh(e);
}

/* Up (-1) and down (+1) through the history; the new line is kept aside. */
static void history_move(struct line_editor *e, int step)
{
    int target = e->history_index + step;
    if (target < 0 || target > history_count()) {
        strbuf_addc(&e->out, '\a');
        return;
    }
    if (e->history_index == history_count()) {
        free(e->unsaved_line);
        e->unsaved_line = mem_strdup(e->line);
    }
    e->history_index = target;
    set_line(e, target == history_count() ? (e->unsaved_line ? e->unsaved_line : "")
                                          : history_get(target));
}

/* ^R: each key refines the search; Enter runs the match, ^G or ^C gives
 * up, any other key keeps the match and is then handled as usual. */
static bool search_key(struct line_editor *e, unsigned char c)
{
    if (c == CTRL('R') || (c >= ' ' && c != 0x7f) || c == 0x7f || c == CTRL('H')) {
        int from = e->search_match >= 0 ? e->search_match : history_count() - 1;
        if (c == CTRL('R'))
            from--;
        else if (c == 0x7f || c == CTRL('H')) {
            if (e->query.length > 0)
                e->query.data[--e->query.length] = '\0';
            from = history_count() - 1;
        } else
            strbuf_addc(&e->query, (char)c);
        int match = history_search(strbuf_str(&e->query), from);
        if (match >= 0) {
            e->search_match = match;
            const char *text = history_get(match);
            size_t length = strlen(text) < LINE_MAX_BYTES ? strlen(text) : LINE_MAX_BYTES;
            memcpy(e->line, text, length);
            e->line[length] = '\0';
            e->length = length;
            e->cursor = (size_t)(strstr(text, strbuf_str(&e->query)) - text);
        } else {
            strbuf_addc(&e->out, '\a');
        }
        lineedit_refresh(e);
        return true;
    }
    e->searching = false;
    strbuf_clear(&e->query);
    if (c == CTRL('G')) {
        e->length = e->cursor = 0;
        e->line[0] = '\0';
        lineedit_refresh(e);
        return true;
    }
    lineedit_refresh(e);
    if (e->search_match >= 0)
        e->history_index = e->search_match;
    return false; /* handle the key as usual */
}

/* The last byte of ESC [ ... or ESC O ...: what key it was. */
static enum edit_result sequence_key(struct line_editor *e, char final)
{
    int parameter = atoi(e->sequence + 1);
    if (final == '~')
        final = parameter == 1 || parameter == 7   ? 'H'
                : parameter == 4 || parameter == 8 ? 'F'
                : parameter == 3                   ? 'X'
                                                   : '?';
    switch (final) {
    case 'A':
        history_move(e, -1);
        break;
    case 'B':
        history_move(e, +1);
        break;
    case 'C':
        move_to(e, char_after(e, e->cursor));
        break;
    case 'D':
        move_to(e, char_before(e, e->cursor));
        break;
    case 'H':
        move_to(e, 0);
        break;
    case 'F':
        move_to(e, e->length);
        break;
    case 'X':
        delete_range(e, e->cursor, char_after(e, e->cursor), false);
        break;
    default:
        break; /* keys this editor does not use (F1, PgUp...) are ignored */
    }
    return EDIT_MORE;
}

/* ESC, then [ or O and a sequence, or a letter (Alt-b, Alt-f). */
static enum edit_result escape_byte(struct line_editor *e, unsigned char c)
{
    if (e->key_state == KEY_ESCAPE) {
        e->key_state = KEY_PLAIN;
        if (c == '[' || c == 'O') {
            e->key_state = KEY_SEQUENCE;
            e->sequence[0] = (char)c;
            e->sequence_length = 1;
        } else if (c == 'b') {
            move_to(e, word_left(e));
        } else if (c == 'f') {
            move_to(e, word_right(e));
        }
        return EDIT_MORE;
    }
    if ((c >= '0' && c <= '9') || c == ';') { /* parameters, as in ESC [ 3 ~ */
        if (e->sequence_length < sizeof e->sequence - 1)
            e->sequence[e->sequence_length++] = (char)c;
        e->sequence[e->sequence_length] = '\0';
        return EDIT_MORE;
    }
    e->sequence[e->sequence_length] = '\0';
    e->key_state = KEY_PLAIN;
    return sequence_key(e, (char)c);
}

static enum edit_result control_key(struct line_editor *e, unsigned char c)
{
    switch (c) {
    case '\r':
    case '\n':
        if (e->cursor != e->length) { /* the rest of a wrapped line must stay visible */
            e->cursor = e->length;
            lineedit_refresh(e);
        }
        strbuf_addc(&e->out, '\n');
        return EDIT_DONE;
    case CTRL('C'):
        strbuf_adds(&e->out, "^C\n");
        return EDIT_INTERRUPT;
    case CTRL('D'):
        if (e->length == 0) {
            strbuf_addc(&e->out, '\n');
            return EDIT_EOF;
        }
        delete_range(e, e->cursor, char_after(e, e->cursor), false);
        break;
    case CTRL('A'):
        move_to(e, 0);
        break;
    case CTRL('E'):
        move_to(e, e->length);
        break;
    case CTRL('B'):
        move_to(e, char_before(e, e->cursor));
        break;
    case CTRL('F'):
        move_to(e, char_after(e, e->cursor));
        break;
    case CTRL('P'):
        history_move(e, -1);
        break;
    case CTRL('N'):
        history_move(e, +1);
        break;
    case CTRL('H'):
    case 0x7f:
        delete_range(e, char_before(e, e->cursor), e->cursor, false);
        break;
    case CTRL('K'):
        delete_range(e, e->cursor, e->length, true);
        break;
    case CTRL('U'):
        delete_range(e, 0, e->cursor, true);
        break;
    case CTRL('W'):
        delete_range(e, word_left(e), e->cursor, true);
        break;
    case CTRL('Y'):
        lineedit_insert(e, strbuf_str(&e->killed), e->killed.length);
        break;
    case CTRL('L'):
        strbuf_adds(&e->out, "\x1b[H\x1b[2J");
        e->cursor_row = 0;
        lineedit_refresh(e);
        break;
    case CTRL('R'):
        e->searching = true;
        e->search_match = -1;
        strbuf_clear(&e->query);
        lineedit_refresh(e);
        break;
    case '\t':
        complete_at_cursor(e);
        return EDIT_MORE; /* keeps tab_again */
    case 0x1b:
        e->key_state = KEY_ESCAPE;
        break;
    default:
        break; /* other control characters would only confuse the line */
    }
    return EDIT_MORE;
}

enum edit_result lineedit_feed(struct line_editor *e, unsigned char c)
{
    if (e->key_state != KEY_PLAIN) {
        e->tab_again = false;
        return escape_byte(e, c);
    }
    if (e->searching && search_key(e, c))
        return EDIT_MORE;
    if (c != '\t')
        e->tab_again = false;
    if (c < ' ' || c == 0x7f)
        return control_key(e, c);
    char byte = (char)c;
    lineedit_insert(e, &byte, 1);
    return EDIT_MORE;
}
