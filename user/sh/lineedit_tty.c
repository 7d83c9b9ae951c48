/*
 * lineedit_tty.c - the terminal side of line editing: raw mode while a
 * line is read, and back to the terminal's own modes for everything else.
 *
 * The terminal normally runs in canonical mode: it collects a line itself,
 * echoes it and handles backspace, and ^C sends SIGINT. To edit the line
 * the shell must see every key as it is pressed, so while it reads a line
 * it turns off ICANON (whole lines), ECHO (it echoes itself), ISIG (^C is
 * just a byte it handles) and IEXTEN, with VMIN=1: read() returns each byte.
 *
 * The saved modes are put back before the line is run, so a program started
 * from the prompt (cat, a second sh) gets the terminal as it expects it;
 * and if a signal ends the shell while it waits for a key, the handler puts
 * them back first, so the terminal is not left without echo.
 *
 * Bytes are read one at a time: anything typed ahead after the Enter stays
 * in the terminal for the command that runs next.
 */
#include "user/sh/lineedit.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved_modes;
static int raw_fd = -1; /* the terminal while it is in raw mode, else -1 */

static void modes_restore(void)
{
    if (raw_fd >= 0)
        tcsetattr(raw_fd, TCSANOW, &saved_modes);
    raw_fd = -1;
}

/* SIGTERM or SIGHUP while in raw mode: restore, then die of the signal. */
static void on_fatal_signal(int signo)
{
    modes_restore();
    signal(signo, SIG_DFL);
    raise(signo);
}

static const int fatal_signals[] = {SIGTERM, SIGHUP};

/* The window changed size (stty cols, or the real terminal): read() is
 * interrupted, and the line is drawn again for the new width. */
static volatile sig_atomic_t window_changed;
static void on_window_change(int signo) { window_changed = 1; }

/*
 * The modes to go back to after the line: those the terminal has now, so
 * "stty -echo" typed at the prompt lasts; but if the last job was stopped
 * or killed (top after ^Z or kill -9, still in raw mode), the ones that
 * were good before it, as bash does.
 */
static struct termios good_modes;
static bool have_good_modes;

static int modes_raw(int fd)
{
    struct termios raw;
    if (shell.terminal_suspect && have_good_modes)
        tcsetattr(fd, TCSANOW, &good_modes);
    shell.terminal_suspect = false;
    if (tcgetattr(fd, &saved_modes) < 0)
        return -1;
    good_modes = saved_modes;
    have_good_modes = true;
    raw = saved_modes;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_iflag &= ~(tcflag_t)IXON;
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(fd, TCSANOW, &raw) < 0)
        return -1;
    raw_fd = fd;
    return 0;
}

static int terminal_columns(int fd)
{
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
    return 80;
}

static void flush_output(struct line_editor *e)
{
    size_t done = 0;
    while (done < e->out.length) {
        ssize_t n = write(2, e->out.data + done, e->out.length - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    strbuf_clear(&e->out);
}

static struct line_editor editor;

int lineedit_read(int fd, const char *prompt, struct strbuf *line)
{
    struct sigaction fatal = {.sa_handler = on_fatal_signal}, old[2], old_winch;
    struct sigaction winch = {.sa_handler = on_window_change}; /* no SA_RESTART */
    for (int i = 0; i < 2; i++)
        sigaction(fatal_signals[i], &fatal, &old[i]);
    sigaction(SIGWINCH, &winch, &old_winch);
    window_changed = 0;
    bool raw = modes_raw(fd) == 0;
    lineedit_start(&editor, prompt, terminal_columns(fd));
    flush_output(&editor);
    enum edit_result result = EDIT_MORE;
    while (result == EDIT_MORE) {
        unsigned char c;
        ssize_t n = read(fd, &c, 1);
        if (n < 0 && errno == EINTR) {
            if (window_changed) {
                window_changed = 0;
                editor.columns = terminal_columns(fd);
                lineedit_refresh(&editor);
                flush_output(&editor);
            }
            if (shell.interrupted) { /* SIGINT from outside (kill -INT) */
                result = EDIT_INTERRUPT;
                strbuf_addc(&editor.out, '\n');
            }
            continue;
        }
        if (n <= 0) { /* the terminal went away: a half-typed line is not run */
            result = EDIT_EOF;
            break;
        }
        result = lineedit_feed(&editor, c);
        flush_output(&editor);
    }
    flush_output(&editor);
    if (raw)
        modes_restore();
    for (int i = 0; i < 2; i++)
        sigaction(fatal_signals[i], &old[i], NULL);
    sigaction(SIGWINCH, &old_winch, NULL);
    lineedit_finish(&editor);
    if (result == EDIT_EOF)
        return -1;
    if (result == EDIT_INTERRUPT)
        return -2;
    if (editor.overflowed)
        shell_error("line longer than %d bytes: the rest was ignored", LINE_MAX_BYTES);
    history_add(editor.line, editor.length);
    strbuf_add(line, editor.line, editor.length);
    strbuf_addc(line, '\n');
    return 0;
}
