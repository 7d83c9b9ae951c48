/*
 * fpu.h - the user's floating-point and SSE registers.
 *
 * The kernel itself never touches them (it is compiled with
 * -mgeneral-regs-only), but user programs do (musl's printf, memcpy...), so
 * each process keeps its own copy: saved with `fxsave` when it leaves the CPU
 * and restored with `fxrstor` when it comes back (sched/sched.c).
 */
#ifndef KERNEL_FPU_H
#define KERNEL_FPU_H

#include "kernel/types.h"

#define FPU_STATE_SIZE 512 /* the fxsave area */

/* Enable SSE (CR4.OSFXSR/OSXMMEXCPT) and the FPU; called once at boot. */
void fpu_init(void);
/* A freshly reset state: all registers zero, default control words. */
void fpu_init_state(u8 *state);
/* Copy the CPU's registers to `state` (16-byte aligned) / back to the CPU. */
void fpu_save(u8 *state);
void fpu_restore(const u8 *state);
/* Take a state that came from user memory (a signal frame), making sure it
 * cannot make fxrstor fault (reserved MXCSR bits cleared). */
void fpu_load_user_state(u8 *dest, const u8 *user_state);

#endif
