/* ktest.c - the list of in-kernel tests and their runner. */
#include "tests/ktest/ktest.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/power.h"
#include "tests/ktest/ktests.h"

static const struct ktest tests[] = {
    {"frame.alloc_all_free_all", ktest_frame_alloc_all_free_all},
    {"frame.refcount", ktest_frame_refcount},
    {"frame.contiguous", ktest_frame_contiguous},
    {"pagecache.shrink_spares_mapped", ktest_pagecache_shrink_spares_mapped},
    {"paging.map_translate_unmap", ktest_paging_map_translate_unmap},
    {"paging.access_through_mmu", ktest_paging_access_through_mmu},
    {"paging.kernel_sections", ktest_paging_kernel_sections},
    {"paging.protect", ktest_paging_protect},
    {"paging.no_leak", ktest_paging_no_leak},
    {"heap.many_sizes_no_overlap", ktest_heap_many_sizes},
    {"heap.free_and_reuse", ktest_heap_free_and_reuse},
    {"heap.large_blocks", ktest_heap_large_blocks},
    {"string.memset_memcpy", ktest_string_memset_memcpy},
    {"string.user_copy", ktest_string_user_copy},
    {"timer.ticks_advance", ktest_timer_ticks_advance},
    {"ksyms.lookup", ktest_ksyms_lookup},
    {"ksyms.backtrace_save", ktest_ksyms_backtrace_save},
    {"rtc.periodic_interrupt", ktest_rtc_periodic_interrupt},
    {"watchdog.reports_a_stall_once", ktest_watchdog_reports_a_stall_once},
    {"pid.increasing_and_wrap", ktest_pid_increasing_and_wrap},
    {"pid.skips_used_after_wrap", ktest_pid_skips_used_after_wrap},
    {"cow.diverge_after_write", ktest_cow_diverge_after_write},
    {"cow.frame_freed_with_last_user", ktest_cow_frame_freed_with_last_user},
    {"vm.demand_zero_and_protect", ktest_vm_demand_zero_and_protect},
    {"protect.cr4_matches_cpuid", ktest_protect_cr4_matches_cpuid},
    {"protect.copy_leaves_ac_clear", ktest_protect_copy_leaves_ac_clear},
    {"protect.kernel_image_wx", ktest_protect_kernel_image_wx},
    {"protect.kernel_stack_guard", ktest_protect_kernel_stack_guard},
    {"protect.no_writable_exec_kernel_page", ktest_protect_no_writable_exec_kernel_page},
    {"pci.finds_host_bridge", ktest_pci_finds_host_bridge},
    {"virtio_blk.write_read_back", ktest_virtio_blk_write_read_back},
    {"virtio_blk.out_of_range", ktest_virtio_blk_out_of_range},
    {"virtio_blk.flush", ktest_virtio_blk_flush},
    {"virtq.checks_the_device", ktest_virtq_checks_the_device},
    {"smp.cpu_ids", ktest_smp_cpu_ids},
    {"smp.ipi_round_trip", ktest_smp_ipi_round_trip},
    {"smp.every_cpu_ticks", ktest_smp_every_cpu_ticks},
    {"smp.call_function", ktest_smp_call_function},
    {"lock.inversion_reports_both_chains", ktest_lock_inversion_reports_both_chains},
    {"lock.inversion_through_a_third_lock", ktest_lock_inversion_through_a_third_lock},
    {"lock.recursion_reported", ktest_lock_recursion_reported},
    {"lock.sleeping_with_spinlock_reported", ktest_lock_sleeping_with_spinlock_reported},
    {"lock.mutex_recursion_reported", ktest_lock_mutex_recursion_reported},
    {"lock.counter_from_both_cpus", ktest_lock_counter_from_both_cpus},
    {"lock.held_too_long_names_the_holder", ktest_lock_held_too_long_names_the_holder},
    {"lock.mutex_contended_by_two_threads", ktest_lock_mutex_contended_by_two_threads},
};

void ktest_fail(struct ktest_context *t, const char *file, int line, const char *fmt, ...)
{
    char why[256];
    va_list args;
    va_start(args, fmt);
    vsnprintf(why, sizeof why, fmt, args);
    va_end(args);
    if (t->failures++ == 0) /* report the first failure of a test on its FAIL line */
        printk(KERN_EMERG "FAIL ktest.%s: %s (%s:%d)\n", t->name, why, file, line);
    else
        printk(KERN_EMERG "  also: %s (%s:%d)\n", why, file, line);
}

void ktest_run_and_power_off(const char *filter)
{
    bool all = strcmp(filter, "all") == 0 || filter[0] == '\0';
    int passed = 0, failed = 0;
    for (size_t i = 0; i < ARRAY_SIZE(tests); i++) {
        if (!all && !str_starts_with(tests[i].name, filter))
            continue;
        struct ktest_context t = {tests[i].name, 0};
        tests[i].run(&t);
        if (t.failures) {
            failed++;
        } else {
            passed++;
            printk(KERN_EMERG "PASS ktest.%s\n", tests[i].name);
        }
    }
    printk(KERN_EMERG "%d passed, %d failed\n", passed, failed);
    power_off();
}
