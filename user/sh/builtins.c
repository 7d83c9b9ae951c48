/*
 * builtins.c - commands the shell runs itself, and the table that lists them.
 *
 * A command is a builtin only when it must change the shell process: cd must
 * move *the shell's* working directory (a child's chdir would be forgotten
 * when it exits), exit must end the shell, export must change the variables
 * the shell passes on. Everything else (echo, ls, cat) is a separate program.
 *
 * Builtins write with fd_printf() to io->fd[1] and io->fd[2], never with
 * printf: stdio buffers would be copied into every child the shell forks.
 */
#include "user/sh/sh.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* cd [dir | -]: no dir means $HOME (or / without one); - means $OLDPWD. */
static int builtin_cd(int argc, char **argv, struct builtin_io *io)
{
    const char *target = argc > 1 ? argv[1] : vars_get("HOME");
    if (argc > 2) {
        builtin_error(io, "cd: too many arguments");
        return 1;
    }
    if (!target || !*target)
        target = "/";
    if (strcmp(target, "-") == 0) {
        target = vars_get("OLDPWD");
        if (!target) {
            builtin_error(io, "cd: OLDPWD not set");
            return 1;
        }
        fd_printf(io->fd[1], "%s\n", target);
    }
    char *destination = mem_strdup(target); /* vars_set below may free target */
    if (chdir(destination) < 0) {
        builtin_error(io, "cd: %s: %s", destination, strerror(errno));
        free(destination);
        return 2; /* as dash */
    }
    free(destination);
    char cwd[SH_CWD_MAX];
    const char *old = vars_get("PWD");
    if (old)
        vars_set("OLDPWD", old);
    if (getcwd(cwd, sizeof cwd))
        vars_set("PWD", cwd);
    return 0;
}

static int builtin_pwd(int argc, char **argv, struct builtin_io *io)
{
    char cwd[SH_CWD_MAX];
    if (!getcwd(cwd, sizeof cwd)) {
        builtin_error(io, "pwd: %s", strerror(errno));
        return 1;
    }
    fd_printf(io->fd[1], "%s\n", cwd);
    return 0;
}

/* Reads a decimal number (optionally negative). Returns false if s is not one. */
static bool parse_number(const char *s, long *out)
{
    bool negative = s[0] == '-';
    long value = 0;
    const char *c = negative ? s + 1 : s;
    if (*c == '\0')
        return false;
    for (; *c; c++) {
        if (*c < '0' || *c > '9' || value > 100000000000L)
            return false;
        value = value * 10 + (*c - '0');
    }
    *out = negative ? -value : value;
    return true;
}

/* exit [n]: leave the shell with status n (default: $?). */
static int builtin_exit(int argc, char **argv, struct builtin_io *io)
{
    long status = shell.last_status;
    if (argc > 2) {
        builtin_error(io, "exit: too many arguments");
        return 1;
    }
    if (argc == 2 && !parse_number(argv[1], &status)) {
        builtin_error(io, "exit: %s: numeric argument required", argv[1]);
        status = 2;
    }
    if (shell.interactive && jobs_any_stopped() && !shell.warned_stopped) {
        shell.warned_stopped = true;
        builtin_error(io, "there are stopped jobs (type exit again to leave anyway)");
        return 1;
    }
    shell.exit_requested = true;
    return (int)(status & 255); /* an exit status is one byte: exit 256 is 0 */
}

/* export [NAME[=value] ...]: with no names, list the exported variables. */
static int builtin_export(int argc, char **argv, struct builtin_io *io)
{
    int status = 0;
    if (argc == 1 || (argc == 2 && strcmp(argv[1], "-p") == 0)) {
        vars_print_exported(io->fd[1]);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        if (strchr(argv[i], '=') ? vars_assign(argv[i], true) == 0
                                 : vars_is_name(argv[i], strlen(argv[i]))) {
            if (!strchr(argv[i], '='))
                vars_export(argv[i]);
            continue;
        }
        builtin_error(io, "export: '%s': not a valid variable name", argv[i]);
        status = 1;
    }
    return status;
}

static int builtin_unset(int argc, char **argv, struct builtin_io *io)
{
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (vars_is_name(argv[i], strlen(argv[i]))) {
            vars_unset(argv[i]);
        } else {
            builtin_error(io, "unset: '%s': not a valid variable name", argv[i]);
            status = 1;
        }
    }
    return status;
}

/* The limits ulimit knows; unit turns the user's number into the kernel's. */
static const struct {
    char option;
    int resource;
    unsigned long unit;
    const char *description;
} limits[] = {
    {'c', RLIMIT_CORE, 1024, "core file size (KiB)"},
    {'n', RLIMIT_NOFILE, 1, "open files"},
    {'s', RLIMIT_STACK, 1024, "stack size (KiB)"},
    {'u', RLIMIT_NPROC, 1, "max user processes"},
};
#define LIMIT_COUNT (sizeof limits / sizeof limits[0])

