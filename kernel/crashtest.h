/* crashtest.h - deliberate kernel crashes (boot option crash=) to see panic output. */
#ifndef KERNEL_CRASHTEST_H
#define KERNEL_CRASHTEST_H

/* `how`: "null" dereferences NULL, "panic" calls panic(); NULL does nothing. */
void crashtest_run(const char *how);

#endif
