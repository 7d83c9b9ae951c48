/*
 * exec.c - run a parsed command list: fork, pipe, execve.
 *
 * For the pipeline "a | b | c" the shell makes two pipes and three children,
 * one fork at a time, left to right:
 *
 *            shell (keeps no pipe end open once the children have theirs)
 *          /   |   \
 *         a    b    c          a: fd 1 = pipe 1 write end
 *        1|  0| |1  |0         b: fd 0 = pipe 1 read end, fd 1 = pipe 2 write end
 *         +---+ +---+          c: fd 0 = pipe 2 read end
 *         pipe1 pipe2
 *
 * Every process closes the pipe ends it does not use. That is not tidiness:
 * a reader sees end-of-file only when *every* write end is closed, so one
 * forgotten write end (even in the shell) makes "ls | wc" hang forever.
 *
 * With job control, all the children of one pipeline go into one new process
 * group, whose id is the first child's pid. Both the parent and the child call
 * setpgid(), because either may run first after fork(), and the group must
 * exist before the shell hands it the terminal or a later child joins it.
 *
 * A lone builtin ("cd /tmp"), function call or compound command (if, while,
 * { }: compound.c) runs in the shell itself, with no fork; in a pipeline
 * ("jobs | cat", "while read x; do ...; done | sort") it runs in a child
 * like any program. ( list ) always gets a child: that is what it is for.
 */
#include "user/sh/sh.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One command of a pipeline after expansion: ready to run. */
struct prepared {
    const struct command *command;
    struct strvec argv;
    struct strvec assignments; /* this command's NAME=value words */
    bool skip_functions;       /* "command NAME": a builtin or program, never a function */
};

/* "command NAME ARGS" runs NAME as if no function had that name: drop the
 * word "command" (command -v and -V are the builtin, builtins_lookup.c). */
static void strip_command_word(struct prepared *p)
{
    if (p->argv.count < 2 || strcmp(p->argv.items[0], "command") != 0 || p->argv.items[1][0] == '-')
        return;
    free(p->argv.items[0]);
    memmove(p->argv.items, p->argv.items + 1, (size_t)p->argv.count * sizeof *p->argv.items);
    p->argv.count--;
    p->skip_functions = true;
}

static struct function *function_for(const struct prepared *p)
{
    return p->skip_functions || p->argv.count == 0 ? NULL : functions_find(p->argv.items[0]);
}

/* execve(path), and if the kernel finds no binary and no "#!" line in it
 * (ENOEXEC), run it as a script with a new shell, as POSIX asks. Returns
 * only on failure, with errno saying why. */
static void exec_file(const char *path, char **argv, char **envp)
{
    execve(path, argv, envp);
    if (errno != ENOEXEC)
        return;
    struct strvec script_argv = {0};
    strvec_push(&script_argv, mem_strdup("sh"));
    strvec_push(&script_argv, mem_strdup(path));
    for (int i = 1; argv[i]; i++)
        strvec_push(&script_argv, mem_strdup(argv[i]));
    execve(SHELL_PATH, script_argv.items, envp);
    strvec_free(&script_argv);
    errno = ENOEXEC;
}

/* Runs argv[0] by its path: a name with a '/' as it is, else each directory
 * of $PATH in turn. Returns (only if it could not run it) the exit status a
 * shell gives that failure: 127 not found, 126 found but not runnable. */
int exec_program(char **argv, const struct strvec *assignments)
{
    struct strvec envp = {0};
    vars_build_environment(assignments, &envp);
    const char *name = argv[0];
    int saved_errno = ENOENT;
    if (strchr(name, '/')) {
        exec_file(name, argv, envp.items);
        saved_errno = errno;
    } else {
        const char *path = vars_get("PATH") ? vars_get("PATH") : DEFAULT_PATH;
        struct strbuf candidate = {0};
        for (const char *dir = path;; dir++) {
            const char *end = strchr(dir, ':');
            size_t length = end ? (size_t)(end - dir) : strlen(dir);
            strbuf_clear(&candidate);
            strbuf_add(&candidate, length ? dir : ".", length ? length : 1); /* "" = . */
            strbuf_addc(&candidate, '/');
            strbuf_adds(&candidate, name);
            exec_file(strbuf_str(&candidate), argv, envp.items);
            if (errno != ENOENT && errno != ENOTDIR)
                saved_errno = errno; /* found, but could not run it: remember why */
            if (!end)
                break;
            dir = end;
        }
        strbuf_free(&candidate);
    }
    strvec_free(&envp);
    if (saved_errno == ENOENT && !strchr(name, '/')) {
        shell_error("%s: command not found", name);
        return 127;
    }
    shell_error("%s: %s", name, strerror(saved_errno));
    return saved_errno == ENOENT ? 127 : 126;
}