static int ulimit_show(size_t i, bool with_name, struct builtin_io *io)
{
    struct rlimit rl;
    if (getrlimit(limits[i].resource, &rl) < 0) {
        builtin_error(io, "ulimit: -%c: %s", limits[i].option, strerror(errno));
        return 1;
    }
    if (with_name)
        fd_printf(io->fd[1], "%-22s(-%c) ", limits[i].description, limits[i].option);
    if (rl.rlim_cur == RLIM_INFINITY)
        fd_printf(io->fd[1], "unlimited\n");
    else
        fd_printf(io->fd[1], "%llu\n", (unsigned long long)(rl.rlim_cur / limits[i].unit));
    return 0;
}

/* Sets the soft limit, which any process may move up to the hard limit. */
static int ulimit_set(size_t i, const char *text, struct builtin_io *io)
{
    struct rlimit rl;
    long value = 0;
    if (getrlimit(limits[i].resource, &rl) < 0) {
        builtin_error(io, "ulimit: -%c: %s", limits[i].option, strerror(errno));
        return 1;
    }
    if (strcmp(text, "unlimited") == 0) {
        rl.rlim_cur = RLIM_INFINITY;
    } else if (parse_number(text, &value) && value >= 0) {
        rl.rlim_cur = (rlim_t)value * limits[i].unit;
    } else {
        builtin_error(io, "ulimit: %s: not a number", text);
        return 1;
    }
    if (rl.rlim_max != RLIM_INFINITY &&
        (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > rl.rlim_max)) {
        builtin_error(io, "ulimit: -%c: %s is above the hard limit %llu", limits[i].option, text,
                      (unsigned long long)(rl.rlim_max / limits[i].unit));
        return 1;
    }
    if (setrlimit(limits[i].resource, &rl) < 0) {
        builtin_error(io, "ulimit: -%c: %s", limits[i].option, strerror(errno));
        return 1;
    }
    return 0;
}

/* ulimit -a | -c [KiB] | -n [N] | -s [KiB] | -u [N] */
static int builtin_ulimit(int argc, char **argv, struct builtin_io *io)
{
    if (argc == 1 || strcmp(argv[1], "-a") == 0) {
        int status = 0;
        for (size_t i = 0; i < LIMIT_COUNT; i++)
            status |= ulimit_show(i, true, io);
        return status;
    }
    for (size_t i = 0; i < LIMIT_COUNT; i++) {
        if (argv[1][0] != '-' || argv[1][1] != limits[i].option || argv[1][2] != '\0')
            continue;
        if (argc > 3)
            break;
        return argc == 3 ? ulimit_set(i, argv[2], io) : ulimit_show(i, false, io);
    }
    builtin_error(io, "ulimit: usage: ulimit -a | -c|-s [KiB|unlimited] | -n|-u [N]");
    return 2;
}

/* source FILE, . FILE: run FILE's commands in this shell, not a child. */
static int builtin_source(int argc, char **argv, struct builtin_io *io)
{
    if (argc < 2) {
        builtin_error(io, "%s: usage: %s FILE", argv[0], argv[0]);
        return 2;
    }
    shell.source_depth++;
    int status = input_run_file(argv[1], io->fd[2]);
    shell.source_depth--;
    if (shell.skip == SKIP_RETURN && shell.function_depth == 0)
        shell.skip = SKIP_NONE; /* return in a sourced file ends only the file */
    if (status < 0 && !shell.interactive)
        shell.exit_requested = true; /* a script without its library stops, as in dash */
    return status < 0 ? 2 : status;
}

/* umask [-S] [OCTAL]: show (as dash: 0022, or u=rwx,g=rx,o=rx) or set the
 * bits new files do not get.  A builtin: a child's umask would die with it.
 * As dash: digits beyond 7 are status 2, a longer number keeps its low bits. */
