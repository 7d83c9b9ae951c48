/*
 * test_user_sh.c - the shell (user/sh/): tokens, syntax tree, expansion,
 * and running command lines through the real executor on the host.
 *
 * The shell's .c files are included directly (all but main.c) so the tests
 * reach their static helpers. Expectations are written as compact dumps:
 *
 *   lex:     echo 'a b' 2>&1 | wc      ->  [echo] ['a b'] 2>& [1] | [wc]
 *   parse:   a | b > f && c ; d &      ->  {a} | {b 1>f} && {c} ; {d} &
 *   expand:  "x  y" $E z               ->  <x  y><z>     (each field in <>)
 */
#include "tests/unit/sh_sources.h"

#include "tests/unit/unit.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>

/* --- helpers ------------------------------------------------------------- */

/* Reports a table row that failed, naming its input. */
static void expect_str(int line, const char *input, const char *got, const char *want)
{
    if (strcmp(got, want) != 0) {
        char why[1024];
        snprintf(why, sizeof why, "for input \"%.200s\": expected \"%.300s\", got \"%.300s\"",
                 input, want, got);
        unit_fail(__FILE__, line, why);
    }
}

static char dump[4096];

static void dump_add(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void dump_add(const char *format, ...)
{
    size_t used = strlen(dump);
    va_list args;
    va_start(args, format);
    vsnprintf(dump + used, sizeof dump - used, format, args);
    va_end(args);
}

static const char *lex_dump(const char *text)
{
    struct token_list tokens = {0};
    char error[256];
    enum syntax_status status = lex_line(text, &tokens, error, sizeof error);
    dump[0] = '\0';
    if (status != SYNTAX_OK) {
        dump_add("%s: %s", status == SYNTAX_INCOMPLETE ? "INCOMPLETE" : "ERROR", error);
    } else {
        for (int i = 0; i < tokens.count && tokens.items[i].kind != TOKEN_END; i++) {
            const struct token *t = &tokens.items[i];
            dump_add("%s", i ? " " : "");
            if (t->io_number >= 0)
                dump_add("%d", t->io_number);
            if (t->kind == TOKEN_WORD)
                dump_add("[%s]", t->text);
            else
                dump_add("%s", t->kind == TOKEN_NEWLINE ? "NL" : lex_token_name(t->kind));
        }
    }
    lex_free(&tokens);
    return dump;
}

static void dump_command(const struct command *c)
{
    static const char *const ops[] = {
        [REDIR_IN] = "<", [REDIR_OUT] = ">", [REDIR_APPEND] = ">>", [REDIR_DUP] = ">&"};
    dump_add("{");
    for (int i = 0; i < c->word_count; i++)
        dump_add("%s%s", i ? " " : "", c->words[i]);
    for (int i = 0; i < c->redir_count; i++)
        dump_add("%s%d%s%s", c->word_count || i ? " " : "", c->redirs[i].fd, ops[c->redirs[i].kind],
                 c->redirs[i].target);
    dump_add("}");
}

static const char *parse_dump(const char *text)
{
    struct cmd_list list;
    char error[256];
    enum syntax_status status = parse_line(text, &list, error, sizeof error);
    dump[0] = '\0';
    if (status != SYNTAX_OK) {
        dump_add("%s: %s", status == SYNTAX_INCOMPLETE ? "INCOMPLETE" : "ERROR", error);
        return dump;
    }
    for (int i = 0; i < list.count; i++) {
        const struct and_or *a = &list.items[i];
        dump_add("%s", i ? " " : "");
        for (int j = 0; j < a->count; j++) {
            if (j > 0)
                dump_add(" %s ", a->ops[j - 1] == AND_OR_AND ? "&&" : "||");
            dump_add("%s", a->pipelines[j].negate ? "! " : "");
            for (int k = 0; k < a->pipelines[j].count; k++) {
                dump_add("%s", k ? " | " : "");
                dump_command(&a->pipelines[j].commands[k]);
            }
        }
        dump_add(" %s", a->background ? "&" : ";");
    }
    parse_free(&list);
    return dump;
}

static const char *expand_dump(const char *raw)
{
    struct strvec fields = {0};
    const char *error = expand_word(raw, &fields);
    dump[0] = '\0';
    if (error)
        dump_add("ERROR: %s", error);
    for (int i = 0; i < fields.count; i++)
        dump_add("<%s>", fields.items[i]);
    strvec_free(&fields);
    return dump;
}

/* A fresh shell: no variables, no jobs, not interactive. */
static void shell_reset(void)
{
    vars_set_params(NULL, 0);
    vars_free_all();
    jobs_forget_all();
    shell = (struct shell){.pid = 4242, .name = "sh"};
}

/* Runs a command line the way sh -c would; returns its status. */
static int run(const char *text)
{
    struct input in;
    shell.exit_requested = false;
    input_from_text(&in, text, NULL);
    return input_run(&in);
}

static const char *var(const char *name)
{
    const char *value = vars_get(name);
    return value ? value : "(unset)";
}

/* A scratch directory for files the commands write. */
static const char *scratch_path(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "/tmp/sh-unit-%d", (int)getpid());
    mkdir(path, 0700);
    snprintf(path + strlen(path), sizeof path - strlen(path), "/%s", name);
    return path;
}

