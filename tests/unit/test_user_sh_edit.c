/*
 * test_user_sh_edit.c - the shell's line editor on the host: bytes in (as a
 * terminal sends them for each key), the edited line and the screen
 * updates out. tests/qemu/test_sh_edit.sh types the same keys at a boot.
 */
#define _GNU_SOURCE /* posix_openpt, grantpt, unlockpt, ptsname: a pseudo-terminal */
#include "tests/unit/sh_sources.h"

#include "tests/unit/unit.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <termios.h>

static struct line_editor editor;

/* Feeds keys to a fresh editor (prompt "$ ", 80 columns); returns the last result. */
static enum edit_result type(const char *keys)
{
    lineedit_start(&editor, "$ ", 80);
    enum edit_result result = EDIT_MORE;
    for (const char *k = keys; *k && result == EDIT_MORE; k++)
        result = lineedit_feed(&editor, (unsigned char)*k);
    return result;
}

static void expect_line(int line, const char *keys, const char *want)
{
    type(keys);
    if (strcmp(editor.line, want) != 0) {
        char why[512];
        snprintf(why, sizeof why, "keys \"%.150s\": expected line \"%.150s\", got \"%.150s\"", keys,
                 want, editor.line);
        unit_fail(__FILE__, line, why);
    }
}

