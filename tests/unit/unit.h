/*
 * unit.h - a tiny test framework for host unit tests.
 *
 * A test file defines cases as functions and lists them in a table:
 *
 *   static void cmdline_quotes(void) { CHECK_STR(...); }
 *   static const struct unit_case cases[] = { UNIT(cmdline_quotes), ... };
 *   UNIT_MAIN("cmdline", cases)
 *
 * Each case prints "PASS suite.case" or "FAIL suite.case: what was expected,
 * what we got (file:line)"; the program ends with "N passed, N failed" and
 * exits non-zero if anything failed.  A check that fails again (in a loop)
 * is shown once: one line per distinct failing check, then a count.
 */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct unit_case {
    const char *name;
    void (*run)(void);
};
#define UNIT(fn)                                                                                   \
    {                                                                                              \
#fn, fn                                                                                    \
    }

static int unit_failures_in_case;
static const char *unit_suite, *unit_case_name;

/* The checks that have failed in this case, so each is printed once. */
#define UNIT_MAX_SITES 32
static struct unit_site {
    const char *file;
    int line;
} unit_sites[UNIT_MAX_SITES];
static int unit_nr_sites;

/* Has the check at file:line failed before in this case?  Remembers it if not. */
static inline int unit_seen_site(const char *file, int line)
{
    for (int i = 0; i < unit_nr_sites; i++)
        if (unit_sites[i].line == line && strcmp(unit_sites[i].file, file) == 0)
            return 1;
    if (unit_nr_sites < UNIT_MAX_SITES)
        unit_sites[unit_nr_sites++] = (struct unit_site){file, line};
    return 0;
}

static inline void unit_fail(const char *file, int line, const char *what)
{
    int first = unit_failures_in_case++ == 0;
    if (unit_seen_site(file, line))
        return;
    if (first)
        printf("FAIL %s.%s: %s (%s:%d)\n", unit_suite, unit_case_name, what, file, line);
    else
        printf("  also: %s (%s:%d)\n", what, file, line);
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            unit_fail(__FILE__, __LINE__, "expected " #cond);                                      \
    } while (0)

#define CHECK_EQ(actual, expected)                                                                 \
    do {                                                                                           \
        long long a_ = (long long)(actual), e_ = (long long)(expected);                            \
        if (a_ != e_) {                                                                            \
            char why_[256];                                                                        \
            snprintf(why_, sizeof why_, "expected %s == %s: got %lld (%#llx), want %lld (%#llx)",  \
                     #actual, #expected, a_, (unsigned long long)a_, e_, (unsigned long long)e_);  \
            unit_fail(__FILE__, __LINE__, why_);                                                   \
        }                                                                                          \
    } while (0)

#define CHECK_STR(actual, expected)                                                                \
    do {                                                                                           \
        const char *a_ = (actual), *e_ = (expected);                                               \
        if (!a_ || strcmp(a_, e_) != 0) {                                                          \
            char why_[1024];                                                                       \
            snprintf(why_, sizeof why_, "expected %s to be \"%.300s\", got %s%.300s%s", #actual,   \
                     e_, a_ ? "\"" : "", a_ ? a_ : "NULL", a_ ? "\"" : "");                        \
            unit_fail(__FILE__, __LINE__, why_);                                                   \
        }                                                                                          \
    } while (0)

static inline int unit_run(const char *suite, const struct unit_case *cases, size_t n)
{
    int passed = 0, failed = 0;
    unit_suite = suite;
    for (size_t i = 0; i < n; i++) {
        unit_case_name = cases[i].name;
        unit_failures_in_case = 0;
        unit_nr_sites = 0;
        cases[i].run();
        if (unit_failures_in_case > unit_nr_sites) /* some were repeats: say how many */
            printf("  %d failures at %d check%s\n", unit_failures_in_case, unit_nr_sites,
                   unit_nr_sites == 1 ? "" : "s");
        if (unit_failures_in_case)
            failed++;
        else {
            passed++;
            printf("PASS %s.%s\n", suite, cases[i].name);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

#define UNIT_MAIN(suite, cases)                                                                    \
    int main(void) { return unit_run(suite, cases, sizeof(cases) / sizeof(cases[0])); }

#endif
