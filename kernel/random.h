/* random.h - random numbers for /dev/urandom, getrandom() and AT_RANDOM (not cryptographic). */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include "kernel/types.h"

void random_init(void);
u64 random_u64(void);
void random_fill(void *buf, size_t size);
/* Fills a user buffer (/dev/urandom's read, getrandom).  Returns the bytes
 * written, or -EFAULT if not even the first chunk could be. */
long random_to_user(void *buf, size_t size);

#endif
