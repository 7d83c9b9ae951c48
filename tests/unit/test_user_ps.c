/*
 * test_user_ps.c - ps's options and its lifetime %CPU.
 */
#include "tests/unit/unit.h"

#include "user/ps.c"

static void styles_from_options(void)
{
    static const struct {
        const char *args[3];
        int style;
    } table[] = {
        {{"ps"}, STYLE_DEFAULT},
        {{"ps", "-e"}, STYLE_DEFAULT},
        {{"ps", "-ef"}, STYLE_FULL},
        {{"ps", "-fe"}, STYLE_FULL},
        {{"ps", "-e", "-f"}, STYLE_FULL},
        {{"ps", "-A"}, STYLE_DEFAULT},
        {{"ps", "aux"}, STYLE_BSD},
        {{"ps", "-aux"}, STYLE_BSD},
        {{"ps", "-L"}, STYLE_THREADS},
        {{"ps", "-eL"}, STYLE_THREADS},
        {{"ps", "-T"}, STYLE_THREADS_SPID},
        {{"ps", "-x"}, -1},
        {{"ps", "-"}, -1},
        {{"ps", "ef"}, -1},
        {{"ps", "-ef", "7"}, -1},
        {{"ps", "-o", "pid,psr,comm"}, STYLE_USER},
        {{"ps", "-eo", "pid psr"}, STYLE_USER},
        {{"ps", "-opsr"}, STYLE_USER},
        {{"ps", "-o"}, -1},
        {{"ps", "-o", "pid,bogus"}, -1},
        {{"ps", "-o", ","}, -1},
    };

    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        int argc = 0;
        while (argc < 3 && table[i].args[argc])
            argc++;
        CHECK_EQ(parse_style(argc, (char **)table[i].args), table[i].style);
    }
}

static void output_format_columns(void)
{
    char *args[] = {"ps", "-o", "pid,psr", "-o", "cpuid,args", NULL};
    CHECK_EQ(parse_style(5, args), STYLE_USER);
    CHECK_EQ(user_format.count, 4);
    CHECK_EQ(user_format.column[1], COL_PSR);
    CHECK_EQ(user_format.column[2], COL_PSR); /* cpuid: Linux's other name */
    CHECK_EQ(user_format.column[3], COL_ARGS);
    char heading[128];
    user_heading(heading, sizeof heading);
    CHECK_STR(heading, "  PID PSR PSR COMMAND");
}

static void lifetime_cpu_percent(void)
{
    struct ps_system sys = {.hz = 100, .uptime = 30.0};
    struct process p = {.stat = {.starttime = 1000, .utime = 300, .stime = 100}};

    /* 4 s of CPU in the 20 s since it started at 10 s. */
    CHECK_EQ((long)(cpu_percent(&p, &sys) + 0.5), 20);
    sys.uptime = 10.0; /* started this very tick */
    CHECK_EQ((long)cpu_percent(&p, &sys), 0);
}

static const struct unit_case cases[] = {
    UNIT(styles_from_options),
    UNIT(output_format_columns),
    UNIT(lifetime_cpu_percent),
};
UNIT_MAIN("user.ps", cases)
