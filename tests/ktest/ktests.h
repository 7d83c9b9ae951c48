/* ktests.h - the in-kernel test functions, one line each (listed in ktest.c). */
#ifndef TESTS_KTEST_KTESTS_H
#define TESTS_KTEST_KTESTS_H

#include "tests/ktest/ktest.h"

void ktest_frame_alloc_all_free_all(struct ktest_context *t);
void ktest_frame_refcount(struct ktest_context *t);
void ktest_frame_contiguous(struct ktest_context *t);
void ktest_pagecache_shrink_spares_mapped(struct ktest_context *t);
void ktest_paging_map_translate_unmap(struct ktest_context *t);
void ktest_paging_access_through_mmu(struct ktest_context *t);
void ktest_paging_kernel_sections(struct ktest_context *t);
void ktest_paging_protect(struct ktest_context *t);
void ktest_paging_no_leak(struct ktest_context *t);
void ktest_heap_many_sizes(struct ktest_context *t);
void ktest_heap_free_and_reuse(struct ktest_context *t);
void ktest_heap_large_blocks(struct ktest_context *t);
void ktest_string_memset_memcpy(struct ktest_context *t);
void ktest_string_user_copy(struct ktest_context *t);
void ktest_timer_ticks_advance(struct ktest_context *t);
void ktest_ksyms_lookup(struct ktest_context *t);
void ktest_ksyms_backtrace_save(struct ktest_context *t);
void ktest_rtc_periodic_interrupt(struct ktest_context *t);
void ktest_watchdog_reports_a_stall_once(struct ktest_context *t);
void ktest_pid_increasing_and_wrap(struct ktest_context *t);
void ktest_pid_skips_used_after_wrap(struct ktest_context *t);
void ktest_cow_diverge_after_write(struct ktest_context *t);
void ktest_cow_frame_freed_with_last_user(struct ktest_context *t);
void ktest_vm_demand_zero_and_protect(struct ktest_context *t);
void ktest_protect_cr4_matches_cpuid(struct ktest_context *t);
void ktest_protect_copy_leaves_ac_clear(struct ktest_context *t);
void ktest_protect_kernel_image_wx(struct ktest_context *t);
void ktest_protect_kernel_stack_guard(struct ktest_context *t);
void ktest_protect_no_writable_exec_kernel_page(struct ktest_context *t);
void ktest_pci_finds_host_bridge(struct ktest_context *t);
void ktest_virtio_blk_write_read_back(struct ktest_context *t);
void ktest_virtio_blk_out_of_range(struct ktest_context *t);
void ktest_virtio_blk_flush(struct ktest_context *t);
void ktest_virtq_checks_the_device(struct ktest_context *t);

void ktest_smp_cpu_ids(struct ktest_context *t);
void ktest_smp_ipi_round_trip(struct ktest_context *t);
void ktest_smp_every_cpu_ticks(struct ktest_context *t);
void ktest_smp_call_function(struct ktest_context *t);
void ktest_lock_inversion_reports_both_chains(struct ktest_context *t);
void ktest_lock_inversion_through_a_third_lock(struct ktest_context *t);
void ktest_lock_recursion_reported(struct ktest_context *t);
void ktest_lock_sleeping_with_spinlock_reported(struct ktest_context *t);
void ktest_lock_mutex_recursion_reported(struct ktest_context *t);
void ktest_lock_mutex_contended_by_two_threads(struct ktest_context *t);
void ktest_lock_counter_from_both_cpus(struct ktest_context *t);
void ktest_lock_held_too_long_names_the_holder(struct ktest_context *t);

#endif
