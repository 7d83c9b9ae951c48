/*
 * redir.c - redirections: point a command's fds at files or at other fds.
 *
 * For a program, a redirection is done for real in the child, after fork and
 * before execve, so the program simply inherits the changed fds:
 *
 *   "cmd > out 2>&1"    fd = open("out"); dup2(fd, 1); close(fd);   now 1 -> out
 *                       dup2(1, 2);                                 now 2 -> out
 *
 * Order matters: "2>&1 > out" copies fd 1 into 2 *before* 1 moves, so errors
 * still go to the terminal.
 *
 * A builtin runs inside the shell, where a real dup2 onto fd 1 would move
 * the shell's own stdout. So for builtins the same steps only update a small
 * table (struct builtin_io) that the builtin writes through: redir_map().
 * "exec > log" is the exception: it is meant to move the shell's own fds.
 */
#include "user/sh/sh.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const int open_flags[] = {
    [REDIR_IN] = O_RDONLY,
    [REDIR_OUT] = O_WRONLY | O_CREAT | O_TRUNC,     /* > empties the file first */
    [REDIR_APPEND] = O_WRONLY | O_CREAT | O_APPEND, /* >> writes at its end, always */
};

/*
 * A here-document becomes the read end of a pipe that already holds the
 * (expanded) body. A body bigger than the pipe is written by a child, so
 * the shell never blocks on a pipe nobody reads yet.
 */
static int redir_heredoc(const struct redir *r, int extra_flags)
{
    char *body = NULL;
    if (r->quoted) {
        body = mem_strdup(r->target);
    } else {
        const char *error = expand_heredoc(r->target, &body);
        if (error) {
            shell_error("here-document: %s", error);
            return -1;
        }
    }
    int fds[2];
    if (pipe(fds) < 0) {
        shell_error("here-document: pipe: %s", strerror(errno));
        free(body);
        return -1;
    }
    size_t length = strlen(body);
    if (length <= HEREDOC_PIPE_MAX) {
        if (length > 0 && write(fds[1], body, length) < 0)
            shell_error("here-document: write: %s", strerror(errno));
    } else {
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            _exit(write(fds[1], body, length) == (ssize_t)length ? 0 : 1);
        }
        if (pid < 0)
            shell_error("here-document: fork: %s", strerror(errno));
    }
    close(fds[1]);
    free(body);
    if (extra_flags & O_CLOEXEC)
        fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    return fds[0];
}

/* Opens the file a <, > or >> redirection names. Returns the new fd, or -1
 * after reporting "sh: name: reason". */
static int redir_open(const struct redir *r, int extra_flags)
{
    if (r->kind == REDIR_HEREDOC)
        return redir_heredoc(r, extra_flags);
    char *path;
    const char *error = expand_word_single(r->target, &path);
    if (error) {
        shell_error("%s: %s", r->target, error);
        return -1;
    }
    /* 0666: read-write for all, less what the umask takes away (022: 0644). */
    int fd = open(path, open_flags[r->kind] | extra_flags, 0666);
    if (fd < 0)
        shell_error("%s: %s", path, strerror(errno));
    free(path);
    return fd;
}

/* N>&M: reads M. Sets *source to M, or to -1 for "-" (close N).
 * Returns 0, or -1 after reporting an M that is no fd number. */
static int redir_dup_source(const struct redir *r, int *source)
{
    char *word;
    const char *error = expand_word_single(r->target, &word);
    if (error) {
        shell_error("%s: %s", r->target, error);
        return -1;
    }
    int result = 0;
    long value = 0;
    if (strcmp(word, "-") == 0) {
        value = -1;
    } else {
        for (const char *c = word; *c && result == 0; c++) {
            if (*c < '0' || *c > '9' || value > 100000)
                result = -1;
            else
                value = value * 10 + (*c - '0');
        }
        if (word[0] == '\0' || result < 0) {
            shell_error("%s: not a file descriptor number (use N>&M with M a number, or -)", word);
            result = -1;
        }
    }
    *source = (int)value;
    free(word);
    return result;
}

/*
 * Applies redirections to the calling process's own fds, left to right:
 * in a child before execve, or in the shell for "exec > file".
 * Returns 0, or -1 after reporting the first one that failed.
 */
