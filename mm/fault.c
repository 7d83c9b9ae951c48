/*
 * fault.c - the page-fault handler: where virtual memory becomes real.
 *
 * The CPU raises a page fault (vector 14) when a translation is missing or
 * forbids the access.  CR2 holds the address, the error code says why.
 */
#include "mm/fault.h"
#include "kernel/ksyms.h"
#include "kernel/lib/format.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/x86.h"

void page_fault_describe(u64 error_code, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s %s from %s mode",
             error_code & PF_RESERVED ? "reserved-bit " : "",
             error_code & PF_PRESENT ? "protection violation on" : "not-present page,",
             error_code & PF_INSTRUCTION ? "instruction fetch" : error_code & PF_WRITE ? "write" : "read",
             error_code & PF_USER ? "user" : "kernel");
}

void page_fault_handler(struct trap_frame *frame)
{
    u64 address = read_cr2();
    char why[96], where[128];
    page_fault_describe(frame->error_code, why, sizeof why);
    ksym_format(frame->rip, where, sizeof where);
    panic_with_frame(frame, "page fault at address %#018lx: %s, RIP %s", address, why, where);
}
