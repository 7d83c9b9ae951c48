/*
 * builtins_lookup.c - type NAME... and command -v NAME...: what the shell
 * would run for a name, found in the same order exec.c uses: a reserved
 * word, a function, a builtin, then each directory of $PATH.
 *
 *   $ type cd ls          $ command -v ls
 *   cd is a shell builtin   /bin/ls
 *   ls is /bin/ls
 */
#include "user/sh/parse.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The path of an executable file called name in $PATH, or NULL (free it). */
static char *path_lookup(const char *name)
{
    if (strchr(name, '/'))
        return access(name, X_OK) == 0 ? mem_strdup(name) : NULL;
    const char *path = vars_get("PATH") ? vars_get("PATH") : DEFAULT_PATH;
    for (const char *dir = path;;) {
        const char *end = strchr(dir, ':');
        size_t length = end ? (size_t)(end - dir) : strlen(dir);
        struct strbuf candidate = {0};
        strbuf_add(&candidate, length ? dir : ".", length ? length : 1);
        strbuf_addc(&candidate, '/');
        strbuf_adds(&candidate, name);
        struct stat st;
        if (stat(strbuf_str(&candidate), &st) == 0 && S_ISREG(st.st_mode) &&
            access(strbuf_str(&candidate), X_OK) == 0)
            return strbuf_take(&candidate);
        strbuf_free(&candidate);
        if (!end)
            return NULL;
        dir = end + 1;
    }
}

/* Says what name is, verbosely (type) or as command -v does. 0 if found. */
static int describe(const char *name, bool verbose, struct builtin_io *io)
{
    if (parse_is_reserved(name) || strcmp(name, "!") == 0) {
        fd_printf(io->fd[1], verbose ? "%s is a shell keyword\n" : "%s\n", name);
        return 0;
    }
    if (functions_find(name)) {
        fd_printf(io->fd[1], verbose ? "%s is a shell function\n" : "%s\n", name);
        return 0;
    }
    if (builtin_find(name)) {
        fd_printf(io->fd[1], verbose ? "%s is a shell builtin\n" : "%s\n", name);
        return 0;
    }
    char *path = path_lookup(name);
    if (!path) {
        if (verbose)
            fd_printf(io->fd[1], "%s: not found\n", name);
        return 127;
    }
    if (verbose)
        fd_printf(io->fd[1], "%s is %s\n", name, path);
    else
        fd_printf(io->fd[1], "%s\n", path);
    free(path);
    return 0;
}

int builtin_type(int argc, char **argv, struct builtin_io *io)
{
    int status = 0;
    for (int i = 1; i < argc; i++)
        if (describe(argv[i], true, io) != 0)
            status = 127;
    return status;
}

/* command -v NAME... / command -V NAME... ("command NAME ARGS", which runs
 * NAME skipping functions, is handled by exec.c before it gets here). */
int builtin_command(int argc, char **argv, struct builtin_io *io)
{
    if (argc < 2)
        return 0;
    if (strcmp(argv[1], "-v") != 0 && strcmp(argv[1], "-V") != 0) {
        builtin_error(io, "command: %s: only -v and -V are supported", argv[1]);
        return 2;
    }
    int status = 0;
    for (int i = 2; i < argc; i++)
        if (describe(argv[i], argv[1][1] == 'V', io) != 0)
            status = 127;
    return status;
}
