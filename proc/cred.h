/*
 * cred.h - who a process is, and what it may do.
 *
 * Every process carries a struct cred: the user and group it runs as, in
 * four flavours each, as in Linux:
 *
 *   real       who started it (kill and access() look at this one)
 *   effective  whose rights it uses now (most checks look at this one)
 *   saved      an effective ID it may switch back to (set-user-ID programs
 *              drop privileges into real and return through saved)
 *   fs         whose rights file access uses; follows effective unless
 *              setfsuid/setfsgid says otherwise
 *
 * plus supplementary groups.  fork copies the cred; exec of a set-user-ID
 * or set-group-ID file changes the effective and saved IDs.
 *
 * capable(CAP_x) is the one place that answers "may this process do X?".
 * Linux keeps a set of capabilities per process; sprout keeps Linux's
 * traditional rule: a process whose effective UID is 0 has them all, and
 * file-system capabilities (CAP_CHOWN, CAP_DAC_*, CAP_FOWNER, CAP_FSETID)
 * follow the filesystem UID.
 */
#ifndef PROC_CRED_H
#define PROC_CRED_H

#include "kernel/types.h"

#define NGROUPS_MAX 65536      /* Linux's limit on setgroups */
#define CRED_GROUPS 32         /* how many sprout keeps: more is EINVAL */
#define ID_INVALID 0xffffffffu /* (uid_t)-1: "leave unchanged" */

struct cred {
    u32 uid, euid, suid, fsuid; /* real, effective, saved, filesystem user */
    u32 gid, egid, sgid, fsgid; /* ... and group */
    u32 ngroups;
    u32 groups[CRED_GROUPS]; /* supplementary groups */
};

/* Capabilities: Linux's numbers (include/uapi/linux/capability.h). */
#define CAP_CHOWN 0           /* chown a file to anyone, to any group */
#define CAP_DAC_OVERRIDE 1    /* read, write, execute any file regardless of mode */
#define CAP_DAC_READ_SEARCH 2 /* read any file, search any directory */
#define CAP_FOWNER 3          /* act as the owner of any file (chmod, utimes, sticky) */
#define CAP_FSETID 4          /* keep set-user-ID bits when writing or chowning */
#define CAP_KILL 5            /* signal any process */
#define CAP_SETGID 6          /* set any group IDs, supplementary groups */
#define CAP_SETUID 7          /* set any user IDs */
#define CAP_SYS_CHROOT 18     /* chroot */
#define CAP_SYS_PTRACE 19     /* trace any process, read its /proc/<pid>/environ, fd/ */
#define CAP_SYS_ADMIN 21      /* mount, sethostname, swapon ... */
#define CAP_SYS_BOOT 22       /* reboot, poweroff */
#define CAP_SYS_NICE 23       /* lower nice values, renice other users' processes */
#define CAP_SYS_RESOURCE 24   /* raise hard resource limits */

struct proc;

/* Does the current process have capability `cap`? */
bool capable(int cap);

/* The credentials of the very first process: root in every field. */
void cred_init_root(struct cred *cred);

/* Is `gid` the filesystem group or one of the supplementary groups of `cred`? */
bool cred_in_group(const struct cred *cred, u32 gid);

/*
 * May the current process send signals to / look inside (ptrace, environ,
 * fd/) process `target`?  Linux's rules: a signal needs CAP_KILL or the
 * sender's real or effective UID to equal the target's real or saved UID;
 * inspecting needs CAP_SYS_PTRACE or all three target UIDs (and GIDs) to
 * equal the caller's real UID (GID).
 */
bool cred_may_signal(const struct proc *target);
bool cred_may_inspect(const struct proc *target);

/* At exec of a file with `mode`, owner `uid`, group `gid`: apply set-user-ID
 * and set-group-ID (unless `traced` by a process without CAP_SYS_PTRACE: it
 * could change the program and so use the rights), then
 * saved := effective and fs := effective, as Linux's exec does. */
void cred_exec(struct cred *cred, u32 mode, u32 uid, u32 gid, bool traced);

#endif
