/* crashtest.h - deliberate kernel crashes (boot option crash=) to see panic output. */
#ifndef KERNEL_CRASHTEST_H
#define KERNEL_CRASHTEST_H

/*
 * `how`: "null" dereferences NULL, "panic" calls panic(), "smap" reads a user
 * page directly, "smep" executes a user page, "wx" writes to kernel text,
 * "nx" executes kernel data, "stack" overflows a process's kernel stack.
 * NULL does nothing.
 */
void crashtest_run(const char *how);

#endif