int redir_apply(const struct redir *redirs, int count)
{
    for (int i = 0; i < count; i++) {
        const struct redir *r = &redirs[i];
        if (r->kind == REDIR_DUP) {
            int source;
            if (redir_dup_source(r, &source) < 0)
                return -1;
            if (source < 0) {
                close(r->fd);
            } else if (source != r->fd && dup2(source, r->fd) < 0) {
                shell_error("%d: %s", source, strerror(errno));
                return -1;
            }
            continue;
        }
        int fd = redir_open(r, 0);
        if (fd < 0)
            return -1;
        if (fd != r->fd) {
            int moved = dup2(fd, r->fd);
            close(fd);
            if (moved < 0) {
                shell_error("%d: %s", r->fd, strerror(errno));
                return -1;
            }
        }
    }
    return 0;
}

/* A builtin's fds, before any redirection: the shell's own 0..9. */
void redir_io_init(struct builtin_io *io)
{
    for (int fd = 0; fd <= SH_FD_MAX; fd++)
        io->fd[fd] = fd;
    io->opened_count = 0;
}

/* dup2(fd, fd) changes nothing, but fails with EBADF if fd is not open. */
static bool fd_is_open(int fd) { return fd >= 0 && dup2(fd, fd) == fd; }

/*
 * Applies redirections to a builtin's fd table instead of the shell's fds.
 * Files it opens are recorded in io and closed by redir_unmap().
 * Returns 0, or -1 after reporting a failure.
 */
int redir_map(const struct redir *redirs, int count, struct builtin_io *io)
{
    for (int i = 0; i < count; i++) {
        const struct redir *r = &redirs[i];
        if (r->kind == REDIR_DUP) {
            int source;
            if (redir_dup_source(r, &source) < 0)
                return -1;
            if (source > SH_FD_MAX || (source >= 0 && !fd_is_open(io->fd[source]))) {
                shell_error("%d: %s", source, strerror(EBADF));
                return -1;
            }
            io->fd[r->fd] = source < 0 ? -1 : io->fd[source];
            continue;
        }
        if (io->opened_count > SH_FD_MAX) {
            shell_error("too many redirections for one builtin");
            return -1;
        }
        /* O_CLOEXEC: the file is the builtin's alone; no child inherits it. */
        int fd = redir_open(r, O_CLOEXEC);
        if (fd < 0)
            return -1;
        io->opened[io->opened_count++] = fd;
        io->fd[r->fd] = fd;
    }
    return 0;
}

/* Closes the files redir_map() opened. */
void redir_unmap(struct builtin_io *io)
{
    for (int i = 0; i < io->opened_count; i++)
        close(io->opened[i]);
    io->opened_count = 0;
}

/*
 * For a compound command or a function run inside the shell ("{ a; b; } > f"):
 * applies the redirections to the shell's own fds, first keeping a copy of
 * each fd it changes (above fd 10, close-on-exec) so redir_pop() can put
 * them back. Returns 0, or -1 after reporting (redir_pop() is still needed).
 */
int redir_push(const struct redir *redirs, int count, struct saved_fds *saved)
{
    saved->count = 0;
    for (int i = 0; i < count; i++) {
        int fd = redirs[i].fd;
        bool already = false;
        for (int j = 0; j < saved->count; j++)
            already |= saved->fd[j] == fd;
        if (!already && saved->count <= SH_FD_MAX) {
            saved->fd[saved->count] = fd;
            saved->copy[saved->count] =
                fcntl(fd, F_DUPFD_CLOEXEC, SAVED_FD_MIN); /* -1: was closed */
            saved->count++;
        }
        if (redir_apply(&redirs[i], 1) < 0)
            return -1;
    }
    return 0;
}

void redir_pop(struct saved_fds *saved)
{
    for (int i = saved->count - 1; i >= 0; i--) {
        if (saved->copy[i] >= 0) {
            dup2(saved->copy[i], saved->fd[i]);
            close(saved->copy[i]);
        } else {
            close(saved->fd[i]);
        }
    }
    saved->count = 0;
}
