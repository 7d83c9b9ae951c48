/*
 * smp.h - starting the other processors, and talking to them (IPIs).
 *
 * At boot only one CPU runs: the bootstrap processor (BSP), cpus[0].  The
 * others, the application processors (APs), wait until the BSP sends each
 * one INIT and STARTUP messages through its local APIC; then an AP runs the
 * real-mode trampoline (boot/trampoline.asm) and arrives in smp_ap_entry().
 *
 * In this stage the APs come online, run their local APIC timer and answer
 * IPIs, but do not run processes: they sit in an idle `hlt` loop.  The
 * scheduler still runs every process on CPU 0 (docs/smp.md).
 *
 * IPIs (inter-processor interrupts):
 *   VEC_IPI_RESCHEDULE  "ping": counted per CPU (ipis_received); when the
 *                       sender asked for it, answered with a ping back.
 *                       Later stages: "look at your run queue".
 *   VEC_IPI_CALL        run a function on that CPU (smp_call_on).
 *   NMI (STOP)          panic() on one CPU stops every other one; each
 *                       records where it was, which the panic report prints
 *                       with a backtrace of that CPU's stack.
 */
#ifndef KERNEL_ARCH_SMP_H
#define KERNEL_ARCH_SMP_H

#include "kernel/types.h"

struct madt_info;
struct trap_frame;

/* Start every usable CPU the MADT lists (boot CPU, interrupts on, after
 * apic_init and the timer).  Prints a line per CPU; a CPU that does not
 * answer is reported and left out. */
void smp_init(const struct madt_info *madt);

/* The index in cpus[] of the CPU running this, found from its local APIC ID
 * (so it works where GS cannot be trusted: NMIs, panics). */
int smp_this_cpu_id(void);

/* The local APIC timer interrupt, on every CPU: count it; on CPU 0 it is
 * also the kernel's clock tick (timer_tick). */
void smp_timer_interrupt(struct trap_frame *frame);
/* The reschedule ("ping") IPI. */
void smp_ping_interrupt(void);
/* Ping `cpu` and wait up to `timeout_us` for its ping back.  Returns the
 * round trip in microseconds, or -1 if no answer came.  Interrupts on. */
long smp_ping_round_trip(int cpu, u64 timeout_us);

/*
 * Run fn(arg) on CPU `cpu`, in its interrupt handler (interrupts off there:
 * fn must not sleep), and wait up to `timeout_us` for it to finish.
 * Returns 0, -EINVAL for a CPU that is not online (or this one), or
 * -ETIMEDOUT.  Any CPU may call it: callers take turns (the spinlock
 * "smp_call", so interrupts are off while it waits).  The start of TLB
 * shootdown ("flush this address, everyone") and of tests that must run on
 * another CPU.
 */
int smp_call_on(int cpu, void (*fn)(void *arg), void *arg, u64 timeout_us);
/* The call-function IPI. */
void smp_call_interrupt(void);
/* Run a call-function request now if one waits (a CPU spinning with
 * interrupts off: kernel/bkl.c). */
void smp_call_poll(void);
/* Did the command line ask processes to run on every CPU (smp=on)? */
bool smp_wanted(void);

/* panic(): stop every other online CPU with an NMI and wait (briefly) until
 * each has.  Interrupts off. */
void smp_stop_others(void);
/* The NMI handler's question: is this the STOP?  If so, never returns. */
void smp_handle_nmi(struct trap_frame *frame);
/* panic(): one line per stopped CPU, with the instruction it was at. */
void smp_report_stopped(void);

#endif