/* exec [cmd args]: its redirections were already applied to the shell's own
 * fds (see permanent_redirections); with a command, become that command. */
int builtin_exec(int argc, char **argv, struct builtin_io *io)
{
    if (argc < 2)
        return 0;
    signals_reset_for_child(false);
    int status = exec_program(argv + 1, NULL);
    if (shell.interactive)
        signals_init_shell(); /* still here: execve failed */
    return status;
}

/* Runs a builtin in the shell: its redirections go to its io table, and
 * assignments before it ("X=1 cd") are simply kept, as POSIX allows. */
static int run_builtin_here(const struct builtin *builtin, struct prepared *p)
{
    struct builtin_io io;
    redir_io_init(&io);
    if (builtin->runs_shell_code) {
        struct saved_fds saved;
        int status = 1;
        if (redir_push(p->command->redirs, p->command->redir_count, &saved) == 0) {
            for (int i = 0; i < p->assignments.count; i++)
                vars_assign(p->assignments.items[i], false);
            status = builtin->run(p->argv.count, p->argv.items, &io);
        }
        redir_pop(&saved);
        return status;
    }
    int status = 1;
    bool redirected = builtin->permanent_redirections
                          ? redir_apply(p->command->redirs, p->command->redir_count) == 0
                          : redir_map(p->command->redirs, p->command->redir_count, &io) == 0;
    if (redirected) {
        for (int i = 0; i < p->assignments.count; i++)
            vars_assign(p->assignments.items[i], false);
        status = builtin->run(p->argv.count, p->argv.items, &io);
    }
    redir_unmap(&io);
    return status;
}

/* "X=1" alone sets a shell variable; "> f" alone creates f. */
static int run_without_command(struct prepared *p)
{
    struct builtin_io io;
    redir_io_init(&io);
    int status = redir_map(p->command->redirs, p->command->redir_count, &io) == 0 ? 0 : 1;
    redir_unmap(&io);
    for (int i = 0; status == 0 && i < p->assignments.count; i++)
        vars_assign(p->assignments.items[i], false);
    if (status == 0 && expand_substitution_status >= 0)
        status = expand_substitution_status; /* x=$(false): the substitution's status */
    return status;
}

/* In the child: moves the pipe ends in and out onto fds 0 and 1 (either
 * may already be 0 or 1: no pipe there) and closes unused, the read end of
 * the next pipe, which belongs to the next child. */
static void child_connect_pipes(int in, int out, int unused, bool background)
{
    if (!shell.job_control && background && in == 0) {
        /* Nobody can bring this job to the foreground to type to it, and it
         * must not eat the input the shell reads next: POSIX gives it
         * /dev/null (its own "<" redirection still wins). */
        int null = open("/dev/null", O_RDONLY);
        if (null > 0) {
            dup2(null, 0);
            close(null);
        }
    }
    if (in != 0) {
        dup2(in, 0);
        close(in);
    }
    if (out != 1) {
        dup2(out, 1);
        close(out);
    }
    if (unused >= 0)
        close(unused);
}

/* In the child, from fork to execve: joins the job's process group, takes
 * the terminal if in the foreground, connects pipes, redirects, and runs
 * the command. Never returns. */
static void child_run(struct prepared *p, struct job *job, bool foreground, int in, int out,
                      int unused)
{
    if (shell.job_control) {
        pid_t pgid = job->pgid ? job->pgid : getpid(); /* the first child leads */
        setpgid(0, pgid);
        if (foreground)
            tcsetpgrp(shell.tty_fd, pgid); /* allowed: SIGTTOU is still ignored here */
    }
    signals_reset_for_child(!shell.job_control && !foreground);
    child_connect_pipes(in, out, unused, !foreground);
    if (redir_apply(p->command->redirs, p->command->redir_count) < 0)
        _exit(1);
    if (p->command->kind != COMMAND_SIMPLE) { /* ( list ), or a compound command in a pipeline */
        subshell_enter();
        shell_exit(exec_compound_body(p->command));
    }
    if (p->argv.count == 0)
        _exit(0);
    struct function *function = function_for(p);
    if (function) {
        subshell_enter();
        shell_exit(functions_call(function, p->argv.items, p->argv.count));
    }
    const struct builtin *builtin = builtin_find(p->argv.items[0]);
    if (builtin) {
        struct builtin_io io;
        redir_io_init(&io);
        _exit(builtin->run(p->argv.count, p->argv.items, &io));
    }
    /* _exit, not exit: the parent's atexit handlers and stdio are not ours. */
    _exit(exec_program(p->argv.items, &p->assignments));
}

