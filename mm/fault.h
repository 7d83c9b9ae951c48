/* fault.h - the page-fault handler. */
#ifndef MM_FAULT_H
#define MM_FAULT_H

#include "kernel/interrupts.h"

/* Page-fault error code bits pushed by the CPU. */
#define PF_PRESENT (1u << 0)     /* 0: page not present, 1: protection violation */
#define PF_WRITE (1u << 1)       /* the access was a write */
#define PF_USER (1u << 2)        /* the CPU was in user mode */
#define PF_RESERVED (1u << 3)    /* a reserved bit was set in a page-table entry */
#define PF_INSTRUCTION (1u << 4) /* an instruction fetch */

/* Called from trap_dispatch() for vector 14, with CR2 holding the address. */
void page_fault_handler(struct trap_frame *frame);

/* "not-present write from user mode" style text for an error code. */
void page_fault_describe(u64 error_code, char *buf, size_t size);

#endif
