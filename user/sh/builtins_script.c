/*
 * builtins_script.c - the builtins scripts need: set, shift, local, eval,
 * return, break and continue (read is in read.c).
 *
 * They change the shell's own state (options, $1..., variables, the flow
 * of loops and functions), which is why they cannot be programs.
 */
#include "user/sh/sh.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
    char letter;
    const char *name; /* for set -o NAME */
    bool *flag;
} options[] = {
    {'e', "errexit", &shell.errexit},
    {'f', "noglob", &shell.noglob},
    {'u', "nounset", &shell.nounset},
    {'x', "xtrace", &shell.xtrace},
};
#define OPTION_COUNT (sizeof options / sizeof options[0])

/* set -o NAME / set +o NAME; with no NAME, list the options. */
static int option_by_name(const char *name, bool on, struct builtin_io *io)
{
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        if (!name)
            fd_printf(io->fd[1], on ? "%-15s %s\n" : "set %so %s\n",
                      on                 ? options[i].name
                      : *options[i].flag ? "-"
                                         : "+",
                      on ? (*options[i].flag ? "on" : "off") : options[i].name);
        else if (strcmp(name, options[i].name) == 0) {
            *options[i].flag = on;
            return 0;
        }
    }
    if (!name)
        return 0;
    char message[64];
    snprintf(message, sizeof message, "set: %.40s: bad option name", name);
    return builtin_fatal(io, message);
}

/*
 * A misused special builtin (set, shift, break, local, ...): as in dash, a
 * script stops there with status 2, since going on with the wrong $1 or in
 * the wrong loop would do something else than it says.
 */
int builtin_fatal(struct builtin_io *io, const char *message)
{
    builtin_error(io, "%s", message);
    if (!shell.interactive)
        shell.exit_requested = true;
    return 2;
}

/* Sets or clears one option letter; false if there is no such option. */
static bool option_set(char letter, bool on)
{
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        if (options[i].letter == letter) {
            *options[i].flag = on;
            return true;
        }
    }
    return letter == 'i' || letter == 'm' || letter == 's'; /* accepted, no change */
}

/* set [-efux] [+efux] [-o NAME] [-- ARG...]: options, or the positional parameters. */
int builtin_set(int argc, char **argv, struct builtin_io *io)
{
    if (argc == 1) {
        vars_print_all(io->fd[1]);
        return 0;
    }
    int i = 1;
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            i++;
            vars_set_params(argv + i, argc - i);
            return 0;
        }
        if ((arg[0] != '-' && arg[0] != '+') || arg[1] == '\0')
            break;
        if (strcmp(arg + 1, "o") == 0) { /* set -o errexit */
            const char *name = i + 1 < argc ? argv[++i] : NULL;
            if (option_by_name(name, arg[0] == '-', io) != 0)
                return 2;
            continue;
        }
        for (const char *c = arg + 1; *c; c++) {
            if (!option_set(*c, arg[0] == '-')) {
                char message[32];
                snprintf(message, sizeof message, "set: %c%c: bad option", arg[0], *c);
                return builtin_fatal(io, message);
            }
        }
    }
    if (i < argc)
        vars_set_params(argv + i, argc - i);
    return 0;
}

/* Reads a count argument (shift 2, break 2). Returns -1 if it is no number. */
static int count_argument(int argc, char **argv, int fallback)
{
    if (argc < 2)
        return fallback;
    char *end;
    long value = strtol(argv[1], &end, 10);
    if (*argv[1] == '\0' || *end != '\0' || value < 0 || value > 1000000)
        return -1;
    return (int)value;
}

int builtin_shift(int argc, char **argv, struct builtin_io *io)
{
    int n = count_argument(argc, argv, 1);
    if (n < 0 || n > shell.param_count)
        return builtin_fatal(io, "shift: can't shift that many");
    vars_set_params(shell.params + n, shell.param_count - n);
    return 0;
}

/* local NAME[=VALUE]...: only inside a function. */
int builtin_local(int argc, char **argv, struct builtin_io *io)
{
    if (shell.function_depth == 0)
        return builtin_fatal(io, "local: not in a function");
    for (int i = 1; i < argc; i++) {
        const char *equals = strchr(argv[i], '=');
        size_t length = equals ? (size_t)(equals - argv[i]) : strlen(argv[i]);
        if (!vars_is_name(argv[i], length)) {
            builtin_error(io, "local: '%s': not a valid variable name", argv[i]);
            return 1;
        }
        char *name = mem_strndup(argv[i], length);
        vars_local(name);
        if (equals)
            vars_set(name, equals + 1);
        free(name);
    }
    return 0;
}

/* eval ARG...: the arguments, joined by spaces, are run as shell text. */
int builtin_eval(int argc, char **argv, struct builtin_io *io)
{
    struct strbuf text = {0};
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            strbuf_addc(&text, ' ');
        strbuf_adds(&text, argv[i]);
    }
    shell.last_status = 0;
    int status = exec_string(strbuf_str(&text), NULL);
    strbuf_free(&text);
    return status;
}

int builtin_return(int argc, char **argv, struct builtin_io *io)
{
    int n = count_argument(argc, argv, shell.last_status);
    if (n < 0) {
        builtin_error(io, "return: %s: bad number", argv[1]);
        n = 2;
    }
    if (shell.function_depth == 0 && shell.source_depth == 0)
        shell.exit_requested = true; /* return outside a function: as exit, like dash */
    else
        shell.skip = SKIP_RETURN;
    return n & 255;
}

/* break [N] and continue [N]: leave (or restart) the Nth enclosing loop. */
int builtin_break(int argc, char **argv, struct builtin_io *io)
{
    int n = count_argument(argc, argv, 1);
    if (n <= 0)
        return builtin_fatal(io, strcmp(argv[0], "break") == 0 ? "break: bad loop count"
                                                               : "continue: bad loop count");
    if (shell.loop_depth == 0)
        return 0; /* not in a loop: nothing to do, as dash */
    shell.skip = strcmp(argv[0], "break") == 0 ? SKIP_BREAK : SKIP_CONTINUE;
    shell.skip_count = n < shell.loop_depth ? n : shell.loop_depth;
    return 0;
}
