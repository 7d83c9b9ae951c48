/*
 * compound.c - running if, while, until, for, case, { } and ( ), and
 * calling functions.
 *
 * These run inside the shell process (no fork), so a variable set in a loop
 * is still set after it, as in every POSIX shell. Only ( list ) and a
 * compound command in a pipeline get a child of their own (exec.c forks
 * them and calls exec_compound_body there).
 *
 * break, continue and return do not jump: they set shell.skip, and every
 * list and loop between them and their target stops early:
 *
 *   while ...; do              shell.skip = SKIP_BREAK, skip_count = 2
 *     for ...; do                |
 *       break 2  ----------------+  for: count 2 -> 1, stop, pass it on
 *     done                          while: count 1 -> 0, stop, clear skip
 *   done
 */
#include "user/sh/sh.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* After a loop body: should the loop stop? Consumes a break or continue
 * meant for this loop. */
static bool loop_should_stop(void)
{
    if (shell.skip == SKIP_BREAK || shell.skip == SKIP_CONTINUE) {
        if (--shell.skip_count > 0)
            return true; /* meant for an outer loop */
        bool stop = shell.skip == SKIP_BREAK;
        shell.skip = SKIP_NONE;
        return stop;
    }
    return shell.skip != SKIP_NONE || shell.exit_requested; /* return, ^C */
}

/* A condition: its failure is a test, not an error, for set -e. */
static int run_condition(const struct cmd_list *list)
{
    shell.errexit_ignored++;
    int status = exec_list(list);
    shell.errexit_ignored--;
    return status;
}

static int run_if(const struct command *command)
{
    int condition = run_condition(command->part[0]);
    if (shell.skip != SKIP_NONE || shell.exit_requested)
        return condition;
    if (condition == 0)
        return exec_list(command->part[1]);
    if (command->part[2])
        return exec_list(command->part[2]);
    return 0;
}

static int run_while(const struct command *command)
{
    int status = 0;
    shell.loop_depth++;
    for (;;) {
        int condition = run_condition(command->part[0]);
        if (shell.skip != SKIP_NONE || shell.exit_requested) {
            if (loop_should_stop())
                break;
            continue;
        }
        if ((condition == 0) != (command->kind == COMMAND_WHILE))
            break;
        status = exec_list(command->part[1]);
        if (loop_should_stop())
            break;
    }
    shell.loop_depth--;
    return status;
}

static int run_for(const struct command *command)
{
    struct strvec values = {0};
    if (command->for_has_in) {
        for (int i = 0; i < command->word_count; i++) {
            const char *error = expand_word(command->words[i], &values);
            if (error) {
                shell_error("%s", error);
                strvec_free(&values);
                return 1;
            }
        }
    } else {
        for (int i = 0; i < shell.param_count; i++)
            strvec_push(&values, mem_strdup(shell.params[i]));
    }
    int status = 0;
    shell.loop_depth++;
    for (int i = 0; i < values.count; i++) {
        vars_set(command->name, values.items[i]);
        status = exec_list(command->part[1]);
        if (loop_should_stop())
            break;
    }
    shell.loop_depth--;
    strvec_free(&values);
    return status;
}

/* case WORD in PATTERN) ...: the first item with a matching pattern runs. */
static int run_case(const struct command *command)
{
    char *subject;
    const char *error = expand_word_single(command->words[0], &subject);
    if (error) {
        shell_error("%s", error);
        return 1;
    }
    int status = 0;
    bool matched = false;
    for (int i = 0; i < command->item_count && !matched; i++) {
        const struct case_item *item = &command->items[i];
        for (int j = 0; j < item->patterns.count && !matched; j++) {
            char *pattern;
            error = expand_word_pattern(item->patterns.items[j], &pattern);
            if (error) {
                shell_error("%s", error);
                continue;
            }
            matched = glob_match(pattern, subject);
            free(pattern);
        }
        if (matched)
            status = exec_list(item->body);
    }
    free(subject);
    return status;
}

/* A compound command's own work, its redirections already in place. */
int exec_compound_body(const struct command *command)
{
    switch (command->kind) {
    case COMMAND_IF:
        return run_if(command);
    case COMMAND_WHILE:
    case COMMAND_UNTIL:
        return run_while(command);
    case COMMAND_FOR:
        return run_for(command);
    case COMMAND_CASE:
        return run_case(command);
    case COMMAND_GROUP:
    case COMMAND_SUBSHELL: /* the caller has forked already */
        return exec_list(command->part[1]);
    case COMMAND_FUNCTION:
        functions_define(command->name, command->function);
        return 0;
    case COMMAND_SIMPLE:
        break;
    }
    return 0;
}

/* A compound command in the shell, with its redirections for its duration. */
int exec_command_here(const struct command *command)
{
    if (command->redir_count == 0)
        return exec_compound_body(command);
    struct saved_fds saved;
    int status = 1;
    if (redir_push(command->redirs, command->redir_count, &saved) == 0)
        status = exec_compound_body(command);
    redir_pop(&saved);
    return status;
}

/* --- functions ----------------------------------------------------------- */

struct function_entry {
    char *name;
    struct function *function;
};
static struct function_entry *function_table;
static int function_count, function_capacity;

struct function *functions_find(const char *name)
{
    for (int i = 0; i < function_count; i++)
        if (strcmp(function_table[i].name, name) == 0)
            return function_table[i].function;
    return NULL;
}

void functions_names(struct strvec *out)
{
    for (int i = 0; i < function_count; i++)
        strvec_push(out, mem_strdup(function_table[i].name));
}

void functions_define(const char *name, struct function *function)
{
    function->references++;
    for (int i = 0; i < function_count; i++) {
        if (strcmp(function_table[i].name, name) == 0) {
            function_release(function_table[i].function);
            function_table[i].function = function;
            return;
        }
    }
    ARRAY_RESERVE(function_table, function_count, function_capacity);
    function_table[function_count++] = (struct function_entry){mem_strdup(name), function};
}

/* Runs a function with argv[1..] as $1...; return ends it early. */
int functions_call(struct function *function, char **argv, int argc)
{
    char **saved_params = shell.params;
    int saved_count = shell.param_count, saved_loops = shell.loop_depth;
    shell.params = NULL;
    shell.param_count = 0;
    vars_set_params(argv + 1, argc - 1);
    int mark = vars_local_mark();
    function->references++; /* it may redefine itself while it runs */
    shell.function_depth++;
    shell.loop_depth = 0;
    int status = exec_command_here(&function->body);
    if (shell.skip == SKIP_RETURN) {
        shell.skip = SKIP_NONE;
        status = shell.last_status;
    }
    shell.function_depth--;
    shell.loop_depth = saved_loops;
    vars_local_restore(mark);
    vars_set_params(NULL, 0);
    free(shell.params);
    shell.params = saved_params;
    shell.param_count = saved_count;
    function_release(function);
    return status;
}

/* --- whole strings of commands, and leaving ------------------------------ */

/* eval and traps: parse text and run it in this shell. */
int exec_string(const char *text, const char *name)
{
    struct input in;
    input_from_text(&in, text, name);
    return input_run(&in);
}

/* In a forked child that goes on running shell code ($(...), ( ), a
 * pipeline's compound command): no job control, no prompts, no traps. */
void subshell_enter(void)
{
    shell.interactive = shell.job_control = false;
    shell.in_subshell = true;
    jobs_forget_all();
    trap_reset_for_subshell();
}

/* Leaves the shell: the EXIT trap first, then exit with status. */
void shell_exit(int status)
{
    shell.last_status = status;
    trap_run_exit();
    _exit(shell.last_status & 255);
}
