/*
 * prof_abi.h - what user space sees of the sampling profiler (/dev/prof).
 *
 * Shared by the kernel (kernel/prof.c) and the `prof` tool (user/prof/),
 * so it uses only plain C types.  Linux's perf_event_open would do the same
 * job with a hundred options; sprout's profiler is a device with three
 * ioctls and a read:
 *
 *   fd = open("/dev/prof", O_RDONLY);
 *   struct prof_config c = {.pid = child, .hz = 1024};
 *   ioctl(fd, PROF_IOC_START, &c);        // c.hz now holds the rate used
 *   ... read(fd, samples, n * sizeof(struct prof_sample)) while it runs ...
 *   ioctl(fd, PROF_IOC_STOP, 0);          // then read what is left
 *   close(fd);                            // also stops, and frees the ring
 */
#ifndef KERNEL_PROF_ABI_H
#define KERNEL_PROF_ABI_H

/* Kernel frames kept per sample: the interrupted instruction, then return addresses. */
#define PROF_MAX_DEPTH 16

struct prof_config {
    int pid;               /* the process to sample (0: the caller); its future children too */
    unsigned int hz;       /* samples a second, 2..8192; rounded down to a power of two */
    unsigned int flags;    /* none yet: must be 0 */
    unsigned int reserved; /* must be 0 */
};

#define PROF_SAMPLE_KERNEL 1 /* the CPU was in the kernel, working for this process */

struct prof_sample {
    int pid;                     /* the process (thread group ID) */
    int tid;                     /* the thread */
    unsigned int flags;          /* PROF_SAMPLE_KERNEL, or 0 in user mode */
    unsigned int kernel_depth;   /* entries of kernel_chain used (0 in user mode) */
    unsigned int cpu;            /* the CPU it was running on */
    unsigned int reserved;       /* 0 */
    unsigned long long user_rip; /* where user mode was (or will resume, for a kernel sample) */
    char comm[16];               /* the command name at the time */
    unsigned long long kernel_chain[PROF_MAX_DEPTH]; /* [0] the interrupted rip, then callers */
};

struct prof_stats {
    unsigned long long samples;    /* recorded in the ring */
    unsigned long long dropped;    /* lost because the ring was full */
    unsigned long long interrupts; /* sampling interrupts (the clock's, and the IPIs passing
                                      it on to other CPUs), the profiled process running or not */
};

/* Linux's _IOW('P', 1, struct prof_config), _IO('P', 2), _IOR('P', 3, struct prof_stats). */
#define PROF_IOC_START 0x40105001u
#define PROF_IOC_STOP 0x00005002u
#define PROF_IOC_STATS 0x80185003u

#endif
