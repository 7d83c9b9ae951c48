/*
 * test_user_sh_lang.c - the shell's language on the host: the tree of
 * compound commands, $((...)), patterns and globbing, the ${...} forms,
 * and scripts run through the real executor (results read back from
 * variables). tests/qemu/test_sh_dash.sh compares whole scripts with dash.
 *
 *   parse:  if a; then b; fi    ->  if[{a} ;]then[{b} ;] ;
 */
#include "tests/unit/sh_sources.h"

#include "tests/unit/unit.h"

#include <fcntl.h>
#include <sys/stat.h>

static void expect_str(int line, const char *input, const char *got, const char *want)
{
    if (strcmp(got, want) != 0) {
        char why[1024];
        snprintf(why, sizeof why, "for input \"%.200s\": expected \"%.300s\", got \"%.300s\"",
                 input, want, got);
        unit_fail(__FILE__, line, why);
    }
}

struct row {
    const char *input;
    const char *expected;
};
#define ROWS(table, dumper)                                                                        \
    for (size_t i_ = 0; i_ < sizeof table / sizeof table[0]; i_++)                                 \
    expect_str(__LINE__, table[i_].input, dumper(table[i_].input), table[i_].expected)

static struct strbuf dump;

static void shell_reset(void)
{
    vars_set_params(NULL, 0);
    vars_free_all();
    jobs_forget_all();
    shell = (struct shell){.pid = 4242, .name = "sh"};
}

static int run(const char *text)
{
    struct input in;
    shell.exit_requested = false;
    shell.skip = SKIP_NONE;
    input_from_text(&in, text, NULL);
    return input_run(&in);
}

static const char *var(const char *name)
{
    const char *value = vars_get(name);
    return value ? value : "(unset)";
}

/* --- the tree of compound commands --------------------------------------- */

static void dump_list(const struct cmd_list *list);

static void dump_part(const char *word, const struct cmd_list *list)
{
    strbuf_adds(&dump, word);
    strbuf_addc(&dump, '[');
    if (list)
        dump_list(list);
    strbuf_addc(&dump, ']');
}

static void dump_command(const struct command *c)
{
    static const char *const ops[] = {[REDIR_IN] = "<",
                                      [REDIR_OUT] = ">",
                                      [REDIR_APPEND] = ">>",
                                      [REDIR_DUP] = ">&",
                                      [REDIR_HEREDOC] = "<<"};
    switch (c->kind) {
    case COMMAND_SIMPLE:
        strbuf_addc(&dump, '{');
        for (int i = 0; i < c->word_count; i++) {
            strbuf_adds(&dump, i ? " " : "");
            strbuf_adds(&dump, c->words[i]);
        }
        strbuf_addc(&dump, '}');
        break;
    case COMMAND_SUBSHELL:
        dump_part("(", c->part[1]);
        break;
    case COMMAND_GROUP:
        dump_part("group", c->part[1]);
        break;
    case COMMAND_IF:
        dump_part("if", c->part[0]);
        dump_part("then", c->part[1]);
        if (c->part[2])
            dump_part("else", c->part[2]);
        break;
    case COMMAND_WHILE:
    case COMMAND_UNTIL:
        dump_part(c->kind == COMMAND_WHILE ? "while" : "until", c->part[0]);
        dump_part("do", c->part[1]);
        break;
    case COMMAND_FOR:
        strbuf_adds(&dump, "for ");
        strbuf_adds(&dump, c->name);
        strbuf_adds(&dump, c->for_has_in ? " in" : "");
        for (int i = 0; i < c->word_count; i++) {
            strbuf_addc(&dump, ' ');
            strbuf_adds(&dump, c->words[i]);
        }
        dump_part(" do", c->part[1]);
        break;
    case COMMAND_CASE:
        strbuf_adds(&dump, "case ");
        strbuf_adds(&dump, c->words[0]);
        for (int i = 0; i < c->item_count; i++) {
            strbuf_addc(&dump, ' ');
            for (int j = 0; j < c->items[i].patterns.count; j++) {
                strbuf_adds(&dump, j ? "|" : "");
                strbuf_adds(&dump, c->items[i].patterns.items[j]);
            }
            dump_part(")", c->items[i].body);
        }
        break;
    case COMMAND_FUNCTION:
        strbuf_adds(&dump, c->name);
        strbuf_adds(&dump, "()");
        dump_command(&c->function->body);
        break;
    }
    for (int i = 0; i < c->redir_count; i++) {
        char fd[16];
        snprintf(fd, sizeof fd, " %d", c->redirs[i].fd);
        strbuf_adds(&dump, fd);
        strbuf_adds(&dump, ops[c->redirs[i].kind]);
        strbuf_adds(&dump, c->redirs[i].target);
    }
}

