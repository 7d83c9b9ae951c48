/*
 * signal_frame.h - the frame a signal handler runs on, Linux x86-64 layout.
 *
 *   user stack, after signal_frame_setup():
 *
 *   old rsp -> +---------------------------+
 *              | 128-byte red zone (kept)  |  code may use it below its rsp
 *              +---------------------------+
 *              | FPU/SSE state (fxsave)    |  512 bytes, 64-byte aligned
 *              +---------------------------+
 *              | siginfo (128 bytes)       |  rt_sigframe.info
 *              | ucontext: flags, link,    |  rt_sigframe.uc
 *              |   stack, sigcontext       |    the interrupted registers
 *              |   (rip, rsp, rax...),     |
 *              |   signal mask             |    the mask to restore
 *   new rsp -> | pretcode = sa_restorer    |  the handler's "return address"
 *              +---------------------------+
 *
 * The handler starts with rdi = signal, rsi = &info, rdx = &uc.  When it
 * returns, it "returns" into sa_restorer (musl's __restore_rt), which makes
 * the rt_sigreturn system call; sys_rt_sigreturn() reads the frame back.
 */
#ifndef PROC_SIGNAL_FRAME_H
#define PROC_SIGNAL_FRAME_H

#include "kernel/interrupts.h"
#include "proc/signal.h"

/* Build the frame for `sig` and point the trap frame at the handler.
 * Returns 0, or -EFAULT if the user stack cannot take the frame. */
int signal_frame_setup(struct trap_frame *frame, int sig, const struct k_sigaction *action,
                       const struct pending_info *info, u64 old_mask);

/* Fill a Linux siginfo_t (128 bytes) for `sig`. */
void signal_fill_siginfo(u8 out[128], int sig, const struct pending_info *info);

long sys_rt_sigreturn(void);

#endif
