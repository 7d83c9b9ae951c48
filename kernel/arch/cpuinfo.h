/*
 * cpuinfo.h - /proc/cpuinfo and /proc/interrupts: what each CPU is and what
 * it has been interrupted by, in Linux's formats (so tools written for
 * Linux read them unchanged).
 */
#ifndef KERNEL_ARCH_CPUINFO_H
#define KERNEL_ARCH_CPUINFO_H

struct textbuf;

/* One block per online CPU: processor, vendor_id, model name, apicid, flags, ... */
void cpuinfo_show(struct textbuf *out);
/* A column per online CPU: device IRQs, LOC (local timer), RES (ping IPIs). */
void interrupts_show(struct textbuf *out);

#endif
