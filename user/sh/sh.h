/*
 * sh.h - the shell's one header: the syntax tree, the job table, the shell's
 * state, and every function one part of the shell calls in another.
 *
 * How a line travels through the shell:
 *
 *   lineedit_read()    the user edits "ls -l | wc -l > out &"            lineedit.c (terminals)
 *   input_run()        collects lines until a command is complete      input.c
 *   lex_line()         WORD WORD | WORD WORD > WORD &                    lex.c
 *   parse_line()       list -> and_or -> pipeline -> command             parse.c parse_compound.c
 *   exec_list()        expands words, forks, pipes, redirects, execs     exec.c expand.c redir.c
 *                      (if, while, for, case, functions: in the shell)   compound.c
 *   jobs_wait_foreground()   waitpid until the job ends or stops         jobs.c
 *
 * Builtins (cd, exit, fg, set, read, ...) are the commands that must run
 * inside the shell process itself, because they change the shell:
 * builtins*.c, jobctl.c, trap.c. docs/shell.md lists what the shell does.
 */
#ifndef USER_SH_SH_H
#define USER_SH_SH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* --- limits: one home for every number a lab might change ---------------- */

#define SH_FD_MAX 9            /* redirections may name fds 0..9, as POSIX requires */
#define JOBS_MAX 64            /* background and stopped jobs the shell remembers */
#define DEFAULT_PATH "/bin"    /* PATH when the environment has none */
#define SHELL_PATH "/bin/sh"   /* runs executable files that are not binaries */
#define SH_CWD_MAX 4096        /* longest working directory cd and pwd handle (PATH_MAX) */
#define SAVED_FD_MIN 10        /* where the shell keeps copies of fds it redirects for a while */
#define HEREDOC_PIPE_MAX 32768 /* bigger here-documents are written by a child */
#define LINE_MAX_BYTES 4095    /* longest line the editor takes, as Linux's canonical mode */
#define HISTORY_MAX 500        /* lines the shell remembers for the up arrow */

/* --- writing text and errors (output.c) ---------------------------------- */