static const char *file_contents(const char *path)
{
    static char contents[1024];
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, contents, sizeof contents - 1);
    contents[n < 0 ? 0 : n] = '\0';
    if (fd >= 0)
        close(fd);
    return n < 0 ? "(unreadable)" : contents;
}

struct row {
    const char *input;
    const char *expected;
};
#define ROWS(table, dumper)                                                                        \
    for (size_t i_ = 0; i_ < sizeof table / sizeof table[0]; i_++)                                 \
    expect_str(__LINE__, table[i_].input, dumper(table[i_].input), table[i_].expected)

/* --- lexing -------------------------------------------------------------- */

static void lex_splits_words_at_blanks_not_inside_quotes(void)
{
    static const struct row rows[] = {
        {"echo hello   world", "[echo] [hello] [world]"},
        {"\techo\t'a b'  \"c  d\"", "[echo] ['a b'] [\"c  d\"]"},
        {"a\\ b 'x'\"y\"z", "[a\\ b] ['x'\"y\"z]"},
        {"echo \"a|b;c&d>e\"", "[echo] [\"a|b;c&d>e\"]"},
        {"echo 'it''s' \"say \\\"hi\\\"\"", "[echo] ['it''s'] [\"say \\\"hi\\\"\"]"},
        {"echo $HOME ${X}y", "[echo] [$HOME] [${X}y]"},
        {"", ""},
        {"   ", ""},
    };
    ROWS(rows, lex_dump);
}

static void lex_matches_longest_operator_first(void)
{
    static const struct row rows[] = {
        {"a&&b||c", "[a] && [b] || [c]"},
        {"a|b&c;d", "[a] | [b] & [c] ; [d]"},
        {"a>>f<g>h", "[a] >> [f] < [g] > [h]"},
        {"a >&2 <&0", "[a] >& [2] <& [0]"},
        {"a<<EOF", "INCOMPLETE: here-document without its end line"},
        {"a<<EOF\nbody\nEOF\n", "[a] << [EOF] NL"},
        {"a<<-EOF;;b", "INCOMPLETE: here-document without its end line"},
        {"a\nb", "[a] NL [b]"},
        {"(a)", "( [a] )"},
    };
    ROWS(rows, lex_dump);
}

static void lex_io_number_only_right_before_redirection(void)
{
    static const struct row rows[] = {
        {"cmd 2>err", "[cmd] 2> [err]"},
        {"cmd 2>&1", "[cmd] 2>& [1]"},
        {"cmd 2 >err", "[cmd] [2] > [err]"},
        {"cmd a2>err", "[cmd] [a2] > [err]"},
        {"cmd 0<in 9>>log", "[cmd] 0< [in] 9>> [log]"},
        {"cmd 12>f", "ERROR: 12: file descriptor out of range (0-9)"},
        {"echo 2", "[echo] [2]"},
    };
    ROWS(rows, lex_dump);
}

static void lex_comment_only_at_word_start(void)
{
    static const struct row rows[] = {
        {"echo a # a comment | not a pipe", "[echo] [a]"},
        {"echo a#b", "[echo] [a#b]"},
        {"echo '#not'", "[echo] ['#not']"},
        {"# only a comment", ""},
        {"a # c\nb", "[a] NL [b]"},
    };
    ROWS(rows, lex_dump);
}

static void lex_backslash_newline_joins_lines(void)
{
    static const struct row rows[] = {
        {"ec\\\nho hi", "[echo] [hi]"},
        {"echo a \\\n b", "[echo] [a] [b]"},
        {"echo \"a\\\nb\"", "[echo] [\"ab\"]"},
        {"echo 'a\\\nb'", "[echo] ['a\\\nb']"},
    };
    ROWS(rows, lex_dump);
}

static void lex_open_quote_or_trailing_backslash_is_incomplete(void)
{
    static const struct row rows[] = {
        {"echo 'abc", "INCOMPLETE: unterminated ' quote"},
        {"echo \"abc", "INCOMPLETE: unterminated \" quote"},
        {"echo \"a\\\"", "INCOMPLETE: unterminated \" quote"},
        {"echo abc\\", "INCOMPLETE: backslash at end of input"},
        {"echo abc\\\n", "INCOMPLETE: backslash at end of input"},
        {"echo abc \\\n", "INCOMPLETE: backslash at end of input"},
    };
    ROWS(rows, lex_dump);
}