static void dump_list(const struct cmd_list *list)
{
    for (int i = 0; i < list->count; i++) {
        const struct and_or *a = &list->items[i];
        strbuf_adds(&dump, i ? " " : "");
        for (int j = 0; j < a->count; j++) {
            if (j > 0)
                strbuf_adds(&dump, a->ops[j - 1] == AND_OR_AND ? " && " : " || ");
            strbuf_adds(&dump, a->pipelines[j].negate ? "! " : "");
            for (int k = 0; k < a->pipelines[j].count; k++) {
                strbuf_adds(&dump, k ? " | " : "");
                dump_command(&a->pipelines[j].commands[k]);
            }
        }
        strbuf_adds(&dump, a->background ? " &" : " ;");
    }
}

static const char *parse_dump(const char *text)
{
    struct cmd_list list;
    char error[256];
    enum syntax_status status = parse_line(text, &list, error, sizeof error);
    strbuf_clear(&dump);
    if (status != SYNTAX_OK) {
        strbuf_adds(&dump, status == SYNTAX_INCOMPLETE ? "INCOMPLETE: " : "ERROR: ");
        strbuf_adds(&dump, error);
        return strbuf_str(&dump);
    }
    dump_list(&list);
    parse_free(&list);
    return strbuf_str(&dump);
}

static void parse_compound_commands(void)
{
    static const struct row rows[] = {
        {"if a; then b; fi", "if[{a} ;]then[{b} ;] ;"},
        {"if a\nthen b\nelse c\nfi", "if[{a} ;]then[{b} ;]else[{c} ;] ;"},
        {"if a; then b; elif c; then d; else e; fi",
         "if[{a} ;]then[{b} ;]else[if[{c} ;]then[{d} ;]else[{e} ;] ;] ;"},
        {"while a; do b; c; done", "while[{a} ;]do[{b} ; {c} ;] ;"},
        {"until a; do b; done &", "until[{a} ;]do[{b} ;] &"},
        {"for x in 1 \"2 3\"; do echo $x; done", "for x in 1 \"2 3\" do[{echo $x} ;] ;"},
        {"for x\ndo y; done", "for x do[{y} ;] ;"},
        {"for x in; do y; done", "for x in do[{y} ;] ;"},
        {"case $v in a|b) x;; (c) y;; *) ;; esac", "case $v a|b)[{x} ;] c)[{y} ;] *)[] ;"},
        {"case x in\n a) b\nesac", "case x a)[{b} ;] ;"},
        {"{ a; b; } > f", "group[{a} ; {b} ;] 1>f ;"},
        {"(a; b) | c", "([{a} ; {b} ;] | {c} ;"},
        {"f() { echo $1; }", "f()group[{echo $1} ;] ;"},
        {"f()\n{ a; } 2>&1", "f()group[{a} ;] 2>&1 ;"},
        {"! { a; } && b", "! group[{a} ;] && {b} ;"},
        {"echo if then fi; x=done", "{echo if then fi} ; {x=done} ;"},
        {"cat <<E\nhi $x\nE\n", "{cat} 0<<hi $x\n ;"},
        {"while a; do if b; then break; fi; done", "while[{a} ;]do[if[{b} ;]then[{break} ;] ;] ;"},
    };
    ROWS(rows, parse_dump);
}

static void parse_unfinished_compound_is_incomplete(void)
{
    static const struct row rows[] = {
        {"if a; then", "INCOMPLETE: syntax error: unexpected end of input"},
        {"while a\ndo b\n", "INCOMPLETE: syntax error: unexpected end of input"},
        {"for x in a b", "INCOMPLETE: syntax error: unexpected end of input"},
        {"case x in a) b;;", "INCOMPLETE: syntax error: unexpected end of input"},
        {"f() {", "INCOMPLETE: syntax error: unexpected end of input"},
        {"(a", "INCOMPLETE: syntax error: unexpected end of input"},
        {"fi", "ERROR: syntax error near unexpected token 'fi'"},
        {"done", "ERROR: syntax error near unexpected token 'done'"},
        {"a )", "ERROR: syntax error near unexpected token ')'"},
        {"if ; then a; fi", "ERROR: syntax error near unexpected token ';'"},
    };
    ROWS(rows, parse_dump);
}

