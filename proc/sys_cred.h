/* sys_cred.h - system calls that read and change a process's user and group IDs. */
#ifndef PROC_SYS_CRED_H
#define PROC_SYS_CRED_H

#include "kernel/types.h"

long sys_getuid(void);
long sys_geteuid(void);
long sys_getgid(void);
long sys_getegid(void);
long sys_setuid(u32 uid);
long sys_setgid(u32 gid);
long sys_setreuid(u32 ruid, u32 euid);
long sys_setregid(u32 rgid, u32 egid);
long sys_setresuid(u32 ruid, u32 euid, u32 suid);
long sys_setresgid(u32 rgid, u32 egid, u32 sgid);
long sys_getresuid(u32 *ruid, u32 *euid, u32 *suid);
long sys_getresgid(u32 *rgid, u32 *egid, u32 *sgid);
long sys_setfsuid(u32 uid);
long sys_setfsgid(u32 gid);
long sys_getgroups(int size, u32 *list);
long sys_setgroups(int size, const u32 *list);
struct cap_header;
struct cap_data;
long sys_capget(struct cap_header *header, struct cap_data *data);
long sys_capset(struct cap_header *header, const struct cap_data *data);
/* prctl PR_CAPBSET_READ (drop false) and PR_CAPBSET_DROP. */
long cred_prctl_capbset(bool drop, u64 cap);

#endif
