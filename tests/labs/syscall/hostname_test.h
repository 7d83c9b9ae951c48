/* hostname_test.h - what the system-call lab's test programs share. */
#ifndef TESTS_LABS_SYSCALL_HOSTNAME_TEST_H
#define TESTS_LABS_SYSCALL_HOSTNAME_TEST_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

static int failures;

/* sethostname(2) itself (musl's wrapper would do, but this is the raw call). */
static long set_name(const void *name, long len)
{
    long r = syscall(SYS_sethostname, name, len);
    return r < 0 ? -errno : r;
}

/* The nodename uname(2) reports now. */
static const char *node_name(void)
{
    static struct utsname u;
    if (uname(&u) < 0)
        return "(uname failed)";
    return u.nodename;
}

static void report(const char *name, int ok, const char *why)
{
    if (ok)
        printf("PASS %s\n", name);
    else
        printf("FAIL %s: %s\n", name, why);
    failures += !ok;
}

#endif
