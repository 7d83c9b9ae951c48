/* test_format.c - the kernel's vsnprintf (kernel/lib/format.c), built as kvsnprintf. */
#include <stdarg.h>
#include "kernel/lib/format.h"
#include "kernel/rtc.h"
#include "tests/unit/unit.h"

static char out[128];

/* For formats the compiler must not check (deliberately odd ones). */
static int format_unchecked(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = kvsnprintf(buf, size, fmt, args);
    va_end(args);
    return n;
}

#define FMT(expected, ...)                                                                         \
    do {                                                                                           \
        ksnprintf(out, sizeof out, __VA_ARGS__);                                                   \
        CHECK_STR(out, expected);                                                                  \
    } while (0)

static void integers(void)
{
    FMT("42 -7 0", "%d %i %u", 42, -7, 0u);
    FMT("-9223372036854775808", "%ld", (long)INT64_MIN);
    FMT("18446744073709551615", "%lu", (unsigned long)UINT64_MAX);
    FMT("ff FF 0xff 17", "%x %X %#x %o", 255u, 255u, 255u, 15u);
    format_unchecked(out, sizeof out, "%hd", 65524); /* h: only the low 16 bits count */
    CHECK_STR(out, "-12");
}

static void widths_and_flags(void)
{
    FMT("[   42]", "[%5d]", 42);
    FMT("[42   ]", "[%-5d]", 42);
    FMT("[00042]", "[%05d]", 42);
    FMT("[-0042]", "[%05d]", -42);
    FMT("[+5]", "[%+d]", 5);
    FMT("[  007]", "[%5.3d]", 7);
    FMT("[   ab]", "[%*s]", 5, "ab");
    FMT("[ab   ]", "[%-*s]", 5, "ab");
    FMT("[0x00000000deadbeef]", "[%#018lx]", 0xdeadbeeful);
}

static void strings_and_chars(void)
{
    FMT("hello world", "%s %s", "hello", "world");
    FMT("abc", "%.3s", "abcdef");
    const char *volatile no_string = NULL; /* volatile: hide the NULL from the compiler's checks */
    FMT("(null)", "%s", no_string);
    FMT("x%y", "%c%%%c", 'x', 'y');
    FMT("0x1000", "%p", (void *)0x1000);
}

static void truncation_returns_full_length(void)
{
    char small[6];
    int n = ksnprintf(small, sizeof small, "%s", "abcdefghij");
    CHECK_EQ(n, 10);
    CHECK_STR(small, "abcde");
    CHECK_EQ(ksnprintf(NULL, 0, "%d", 12345), 5);
}

static void odd_formats_do_not_crash(void)
{
    format_unchecked(out, sizeof out, "%q");
    CHECK_STR(out, "%q");
    format_unchecked(out, sizeof out, "end%");
    CHECK_STR(out, "end");
}

static void civil_dates(void)
{
    CHECK_EQ(days_from_civil(1970, 1, 1), 0);
    CHECK_EQ(days_from_civil(2000, 3, 1), 11017);
    CHECK_EQ(days_from_civil(2026, 11, 30), 20787);
    CHECK_EQ(days_from_civil(1969, 12, 31), -1);
}

static const struct unit_case cases[] = {
    UNIT(integers),
    UNIT(widths_and_flags),
    UNIT(strings_and_chars),
    UNIT(truncation_returns_full_length),
    UNIT(odd_formats_do_not_crash),
    UNIT(civil_dates),
};
UNIT_MAIN("unit.format", cases)