/* --- $((...)) ------------------------------------------------------------- */

static const char *arith_dump(const char *expression)
{
    static char text[128];
    long value;
    const char *error = arith_eval(expression, &value);
    if (error)
        snprintf(text, sizeof text, "ERROR: %s", error);
    else
        snprintf(text, sizeof text, "%ld", value);
    return text;
}

static void arith_follows_c_precedence(void)
{
    shell_reset();
    vars_set("x", "7");
    vars_set("e", "");
    vars_set("w", "12abc");
    static const struct row rows[] = {
        {"1 + 2 * 3", "7"},
        {"(1 + 2) * 3", "9"},
        {"7 / 2", "3"},
        {"-7 / 2", "-3"},
        {"-7 % 3", "-1"},
        {"1 << 4 >> 2", "4"},
        {"6 & 3 | 8 ^ 1", "11"},
        {"~0", "-1"},
        {"!0 + !5", "1"},
        {"1 < 2 == 2 > 1", "1"},
        {"3 <= 2 || 2 >= 2", "1"},
        {"0 && 1/0", "0"},
        {"1 || 1/0", "1"},
        {"x * 2", "14"},
        {"x > 5 ? 10 : 20", "10"},
        {"0 ? 1/0 : 3", "3"},
        {"0x1F + 010", "39"},
        {"--x", "7"},
        {"e + 1", "1"},
        {"unset_var", "0"},
        {"  ", "0"},
        {"1 / 0", "ERROR: division by zero"},
        {"5 % 0", "ERROR: division by zero"},
        {"1 +", "ERROR: missing operand"},
        {"(1", "ERROR: missing )"},
        {"1 2", "ERROR: syntax error"},
        {"w + 1", "ERROR: variable is not a number"},
        {"09", "ERROR: syntax error"},
    };
    ROWS(rows, arith_dump);
}

static void arith_assigns_variables(void)
{
    shell_reset();
    CHECK_STR(arith_dump("y = 5"), "5");
    CHECK_STR(var("y"), "5");
    CHECK_STR(arith_dump("y += 2 * 3"), "11");
    CHECK_STR(arith_dump("y <<= 1"), "22");
    CHECK_STR(arith_dump("y %= 5"), "2");
    CHECK_STR(var("y"), "2");
    CHECK_STR(arith_dump("a = b = 4"), "4");
    CHECK_STR(var("a"), "4");
    CHECK_STR(var("b"), "4");
    CHECK_STR(arith_dump("0 && (z = 1)"), "0");
    CHECK_STR(var("z"), "(unset)"); /* the side not evaluated assigns nothing */
}

/* --- patterns ------------------------------------------------------------- */

static void glob_match_patterns(void)
{
    static const struct {
        const char *pattern, *string;
        bool match;
    } rows[] = {
        {"*", "", true},
        {"*", "anything", true},
        {"a*", "abc", true},
        {"a*", "bac", false},
        {"*.c", "x.c", true},
        {"*.c", "x.h", false},
        {"?", "a", true},
        {"?", "", false},
        {"??", "a", false},
        {"a?c", "abc", true},
        {"[abc]", "b", true},
        {"[abc]", "d", false},
        {"[a-c]x", "bx", true},
        {"[!a-c]", "d", true},
        {"[!a-c]", "b", false},
        {"[^a]", "b", true},
        {"[]]", "]", true},
        {"[!]]", "a", true},
        {"[a-]", "-", true},
        {"[", "[", true},
        {"[ab", "[ab", true},
        {"\\*", "*", true},
        {"\\*", "a", false},
        {"a\\?", "a?", true},
        {"*a*b*", "xaybz", true},
        {"*a*b*", "xbya", false},
        {"[[:digit:]]x", "5x", true},
        {"[[:alpha:]]", "5", false},
        {"**", "a", true},
        {"a*b*c", "abbbc", true},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (glob_match(rows[i].pattern, rows[i].string) != rows[i].match) {
            char why[256];
            snprintf(why, sizeof why, "glob_match(\"%s\", \"%s\") should be %s", rows[i].pattern,
                     rows[i].string, rows[i].match ? "true" : "false");
            unit_fail(__FILE__, __LINE__, why);
        }
    }
    CHECK(glob_has_magic("a*"));
    CHECK(glob_has_magic("[ab]"));
    CHECK(!glob_has_magic("\\*"));
    CHECK(!glob_has_magic("[ab"));
    CHECK(!glob_has_magic("plain"));
}