static void lex_keeps_substitutions_inside_words(void)
{
    static const struct row rows[] = {
        {"echo $(ls)", "[echo] [$(ls)]"},
        {"echo `ls`x", "[echo] [`ls`x]"},
        {"echo \"$(ls)\"", "[echo] [\"$(ls)\"]"},
        {"echo '$(ls)'", "[echo] ['$(ls)']"},
        {"echo $(echo ')' \"(\")|cat", "[echo] [$(echo ')' \"(\")] | [cat]"},
        {"echo $(echo $(echo a b))", "[echo] [$(echo $(echo a b))]"},
        {"echo $((1 + (2 * 3)))", "[echo] [$((1 + (2 * 3)))]"},
        {"echo ${a:-b c;d}", "[echo] [${a:-b c;d}]"},
        {"echo `echo \\` b`", "[echo] [`echo \\` b`]"},
        {"echo $(ls", "INCOMPLETE: missing ')'"},
        {"echo ${a", "INCOMPLETE: missing '}'"},
        {"echo `ls", "INCOMPLETE: unterminated ` quote"},
    };
    ROWS(rows, lex_dump);
}

/* Here-document bodies are read after the newline, in order, into the << token. */
static void lex_reads_heredoc_bodies(void)
{
    static const struct {
        const char *input, *body;
        bool quoted;
    } rows[] = {
        {"cat <<EOF\nline $x\nEOF\n", "line $x\n", false},
        {"cat <<'EOF'\n$x\nEOF", "$x\n", true},
        {"cat <<\"E\"F\n$x\nEF\n", "$x\n", true},
        {"cat <<-EOF\n\t\tindented\n\tEOF\n", "indented\n", false},
        {"cat <<EOF\nEOF\n", "", false},
        {"cat <<EOF\n EOF\nEOF\n", " EOF\n", false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct token_list tokens = {0};
        char error[128];
        CHECK_EQ(lex_line(rows[i].input, &tokens, error, sizeof error), SYNTAX_OK);
        CHECK(tokens.count > 1 && tokens.items[1].kind != TOKEN_WORD);
        expect_str(__LINE__, rows[i].input, tokens.items[1].text ? tokens.items[1].text : "(null)",
                   rows[i].body);
        CHECK_EQ(tokens.items[1].quoted, rows[i].quoted);
        lex_free(&tokens);
    }
}

static void lex_records_where_each_token_is(void)
{
    struct token_list tokens = {0};
    char error[64];
    CHECK_EQ(lex_line("  ls -l 2>&1 |wc", &tokens, error, sizeof error), SYNTAX_OK);
    CHECK_EQ(tokens.count, 7);
    CHECK_EQ(tokens.items[0].start, 2);
    CHECK_EQ(tokens.items[0].end, 4);
    CHECK_EQ(tokens.items[2].start, 8); /* "2>&" starts at the 2 */
    CHECK_EQ(tokens.items[2].end, 11);
    CHECK_EQ(tokens.items[6].kind, TOKEN_END);
    lex_free(&tokens);
}

/* --- parsing ------------------------------------------------------------- */

static void parse_simple_commands_and_redirections(void)
{
    static const struct row rows[] = {
        {"ls", "{ls} ;"},
        {"ls -l /tmp", "{ls -l /tmp} ;"},
        {"cat <in >out", "{cat 0<in 1>out} ;"},
        {">out echo hi", "{echo hi 1>out} ;"},
        {"cmd >>log 2>&1", "{cmd 1>>log 2>&1} ;"},
        {"cmd 2>err <&3 >&-", "{cmd 2>err 0>&3 1>&-} ;"},
        {"cmd 3<in 4>out", "{cmd 3<in 4>out} ;"},
        {"> newfile", "{1>newfile} ;"},
        {"X=1 Y=2 env", "{X=1 Y=2 env} ;"},
    };
    ROWS(rows, parse_dump);
}

static void parse_pipelines_of_any_length(void)
{
    static const struct row rows[] = {
        {"a | b", "{a} | {b} ;"},
        {"a|b|c|d|e", "{a} | {b} | {c} | {d} | {e} ;"},
        {"a 2>&1 | b > f", "{a 2>&1} | {b 1>f} ;"},
        {"a |\n b", "{a} | {b} ;"},
    };
    ROWS(rows, parse_dump);
}

static void parse_and_or_lists_and_background(void)
{
    static const struct row rows[] = {
        {"a && b || c", "{a} && {b} || {c} ;"},
        {"a; b; c", "{a} ; {b} ; {c} ;"},
        {"a & b", "{a} & {b} ;"},
        {"a | b && c & d;", "{a} | {b} && {c} & {d} ;"},
        {"a &&\n\n b", "{a} && {b} ;"},
        {"sleep 1 &", "{sleep 1} &"},
        {"a & b &", "{a} & {b} &"},
        {"! false && true", "! {false} && {true} ;"},
        {"'!' x", "{'!' x} ;"},
        {"a\nb\n\nc", "{a} ; {b} ; {c} ;"},
        {"", ""},
        {"\n\n# nothing\n", ""},
    };
    ROWS(rows, parse_dump);
}

static void parse_trailing_operator_is_incomplete(void)
{
    static const struct row rows[] = {
        {"ls |", "INCOMPLETE: syntax error: unexpected end of input"},
        {"ls |\n", "INCOMPLETE: syntax error: unexpected end of input"},
        {"a &&", "INCOMPLETE: syntax error: unexpected end of input"},
        {"a ||\n\n", "INCOMPLETE: syntax error: unexpected end of input"},
        {"echo 'open\n", "INCOMPLETE: unterminated ' quote"},
    };
    ROWS(rows, parse_dump);
}

static void parse_syntax_errors_say_what_is_wrong(void)
{
    static const struct row rows[] = {
        {"; ls", "ERROR: syntax error near unexpected token ';'"},
        {"a ;; b", "ERROR: syntax error near unexpected token ';;'"},
        {"| a", "ERROR: syntax error near unexpected token '|'"},
        {"a | | b", "ERROR: syntax error near unexpected token '|'"},
        {"a && && b", "ERROR: syntax error near unexpected token '&&'"},
        {"&", "ERROR: syntax error near unexpected token '&'"},
        {"a & & b", "ERROR: syntax error near unexpected token '&'"},
        {"echo >", "INCOMPLETE: syntax error: unexpected end of input"},
        {"echo >\n", "ERROR: syntax error: '>' needs a file name, got 'newline'"},
        {"echo > | b", "ERROR: syntax error: '>' needs a file name, got '|'"},
        {"echo 2>&", "INCOMPLETE: syntax error: unexpected end of input"},
        {"cat <<EOF", "INCOMPLETE: here-document without its end line"},
        {"ls )", "ERROR: syntax error near unexpected token ')'"},
        {"then", "ERROR: syntax error near unexpected token 'then'"},
        {"if true; fi", "ERROR: syntax error near 'fi': 'then' expected"},
        {"if then fi", "ERROR: syntax error near unexpected token 'then'"},
        {"while true; done", "ERROR: syntax error near 'done': 'do' expected"},
        {"for 1x in a; do b; done", "ERROR: for: '1x': not a valid variable name"},
        {"case a in b) c;; d e) f;; esac", "ERROR: syntax error near unexpected token 'e'"},
        {"{ a }", "INCOMPLETE: syntax error: unexpected end of input"},
        {"f() a", "ERROR: function f: the body must be { ...; } or ( ... )"},
        {"echo if", "{echo if} ;"},
    };
    ROWS(rows, parse_dump);
}

static void parse_keeps_job_text_as_typed(void)
{
    struct cmd_list list;
    char error[64];
    CHECK_EQ(parse_line("  sleep 10  |  cat &   echo 'a;b' ; x\n", &list, error, sizeof error),
             SYNTAX_OK);
    CHECK_EQ(list.count, 3);
    CHECK_STR(list.items[0].text, "sleep 10  |  cat");
    CHECK(list.items[0].background);
    CHECK_STR(list.items[1].text, "echo 'a;b'");
    CHECK_STR(list.items[2].text, "x");
    parse_free(&list);
}

/* --- expansion ----------------------------------------------------------- */

static void expand_removes_quotes(void)
{
    shell_reset();
    static const struct row rows[] = {
        {"plain", "<plain>"},
        {"'single $HOME \\n'", "<single $HOME \\n>"},
        {"\"double\"", "<double>"},
        {"a\\ b", "<a b>"},
        {"\\$HOME", "<$HOME>"},
        {"\"\\$ \\\" \\\\ \\n\"", "<$ \" \\ \\n>"},
        {"''", "<>"},
        {"\"\"", "<>"},
        {"a''b", "<ab>"},
        {"'it'\\''s'", "<it's>"},
        {"$", "<$>"},
        {"$%", "<$%>"},
        {"\"$\"", "<$>"},
    };
    ROWS(rows, expand_dump);
}

static void expand_substitutes_variables(void)
{
    shell_reset();
    vars_set("X", "ex");
    vars_set("EMPTY", "");
    vars_set("_under1", "u");
    static const struct row rows[] = {
        {"$X", "<ex>"},           {"${X}", "<ex>"},
        {"a${X}b", "<aexb>"},     {"$Xb", ""}, /* the variable Xb, unset */
        {"\"$X\"'$X'", "<ex$X>"}, {"$_under1.", "<u.>"},
        {"$UNSET", ""},           {"$EMPTY", ""},
        {"\"$UNSET\"", "<>"},     {"x$UNSET", "<x>"},
        {"$X$X", "<exex>"},
    };
    ROWS(rows, expand_dump);
}

static void expand_special_parameters(void)
{
    static char *params[] = {"one", "two words", "three"};
    shell_reset();
    shell.last_status = 139;
    shell.last_background = 77;
    vars_set_params(params, 3);
    static const struct row rows[] = {
        {"$?", "<139>"},
        {"$$", "<4242>"},
        {"$!", "<77>"},
        {"$#", "<3>"},
        {"$0", "<sh>"},
        {"$1", "<one>"},
        {"\"$2\"", "<two words>"},
        {"$2", "<two><words>"},
        {"$4", ""},
        {"$10", "<one0>"},
        {"${10}", ""},
        {"\"$@\"", "<one><two words><three>"},
        {"\"x$@y\"", "<xone><two words><threey>"},
        {"$@", "<one><two><words><three>"},
        {"\"$*\"", "<one two words three>"},
    };
    ROWS(rows, expand_dump);
    vars_set_params(NULL, 0);
    CHECK_STR(expand_dump("\"$@\""), "");
    CHECK_STR(expand_dump("$!x"), "<77x>");
    shell.last_background = 0;
    CHECK_STR(expand_dump("$!"), "");
}

static void expand_splits_only_unquoted_substitutions(void)
{
    shell_reset();
    vars_set("A", "x  y");
    vars_set("B", " lead trail ");
    static const struct row rows[] = {
        {"$A", "<x><y>"},     {"\"$A\"", "<x  y>"},    {"p$A", "<px><y>"},
        {"$A.q", "<x><y.q>"}, {"$B", "<lead><trail>"}, {"<$B>", "<<><lead><trail><>>"},
        {"'$A'", "<$A>"},     {"\"a b\"", "<a b>"},
    };
    ROWS(rows, expand_dump);
}

static void expand_tilde_means_home(void)
{
    shell_reset();
    vars_set("HOME", "/home/student");
    static const struct row rows[] = {
        {"~", "</home/student>"}, {"~/notes", "</home/student/notes>"},
        {"a~", "<a~>"},           {"'~'", "<~>"},
        {"~user", "<~user>"},
    };
    ROWS(rows, expand_dump);
}

static void expand_errors_are_reported_not_crashes(void)
{
    shell_reset();
    static const struct row rows[] = {
        {"${X", "ERROR: ${X: missing }"},
        {"${}", "ERROR: ${}: bad substitution"},
        {"${X:*d}", "ERROR: ${X:*d}: bad substitution"},
        {"\"${A B}\"", "ERROR: ${A B}: bad substitution"},
        {"${U:?}", "ERROR: U: parameter null or not set"},
        {"${U?must be set}", "ERROR: U: must be set"},
        {"$((1/0))", "ERROR: arithmetic: 1/0: division by zero"},
        {"$((1+))", "ERROR: arithmetic: 1+: missing operand"},
        {"trailing\\", "<trailing\\>"},
        {"'unclosed", "<unclosed>"},
    };
    ROWS(rows, expand_dump);
}

static void expand_command_separates_assignments(void)
{
    shell_reset();
    vars_set("V", "a b");
    struct cmd_list list;
    char error[64];
    CHECK_EQ(parse_line("X=$V Y='1 2' cmd Z=3 $V", &list, error, sizeof error), SYNTAX_OK);
    struct strvec argv = {0}, assignments = {0};
    CHECK(expand_command(&list.items[0].pipelines[0].commands[0], &argv, &assignments) == NULL);
    CHECK_EQ(assignments.count, 2);
    CHECK_STR(assignments.items[0], "X=a b"); /* no field splitting in assignments */
    CHECK_STR(assignments.items[1], "Y=1 2");
    CHECK_EQ(argv.count, 4);
    CHECK_STR(argv.items[0], "cmd");
    CHECK_STR(argv.items[1], "Z=3"); /* after the command name: an argument */
    CHECK_STR(argv.items[3], "b");
    CHECK(argv.items[4] == NULL);
    CHECK(expand_is_assignment("A_1=x"));
    CHECK(!expand_is_assignment("1A=x"));
    CHECK(!expand_is_assignment("'A'=x"));
    CHECK(!expand_is_assignment("=x"));
    strvec_free(&argv);
    strvec_free(&assignments);
    parse_free(&list);
}

/* --- variables ------------------------------------------------------------ */

static void vars_environment_holds_only_exported(void)
{
    shell_reset();
    char *environment[] = {"PATH=/bin", "HOME=/root", "bad-name=1", NULL};
    vars_import(environment);
    vars_set("LOCAL", "1");
    CHECK_EQ(vars_assign("EXPORTED=2", true), 0);
    CHECK_EQ(vars_assign("9bad=2", true), -1);
    vars_export("DECLARED_ONLY");
    struct strvec assignments = {0}, envp = {0};
    strvec_push(&assignments, mem_strdup("HOME=/tmp"));
    vars_build_environment(&assignments, &envp);
    dump[0] = '\0';
    for (int i = 0; i < envp.count; i++)
        dump_add("%s;", envp.items[i]);
    CHECK_STR(dump, "PATH=/bin;EXPORTED=2;HOME=/tmp;");
    CHECK_STR(var("HOME"), "/root"); /* the assignment was for one command only */
    CHECK_STR(var("bad-name"), "(unset)");
    vars_unset("LOCAL");
    CHECK_STR(var("LOCAL"), "(unset)");
    strvec_free(&assignments);
    strvec_free(&envp);
}

/* --- running command lines ------------------------------------------------ */

static void run_assignments_and_builtins_change_the_shell(void)
{
    shell_reset();
    CHECK_EQ(run("X=1; Y=\"$X 2\"; export Z=3; unset X"), 0);
    CHECK_STR(var("X"), "(unset)");
    CHECK_STR(var("Y"), "1 2");
    CHECK_STR(var("Z"), "3");
    CHECK_EQ(run("cd /tmp && D=$PWD"), 0);
    CHECK_STR(var("D"), "/tmp");
    CHECK_EQ(run("cd /; cd - >/dev/null"), 0);
    CHECK_STR(var("PWD"), "/tmp");
    CHECK_STR(var("OLDPWD"), "/");
    CHECK_EQ(run("cd /no/such/dir"), 2);
    CHECK_EQ(run("export 1x=2"), 1);
}

static void run_and_or_follow_exit_statuses(void)
{
    shell_reset();
    run("false && A=ran; true && B=ran; false || C=ran; true || D=ran");
    CHECK_STR(var("A"), "(unset)");
    CHECK_STR(var("B"), "ran");
    CHECK_STR(var("C"), "ran");
    CHECK_STR(var("D"), "(unset)");
    run("false; S1=$?; true; S2=$?; ! true; S3=$?; ! false; S4=$?");
    CHECK_STR(var("S1"), "1");
    CHECK_STR(var("S2"), "0");
    CHECK_STR(var("S3"), "1");
    CHECK_STR(var("S4"), "0");
    CHECK_EQ(run("false && true || false"), 1);
}

static void run_exit_and_syntax_errors_end_the_script(void)
{
    shell_reset();
    CHECK_EQ(run("exit 3; X=after"), 3);
    CHECK_STR(var("X"), "(unset)");
    CHECK_EQ(run("exit 256"), 0);
    CHECK_EQ(run("exit nope"), 2);
    CHECK_EQ(run("false; exit"), 1);
    CHECK_EQ(run("Y=before\necho ;;\nY=after"), 2);
    CHECK_STR(var("Y"), "before");
    CHECK_EQ(run("echo 'never closed"), 2);
    CHECK_EQ(run("echo ${X"), 2);
}

static void run_programs_pipelines_and_redirections(void)
{
    shell_reset();
    vars_set("PATH", "/usr/bin:/bin");
    char line[512];
    const char *out = scratch_path("out");
    snprintf(line, sizeof line, "echo one > %s; echo two >> %s; wc -l < %s > %s.n", out, out, out,
             out);
    CHECK_EQ(run(line), 0);
    CHECK_STR(file_contents(out), "one\ntwo\n");
    snprintf(line, sizeof line, "%s.n", out);
    CHECK_STR(file_contents(line), "2\n");
    snprintf(line, sizeof line, "printf 'c\\nb\\na\\n' | sort | head -n 2 | tr -d '\\n' > %s", out);
    CHECK_EQ(run(line), 0);
    CHECK_STR(file_contents(out), "ab");
    snprintf(line, sizeof line, "ls /no/such 2>&1 >/dev/null | wc -l > %s", out);
    CHECK_EQ(run(line), 0);
    CHECK_STR(file_contents(out), "1\n"); /* 2>&1 came first: errors went into the pipe */
    snprintf(line, sizeof line, "X=local sh -c 'echo $X' > %s", out);
    CHECK_EQ(run(line), 0);
    CHECK_STR(file_contents(out), "local\n");
    CHECK_EQ(run("no-such-command-xyz"), 127);
    CHECK_EQ(run("/no/such/program"), 127);
    CHECK_EQ(run("/tmp"), 126);
    CHECK_EQ(run("cat < /no/such/file"), 1);
    CHECK_EQ(run("sh -c 'exit 7' | sh -c 'exit 5'"), 5);
}

static void run_builtin_redirections_leave_shell_fds_alone(void)
{
    shell_reset();
    char line[512];
    const char *out = scratch_path("pwd");
    snprintf(line, sizeof line, "cd /tmp; pwd > %s; pwd 3>&1 1>&2 2>&3 2> %s.b", out, out);
    CHECK_EQ(run(line), 0);
    CHECK_STR(file_contents(out), "/tmp\n");
    snprintf(line, sizeof line, "%s.b", out);
    CHECK_STR(file_contents(line), "");
    snprintf(line, sizeof line, "help >%s", out);
    CHECK_EQ(run(line), 0);
    CHECK(strstr(file_contents(out), "ulimit") != NULL);
    CHECK_EQ(run("pwd >&-"), 0);
    CHECK_EQ(run("pwd >&7"), 1); /* fd 7 is not open: Bad file descriptor */
    CHECK_EQ(run("pwd > /no/such/dir/f"), 1);
    CHECK_EQ(fcntl(7, F_GETFD), -1); /* and the shell leaked no fd */
}

static void run_signal_death_is_128_plus_signal(void)
{
    shell_reset();
    vars_set("PATH", "/usr/bin:/bin");
    CHECK_EQ(run("sh -c 'kill -SEGV $$'"), 139); /* prints "Segmentation fault" */
    CHECK_EQ(run("sh -c 'kill -KILL $$'"), 137);
    CHECK_EQ(run("sh -c 'kill -TERM $$'; S=$?"), 0);
    CHECK_STR(var("S"), "143");
}

static void run_background_jobs_and_wait(void)
{
    shell_reset();
    vars_set("PATH", "/usr/bin:/bin");
    CHECK_EQ(run("sh -c 'exit 3' & P=$!; wait $P; W=$?"), 0);
    CHECK(atoi(var("P")) > 0);
    CHECK_STR(var("W"), "3");
    CHECK_EQ(run("sleep 0.1 & sleep 0.1 & wait; W=$?"), 0);
    CHECK_STR(var("W"), "0");
    CHECK(jobs_at(0) == NULL && jobs_at(1) == NULL);
    CHECK_EQ(run("true && sh -c 'exit 4' & wait %1"), 4); /* an and-or list as one job */
    const char *out = scratch_path("bg-stdin");
    char line[256];
    snprintf(line, sizeof line, "cat > %s & wait", out);
    CHECK_EQ(run(line), 0); /* a background job reads /dev/null, not our stdin */
    CHECK_STR(file_contents(out), "");
    CHECK_EQ(run("wait 999999"), 127);
    CHECK_EQ(run("fg"), 1); /* no job control without a terminal */
    CHECK_EQ(run("kill -NOPE 1"), 1);
}

static void run_ulimit_reads_and_sets_soft_limits(void)
{
    shell_reset();
    struct rlimit saved;
    getrlimit(RLIMIT_NOFILE, &saved);
    const char *out = scratch_path("ulimit");
    char line[256];
    snprintf(line, sizeof line, "ulimit -n 64 && ulimit -n > %s", out);
    CHECK_EQ(run(line), 0);
    CHECK_STR(file_contents(out), "64\n");
    struct rlimit now;
    getrlimit(RLIMIT_NOFILE, &now);
    CHECK_EQ(now.rlim_cur, 64);
    CHECK_EQ(now.rlim_max, saved.rlim_max); /* the hard limit is left alone */
    setrlimit(RLIMIT_NOFILE, &saved);
    snprintf(line, sizeof line, "ulimit -s > %s", out);
    CHECK_EQ(run(line), 0);
    getrlimit(RLIMIT_STACK, &now);
    if (now.rlim_cur != RLIM_INFINITY) {
        char want[32];
        snprintf(want, sizeof want, "%llu\n", (unsigned long long)now.rlim_cur / 1024);
        CHECK_STR(file_contents(out), want);
    }
    CHECK_EQ(run("ulimit -n lots"), 1);
    CHECK_EQ(run("ulimit -q"), 2);
}

static void signals_and_statuses_have_names(void)
{
    CHECK_STR(signals_describe(SIGSEGV), "Segmentation fault");
    CHECK_STR(signals_describe(SIGKILL), "Killed");
    CHECK_STR(signals_describe(SIGTSTP), "Stopped");
    CHECK_STR(signals_describe(63), "Signal 63");
    CHECK_EQ(signals_from_name("KILL"), SIGKILL);
    CHECK_EQ(signals_from_name("SIGTERM"), SIGTERM);
    CHECK_EQ(signals_from_name("9"), 9);
    CHECK_EQ(signals_from_name("NOPE"), -1);
    CHECK_EQ(status_to_exit_code(3 << 8), 3);             /* exited with 3 */
    CHECK_EQ(status_to_exit_code(SIGSEGV), 139);          /* killed by signal 11 */
    CHECK_EQ(status_to_exit_code(0x137f), 128 + SIGSTOP); /* stopped by 19 */
}

/* --- robustness ----------------------------------------------------------- */

static unsigned long fuzz_state = 12345;

static unsigned fuzz_next(void)
{
    fuzz_state = fuzz_state * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(fuzz_state >> 33);
}

/* Lexes, parses and expands one line; the sanitizers watch for mistakes. */
static void fuzz_one(const char *line)
{
    struct cmd_list list;
    char error[256];
    if (parse_line(line, &list, error, sizeof error) != SYNTAX_OK)
        return;
    for (int i = 0; i < list.count; i++)
        for (int j = 0; j < list.items[i].count; j++)
            for (int k = 0; k < list.items[i].pipelines[j].count; k++) {
                const struct command *c = &list.items[i].pipelines[j].commands[k];
                struct strvec argv = {0}, assignments = {0};
                expand_command(c, &argv, &assignments);
                for (int r = 0; r < c->redir_count; r++) {
                    char *target;
                    if (!expand_word_single(c->redirs[r].target, &target))
                        free(target);
                }
                strvec_free(&argv);
                strvec_free(&assignments);
            }
    parse_free(&list);
}

static void fuzz_random_lines_never_crash(void)
{
    static const char alphabet[] = "ab1 2\t\n$${}?!#@*~='\"\\|&;<>()-`";
    static char *params[] = {"p 1", "", "p3"};
    shell_reset();
    vars_set_params(params, 3);
    vars_set("A", " x y ");
    /* $(...) and `...` run their text in a child: in a scratch directory,
     * with a PATH where no random word finds a program, and quietly. */
    vars_set("PATH", "/nonexistent");
    char cwd[SH_CWD_MAX];
    if (!getcwd(cwd, sizeof cwd) || chdir(scratch_path("")) < 0)
        return;
    fflush(stdout);
    int saved_stdout = dup(1), saved_stderr = dup(2), null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    char line[64];
    for (int n = 0; n < 50000; n++) {
        size_t length = fuzz_next() % (sizeof line);
        for (size_t i = 0; i < length; i++) {
            line[i] = n % 4 == 3 ? (char)(fuzz_next() % 255 + 1)
                                 : alphabet[fuzz_next() % (sizeof alphabet - 1)];
        }
        line[length] = '\0';
        fuzz_one(line);
    }
    dup2(saved_stdout, 1);
    dup2(saved_stderr, 2);
    close(saved_stdout);
    close(saved_stderr);
    close(null);
    CHECK_EQ(chdir(cwd), 0);
    CHECK(true); /* reaching here, with ASan and UBSan quiet, is the test */
}

static void run_random_builtin_lines_never_crash(void)
{
    /* Random lines of builtins, assignments, operators and redirections, run
     * for real. Any other word is searched in a PATH that does not exist, so
     * nothing random is ever executed. */
    static const char *const pieces[] = {
        "true",       "false",
        ":",          "X=1",
        "Y=$X",       "export Z",
        "unset X",    "! ",
        "&&",         "||",
        ";",          "'a b'",
        "\"$@\"",     "$?",
        ">/dev/null", "2>&1",
        "<&0",        "3>&-",
        "${X",        "|",
        "\\",         "pwd >/dev/null",
        "jobs",       "exit",
        "cd .",       "wait",
        "#",          "\n",
        "'",          "\"",
    };
    shell_reset();
    vars_set("PATH", "/nonexistent"); /* a word that is no builtin finds nothing */
    /* Thousands of error messages are expected: hide them, and what "2>&1"
     * sends to stdout. Flush first, or our PASS lines would go with them. */
    fflush(stdout);
    int saved_stdout = dup(1), saved_stderr = dup(2), null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    int lowest_free_fd = dup(0);
    close(lowest_free_fd);
    char line[256];
    for (int n = 0; n < 3000; n++) {
        line[0] = '\0';
        int count = (int)(fuzz_next() % 8);
        for (int i = 0; i < count; i++) {
            strcat(line, pieces[fuzz_next() % (sizeof pieces / sizeof pieces[0])]);
            strcat(line, " ");
        }
        run(line);
    }
    int still_lowest_free_fd = dup(0);
    close(still_lowest_free_fd);
    dup2(saved_stdout, 1);
    dup2(saved_stderr, 2);
    close(saved_stdout);
    close(saved_stderr);
    close(null);
    CHECK_EQ(still_lowest_free_fd, lowest_free_fd); /* no fd was leaked on the way */
}

static void cleanup(void)
{
    char command[128];
    snprintf(command, sizeof command, "rm -rf /tmp/sh-unit-%d", (int)getpid());
    CHECK_EQ(system(command), 0);
    vars_set_params(NULL, 0);
    vars_free_all();
    jobs_forget_all();
}

static const struct unit_case cases[] = {
    UNIT(lex_splits_words_at_blanks_not_inside_quotes),
    UNIT(lex_matches_longest_operator_first),
    UNIT(lex_io_number_only_right_before_redirection),
    UNIT(lex_comment_only_at_word_start),
    UNIT(lex_backslash_newline_joins_lines),
    UNIT(lex_open_quote_or_trailing_backslash_is_incomplete),
    UNIT(lex_keeps_substitutions_inside_words),
    UNIT(lex_reads_heredoc_bodies),
    UNIT(lex_records_where_each_token_is),
    UNIT(parse_simple_commands_and_redirections),
    UNIT(parse_pipelines_of_any_length),
    UNIT(parse_and_or_lists_and_background),
    UNIT(parse_trailing_operator_is_incomplete),
    UNIT(parse_syntax_errors_say_what_is_wrong),
    UNIT(parse_keeps_job_text_as_typed),
    UNIT(expand_removes_quotes),
    UNIT(expand_substitutes_variables),
    UNIT(expand_special_parameters),
    UNIT(expand_splits_only_unquoted_substitutions),
    UNIT(expand_tilde_means_home),
    UNIT(expand_errors_are_reported_not_crashes),
    UNIT(expand_command_separates_assignments),
    UNIT(vars_environment_holds_only_exported),
    UNIT(run_assignments_and_builtins_change_the_shell),
    UNIT(run_and_or_follow_exit_statuses),
    UNIT(run_exit_and_syntax_errors_end_the_script),
    UNIT(run_programs_pipelines_and_redirections),
    UNIT(run_builtin_redirections_leave_shell_fds_alone),
    UNIT(run_signal_death_is_128_plus_signal),
    UNIT(run_background_jobs_and_wait),
    UNIT(run_ulimit_reads_and_sets_soft_limits),
    UNIT(signals_and_statuses_have_names),
    UNIT(fuzz_random_lines_never_crash),
    UNIT(run_random_builtin_lines_never_crash),
    UNIT(cleanup),
};

UNIT_MAIN("user.sh", cases)
