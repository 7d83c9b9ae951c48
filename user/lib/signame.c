/*
 * signame.c - the table of signal names (see signame.h).
 */
#include "user/lib/signame.h"

#include <stddef.h>
#include <stdlib.h>
#include <strings.h>

/* Indexed by signal number: Linux x86-64 numbering. */
static const char *const names[SIGNAME_LAST + 1] = {
    [1] = "HUP",   [2] = "INT",     [3] = "QUIT",  [4] = "ILL",     [5] = "TRAP",  [6] = "ABRT",
    [7] = "BUS",   [8] = "FPE",     [9] = "KILL",  [10] = "USR1",   [11] = "SEGV", [12] = "USR2",
    [13] = "PIPE", [14] = "ALRM",   [15] = "TERM", [16] = "STKFLT", [17] = "CHLD", [18] = "CONT",
    [19] = "STOP", [20] = "TSTP",   [21] = "TTIN", [22] = "TTOU",   [23] = "URG",  [24] = "XCPU",
    [25] = "XFSZ", [26] = "VTALRM", [27] = "PROF", [28] = "WINCH",  [29] = "IO",   [30] = "PWR",
    [31] = "SYS",
};

/* Other names some programs use for the same signals. */
static const struct {
    const char *name;
    int number;
} aliases[] = {
    {"IOT", 6},
    {"CLD", 17},
    {"POLL", 29},
};

const char *signame_from_number(int number)
{
    if (number < 1 || number > SIGNAME_LAST)
        return NULL;
    return names[number];
}

int signame_to_number(const char *name)
{
    char *end;

    if (name[0] >= '0' && name[0] <= '9') {
        long number = strtol(name, &end, 10);
        return *end == '\0' && number <= SIGNAME_MAX ? (int)number : -1;
    }
    if (strncasecmp(name, "SIG", 3) == 0)
        name += 3;
    for (int number = 1; number <= SIGNAME_LAST; number++)
        if (strcasecmp(name, names[number]) == 0)
            return number;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcasecmp(name, aliases[i].name) == 0)
            return aliases[i].number;
    return -1;
}
