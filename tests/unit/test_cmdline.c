/* test_cmdline.c - kernel command-line parsing (kernel/cmdline.c). */
#include "kernel/cmdline.h"
#include "tests/unit/unit.h"

static struct cmdline c;

static void simple_key_values(void)
{
    cmdline_parse("loglevel=4 sched=mlfq quantum=20", &c);
    CHECK_EQ(c.count, 3);
    CHECK_STR(cmdline_lookup(&c, "loglevel"), "4");
    CHECK_STR(cmdline_lookup(&c, "sched"), "mlfq");
    CHECK_STR(cmdline_lookup(&c, "quantum"), "20");
    CHECK(cmdline_lookup(&c, "init") == NULL);
    CHECK(!c.truncated);
}

static void empty_and_blank(void)
{
    cmdline_parse("", &c);
    CHECK_EQ(c.count, 0);
    cmdline_parse("   \t  ", &c);
    CHECK_EQ(c.count, 0);
}

static void bare_flag_has_empty_value(void)
{
    cmdline_parse("quiet ktest=all", &c);
    CHECK_STR(cmdline_lookup(&c, "quiet"), "");
    CHECK_STR(cmdline_lookup(&c, "ktest"), "all");
}

static void grub_quoted_word_with_spaces(void)
{
    /* GRUB passes a word containing spaces as "run=...", escaping ' with a backslash. */
    cmdline_parse("sched=rr \"run=/bin/sh -c \\'echo hi | cat\\'\" loglevel=3", &c);
    CHECK_EQ(c.count, 3);
    CHECK_STR(cmdline_lookup(&c, "run"), "/bin/sh -c 'echo hi | cat'");
    CHECK_STR(cmdline_lookup(&c, "loglevel"), "3");
}

static void quotes_inside_value(void)
{
    cmdline_parse("run=\"/bin/echo a  b\" x=\"\"", &c);
    CHECK_STR(cmdline_lookup(&c, "run"), "/bin/echo a  b");
    CHECK_STR(cmdline_lookup(&c, "x"), "");
}

static void value_may_contain_equals(void)
{
    cmdline_parse("run=/bin/env A=1", &c);
    CHECK_STR(cmdline_lookup(&c, "run"), "/bin/env");
    CHECK_STR(cmdline_lookup(&c, "A"), "1");
    cmdline_parse("\"run=/bin/env A=1\"", &c);
    CHECK_STR(cmdline_lookup(&c, "run"), "/bin/env A=1");
}

static void last_occurrence_wins(void)
{
    cmdline_parse("loglevel=1 loglevel=7", &c);
    CHECK_STR(cmdline_lookup(&c, "loglevel"), "7");
}

static void unterminated_quote_takes_the_rest(void)
{
    cmdline_parse("run=\"abc def", &c);
    CHECK_EQ(c.count, 1);
    CHECK_STR(cmdline_lookup(&c, "run"), "abc def");
}

static void trailing_backslash_is_kept(void)
{
    cmdline_parse("a=b\\", &c);
    CHECK_STR(cmdline_lookup(&c, "a"), "b\\");
}

static void too_many_words_is_truncated(void)
{
    char text[1024] = "";
    for (int i = 0; i < CMDLINE_MAX_OPTIONS + 5; i++)
        strcat(text, "k=v ");
    cmdline_parse(text, &c);
    CHECK_EQ(c.count, CMDLINE_MAX_OPTIONS);
    CHECK(c.truncated);
}

static void too_long_is_truncated_safely(void)
{
    static char text[5000];
    memset(text, 'x', sizeof text - 1);
    memcpy(text, "run=", 4);
    cmdline_parse(text, &c);
    CHECK(c.truncated);
    CHECK(c.count <= 1);
}

static void known_keys(void)
{
    CHECK(cmdline_is_known("sched"));
    CHECK(cmdline_is_known("run"));
    CHECK(cmdline_is_known("loglevel"));
    CHECK(!cmdline_is_known("bogus"));
    CHECK(!cmdline_is_known(""));
}

static void parse_numbers(void)
{
    u64 v = 7;
    CHECK(cmdline_parse_u64("42", &v));
    CHECK_EQ(v, 42);
    CHECK(cmdline_parse_u64("18446744073709551615", &v));
    CHECK(v == UINT64_MAX);
    CHECK(!cmdline_parse_u64("18446744073709551616", &v)); /* overflow */
    CHECK(!cmdline_parse_u64("", &v));
    CHECK(!cmdline_parse_u64(NULL, &v));
    CHECK(!cmdline_parse_u64("12a", &v));
    CHECK(!cmdline_parse_u64("-1", &v));
}

static void parse_size_units_and_percent(void)
{
    u64 v = 0;
    CHECK(cmdline_parse_size("4096", 1000, &v));
    CHECK_EQ(v, 4096);
    CHECK(cmdline_parse_size("64K", 1000, &v));
    CHECK_EQ(v, 64 * 1024);
    CHECK(cmdline_parse_size("3m", 1000, &v));
    CHECK_EQ(v, 3 * 1024 * 1024);
    CHECK(cmdline_parse_size("2G", 1000, &v));
    CHECK(v == 2ull << 30);
    CHECK(cmdline_parse_size("25%", 1000, &v));
    CHECK_EQ(v, 250);
    CHECK(cmdline_parse_size("100%", 1000, &v));
    CHECK_EQ(v, 1000);
    CHECK(!cmdline_parse_size("101%", 1000, &v));
    CHECK(!cmdline_parse_size("0", 1000, &v));
    CHECK(!cmdline_parse_size("0%", 1000, &v));
    CHECK(!cmdline_parse_size("", 1000, &v));
    CHECK(!cmdline_parse_size(NULL, 1000, &v));
    CHECK(!cmdline_parse_size("M", 1000, &v));
    CHECK(!cmdline_parse_size("12MB", 1000, &v));
    CHECK(!cmdline_parse_size("-1", 1000, &v));
    CHECK(!cmdline_parse_size("17179869184G", 1000, &v)); /* 2^64 bytes */
    CHECK(!cmdline_parse_size("99999999999999999999", 1000, &v));
}

static const struct unit_case cases[] = {
    UNIT(parse_size_units_and_percent),
    UNIT(simple_key_values),
    UNIT(empty_and_blank),
    UNIT(bare_flag_has_empty_value),
    UNIT(grub_quoted_word_with_spaces),
    UNIT(quotes_inside_value),
    UNIT(value_may_contain_equals),
    UNIT(last_occurrence_wins),
    UNIT(unterminated_quote_takes_the_rest),
    UNIT(trailing_backslash_is_kept),
    UNIT(too_many_words_is_truncated),
    UNIT(too_long_is_truncated_safely),
    UNIT(known_keys),
    UNIT(parse_numbers),
};
UNIT_MAIN("unit.cmdline", cases)
