/*
 * syscalls.h - every sys_<name>() handler, gathered for the dispatch table.
 * Each module declares its own handlers; this header only includes them.
 */
#ifndef KERNEL_SYSCALLS_H
#define KERNEL_SYSCALLS_H

#include "kernel/fs/lock.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/mqueue.h"
#include "kernel/fs/poll.h"
#include "kernel/fs/syscalls_fs.h"
#include "kernel/net/epoll.h"
#include "kernel/net/socket.h"
#include "kernel/sys_hostname.h"
#include "kernel/sys_misc.h"
#include "kernel/sys_time.h"
#include "mm/mlock.h"
#include "mm/mmap.h"
#include "mm/swap_sys.h"
#include "proc/exec.h"
#include "proc/exit.h"
#include "proc/fork.h"
#include "proc/futex.h"
#include "proc/itimer.h"
#include "proc/ns.h"
#include "proc/posix_timer.h"
#include "proc/ptrace.h"
#include "proc/signal_frame.h"
#include "proc/sys_cred.h"
#include "proc/sys_proc.h"
#include "proc/sys_signal.h"
#include "proc/thread.h"
#include "sched/sys_sched.h"

#endif
