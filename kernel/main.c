/*
 * main.c - kmain(): from "the CPU is in long mode" to "init is running".
 *
 * boot/entry.asm calls kmain with the multiboot2 magic and the physical
 * address of GRUB's boot information.  The order below matters: output
 * first (so every later step can report), then the CPU tables, then memory,
 * then interrupts and the clock.
 */
#include "kernel/arch/acpi.h"
#include "kernel/arch/apic.h"
#include "kernel/arch/smp.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/bkl.h"
#include "kernel/crashtest.h"
#include "kernel/drivers/pci.h"
#include "kernel/drivers/virtio_blk.h"
#include "kernel/drivers/virtio_net.h"
#include "kernel/fpu.h"
#include "kernel/fs/ext2/ext2fs.h"
#include "mm/swap_sys.h"
#include "kernel/fs/initrd.h"
#include "kernel/fs/vfs.h"
#include "kernel/fs/writeback.h"
#include "kernel/gdt.h"
#include "kernel/interrupts.h"
#include "kernel/keyboard.h"
#include "kernel/lib/string.h"
#include "kernel/multiboot.h"
#include "kernel/net/socket.h"
#include "kernel/panic.h"
#include "kernel/param.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/serial.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "kernel/tty.h"
#include "kernel/x86.h"
#include "mm/frame.h"
#include "mm/kheap.h"
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "tests/ktest/ktest.h"

#define SPROUT_VERSION "0.1"

static struct boot_info boot_info;
static struct madt_info madt; /* the CPUs and interrupt controllers ACPI lists */

/*
 * The interrupt controllers: the local and I/O APICs when ACPI's MADT
 * describes them (every CPU can then be started), else the two 8259 PICs
 * and one CPU, as on a PC from 1990.  `apic=off` asks for the old way.
 */
static bool interrupt_controllers_init(void)
{
    bool have_madt = acpi_find_madt(&boot_info, &madt);
    const char *apic = boot_option("apic");
    if (have_madt && apic && strcmp(apic, "off") == 0) {
        pr_info("apic: off (apic=off): the legacy PIC and PIT, one CPU\n");
        have_madt = false;
    }
    if (have_madt)
        apic_init(&madt);
    else
        pic_init();
    return have_madt;
}

static void parse_boot_info(u32 magic, u64 info_phys)
{
    const char *error = "outside the first 1 GiB";
    /* boot/entry.asm mapped the first 1 GiB; the loader's data lives well below that. */
    const u64 mapped = 1ul << 30;
    if (magic == MULTIBOOT1_BOOT_MAGIC) { /* QEMU's -kernel (tools/run-qemu) */
        if (multiboot1_parse(phys_to_virt(0), mapped, info_phys, &boot_info, &error) < 0)
            panic("bad multiboot boot information: %s", error);
        return;
    }
    if (magic != MULTIBOOT2_BOOT_MAGIC)
        panic("not started by a multiboot boot loader (magic %#x)", magic);
    const u32 *info = phys_to_virt(info_phys);
    if (info_phys + 16 > mapped ||
        multiboot_parse(info, MIN(info[0], MIN(1u << 20, mapped - info_phys)), &boot_info, &error) <
            0)
        panic("bad multiboot2 boot information: %s", error);
}

static void apply_command_line(void)
{
    cmdline_parse(boot_info.cmdline, &boot_cmdline);
    u64 level;
    if (boot_option("quiet"))
        console_loglevel = 4;
    if (cmdline_parse_u64(boot_option("loglevel"), &level) && level <= 8)
        console_loglevel = (int)level;
}

static void report_command_line(void)
{
    pr_info("Command line: %s\n", boot_info.cmdline[0] ? boot_info.cmdline : "(empty)");
    for (int i = 0; i < boot_cmdline.count; i++)
        if (!cmdline_is_known(boot_cmdline.keys[i]))
            pr_warn("cmdline: unknown option '%s' ignored\n", boot_cmdline.keys[i]);
    if (boot_cmdline.truncated)
        pr_warn("cmdline: too long; the end was ignored\n");
}

static void report_memory_map(void)
{
    pr_info("Memory map (from %s):\n",
            boot_info.loader_name[0] ? boot_info.loader_name : "boot loader");
    u64 usable = 0;
    for (int i = 0; i < boot_info.region_count; i++) {
        const struct memory_region *r = &boot_info.regions[i];
        pr_info("  [mem %#014lx-%#014lx] %s\n", r->base, r->base + r->length - 1,
                memory_type_name(r->type));
        if (r->type == MEMORY_AVAILABLE)
            usable += r->length;
    }
    pr_info("  %lu KiB usable RAM in %d regions\n", usable / 1024, boot_info.region_count);
    for (int i = 0; i < boot_info.module_count; i++)
        pr_info("Module %d: %s at [%#lx-%#lx] (%lu KiB)\n", i, boot_info.modules[i].name,
                boot_info.modules[i].start, boot_info.modules[i].end - 1,
                (boot_info.modules[i].end - boot_info.modules[i].start) / 1024);
}

void kmain(u32 magic, u64 info_phys)
{
    console_init();
    gdt_init();
    idt_init();
    parse_boot_info(magic, info_phys);
    apply_command_line();

    pr_info("sprout %s - a teaching kernel for x86-64 (booted by %s)\n", SPROUT_VERSION,
            boot_info.loader_name[0] ? boot_info.loader_name : "an unknown loader");
    report_command_line();
    report_memory_map();

    frame_init(&boot_info);
    pagetable_init();
    pr_info(
        "Memory: %lu KiB total, %lu KiB free (%lu frames of 4 KiB free); kernel %lu KiB at %p\n",
        frames_total() * 4, frames_free() * 4, frames_free(),
        (u64)(_kernel_end - _kernel_start) / 1024, (void *)_kernel_start);

    fpu_init();
    cpu_init();
    syscall_init();
    struct proc *idle = proc_init_idle();

    sched_init(idle); /* before interrupts: every timer tick calls into the scheduler */
    bool smp = interrupt_controllers_init();
    timer_init();
    sti();
    pr_info("Timer: %d Hz (%s)\n", HZ, apic_enabled ? "local APIC timer" : "PIT");
    if (smp)
        smp_init(&madt);
    random_init();
    tty_init();
    serial_enable_input(tty_receive_char);
    keyboard_init(tty_receive_char);

    pci_init();
    virtio_blk_init();
    virtio_net_init();

    crashtest_run(boot_option("crash"));
    if (boot_option("ktest"))
        ktest_run_and_power_off(boot_option("ktest"));

    vfs_init();
    net_init();
    if (ext2_owns(vfs_root)) { /* root=/dev/vda: the disk is "/", the initrd is not needed */
        pr_info("initrd: not unpacked (the root file system is on /dev/%s)\n",
                ext2_device_name(vfs_root));
        initrd_release_all(&boot_info);
    } else {
        initrd_unpack_all(&boot_info);
    }
    swap_boot_activate(boot_option("swap")); /* tools/run-qemu --swap, make qemu */
    const char *init = boot_option("init");
    proc_start_init(init ? init : "/bin/init", boot_option("run"));
    if (ext2_owns(vfs_root))
        writeback_start(); /* the flusher: dirty blocks reach the disk within seconds */
    pr_info("Memory: %lu KiB free before init\n", frames_free() * 4);

    /* smp=on: from here every CPU runs processes, one at a time in the kernel
     * (the big kernel lock, kernel/bkl.h; this CPU holds it first). */
    if (cpu_count > 1 && smp_wanted())
        bkl_start();
    /* The boot thread becomes the idle process: it runs when nothing else can. */
    sched_idle_loop();
}