static int builtin_umask(int argc, char **argv, struct builtin_io *io)
{
    bool symbolic = argc > 1 && strcmp(argv[1], "-S") == 0;
    int arg = symbolic ? 2 : 1;
    if (arg < argc) {
        const char *text = argv[arg];
        unsigned long mask = 0;
        for (const char *c = text; *c; c++)
            mask = mask * 8 + (unsigned long)(*c - '0');
        if (!*text || strspn(text, "01234567") != strlen(text) || arg + 1 < argc) {
            builtin_error(io, "umask: Illegal number: %s", text);
            return 2;
        }
        mask &= 0777;
        umask((mode_t)mask);
        return 0;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (!symbolic) {
        fd_printf(io->fd[1], "%04o\n", (unsigned)mask);
        return 0;
    }
    static const char who[] = "ugo";
    for (int i = 0; i < 3; i++) {
        unsigned allowed = ~(unsigned)mask >> (6 - 3 * i) & 7;
        fd_printf(io->fd[1], "%c=%s%s%s%s", who[i], allowed & 4 ? "r" : "", allowed & 2 ? "w" : "",
                  allowed & 1 ? "x" : "", i < 2 ? "," : "\n");
    }
    return 0;
}

static int builtin_true(int argc, char **argv, struct builtin_io *io) { return 0; }

static int builtin_false(int argc, char **argv, struct builtin_io *io) { return 1; }

static int builtin_help(int argc, char **argv, struct builtin_io *io);

static const struct builtin builtins[] = {
    {"cd", builtin_cd, false, "cd [DIR | -]      change the shell's directory ($HOME by default)",
     false},
    {"pwd", builtin_pwd, false, "pwd               print the working directory", false},
    {"exit", builtin_exit, false, "exit [N]          leave the shell with status N", false},
    {"export", builtin_export, false, "export [NAME[=VALUE]...]  pass variables to programs",
     false},
    {"unset", builtin_unset, false, "unset NAME...     forget variables", false},
    {"ulimit", builtin_ulimit, false, "ulimit -a | -c|-s [KiB] | -n|-u [N]   resource limits",
     false},
    {"umask", builtin_umask, false, "umask [-S] [OCTAL]  show or set the mode bits new files lose",
     false},
    {"jobs", builtin_jobs, false, "jobs [-l] [-p]    list background and stopped jobs", false},
    {"fg", builtin_fg, false, "fg [%N]           continue a job in the foreground", false},
    {"bg", builtin_bg, false, "bg [%N]           continue a stopped job in the background", false},
    {"wait", builtin_wait, false, "wait [PID | %N]   wait for background jobs to end", false},
    {"kill", builtin_kill, false, "kill [-SIG] PID | %N   send a signal (kill -l lists them)",
     false},
    {"exec", builtin_exec, true, "exec [CMD [ARG...]]  replace the shell by CMD; or redirect",
     false},
    {"source", builtin_source, false, "source FILE       run FILE's commands in this shell", true},
    {".", builtin_source, false, ". FILE            same as source", true},
    {"true", builtin_true, false, "true              do nothing, successfully", false},
    {"false", builtin_false, false, "false             do nothing, unsuccessfully", false},
    {":", builtin_true, false, ":                 same as true", false},
    {"set", builtin_set, false, "set [-efux] [--] [ARG...]  options, or $1 $2 ...", false},
    {"shift", builtin_shift, false, "shift [N]         drop $1 .. $N", false},
    {"local", builtin_local, false, "local NAME[=V]... a variable of this function only", false},
    {"eval", builtin_eval, false, "eval ARG...       run the arguments as shell text", true},
    {"return", builtin_return, false, "return [N]        leave a function with status N", false},
    {"break", builtin_break, false, "break [N]         leave N enclosing loops", false},
    {"continue", builtin_break, false, "continue [N]      next round of the Nth loop", false},
    {"read", builtin_read, false, "read [-r] NAME... read a line into variables", false},
    {"trap", trap_builtin, false, "trap [ACTION] SIGNAL...  run ACTION on a signal, or EXIT",
     false},
    {"test", builtin_test, false, "test EXPR, [ EXPR ]  file tests, comparisons", false},
    {"[", builtin_test, false, "[ EXPR ]          same as test", false},
    {"printf", builtin_printf, false, "printf FORMAT [ARG...]  formatted output", false},
    {"getopts", builtin_getopts, false, "getopts OPTS NAME [ARG...]  parse options, one a call",
     false},
    {"type", builtin_type, false, "type NAME...      what NAME is: function, builtin or file",
     false},
    {"command", builtin_command, false, "command -v NAME   how NAME would be found", false},
    {"help", builtin_help, false, "help              this list", false},
};
#define BUILTIN_COUNT (sizeof builtins / sizeof builtins[0])

static int builtin_help(int argc, char **argv, struct builtin_io *io)
{
    fd_printf(io->fd[1], "Builtins (everything else is a program found in $PATH):\n");
    for (size_t i = 0; i < BUILTIN_COUNT; i++)
        fd_printf(io->fd[1], "  %s\n", builtins[i].usage);
    fd_printf(io->fd[1], "The language (if, while, for, case, functions, $(...), $((...)), globs)\n"
                         "and the line-editing keys (arrows, ^R, Tab): docs/shell.md\n");
    return 0;
}

const struct builtin *builtin_find(const char *name)
{
    for (size_t i = 0; i < BUILTIN_COUNT; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return &builtins[i];
    return NULL;
}

void builtin_names(struct strvec *out)
{
    for (size_t i = 0; i < BUILTIN_COUNT; i++)
        strvec_push(out, mem_strdup(builtins[i].name));
}
