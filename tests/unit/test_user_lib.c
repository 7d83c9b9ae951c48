/*
 * test_user_lib.c - the small helpers of user/lib: number formats, the
 * signal table, user names.
 */
#include "tests/unit/unit.h"
#include "user/lib/format.h"
#include "user/lib/shacrypt.h"
#include "user/lib/signame.h"
#include "user/lib/users.h"

#include <errno.h>

static void cpu_times(void)
{
    char out[32];

    format_minutes_seconds(0, out, sizeof out);
    CHECK_STR(out, "0:00");
    format_minutes_seconds(65, out, sizeof out);
    CHECK_STR(out, "1:05");
    format_minutes_seconds(7500, out, sizeof out);
    CHECK_STR(out, "125:00");
    format_clock_duration(65, out, sizeof out);
    CHECK_STR(out, "00:01:05");
    format_clock_duration(2 * 86400 + 3 * 3600 + 4 * 60 + 5, out, sizeof out);
    CHECK_STR(out, "2-03:04:05");
    format_ticks_time(138, 100, out, sizeof out);
    CHECK_STR(out, "0:01.38");
    format_ticks_time(6001, 100, out, sizeof out);
    CHECK_STR(out, "1:00.01");
}

static void uptimes(void)
{
    char out[32];

    format_uptime(59, out, sizeof out);
    CHECK_STR(out, "0 min");
    format_uptime(21 * 60 + 30, out, sizeof out);
    CHECK_STR(out, "21 min");
    format_uptime(3600 + 5 * 60, out, sizeof out);
    CHECK_STR(out, " 1:05");
    format_uptime(86400 + 5 * 60, out, sizeof out);
    CHECK_STR(out, "1 day, 5 min");
    format_uptime(2 * 86400 + 3 * 3600 + 4 * 60, out, sizeof out);
    CHECK_STR(out, "2 days,  3:04");
    format_uptime(2 * 86400, out, 8); /* truncated, still terminated */
    CHECK_STR(out, "2 days,");
}

static void human_sizes(void)
{
    static const struct {
        unsigned long long bytes;
        const char *text;
    } table[] = {
        {0, "0"},
        {1023, "1023"},
        {1024, "1.0K"},
        {1536, "1.5K"},
        {10 * 1024, "10K"},
        {10 * 1024 - 1, "10K"},
        {123456, "121K"},
        {3355443, "3.2M"},
        {24683656ull * 1024, "24G"},
        {1ull << 60, "1.0E"},
    };
    char out[16];

    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        format_human_size(table[i].bytes, out, sizeof out);
        CHECK_STR(out, table[i].text);
    }
}

static void signal_names(void)
{
    CHECK_STR(signame_from_number(9), "KILL");
    CHECK_STR(signame_from_number(15), "TERM");
    CHECK_STR(signame_from_number(12), "USR2");
    CHECK_STR(signame_from_number(17), "CHLD");
    CHECK_STR(signame_from_number(31), "SYS");
    CHECK(signame_from_number(0) == NULL);
    CHECK(signame_from_number(32) == NULL);
    CHECK(signame_from_number(-1) == NULL);

    CHECK_EQ(signame_to_number("KILL"), 9);
    CHECK_EQ(signame_to_number("SIGKILL"), 9);
    CHECK_EQ(signame_to_number("kill"), 9);
    CHECK_EQ(signame_to_number("sigterm"), 15);
    CHECK_EQ(signame_to_number("9"), 9);
    CHECK_EQ(signame_to_number("0"), 0);
    CHECK_EQ(signame_to_number("64"), 64);
    CHECK_EQ(signame_to_number("65"), -1);
    CHECK_EQ(signame_to_number("9x"), -1);
    CHECK_EQ(signame_to_number("POLL"), 29);
    CHECK_EQ(signame_to_number("IO"), 29);
    CHECK_EQ(signame_to_number("NOPE"), -1);
    CHECK_EQ(signame_to_number("SIG"), -1);
    CHECK_EQ(signame_to_number(""), -1);
}

static void user_names(void)
{
    static const char passwd[] = "root:x:0:0:root:/root:/bin/sh\n"
                                 "broken line\n"
                                 "odd:x:\n"
                                 "daemon:x:1:1::/:/bin/false\n"
                                 "student:x:1000:1000:A Student:/home/student:/bin/sh";
    char name[32];

    CHECK_EQ(users_parse_name(passwd, 0, name, sizeof name), 0);
    CHECK_STR(name, "root");
    CHECK_EQ(users_parse_name(passwd, 1000, name, sizeof name), 0);
    CHECK_STR(name, "student");
    CHECK_EQ(users_parse_name(passwd, 1, name, sizeof name), 0);
    CHECK_STR(name, "daemon");
    CHECK_EQ(users_parse_name(passwd, 100, name, sizeof name), -ENOENT);
    CHECK_EQ(users_parse_name(passwd, 10, name, sizeof name), -ENOENT); /* not a prefix of 1000 */
    CHECK_EQ(users_parse_name("", 0, name, sizeof name), -ENOENT);
    CHECK_EQ(users_parse_name(passwd, 1000, name, 4), 0);
    CHECK_STR(name, "stu");
}

/* The hashes glibc's (and musl's) crypt() gives for the same keys and salts. */
static void sha512_password_hashes(void)
{
    char out[160];
    CHECK_STR(
        shacrypt_sha512("student", "$6$sprout.student$", out, sizeof out),
        "$6$sprout.student$TAlbF78PpeV2A9ngkzMBmtG5qEgtnyNJJtnXojN5GjEv6dCP6YtJb6vEVmWppZq8W3gnmB"
        "sbuLZ2C5xTb6HUH/");
    /* A full hash as the setting gives the same hash back: that is how a password is checked. */
    CHECK_STR(
        shacrypt_sha512("root", "$6$sprout.root$9g3CqCms7OL48Rwqfvcgm27/.Gyqp", out, sizeof out),
        "$6$sprout.root$9g3CqCms7OL48Rwqfvcgm27/.GyqpXsYgvUqwvN3/"
        "XCqqAj0iE3kyYfIEW1n1RKmGW1dEasZUO5wLf"
        "xuX.LFL.");
    CHECK(shacrypt_sha512("x", "$1$md5salt$", out, sizeof out) == NULL);
    CHECK(shacrypt_sha512("x", "$6$s$", out, 10) == NULL);
}

static const struct unit_case cases[] = {
    UNIT(cpu_times),    UNIT(uptimes),    UNIT(human_sizes),
    UNIT(signal_names), UNIT(user_names), UNIT(sha512_password_hashes),
};
UNIT_MAIN("user.lib", cases)
