/*
 * input.c - reading commands: the read-parse-execute loop.
 *
 * Lines come from a file descriptor (the terminal, a pipe) or from a string
 * (sh -c '...', a script file read whole, the source builtin). The loop:
 *
 *     print "$ "  ->  read a line  ->  parse  ->  run  ->  again
 *                        ^              |
 *                        +-- "> " <-----+  incomplete: "echo 'a" or "ls |"
 *
 * At an interactive prompt on a terminal, lines come from the line editor
 * (lineedit.c: arrows, history, Tab). Anywhere else (pipes, files, sh -c)
 * they are read as they are, and a terminal that is not ours to edit does
 * its own canonical-mode editing.
 */
#include "user/sh/lineedit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum read_result { READ_LINE, READ_EOF, READ_INTERRUPTED };

void input_from_fd(struct input *in, int fd, bool prompts)
{
    *in = (struct input){.fd = fd, .from_tty = isatty(fd), .prompts = prompts};
}

void input_from_text(struct input *in, const char *text, const char *name)
{
    *in = (struct input){.fd = -1, .text = text, .name = name};
}

static enum read_result read_line_from_text(struct input *in, struct strbuf *line)
{
    const char *start = in->text + in->text_pos;
    if (*start == '\0')
        return READ_EOF;
    const char *newline = strchr(start, '\n');
    size_t length = newline ? (size_t)(newline - start) + 1 : strlen(start);
    strbuf_add(line, start, length);
    in->text_pos += length;
    return READ_LINE;
}

/* Appends one line, with its '\n' if it had one, to *line. */
static enum read_result read_line_from_fd(struct input *in, struct strbuf *line)
{
    char chunk[1024];
    bool got_any = false;
    for (;;) {
        /* From a pipe or file, one byte at a time: whatever we read past the
         * newline would be lost to the commands we run, which share this
         * stdin ("sh < script" where the script runs "cat"). A terminal in
         * canonical mode never returns more than one line per read(). */
        ssize_t n = read(in->fd, chunk, in->from_tty ? sizeof chunk : 1);
        if (n > 0) {
            strbuf_add(line, chunk, (size_t)n);
            got_any = true;
            if (chunk[n - 1] == '\n')
                return READ_LINE;
        } else if (n == 0) {
            return got_any ? READ_LINE : READ_EOF; /* ^D, or the end of the pipe */
        } else if (errno == EINTR) {
            if (shell.interrupted)
                return READ_INTERRUPTED;
        } else {
            shell_error("read: %s", strerror(errno));
            return got_any ? READ_LINE : READ_EOF;
        }
    }
}

static enum read_result read_line_edited(struct input *in, const char *prompt, struct strbuf *line)
{
    int result = lineedit_read(in->fd, prompt, line);
    return result == 0 ? READ_LINE : result == -1 ? READ_EOF : READ_INTERRUPTED;
}

static void report_syntax_error(const struct input *in, const char *message)
{
    if (in->prompts)
        shell_error("%s", message);
    else if (in->name)
        shell_error("%s: line %d: %s", in->name, in->line_number, message);
    else
        shell_error("line %d: %s", in->line_number, message);
}

/* Parses and runs what is pending. Returns false when the input must stop
 * (a syntax error in a script); clears pending unless it is incomplete. */
static bool run_pending(struct input *in, struct strbuf *pending)
{
    char error[256];
    struct cmd_list list;
    enum syntax_status status = parse_line(strbuf_str(pending), &list, error, sizeof error);
    if (status == SYNTAX_INCOMPLETE)
        return true; /* keep it, read the next line onto it */
    strbuf_clear(pending);
    if (status == SYNTAX_ERROR) {
        report_syntax_error(in, error);
        shell.last_status = 2;
        if (!shell.interactive)
            shell.exit_requested = true; /* also from eval and ., as in dash */
        return in->prompts;              /* a script with a syntax error stops there */
    }
    exec_list(&list);
    parse_free(&list);
    return true;
}

/*
 * Reads and runs commands until the input ends or exit runs. Returns the
 * status of the last command (or 2 after a syntax error in a script).
 */
int input_run(struct input *in)
{
    struct strbuf pending = {0};
    while (!shell.exit_requested && shell.skip == SKIP_NONE) {
        if (in->prompts && pending.length == 0) {
            jobs_reap();
            jobs_notify(2);
        }
        const char *prompt = pending.length == 0 ? "$ " : "> ";
        bool editing = in->prompts && in->from_tty && shell.interactive;
        if (in->prompts && !editing)
            fd_printf(2, "%s", prompt);
        shell.interrupted = 0;
        enum read_result result;
        if (editing)
            result = read_line_edited(in, prompt, &pending);
        else if (in->fd >= 0)
            result = read_line_from_fd(in, &pending);
        else
            result = read_line_from_text(in, &pending);
        if (result == READ_INTERRUPTED) { /* ^C at the prompt: start afresh */
            if (!editing)
                fd_printf(2, "\n"); /* the editor has printed "^C" and a newline */
            strbuf_clear(&pending);
            shell.last_status = 128 + SIGINT;
            continue;
        }
        if (result == READ_EOF) {
            if (pending.length == 0)
                break;
            report_syntax_error(in, "syntax error: unexpected end of file");
            shell.last_status = 2;
            strbuf_clear(&pending);
            if (in->prompts)
                continue;
            if (!shell.interactive)
                shell.exit_requested = true;
            break;
        }
        in->line_number++;
        if (!run_pending(in, &pending))
            break;
        if (in->prompts && shell.skip == SKIP_INTERRUPT)
            shell.skip = SKIP_NONE; /* the interrupted line is over: next prompt */
    }
    if (in->prompts && !shell.exit_requested)
        fd_printf(2, "exit\n"); /* after ^D, so the terminal does not end mid-prompt */
    strbuf_free(&pending);
    return shell.last_status;
}

/*
 * Runs a script file (sh FILE, source FILE). It is read whole first, so no
 * fd of ours stays open for the commands to inherit. Returns the last
 * status, or -1 (after a message on error_fd) if the file cannot be read.
 */
int input_run_file(const char *path, int error_fd)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fd_printf(error_fd, "sh: %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct strbuf text = {0};
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fd_printf(error_fd, "sh: %s: %s\n", path, strerror(errno));
            close(fd);
            strbuf_free(&text);
            return -1;
        }
        strbuf_add(&text, chunk, (size_t)n);
    }
    close(fd);
    struct input in;
    input_from_text(&in, strbuf_str(&text), path);
    int status = input_run(&in);
    strbuf_free(&text);
    return status;
}