static char scratch[128];

static void make_file(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", scratch, name);
    int fd = open(path, O_CREAT | O_WRONLY, 0644);
    if (fd >= 0)
        close(fd);
}

static const char *glob_dump(const char *word)
{
    struct strvec fields = {0};
    char raw[256];
    snprintf(raw, sizeof raw, "%s/%s", scratch, word);
    const char *error = expand_word(raw, &fields);
    strbuf_clear(&dump);
    if (error)
        strbuf_adds(&dump, error);
    for (int i = 0; i < fields.count; i++) {
        const char *f = fields.items[i];
        if (strncmp(f, scratch, strlen(scratch)) == 0)
            f += strlen(scratch) + 1;
        strbuf_addc(&dump, '<');
        strbuf_adds(&dump, f);
        strbuf_addc(&dump, '>');
    }
    strvec_free(&fields);
    return strbuf_str(&dump);
}

static void glob_expands_file_names_sorted(void)
{
    shell_reset();
    snprintf(scratch, sizeof scratch, "/tmp/sh-lang-%d", (int)getpid());
    mkdir(scratch, 0700);
    const char *files[] = {"b.c", "a.c", "c.h", ".hidden.c", "d1", "d2"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        make_file(files[i]);
    char sub[256];
    snprintf(sub, sizeof sub, "%s/sub", scratch);
    mkdir(sub, 0700);
    make_file("sub/x.c");
    static const struct row rows[] = {
        {"*.c", "<a.c><b.c>"},  {"?.?", "<a.c><b.c><c.h>"}, {"d[!1]", "<d2>"},
        {"*.none", "<*.none>"}, /* no match: the word stays */
        {"'*'.c", "<*.c>"},     /* quoted: no globbing */
        {"\"*.c\"", "<*.c>"},   {"\\*.c", "<*.c>"},         {".*.c", "<.hidden.c>"},
        {"*/*.c", "<sub/x.c>"}, {"s*/", "<sub/>"},
    };
    ROWS(rows, glob_dump);
    shell.noglob = true;
    CHECK_STR(glob_dump("*.c"), "<*.c>");
    shell.noglob = false;
    vars_set("P", "*.h");
    CHECK_STR(glob_dump("$P"), "<c.h>"); /* wildcards from an unquoted variable count */
    CHECK_STR(glob_dump("\"$P\""), "<*.h>");
    char command[300];
    snprintf(command, sizeof command, "rm -rf %s", scratch);
    run(command);
}

/* --- ${...} --------------------------------------------------------------- */

static const char *expand_dump(const char *raw)
{
    struct strvec fields = {0};
    const char *error = expand_word(raw, &fields);
    strbuf_clear(&dump);
    if (error) {
        strbuf_adds(&dump, "ERROR: ");
        strbuf_adds(&dump, error);
    }
    for (int i = 0; i < fields.count; i++) {
        strbuf_addc(&dump, '<');
        strbuf_adds(&dump, fields.items[i]);
        strbuf_addc(&dump, '>');
    }
    strvec_free(&fields);
    return strbuf_str(&dump);
}

static void expand_parameter_forms(void)
{
    shell_reset();
    vars_set("v", "value");
    vars_set("e", "");
    vars_set("p", "/usr/lib/file.tar.gz");
    static const struct row rows[] = {
        {"${u:-def}", "<def>"},
        {"${e:-def}", "<def>"},
        {"${e-def}", ""},
        {"${v:-def}", "<value>"},
        {"${u:-a  b}", "<a><b>"},
        {"\"${u:-a  b}\"", "<a  b>"},
        {"${u:-\"a  b\"}", "<a  b>"},
        {"${v:+alt}", "<alt>"},
        {"${e:+alt}", ""},
        {"${e+alt}", "<alt>"},
        {"${#v}", "<5>"},
        {"${#u}", "<0>"},
        {"${p#*/}", "<usr/lib/file.tar.gz>"},
        {"${p##*/}", "<file.tar.gz>"},
        {"${p%.*}", "</usr/lib/file.tar>"},
        {"${p%%.*}", "</usr/lib/file>"},
        {"${p#\"*\"}", "</usr/lib/file.tar.gz>"}, /* quoted: a literal * */
        {"${v%u*}", "<val>"},
        {"${v#nomatch}", "<value>"},
        {"${u:=set}", "<set>"},
        {"$u", "<set>"},
    };
    ROWS(rows, expand_dump);
}

static void expand_positional_and_special(void)
{
    shell_reset();
    char *params[] = {"a b", "c", ""};
    vars_set_params(params, 3);
    static const struct row rows[] = {
        {"\"$@\"", "<a b><c><>"},
        {"$@", "<a><b><c>"},
        {"\"$*\"", "<a b c >"},
        {"$#", "<3>"},
        {"${#}", "<3>"},
        {"x\"$@\"y", "<xa b><c><y>"},
        {"$1", "<a><b>"},
        {"\"${2}\"", "<c>"},
        {"$4", ""},
        {"$(echo a b)", "<a><b>"},
        {"\"$(echo a b)\"", "<a b>"},
        {"$((2+3))x", "<5x>"},
        {"`echo hi`", "<hi>"},
    };
    ROWS(rows, expand_dump);
    vars_set_params(NULL, 0);
    CHECK_STR(expand_dump("\"$@\""), ""); /* no parameters: no field at all */
    vars_set("IFS", ":");
    vars_set("L", "a:b::c");
    CHECK_STR(expand_dump("$L"), "<a><b><><c>");
}

/* --- running scripts ------------------------------------------------------- */

static void run_control_flow(void)
{
    shell_reset();
    run("if false; then r=then; elif true; then r=elif; else r=else; fi");
    CHECK_STR(var("r"), "elif");
    run("s=; for i in 1 2 3 4 5; do [ $i = 2 ] && continue; [ $i = 4 ] && break; s=$s$i; done");
    CHECK_STR(var("s"), "13");
    run("n=0; while [ $n -lt 5 ]; do n=$((n + 1)); done");
    CHECK_STR(var("n"), "5");
    run("n=3; until [ $n = 0 ]; do n=$((n - 1)); done");
    CHECK_STR(var("n"), "0");
    run("s=; for a in x y; do for b in 1 2; do [ $b = 2 ] && continue 2; s=$s$a$b; done; done");
    CHECK_STR(var("s"), "x1y1");
    run("s=; for a in x y; do for b in 1 2; do s=$s$a$b; break 2; done; done");
    CHECK_STR(var("s"), "x1");
    run("case foo.c in *.h) k=h;; *.c|*.cc) k=c;; *) k=other;; esac");
    CHECK_STR(var("k"), "c");
    CHECK_EQ(run("case x in y) ;; esac"), 0);
}

static void run_functions_and_locals(void)
{
    shell_reset();
    run("f() { r=\"$# $1 $2\"; return 3; }; f a 'b c'; st=$?");
    CHECK_STR(var("r"), "2 a b c");
    CHECK_STR(var("st"), "3");
    run("x=out; g() { local x=in; y=$x; }; g");
    CHECK_STR(var("x"), "out");
    CHECK_STR(var("y"), "in");
    run("set -- p q; h() { :; }; h z; after=\"$1$2\"");
    CHECK_STR(var("after"), "pq");
    run("fact() { if [ $1 -le 1 ]; then echo 1; else echo $(($1 * $(fact $(($1 - 1))))); fi; };"
        "r=$(fact 6)");
    CHECK_STR(var("r"), "720");
    run("f() { f() { echo second; }; echo first; }; a=$(f); f > /dev/null; b=$(f)");
    CHECK_STR(var("a"), "first");
    CHECK_STR(var("b"), "second");
}

static void run_set_e_and_traps(void)
{
    shell_reset();
    CHECK_EQ(run("set -e; false || true; if false; then :; fi; ! true; a=1; false; a=2"), 1);
    CHECK_STR(var("a"), "1");
    shell.errexit = false;
    CHECK_EQ(run("(exit 4); s=$?"), 0);
    CHECK_STR(var("s"), "4");
    run("x=1; (x=2); { x=3; }");
    CHECK_STR(var("x"), "3");
    shell.pid = getpid();
    run("trap 't=$((t + 1))' USR1; kill -USR1 $$; kill -USR1 $$; trap - USR1");
    CHECK_STR(var("t"), "2");
    CHECK_EQ(run("s=$(false)"), 1); /* an assignment's status is its substitution's */
}

static void run_heredocs_read_and_eval(void)
{
    shell_reset();
    run("v=x; read a b <<EOF\n$v one two\nEOF\n");
    CHECK_STR(var("a"), "x");
    CHECK_STR(var("b"), "one two");
    run("read -r q <<'EOF'\n$v \\n\nEOF\n");
    CHECK_STR(var("q"), "$v \\n");
    run("IFS=: read f1 f2 <<EOF\nu:v:w\nEOF\n");
    CHECK_STR(var("f1"), "u");
    CHECK_STR(var("f2"), "v:w");
    CHECK_EQ(run("read z < /dev/null"), 1);
    run("name=dyn; eval \"$name=ok\"");
    CHECK_STR(var("dyn"), "ok");
    run("r=$(printf '%s-%d|' a 1 b 2)");
    CHECK_STR(var("r"), "a-1|b-2|");
    run("r=$(printf '%5s|%-3s|%03d|%x' ab c 7 255)");
    CHECK_STR(var("r"), "   ab|c  |007|ff");
    run("r=$(printf '%b|%c|%d|%s' 'a\\tb' xyz \\\"A)");
    CHECK_STR(var("r"), "a\tb|x|65|");
    /* bad input: a status, a message, never a crash or a huge allocation */
    static const struct {
        const char *line;
        int status;
    } bad[] = {
        {"printf", 2},
        {"printf '%99999s' x", 2},
        {"printf '%q' x", 2},
        {"printf '%d' 12abc", 1},
        {"printf '%d' ''", 0},
        {"printf '%'", 2},
        {"read", 2},
        {"read 1x < /dev/null", 2},
        {"getopts", 2},
        {"shift x", 2},
        {"trap x NOSUCHSIG", 1},
        {"local x", 2},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char line[128];
        snprintf(line, sizeof line, "%s > /dev/null", bad[i].line);
        int status = run(line);
        if (status != bad[i].status) {
            char why[256];
            snprintf(why, sizeof why, "\"%s\": status %d, expected %d", bad[i].line, status,
                     bad[i].status);
            unit_fail(__FILE__, __LINE__, why);
        }
    }
}

static void run_test_builtin(void)
{
    shell_reset();
    static const struct {
        const char *line;
        int status;
    } rows[] = {
        {"[ a = a ]", 0},
        {"[ a != a ]", 1},
        {"[ -z '' ]", 0},
        {"[ -n '' ]", 1},
        {"[ 3 -lt 10 ]", 0},
        {"[ 3 -ge 10 ]", 1},
        {"[ -d / ]", 0},
        {"[ -f / ]", 1},
        {"[ ! -e /no/such ]", 0},
        {"[ a = a -a b = c ]", 1},
        {"[ a = a -o b = c ]", 0},
        {"[ \\( 1 -eq 2 \\) -o x ]", 0},
        {"test", 1},
        {"test x", 0},
        {"[ = ]", 0},
        {"[ ! = x ]", 1},
        {"[ ! a = b ]", 0},
        {"[ x -eq 1 ]", 2},
        {"[ a", 2},
        {"[ a b c d ]", 2},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int status = run(rows[i].line);
        if (status != rows[i].status) {
            char why[256];
            snprintf(why, sizeof why, "\"%s\": status %d, expected %d", rows[i].line, status,
                     rows[i].status);
            unit_fail(__FILE__, __LINE__, why);
        }
    }
}

static void cleanup(void)
{
    strbuf_free(&dump);
    vars_set_params(NULL, 0);
    vars_free_all();
    jobs_forget_all();
}

static const struct unit_case cases[] = {
    UNIT(parse_compound_commands),    UNIT(parse_unfinished_compound_is_incomplete),
    UNIT(arith_follows_c_precedence), UNIT(arith_assigns_variables),
    UNIT(glob_match_patterns),        UNIT(glob_expands_file_names_sorted),
    UNIT(expand_parameter_forms),     UNIT(expand_positional_and_special),
    UNIT(run_control_flow),           UNIT(run_functions_and_locals),
    UNIT(run_set_e_and_traps),        UNIT(run_heredocs_read_and_eval),
    UNIT(run_test_builtin),           UNIT(cleanup),
};

UNIT_MAIN("user.sh_lang", cases)
