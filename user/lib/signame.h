/*
 * signame.h - signal names and numbers, as kill -l lists them.
 *
 * The numbers are Linux's x86-64 numbers (sprout uses the same ABI), written
 * out in one table in signame.c so students can see them, rather than
 * taken from <signal.h>.
 */
#ifndef USER_LIB_SIGNAME_H
#define USER_LIB_SIGNAME_H

#define SIGNAME_LAST 31 /* named signals are 1..31; 32..64 are real-time signals */
#define SIGNAME_MAX 64  /* the largest signal number kill accepts */

/* "KILL" for 9; NULL for a number without a name. */
const char *signame_from_number(int number);

/*
 * The number of a signal given as "KILL", "SIGKILL", "kill" or "9".
 * Returns -1 for an unknown name or a number outside 0..SIGNAME_MAX
 * (0 is the "does this process exist?" probe of kill(2)).
 */
int signame_to_number(const char *name);

#endif