/* printf to a file descriptor with one write(2); -1 on error (e.g. EBADF). */
int fd_printf(int fd, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Prints "sh: <message>\n" on the shell's stderr (fd 2). */
void shell_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* --- memory: growable strings and string lists (strbuf.c) ---------------- */

/* Every allocation goes through these: running out of memory ends the shell
 * with a message instead of a NULL dereference later. */
void *mem_alloc(size_t size);
void *mem_realloc(void *old, size_t size);
char *mem_strdup(const char *s);
char *mem_strndup(const char *s, size_t length);

/* Makes room for one more element in a growable array. */
#define ARRAY_RESERVE(array, count, capacity)                                                      \
    do {                                                                                           \
        if ((count) >= (capacity)) {                                                               \
            (capacity) = (capacity) ? 2 * (capacity) : 4;                                          \
            (array) = mem_realloc((array), (size_t)(capacity) * sizeof *(array));                  \
        }                                                                                          \
    } while (0)

struct strbuf { /* a string that grows; zero-initialise before use */
    char *data; /* NUL-terminated once anything was added, else NULL */
    size_t length;
    size_t capacity;
};
void strbuf_add(struct strbuf *b, const char *s, size_t length);
void strbuf_addc(struct strbuf *b, char c);
void strbuf_adds(struct strbuf *b, const char *s);
const char *strbuf_str(const struct strbuf *b); /* "" when empty, never NULL */
char *strbuf_take(struct strbuf *b);            /* caller frees; b is empty after */
void strbuf_clear(struct strbuf *b);
void strbuf_free(struct strbuf *b);

struct strvec {   /* a growable, NULL-terminated array of owned strings */
    char **items; /* items[count] == NULL once anything was pushed */
    int count;
    int capacity;
};
void strvec_push(struct strvec *v, char *owned);
void strvec_free(struct strvec *v);

/* --- tokens (lex.c) ------------------------------------------------------ */

enum token_kind {
    TOKEN_WORD, /* anything else, quotes and $ kept as typed */
    TOKEN_NEWLINE,
    TOKEN_SEMI,      /* ;  */
    TOKEN_AMP,       /* &  */
    TOKEN_PIPE,      /* |  */
    TOKEN_AND_IF,    /* && */
    TOKEN_OR_IF,     /* || */
    TOKEN_LESS,      /* <  */
    TOKEN_GREAT,     /* >  */
    TOKEN_DGREAT,    /* >> */
    TOKEN_LESSAND,   /* <& */
    TOKEN_GREATAND,  /* >& */
    TOKEN_DLESS,     /* << here-document; text holds its body once read */
    TOKEN_DLESSDASH, /* <<- here-document with leading tabs stripped */
    TOKEN_LPAREN,    /* (  */
    TOKEN_RPAREN,    /* )  */
    TOKEN_DSEMI,     /* ;; ends a case item */
    TOKEN_END,       /* end of the text; always the last token */
};

struct token {
    enum token_kind kind;
    char *text;    /* TOKEN_WORD: the raw word; TOKEN_DLESS(DASH): the body; else NULL */
    bool quoted;   /* here-documents: the delimiter was quoted, so no expansion */
    int io_number; /* redirections: the N of "N>file", or -1 */
    size_t start;  /* where the token is in the source text, */
    size_t end;    /* so a job can be shown as the user typed it */
};

struct token_list {
    struct token *items;
    int count;
    int capacity;
};

enum syntax_status {
    SYNTAX_OK,
    SYNTAX_INCOMPLETE, /* the text stops early ("echo 'a", "a |"): read another line */
    SYNTAX_ERROR,      /* the text is wrong: say why, status 2 */
};

enum syntax_status lex_line(const char *text, struct token_list *out, char *error,
                            size_t error_size);
void lex_free(struct token_list *tokens);
const char *lex_token_name(enum token_kind kind);

/* --- the syntax tree (parse.c, parse_compound.c) ----------------------
 *
 *   "a | b > f && c ; d &"   is a cmd_list of two and_or items:
 *
 *   cmd_list
 *    +- and_or  [a | b > f] && [c]           terminated by ;
 *    |           pipeline      pipeline
 *    |           +- command a
 *    |           +- command b  (redir 1 > f)
 *    +- and_or  [d]                          terminated by &: background
 *
 * A command is simple (words) or compound: its parts are cmd_lists again,
 *
 *   if a; then b; else c; fi      COMMAND_IF    part[0] = a, part[1] = b, part[2] = c
 *   while a; do b; done           COMMAND_WHILE part[0] = a, part[1] = b
 *   for x in 1 2; do b; done      COMMAND_FOR   name = x, words = 1 2, part[1] = b
 *   case w in p|q) b;; esac       COMMAND_CASE  words[0] = w, items = {p q: b}
 *   { a; }  ( a )                 COMMAND_GROUP, COMMAND_SUBSHELL  part[1] = a
 *   f() { a; }                    COMMAND_FUNCTION  name = f, function->body
 */

enum redir_kind {
    REDIR_IN,      /* N<file   (N defaults to 0) */
    REDIR_OUT,     /* N>file   (N defaults to 1) */
    REDIR_APPEND,  /* N>>file  */
    REDIR_DUP,     /* N>&M, N<&M: fd N becomes a copy of fd M; M "-" closes N */
    REDIR_HEREDOC, /* N<<EOF: target is the body */
};

struct redir {
    enum redir_kind kind;
    int fd;       /* the N: which of the program's fds this sets */
    char *target; /* raw word: a file name, or M for REDIR_DUP, or the body */
    bool quoted;  /* REDIR_HEREDOC: body is taken literally */
};

enum command_kind {
    COMMAND_SIMPLE,
    COMMAND_SUBSHELL,
    COMMAND_GROUP,
    COMMAND_IF,
    COMMAND_WHILE,
    COMMAND_UNTIL,
    COMMAND_FOR,
    COMMAND_CASE,
    COMMAND_FUNCTION,
};

struct cmd_list;
struct function;

struct case_item {
    struct strvec patterns; /* raw words */
    struct cmd_list *body;
};

struct command {
    enum command_kind kind;
    char **words; /* simple: raw words, NAME=value first; for: the list; case: the subject */
    int word_count, word_capacity;
    struct redir *redirs;
    int redir_count, redir_capacity;
    char *name;               /* for: the variable; function: its name */
    bool for_has_in;          /* for x in ...: else "$@" */
    struct cmd_list *part[3]; /* see the picture above */
    struct case_item *items;  /* case */
    int item_count, item_capacity;
    struct function *function; /* COMMAND_FUNCTION */
};

struct function { /* a defined function: shared by the tree and the table */
    int references;
    struct command body;
};

struct pipeline { /* [!] command | command | ... */
    struct command *commands;
    int count;
    bool negate; /* "! cmd": invert the exit status */
};

enum and_or_op { AND_OR_AND, AND_OR_OR };

struct and_or { /* pipeline && pipeline || pipeline ... */
    struct pipeline *pipelines;
    enum and_or_op *ops; /* ops[i] joins pipelines[i] and pipelines[i + 1] */
    int count;
    bool background; /* ended with & */
    char *text;      /* the source text, for "[1]+  Stopped  text" */
};

struct cmd_list {
    struct and_or *items;
    int count;
};

enum syntax_status parse_line(const char *text, struct cmd_list *out, char *error,
                              size_t error_size);
void parse_free(struct cmd_list *list);
void command_free(struct command *command);
void function_release(struct function *function);

/* --- the shell's state and variables (vars.c) ---------------------------- */

struct shell {
    /* set at start-up (main.c); a background subshell turns job control off: */
    pid_t pid;        /* $$ */
    bool interactive; /* prompts, "[1] 123", job notices */
    bool job_control; /* process groups and handing the terminal over */
    int tty_fd;       /* the terminal, when job_control */
    pid_t pgid;       /* the shell's own process group */
    const char *name; /* $0 */
    char **params;    /* $1 ... (owned: set --, shift and functions change them) */
    int param_count;  /* $# */

    /* set -e, set -x, set -f, set -u: */
    bool errexit, xtrace, noglob, nounset;
    int errexit_ignored; /* > 0 inside if/while conditions, before && ||, after ! */

    /* break, continue and return unwind the commands between them and their target: */
    /* SKIP_INTERRUPT: ^C killed a foreground job; the rest of the line is dropped */
    enum { SKIP_NONE, SKIP_BREAK, SKIP_CONTINUE, SKIP_RETURN, SKIP_INTERRUPT } skip;
    int skip_count; /* break N: loops still to leave */
    int loop_depth; /* loops we are inside (in this function) */
    int function_depth;
    bool in_subshell; /* a forked child running shell code: exit, do not return */
    int source_depth; /* files being read by . or source */

    /* change as commands run: */
    int last_status;       /* $? */
    pid_t last_background; /* $!, 0 before the first background job */
    bool exit_requested;   /* the exit builtin ran (or set -e fired): unwind and leave */
    bool warned_stopped;   /* "there are stopped jobs" was said once */

    /* a foreground job stopped or was killed by a signal: the terminal's
     * modes may be what it set (raw, no echo); the line editor puts back
     * the last modes a normal exit left (lineedit_tty.c): */
    bool terminal_suspect;

    /* set by the SIGINT handler, read by loops that wait or read: */
    volatile sig_atomic_t interrupted;
};
extern struct shell shell;

const char *vars_get(const char *name); /* NULL when unset */
void vars_set(const char *name, const char *value);
int vars_assign(const char *assignment, bool exported); /* "NAME=value"; -1 if bad name */
void vars_export(const char *name);
void vars_unset(const char *name);
bool vars_is_name(const char *s, size_t length);
void vars_import(char **environment);
void vars_build_environment(const struct strvec *assignments, struct strvec *out);
void vars_print_exported(int fd);
void vars_free_all(void);
void vars_set_params(char **params, int count); /* copies them */
void vars_local(const char *name);              /* local NAME: restored when the function returns */
int vars_local_mark(void);
void vars_local_restore(int mark);
void vars_print_all(int fd);

/* --- expansion (expand.c) -------------------------------------------------
 * Each returns NULL on success or a message ("bad substitution") on error. */

const char *expand_word(const char *raw, struct strvec *fields);
const char *expand_word_single(const char *raw, char **out);
const char *expand_word_pattern(const char *raw, char **out); /* quoted glob chars escaped */
const char *expand_heredoc(const char *body, char **out);
char *expand_command_output(const char *text, bool backquoted, int *status);
extern int expand_substitution_status; /* $? of the last $(...) of a command, or -1 */
const char *expand_command(const struct command *command, struct strvec *argv,
                           struct strvec *assignments);
bool expand_is_assignment(const char *raw);

/* --- builtins (builtins.c, jobctl.c, exec.c) ------------------------------ */

/* Where a builtin's fds really go: fd[1] is its "stdout". Redirections of a
 * builtin that runs inside the shell change this table, not the shell's own
 * fds, so "pwd > f" cannot disturb the shell's stdout (redir.c). */
struct builtin_io {
    int fd[SH_FD_MAX + 1];     /* -1: closed */
    int opened[SH_FD_MAX + 1]; /* files opened for this builtin, closed after */
    int opened_count;
};

struct builtin {
    const char *name;
    /* Runs in the shell process (or in a child, inside a pipeline). Returns
     * the exit status. Writes only through io, never through stdio. */
    int (*run)(int argc, char **argv, struct builtin_io *io);
    /* exec: redirections change the shell's own fds, for good. */
    bool permanent_redirections;
    const char *usage;
    /* eval, source: the commands they run must see the redirections
     * ("eval cmd > f"), so they are applied to the shell's fds for the
     * builtin's duration (redir_push), not mapped in io. */
    bool runs_shell_code;
};

const struct builtin *builtin_find(const char *name);
void builtin_error(struct builtin_io *io, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
int builtin_jobs(int argc, char **argv, struct builtin_io *io);
int builtin_fg(int argc, char **argv, struct builtin_io *io);
int builtin_bg(int argc, char **argv, struct builtin_io *io);
int builtin_wait(int argc, char **argv, struct builtin_io *io);
int builtin_kill(int argc, char **argv, struct builtin_io *io);
int builtin_exec(int argc, char **argv, struct builtin_io *io);

/* --- redirections (redir.c) ---------------------------------------------- */

int redir_apply(const struct redir *redirs, int count); /* really; 0 or -1 */
struct saved_fds {                                      /* what redir_push changed, for redir_pop */
    int fd[SH_FD_MAX + 1];
    int copy[SH_FD_MAX + 1];
    int count;
};
int redir_push(const struct redir *redirs, int count, struct saved_fds *saved);
void redir_pop(struct saved_fds *saved);
void redir_io_init(struct builtin_io *io);
int redir_map(const struct redir *redirs, int count, struct builtin_io *io);
void redir_unmap(struct builtin_io *io);

/* --- running commands (exec.c) ------------------------------------------- */

int exec_list(const struct cmd_list *list);
int exec_compound_body(const struct command *command); /* without its redirections */
int exec_program(char **argv, const struct strvec *assignments);

/* --- jobs (jobs.c) ------------------------------------------------------- */

struct process {
    pid_t pid;
    int status;   /* the last wait status seen: exit, signal or stop */
    bool done;    /* exited or killed */
    bool stopped; /* stopped by a signal (^Z, SIGSTOP, SIGTTIN) */
};

struct job {
    int id;     /* the 1 of "%1"; 0 marks a free slot */
    pid_t pgid; /* its process group (the first process's pid) */
    char *text; /* as typed: "sleep 10 | cat" */
    struct process *procs;
    int proc_count;
    bool background;       /* not being waited for by the shell */
    bool changed;          /* stopped or ended since the user was last told */
    unsigned long touched; /* when it last started, stopped or resumed: picks %+ */
};

struct job *jobs_create(const char *text, int process_capacity);
void jobs_add_process(struct job *job, pid_t pid);
void jobs_discard(struct job *job);
void jobs_forget_all(void);
int jobs_wait_foreground(struct job *job, bool resume);
int jobs_wait_running(struct job *job, bool interruptible);
bool jobs_is_done(const struct job *job);
bool jobs_is_stopped(const struct job *job);
int jobs_exit_status(const struct job *job);
void jobs_continue(struct job *job, bool background);
int jobs_signal(struct job *job, int signo);
void jobs_reap(void);
void jobs_notify(int fd);
void jobs_print(const struct job *job, int fd, bool with_pid);
struct job *jobs_current(void);
struct job *jobs_from_spec(const char *spec, bool number_is_pid);
struct job *jobs_at(int index); /* slot index 0..JOBS_MAX-1, NULL if free */
bool jobs_any_stopped(void);
void jobs_hang_up_stopped(void);

/* --- signals (signals.c) ------------------------------------------------- */

void signals_init_children(void);
void signals_init_shell(void);
void signals_reset_for_child(bool ignore_interrupts);
const char *signals_describe(int signo);
int signals_from_name(const char *name);
const char *signals_name(int signo);
void signals_list(int fd);
int status_to_exit_code(int wait_status);

/* --- arithmetic: $((...)) (arith.c) --------------------------------------- */

/* Evaluates a C-like integer expression; variables are read and assigned.
 * Returns NULL, or a message ("division by zero"). */
const char *arith_eval(const char *expression, long *result);

/* --- patterns and pathname expansion (glob.c) ----------------------------- */

/* Does string match the shell pattern (*, ?, [a-z], [!x], \ escapes)? */
bool glob_match(const char *pattern, const char *string);
/* Does the pattern have an unescaped *, ? or [ ? */
bool glob_has_magic(const char *pattern);
/* Appends the sorted paths matching pattern; returns how many. */
int glob_expand(const char *pattern, struct strvec *out);
/* Removes the backslashes of a pattern: the word when nothing matches. */
char *glob_unescape(const char *pattern);

/* --- functions, traps and more builtins (func.c, trap.c, builtins_*.c) --- */

struct function *functions_find(const char *name);
void functions_define(const char *name, struct function *function);
void functions_names(struct strvec *out); /* for Tab completion */
int functions_call(struct function *function, char **argv, int argc);
int exec_command_here(const struct command *command); /* compound commands, in this process */
int exec_string(const char *text, const char *name);  /* eval, traps, $(...) */
void shell_exit(int status) __attribute__((noreturn));
void subshell_enter(void); /* in a forked child that runs shell code */

int trap_builtin(int argc, char **argv, struct builtin_io *io);
void trap_run_pending(void);
void trap_run_exit(void);
void trap_reset_for_subshell(void);
extern volatile sig_atomic_t trap_pending;

int builtin_fatal(struct builtin_io *io, const char *message);
int builtin_getopts(int argc, char **argv, struct builtin_io *io);
int builtin_type(int argc, char **argv, struct builtin_io *io);
int builtin_command(int argc, char **argv, struct builtin_io *io);
int builtin_test(int argc, char **argv, struct builtin_io *io);
int builtin_printf(int argc, char **argv, struct builtin_io *io);
int builtin_read(int argc, char **argv, struct builtin_io *io);
int builtin_set(int argc, char **argv, struct builtin_io *io);
int builtin_shift(int argc, char **argv, struct builtin_io *io);
int builtin_local(int argc, char **argv, struct builtin_io *io);
int builtin_eval(int argc, char **argv, struct builtin_io *io);
int builtin_return(int argc, char **argv, struct builtin_io *io);
int builtin_break(int argc, char **argv, struct builtin_io *io);
void builtin_names(struct strvec *out); /* for Tab completion */

/* --- reading commands (input.c) ------------------------------------------ */

struct input {
    int fd;           /* read lines from this fd, or when < 0 ... */
    const char *text; /* ... from this string (sh -c, scripts, source) */
    size_t text_pos;
    bool from_tty;    /* fd is a terminal: one read() returns one line */
    bool prompts;     /* print "$ " and "> " */
    const char *name; /* script name for error messages, or NULL */
    int line_number;
};

void input_from_fd(struct input *in, int fd, bool prompts);
void input_from_text(struct input *in, const char *text, const char *name);
int input_run(struct input *in);
int input_run_file(const char *path, int error_fd);

#endif
