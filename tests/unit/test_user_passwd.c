/*
 * test_user_passwd.c - passwd's rewrite of /etc/shadow (user/passwd.c's
 * shadow_replace): only the user's hash and day change, every other byte
 * stays; missing users, look-alike names and short buffers are refused.
 */
#include "user/passwd.c"
#include "tests/unit/unit.h"

static const char shadow[] = "root:$6$a$rootshash:20454:0:99999:7:::\n"
                             "student:$6$b$oldhash:20454:0:99999:7:::\n"
                             "students:$6$c$other:1:0:99999:7:::\n";

static void replaces_only_the_users_hash_and_day(void)
{
    char out[512];
    CHECK_EQ(shadow_replace(shadow, "student", "$6$new$hash", 20793, out, sizeof out), 0);
    CHECK_STR(out, "root:$6$a$rootshash:20454:0:99999:7:::\n"
                   "student:$6$new$hash:20793:0:99999:7:::\n"
                   "students:$6$c$other:1:0:99999:7:::\n");
    CHECK_EQ(shadow_replace(shadow, "root", "$6$r$h", 5, out, sizeof out), 0);
    CHECK_STR(out, "root:$6$r$h:5:0:99999:7:::\n"
                   "student:$6$b$oldhash:20454:0:99999:7:::\n"
                   "students:$6$c$other:1:0:99999:7:::\n");
}

static void look_alike_and_missing_names_are_not_matched(void)
{
    char out[512];
    CHECK_EQ(shadow_replace(shadow, "stud", "$6$x$y", 1, out, sizeof out), -1);
    CHECK_EQ(shadow_replace(shadow, "nobody", "$6$x$y", 1, out, sizeof out), -1);
    CHECK_EQ(shadow_replace("", "root", "$6$x$y", 1, out, sizeof out), -1);
    CHECK_EQ(shadow_replace(shadow, "students", "$6$x$y", 2, out, sizeof out), 0);
    CHECK(strstr(out, "\nstudents:$6$x$y:2:0:99999:7:::\n") != NULL);
    CHECK(strstr(out, "\nstudent:$6$b$oldhash:20454:") != NULL);
}

static void short_lines_and_a_missing_newline(void)
{
    char out[256];
    CHECK_EQ(shadow_replace("a:old", "a", "$6$n$h", 3, out, sizeof out), 0);
    CHECK_STR(out, "a:$6$n$h:3\n");
    CHECK_EQ(shadow_replace("a:old:1:0:99999:7:::", "a", "$6$n$h", 3, out, sizeof out), 0);
    CHECK_STR(out, "a:$6$n$h:3:0:99999:7:::\n");
    CHECK_EQ(shadow_replace("b:x:1:::\na:old:1:::", "a", "N", 2, out, sizeof out), 0);
    CHECK_STR(out, "b:x:1:::\na:N:2:::\n");
}

static void a_short_buffer_is_refused(void)
{
    char out[40];
    CHECK_EQ(shadow_replace(shadow, "student", "$6$new$hash", 20793, out, sizeof out), -1);
}

static const struct unit_case cases[] = {
    UNIT(replaces_only_the_users_hash_and_day),
    UNIT(look_alike_and_missing_names_are_not_matched),
    UNIT(short_lines_and_a_missing_newline),
    UNIT(a_short_buffer_is_refused),
};
UNIT_MAIN("user_passwd", cases)
