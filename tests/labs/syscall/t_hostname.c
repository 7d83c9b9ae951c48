/*
 * t_hostname.c - the system-call lab's public checks (docs/labs/syscall.md).
 *
 *   t_hostname             set a name and read it back with uname(2)
 *   t_hostname set NAME    just call sethostname(NAME, strlen(NAME)); the
 *                          lab's runner runs this under strace
 */
#include "tests/labs/syscall/hostname_test.h"

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "set") == 0)
        return set_name(argv[2], (long)strlen(argv[2])) == 0 ? 0 : 1;

    char why[200];
    long r = set_name("lab-host", 8);
    snprintf(why, sizeof why, "sethostname(\"lab-host\", 8) returned %ld (%s), uname says \"%s\"",
             r, r < 0 ? strerror((int)-r) : "ok", node_name());
    report("syscall.sethostname.sets_the_name", r == 0 && strcmp(node_name(), "lab-host") == 0,
           why);
    return failures ? 1 : 0;
}
