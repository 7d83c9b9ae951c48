/*
 * stty.c - look at and change the terminal's settings.
 *
 *   stty                 the size and the main modes
 *   stty size            "ROWS COLUMNS", for scripts
 *   stty rows N | cols N (or columns N)   tell the kernel the window's size
 *   stty sane            back to cooked mode: line editing, echo, ^C
 *
 * sprout's console is a serial line, which carries no window size: at boot
 * the kernel asks the terminal (kernel/tty_size.c) and assumes 80x24 if no
 * answer comes.  After resizing the window, `stty rows 50 cols 132` tells
 * the kernel, which sends SIGWINCH to the foreground programs so that
 * full-screen ones such as top redraw.  Everything goes through two ioctls:
 * TCGETS/TCSETS (struct termios) and TIOCGWINSZ/TIOCSWINSZ (struct winsize);
 * all the sizes given go in one TIOCSWINSZ, so one SIGWINCH.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static int fail(const char *what)
{
    fprintf(stderr, "stty: %s: %s\n", what, strerror(errno));
    return 1;
}

/* A window dimension: 1 .. 9999. */
static int parse_size(const char *text, unsigned short *out)
{
    char *end;
    long value = strtol(text, &end, 10);
    if (end == text || *end || value < 1 || value > 9999)
        return -1;
    *out = (unsigned short)value;
    return 0;
}

static void show(const struct winsize *w, const struct termios *t)
{
    printf("rows %u; columns %u;\n", w->ws_row, w->ws_col);
    printf("%sicanon %secho %sisig %sicrnl %sopost\n", t->c_lflag & ICANON ? "" : "-",
           t->c_lflag & ECHO ? "" : "-", t->c_lflag & ISIG ? "" : "-",
           t->c_iflag & ICRNL ? "" : "-", t->c_oflag & OPOST ? "" : "-");
}

int main(int argc, char **argv)
{
    struct winsize w, old_size;
    struct termios t;

    if (ioctl(STDIN_FILENO, TIOCGWINSZ, &w) < 0 || tcgetattr(STDIN_FILENO, &t) < 0)
        return fail("standard input");
    old_size = w;
    if (argc == 1) {
        show(&w, &t);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        const char *word = argv[i];
        if (strcmp(word, "size") == 0) {
            printf("%u %u\n", w.ws_row, w.ws_col);
        } else if (strcmp(word, "-a") == 0) {
            show(&w, &t);
        } else if (strcmp(word, "sane") == 0) {
            t.c_lflag |= ICANON | ECHO | ECHOE | ISIG;
            t.c_iflag |= ICRNL;
            t.c_oflag |= OPOST | ONLCR;
            if (tcsetattr(STDIN_FILENO, TCSANOW, &t) < 0)
                return fail("sane");
        } else if (strcmp(word, "rows") == 0 || strcmp(word, "cols") == 0 ||
                   strcmp(word, "columns") == 0) {
            unsigned short *field = word[0] == 'r' ? &w.ws_row : &w.ws_col;
            if (i + 1 >= argc || parse_size(argv[i + 1], field) < 0) {
                fprintf(stderr, "stty: %s needs a number from 1 to 9999\n", word);
                return 1;
            }
            i++;
        } else {
            fprintf(stderr,
                    "stty: invalid argument '%s'\n"
                    "usage: stty [size | -a | sane | rows N | cols N]\n",
                    word);
            return 1;
        }
    }
    if ((w.ws_row != old_size.ws_row || w.ws_col != old_size.ws_col) &&
        ioctl(STDIN_FILENO, TIOCSWINSZ, &w) < 0)
        return fail("size");
    return 0;
}