/* Forks one child per command, wired together with pipes, all in job.
 * Returns 0, or -1 if a pipe or fork failed (the children that did start
 * stay in the job and are waited for as usual). */
static int launch_children(struct prepared *commands, int count, struct job *job, bool foreground)
{
    int in = 0, result = 0;
    for (int i = 0; i < count; i++) {
        int pipe_fds[2] = {-1, -1};
        if (i < count - 1 && pipe(pipe_fds) < 0) {
            shell_error("pipe: %s", strerror(errno));
            result = -1;
            break;
        }
        int out = i < count - 1 ? pipe_fds[1] : 1;
        pid_t pid = fork();
        if (pid < 0) {
            shell_error("fork: %s", strerror(errno));
            if (pipe_fds[0] >= 0) {
                close(pipe_fds[0]);
                close(pipe_fds[1]);
            }
            result = -1;
            break;
        }
        if (pid == 0)
            child_run(&commands[i], job, foreground, in, out, pipe_fds[0]);
        if (!job->pgid)
            job->pgid = pid;
        if (shell.job_control)
            setpgid(pid, job->pgid); /* the child does this too: see the top */
        jobs_add_process(job, pid);
        if (in != 0)
            close(in);
        if (out != 1)
            close(out);
        in = pipe_fds[0]; /* the next child reads what this one writes */
    }
    if (in != 0)
        close(in);
    return result;
}

/* set -x: "+ X=1 cmd arg" on stderr before the command runs, as dash does. */
static void exec_trace(const struct prepared *p)
{
    struct strbuf line = {0};
    strbuf_adds(&line, "+");
    for (int i = 0; i < p->assignments.count; i++) {
        strbuf_addc(&line, ' ');
        strbuf_adds(&line, p->assignments.items[i]);
    }
    for (int i = 0; i < p->argv.count; i++) {
        strbuf_addc(&line, ' ');
        strbuf_adds(&line, p->argv.items[i]);
    }
    strbuf_addc(&line, '\n');
    if (write(2, line.data, line.length) < 0) {
        /* nowhere to report it */
    }
    strbuf_free(&line);
}

/* A function called by a lone simple command: its redirections
 * ("f > out") apply to the shell's fds while it runs. */
static int run_function_here(struct function *function, struct prepared *p)
{
    struct saved_fds saved;
    int status = 1;
    if (redir_push(p->command->redirs, p->command->redir_count, &saved) == 0)
        status = functions_call(function, p->argv.items, p->argv.count);
    redir_pop(&saved);
    return status;
}

/* Expands every command of the pipeline. Returns false after reporting an
 * expansion error ("${x: missing }"). */
static bool prepare(const struct pipeline *pipeline, struct prepared *commands)
{
    for (int i = 0; i < pipeline->count; i++) {
        commands[i].command = &pipeline->commands[i];
        if (pipeline->commands[i].kind != COMMAND_SIMPLE)
            continue;
        const char *error =
            expand_command(&pipeline->commands[i], &commands[i].argv, &commands[i].assignments);
        if (error) {
            shell_error("%s", error);
            if (!shell.interactive)
                shell.exit_requested = true; /* as dash: a script stops at a bad expansion */
            return false;
        }
        if (shell.xtrace)
            exec_trace(&commands[i]);
        strip_command_word(&commands[i]);
    }
    return true;
}

/* Forks a pipeline as a new job; waits for it unless background. */
static int run_job(struct prepared *commands, int count, bool background, const char *text)
{
    struct job *job = jobs_create(text, count);
    if (!job) {
        shell_error("too many jobs (%d): wait for some to end", JOBS_MAX);
        return 1;
    }
    int launched = launch_children(commands, count, job, !background);
    if (job->proc_count == 0) {
        jobs_discard(job);
        return 1;
    }
    if (!background) {
        int status = jobs_wait_foreground(job, false);
        return launched < 0 ? 1 : status;
    }
    job->background = true;
    shell.last_background = job->procs[job->proc_count - 1].pid;
    if (shell.interactive)
        fd_printf(2, "[%d] %d\n", job->id, (int)shell.last_background);
    return launched < 0 ? 1 : 0;
}

