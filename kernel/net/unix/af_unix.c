/* af_unix.c - AF_UNIX sockets (see unix.h).  Not yet: the family is registered later. */
#include "kernel/net/unix/unix.h"

void unix_init(void) {}