static void edit_keys_change_the_line(void)
{
    history_clear();
    static const struct {
        const char *keys, *line;
    } rows[] = {
        {"echo hi", "echo hi"},
        {"ac\x1b[Db", "abc"}, /* left arrow (CSI form) */
        {"ac\x1bODb", "abc"}, /* left arrow (SS3 form) */
        {"ac\x02"
         "b",
         "abc"},               /* ^B */
        {"bc\x1b[Ha", "abc"},  /* Home */
        {"bc\x1b[1~a", "abc"}, /* Home, VT form */
        {"bc\x01"
         "a",
         "abc"},                    /* ^A */
        {"ab\x1b[H\x1b[Fc", "abc"}, /* End */
        {"ab\x01\x1b[4~c", "abc"},  /* End, VT form */
        {"ab\x01\x05"
         "c",
         "abc"},                               /* ^E */
        {"ab\x01\x06X", "aXb"},                /* ^F */
        {"ab\x01\x1b[Cc", "acb"},              /* right arrow */
        {"abcd\x7f", "abc"},                   /* Backspace (DEL) */
        {"abcd\x08", "abc"},                   /* Backspace (^H) */
        {"abcd\x01\x1b[3~", "bcd"},            /* Delete */
        {"abcd\x01\x04", "bcd"},               /* ^D in a line deletes */
        {"abc def\x1b[D\x1b[D\x0b", "abc d"},  /* ^K */
        {"abc def\x1b[D\x1b[D\x15", "ef"},     /* ^U */
        {"one two three\x17", "one two "},     /* ^W */
        {"one two\x17\x19\x19", "one twotwo"}, /* ^W then ^Y twice */
        {"one two\x1b"
         "b\x1b"
         "bX",
         "Xone two"}, /* Alt-b */
        {"one two\x01\x1b"
         "fX",
         "oneX two"},        /* Alt-f */
        {"a\x1b[5~b", "ab"}, /* PgUp: ignored, not inserted */
        {"a\x7f\x7f\x7f"
         "b",
         "b"},                  /* Backspace at the start: nothing */
        {"\x1b[D\x1b[Cx", "x"}, /* arrows on an empty line */
        {"a\tb", "ab"},         /* Tab with nothing to complete */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        expect_line(__LINE__, rows[i].keys, rows[i].line);
}

static void edit_enter_ctrl_c_ctrl_d(void)
{
    CHECK_EQ(type("ls\r"), EDIT_DONE);
    CHECK_STR(editor.line, "ls");
    CHECK_EQ(type("ls\n"), EDIT_DONE);
    CHECK_EQ(type("ls\x03"), EDIT_INTERRUPT);
    CHECK(strstr(strbuf_str(&editor.out), "^C\n") != NULL);
    CHECK_EQ(type("\x04"), EDIT_EOF);
    CHECK_EQ(type("x\x04"), EDIT_MORE); /* not empty: ^D is delete */
}

static void edit_typing_at_the_end_only_echoes(void)
{
    /* What the console shows must be what the terminal's own echo showed. */
    CHECK_EQ(type("echo hi\n"), EDIT_DONE);
    CHECK_STR(strbuf_str(&editor.out), "$ echo hi\n");
    type("ab\x1b[Dc");
    CHECK_STR(strbuf_str(&editor.out), "$ ab\r$ ab\x1b[J\r\x1b[3C\r$ acb\x1b[J\r\x1b[4C");
}

static void edit_history_up_and_down(void)
{
    history_clear();
    history_add("first\n", 6);
    history_add("second\n", 7);
    history_add("second\n", 7); /* a repeat is not kept */
    history_add("\n", 1);       /* nor an empty line */
    CHECK_EQ(history_count(), 2);
    expect_line(__LINE__, "\x1b[A", "second");
    expect_line(__LINE__, "\x1b[A\x1b[A", "first");
    expect_line(__LINE__, "\x1b[A\x1b[A\x1b[A", "first"); /* the oldest: stays, beeps */
    CHECK(strchr(strbuf_str(&editor.out), '\a') != NULL);
    expect_line(__LINE__, "typed\x1b[A\x1b[B", "typed"); /* down again: the new line is back */
    expect_line(__LINE__, "\x10\x10\x0e", "second");     /* ^P ^P ^N */
    expect_line(__LINE__, "\x1bOA!", "second!");
    for (int i = 0; i < HISTORY_MAX + 10; i++) {
        char line[32];
        snprintf(line, sizeof line, "cmd %d", i);
        history_add(line, strlen(line));
    }
    CHECK_EQ(history_count(), HISTORY_MAX);
    CHECK_STR(history_get(0), "cmd 10");
    history_clear();
}

static void edit_ctrl_r_searches_backwards(void)
{
    history_clear();
    history_add("make test", 9);
    history_add("ls /tmp", 7);
    history_add("make qemu", 9);
    expect_line(__LINE__, "\x12make", "make qemu");
    CHECK(strstr(strbuf_str(&editor.out), "(reverse-i-search)`make': make qemu") != NULL);
    expect_line(__LINE__, "\x12make\x12", "make test"); /* ^R again: the one before */
    expect_line(__LINE__, "\x12tmp\x05!", "ls /tmp!");  /* another key accepts and acts */
    expect_line(__LINE__, "\x12mak\x07", "");           /* ^G gives up */
    CHECK_EQ(type("\x12qemu\r"), EDIT_DONE);
    CHECK_STR(editor.line, "make qemu");
    expect_line(__LINE__, "\x12zzz", ""); /* no match: beeps, line stays empty */
    history_clear();
}

static void edit_line_limit_is_4095_bytes(void)
{
    lineedit_start(&editor, "$ ", 80);
    for (int i = 0; i < LINE_MAX_BYTES + 10; i++)
        lineedit_feed(&editor, 'a');
    CHECK_EQ(editor.length, LINE_MAX_BYTES);
    CHECK(editor.overflowed);
    CHECK_EQ(lineedit_feed(&editor, '\n'), EDIT_DONE);
    lineedit_start(&editor, "$ ", 80);
    for (int i = 0; i < LINE_MAX_BYTES; i++)
        lineedit_feed(&editor, 'b');
    CHECK(!editor.overflowed);
}

static void edit_wrapped_lines_move_by_rows(void)
{
    lineedit_start(&editor, "$ ", 10);
    for (int i = 0; i < 20; i++)
        lineedit_feed(&editor, 'x');
    CHECK_EQ(editor.cursor_row, 2); /* 22 columns on a 10-column terminal */
    lineedit_feed(&editor, 0x01);   /* ^A */
    CHECK_EQ(editor.cursor_row, 0);
    const char *out = strbuf_str(&editor.out);
    const char *tail = "\x1b[2A\r\x1b[2C";
    CHECK(strlen(out) > strlen(tail) && strcmp(out + strlen(out) - strlen(tail), tail) == 0);
    lineedit_start(&editor, "$ ", 10);
    for (int i = 0; i < 10; i++) { /* ten 2-byte characters: 12 columns, not 22 */
        lineedit_feed(&editor, 0xc3);
        lineedit_feed(&editor, 0xa9);
    }
    CHECK_EQ(editor.cursor_row, 1);
    lineedit_start(&editor, "$ ", 10);
    for (int i = 0; i < 8; i++) /* exactly fills the first row: the cursor waits on it */
        lineedit_feed(&editor, 'y');
    CHECK_EQ(editor.cursor_row, 0);
}

static char scratch[128];

static void make_file(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", scratch, name);
    int fd = open(path, O_CREAT | O_WRONLY, 0755);
    if (fd >= 0)
        close(fd);
}

static void edit_tab_completes_paths_and_commands(void)
{
    snprintf(scratch, sizeof scratch, "/tmp/sh-edit-%d", (int)getpid());
    mkdir(scratch, 0700);
    make_file("alpha.txt");
    make_file("alpine");
    make_file("beta");
    char dir[256];
    snprintf(dir, sizeof dir, "%s/gamma", scratch);
    mkdir(dir, 0700);
    char keys[512], want[512];

    snprintf(keys, sizeof keys, "cat %s/b\t", scratch);
    snprintf(want, sizeof want, "cat %s/beta ", scratch);
    expect_line(__LINE__, keys, want); /* one match: whole, and a space */
    snprintf(keys, sizeof keys, "cat %s/g\t", scratch);
    snprintf(want, sizeof want, "cat %s/gamma/", scratch);
    expect_line(__LINE__, keys, want); /* a directory: a slash, no space */
    snprintf(keys, sizeof keys, "cat %s/a\t", scratch);
    snprintf(want, sizeof want, "cat %s/alp", scratch);
    expect_line(__LINE__, keys, want); /* several: the common prefix */
    snprintf(keys, sizeof keys, "cat %s/alp\t\t", scratch);
    type(keys);
    CHECK(strstr(strbuf_str(&editor.out), "alpha.txt  alpine\n") != NULL); /* second Tab lists */
    snprintf(keys, sizeof keys, "cat %s/zz\t", scratch);
    snprintf(want, sizeof want, "cat %s/zz", scratch);
    expect_line(__LINE__, keys, want); /* none: unchanged, a bell */

    vars_set("PATH", scratch);
    expect_line(__LINE__, "be\t", "beta ");             /* first word: a command in $PATH */
    expect_line(__LINE__, "ls; alpi\t", "ls; alpine "); /* after ; too */
    expect_line(__LINE__, "pw\t", "pwd ");              /* builtins */
    expect_line(__LINE__, "echo be\t", "echo be");      /* not the first word: files in . */
    vars_set("HOME", scratch);
    expect_line(__LINE__, "cat ~/be\t", "cat ~/beta "); /* ~/ is $HOME, kept as typed */
    expect_line(__LINE__, "cat ~/g\t", "cat ~/gamma/");
    struct input define;
    input_from_text(&define, "my_function() { :; }", NULL);
    input_run(&define);
    expect_line(__LINE__, "my_f\t", "my_function "); /* functions too */

    struct strvec candidates = {0};
    size_t start;
    complete_candidates("x | al", 6, &start, &candidates);
    CHECK_EQ(start, 4);
    CHECK_EQ(candidates.count, 2);
    CHECK_STR(candidates.items[0], "alpha.txt");
    strvec_free(&candidates);
    char command[300];
    snprintf(command, sizeof command, "rm -rf %s", scratch);
    struct input in;
    vars_set("PATH", "/bin:/usr/bin");
    input_from_text(&in, command, NULL);
    input_run(&in);
}

/* lineedit_read on a pseudo-terminal: what comes back, and the modes it
 * leaves behind (the editor's prompt and echo go to fd 2: hidden here). */
static int read_from_pty(int master, int slave, const char *typed, struct strbuf *line)
{
    if (write(master, typed, strlen(typed)) < 0)
        return -99;
    fflush(stderr);
    int saved = dup(2), null = open("/dev/null", O_WRONLY);
    dup2(null, 2);
    int result = lineedit_read(slave, "$ ", line);
    dup2(saved, 2);
    close(saved);
    close(null);
    return result;
}

static void edit_terminal_modes_around_a_line(void)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(master >= 0);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
        return;
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    CHECK(slave >= 0);
    struct termios before, after;
    tcgetattr(slave, &before);
    CHECK(before.c_lflag & ICANON);
    struct strbuf line = {0};

    CHECK_EQ(read_from_pty(master, slave, "ech hi\x1b[D\x1b[D\x1b[Do\r", &line), 0);
    CHECK_STR(strbuf_str(&line), "echo hi\n");
    tcgetattr(slave, &after);
    CHECK_EQ(after.c_lflag, before.c_lflag); /* canonical and echo again */
    strbuf_clear(&line);

    /* A job killed by a signal left the terminal without echo: put back. */
    struct termios broken = before;
    broken.c_lflag &= ~(tcflag_t)(ECHO | ICANON);
    tcsetattr(slave, TCSANOW, &broken);
    shell.terminal_suspect = true;
    CHECK_EQ(read_from_pty(master, slave, "x\n", &line), 0);
    tcgetattr(slave, &after);
    CHECK_EQ(after.c_lflag, before.c_lflag);

    /* A program that exited normally (stty -echo): its modes stay. */
    tcsetattr(slave, TCSANOW, &broken);
    CHECK_EQ(read_from_pty(master, slave, "y\n", &line), 0);
    tcgetattr(slave, &after);
    CHECK_EQ(after.c_lflag, broken.c_lflag);
    CHECK_STR(strbuf_str(&line), "x\ny\n");

    /* ^C and ^D typed before the editor starts would be the terminal's own
     * (a signal, an end of file): type them as if in the editor's raw mode. */
    struct termios raw = before;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ISIG | ECHO);
    tcsetattr(slave, TCSANOW, &raw);
    strbuf_clear(&line);
    CHECK_EQ(read_from_pty(master, slave, "abc\x03", &line), -2); /* ^C */
    CHECK_EQ(read_from_pty(master, slave, "\x04", &line), -1);    /* ^D */
    CHECK_EQ(line.length, 0);
    tcsetattr(slave, TCSANOW, &before);
    strbuf_free(&line);
    close(slave);
    close(master);
    history_clear();
}

static void cleanup(void)
{
    lineedit_finish(&editor);
    strbuf_free(&editor.out);
    strbuf_free(&editor.killed);
    strbuf_free(&editor.query);
    history_clear();
    vars_free_all();
}

static const struct unit_case cases[] = {
    UNIT(edit_keys_change_the_line),          UNIT(edit_enter_ctrl_c_ctrl_d),
    UNIT(edit_typing_at_the_end_only_echoes), UNIT(edit_history_up_and_down),
    UNIT(edit_ctrl_r_searches_backwards),     UNIT(edit_line_limit_is_4095_bytes),
    UNIT(edit_wrapped_lines_move_by_rows),    UNIT(edit_tab_completes_paths_and_commands),
    UNIT(edit_terminal_modes_around_a_line),  UNIT(cleanup),
};

UNIT_MAIN("user.sh_edit", cases)
