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
 * capable(CAP_x) is the one place that answers "may this process do X?":
 * is CAP_x in the process's effective capability set?  The sets are
 * Linux's (capget/capset, prctl PR_CAPBSET_*):
 *
 *   effective    what capable() looks at
 *   permitted    what the process may put into effective (capset)
 *   inheritable  what it may pass through exec (to files with file
 *                capabilities, which sprout does not have)
 *   bounding     the most an exec can ever give it
 *
 * and the sets follow the UIDs as in Linux without file capabilities:
 * exec gives a process whose real or effective UID is 0 the bounding set
 * as permitted (and effective, if the effective UID is 0), anyone else
 * nothing; leaving UID 0 in all of real, effective and saved clears
 * permitted and effective; the effective UID leaving 0 clears effective,
 * returning to 0 refills it from permitted; the filesystem UID leaving 0
 * drops the file capabilities (CAP_CHOWN, CAP_DAC_*, CAP_FOWNER,
 * CAP_FSETID) from effective, returning restores them.  So "root has every
 * capability" holds until root gives some away.
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
    u32 groups[CRED_GROUPS];                                     /* supplementary groups */
    u64 cap_inheritable, cap_permitted, cap_effective, cap_bset; /* bit n: capability n */
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
#define CAP_SETPCAP 8         /* drop from the bounding set; inheritable beyond permitted */
#define CAP_NET_ADMIN 12      /* configure interfaces (ifconfig lo up) */
#define CAP_SYS_CHROOT 18     /* chroot */
#define CAP_SYS_PTRACE 19     /* trace any process, read its /proc/<pid>/environ, fd/ */
#define CAP_SYS_ADMIN 21      /* mount, sethostname, swapon ... */
#define CAP_SYS_BOOT 22       /* reboot, poweroff */
#define CAP_SYS_NICE 23       /* lower nice values, renice other users' processes */
#define CAP_SYS_RESOURCE 24   /* raise hard resource limits */
#define CAP_MKNOD 27          /* (a file capability in Linux's sense: follows fsuid) */
#define CAP_MAC_OVERRIDE 32   /* (likewise) */
#define CAP_LAST_CAP 40       /* Linux's CAP_CHECKPOINT_RESTORE, the highest it knows */
#define CAP_BIT(cap) (1ull << (cap))
#define CAP_FULL_SET (CAP_BIT(CAP_LAST_CAP + 1) - 1)

struct proc;

/* Does the current process have capability `cap`? */
bool capable(int cap);

/* The credentials of the very first process: root in every field, every
 * capability but no inheritable ones. */
void cred_init_root(struct cred *cred);

/* Does `cred` have `cap` in its effective set? */
bool cred_has_cap(const struct cred *cred, int cap);

/* Linux's capability fix-ups after a set*uid call changed `cred` from `old`
 * (see above); after setfsuid, cred_fix_setfsuid with the old fs UID. */
void cred_fix_setuid(struct cred *cred, const struct cred *old);
void cred_fix_setfsuid(struct cred *cred, u32 old_fsuid);

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
 * saved := effective and fs := effective, as Linux's exec does, and compute
 * the new capability sets from the new IDs (see above). */
void cred_exec(struct cred *cred, u32 mode, u32 uid, u32 gid, bool traced);

#endif