static int run_pipeline(const struct pipeline *pipeline, bool background, const char *text)
{
    const struct command *first = &pipeline->commands[0];
    if (pipeline->count == 1 && !background && first->kind != COMMAND_SIMPLE &&
        first->kind != COMMAND_SUBSHELL) {
        if (pipeline->negate)
            shell.errexit_ignored++;
        int status = exec_command_here(first);
        if (pipeline->negate) {
            shell.errexit_ignored--;
            status = status == 0 ? 1 : 0;
        }
        return status;
    }
    struct prepared *commands = mem_alloc((size_t)pipeline->count * sizeof *commands);
    memset(commands, 0, (size_t)pipeline->count * sizeof *commands);
    int status = 2;
    if (prepare(pipeline, commands)) {
        bool simple = first->kind == COMMAND_SIMPLE && commands[0].argv.count > 0;
        const struct builtin *builtin = simple ? builtin_find(commands[0].argv.items[0]) : NULL;
        struct function *function = simple ? function_for(&commands[0]) : NULL;
        if (pipeline->count > 1 || background || first->kind != COMMAND_SIMPLE)
            status = run_job(commands, pipeline->count, background, text);
        else if (function)
            status = run_function_here(function, &commands[0]);
        else if (commands[0].argv.count == 0)
            status = run_without_command(&commands[0]);
        else if (builtin)
            status = run_builtin_here(builtin, &commands[0]);
        else
            status = run_job(commands, 1, false, text);
    }
    for (int i = 0; i < pipeline->count; i++) {
        strvec_free(&commands[i].argv);
        strvec_free(&commands[i].assignments);
    }
    free(commands);
    if (pipeline->negate)
        status = status == 0 ? 1 : 0;
    return status;
}

/*
 * a && b || c: each pipeline runs or is skipped by the status so far.
 * set -e ends the shell when the last one fails: a failure before && or ||
 * is a test, as is one after "!".
 */
static int run_and_or(const struct and_or *and_or)
{
    int status = 0;
    bool last_ran = false;
    for (int i = 0; i < and_or->count && !shell.exit_requested && shell.skip == SKIP_NONE; i++) {
        last_ran = false;
        if (i > 0 && (and_or->ops[i - 1] == AND_OR_AND) != (status == 0))
            continue; /* && runs after success, || after failure */
        bool tested = i < and_or->count - 1;
        shell.errexit_ignored += tested;
        status = run_pipeline(&and_or->pipelines[i], false, and_or->text);
        shell.errexit_ignored -= tested;
        shell.last_status = status;
        last_ran = !and_or->pipelines[i].negate;
    }
    if (status != 0 && last_ran && shell.errexit && shell.errexit_ignored == 0)
        shell.exit_requested = true;
    return status;
}

/* "a && b &": the whole list goes to the background, so a child shell runs
 * it (without job control of its own) and that child is the job. */
static int run_and_or_in_background(const struct and_or *and_or)
{
    if (and_or->count == 1)
        return run_pipeline(&and_or->pipelines[0], true, and_or->text);
    struct job *job = jobs_create(and_or->text, 1);
    if (!job) {
        shell_error("too many jobs (%d): wait for some to end", JOBS_MAX);
        return 1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        shell_error("fork: %s", strerror(errno));
        jobs_discard(job);
        return 1;
    }
    if (pid == 0) {
        if (shell.job_control)
            setpgid(0, 0);
        signals_reset_for_child(!shell.job_control);
        subshell_enter();
        shell_exit(run_and_or(and_or));
    }
    if (shell.job_control)
        setpgid(pid, pid);
    job->pgid = pid;
    job->background = true;
    jobs_add_process(job, pid);
    shell.last_background = pid;
    if (shell.interactive)
        fd_printf(2, "[%d] %d\n", job->id, (int)pid);
    return 0;
}

/* Runs every item of the list in order; returns the last status ($?).
 * Stops early for exit, break, continue and return; runs the traps of
 * signals that arrived after each item. */
int exec_list(const struct cmd_list *list)
{
    for (int i = 0; i < list->count && !shell.exit_requested && shell.skip == SKIP_NONE; i++) {
        const struct and_or *item = &list->items[i];
        shell.last_status = item->background ? run_and_or_in_background(item) : run_and_or(item);
        if (trap_pending)
            trap_run_pending();
    }
    return shell.last_status;
}
