# sprout - a teaching kernel for x86-64.
#
#   make            build build/kernel.elf and the bootable image build/os.iso
#   make qemu       boot it; the console is this terminal (quit: Ctrl-A then X)
#   make qemu-gdb   boot paused, waiting for gdb on port $(GDBPORT)
#   make gdb        attach gdb with the kernel's symbols (in another terminal)
#   make test       run every test; the last line says "N passed, N failed"
#   make test-disk  the whole user test suite with the ext2 disk as / (2-3 min; in make soak)
#   make bench      boot and run the benchmark table (timings live only here)
#   make bench-linux  the same table beside Linux's, in the same QEMU (RUNS=3)
#   make flamegraph profile PROG (default 'bench -q') in sprout: build/prof/flamegraph.svg
#   make boottime   how long each phase of the boot takes (QEMU, GRUB, kernel)
#   make disk       build build/disk.img, the ext2 disk `make qemu` attaches (part of make)
#   make swap       build build/swap.img, the swap area (mkswap) `make qemu` attaches
#   make clean      remove build/
#
# Variables: SCHED=<policy> CMDLINE='k=v ...' MEM=256M CPU=<qemu -cpu> KVM=1 CC=clang CROSS=x86_64-elf-
#            CPUS=N (virtual CPUs, default 2: see docs/smp.md)
#            DISK=0 (make qemu without build/disk.img) DISK_SIZE=64 (MiB)
#            DEBIAN=0 (build/disk.img without Debian's bash and coreutils)
#            SWAP=0 (make qemu without build/swap.img) SWAP_SIZE=64 (MiB)
#            NET=1 NET_PORT=8080 (a network card; the port forwarded from 127.0.0.1)

CROSS ?=
ifeq ($(origin CC),default)
CC := $(CROSS)gcc
endif
LD := $(CROSS)ld
NM := $(CROSS)nm
NASM := nasm
HOSTCC ?= $(if $(CROSS),gcc,$(CC))
MUSLCC := musl-gcc
QEMU := qemu-system-x86_64
GDB := gdb

MEM ?= 256M
# QEMU's plain x86-64 model plus the protections sprout turns on (kernel/cpu.h);
# CPU=qemu64 boots without them.
CPU ?= qemu64,+smep,+smap,+umip
SCHED ?=
CMDLINE ?=
KVM ?=
GDBPORT ?= $(shell expr 26000 + $$(id -u) % 5000)

BUILD := build
INSNPROF_PLUGIN := $(BUILD)/insnprof.so # tools/insnprof's QEMU plugin (below)

# Builds are reproducible: every file in the initrd and the ISO carries the
# time SOURCE_DATE_EPOCH (a fixed date unless you set it), and so does the
# kernel's version string (uname -v, /proc/version), so two builds of the same
# sources give the same bytes (tests/tools/test_reproducible.sh).
SOURCE_DATE_EPOCH ?= 1767225600
export SOURCE_DATE_EPOCH
BUILD_DATE := $(shell date -u -d @$(SOURCE_DATE_EPOCH) '+%b %e %Y')
Q := @

# --- kernel ---------------------------------------------------------------

# The lock validator (kernel/lock/lockdep.h): on in every build, make test and
# make bench included; LOCKDEP=0 builds without it (after a make clean).
LOCKDEP ?= 1
KERNEL_CFLAGS := -std=gnu11 -ffreestanding -fno-pic -fno-pie -mno-red-zone -mcmodel=kernel \
	-mgeneral-regs-only -fno-omit-frame-pointer -fno-optimize-sibling-calls \
	-fno-stack-protector -fcf-protection=none -fno-delete-null-pointer-checks \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing -g -Og \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes -I. -I$(BUILD)/gen -MMD -MP \
	-DSPROUT_BUILD_DATE='"$(BUILD_DATE)"' -DLOCKDEP=$(LOCKDEP)
# The locks are on every hot path (the frame allocator, the heap, printk):
# optimised even in this -Og build, which keeps make bench within reach of
# the lock-free kernel it replaced under QEMU's emulation.
$(BUILD)/obj/kernel/lock/%.o: KERNEL_CFLAGS += -O2
# So are the run queues' add, pick and place: twice on every switch (docs/smp.md,
# "What it costs"); schedule() itself (sched/sched.c) stays -Og to step through.
$(BUILD)/obj/sched/runqueue.o: KERNEL_CFLAGS += -O2
# So is the IPv4/TCP core: every segment runs through it, both ways, with
# interrupts off (kernel/net/inet/net_env.h; README, "Performance").
$(BUILD)/obj/kernel/net/inet/%.o: KERNEL_CFLAGS += -O2
NASMFLAGS := -f elf64 -g -F dwarf -Werror -I./
LDFLAGS := -n -T linker.ld -z noexecstack -z max-page-size=0x1000 --no-warn-rwx-segments

KERNEL_DIRS := kernel mm sched proc tests/ktest
KERNEL_C := $(shell find $(KERNEL_DIRS) -name '*.c' | sort)
KERNEL_ASM := $(shell find boot kernel proc -name '*.asm' | sort)
KERNEL_OBJS := $(KERNEL_C:%.c=$(BUILD)/obj/%.o) $(KERNEL_ASM:%.asm=$(BUILD)/obj/%.asm.o)

.PHONY: disk all deps qemu qemu-gdb gdb test test-disk unit-tests user-tests bench bench-linux flamegraph boottime sched-compare grade handout clean format fuzz soak
.DELETE_ON_ERROR:

all: deps $(BUILD)/kernel.elf $(BUILD)/kernel.bin $(BUILD)/initrd.cpio $(BUILD)/os.iso $(BUILD)/disk.img $(INSNPROF_PLUGIN)

deps:
	$(Q)tools/ensure-deps $(CC)

$(BUILD)/obj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.asm.o: %.asm $(wildcard kernel/*.inc) Makefile
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) $(NASMFLAGS) $< -o $@

# Two links: the first without symbols, then again with the symbol table
# generated from the first.  .ksyms is last in linker.ld, so no other
# address moves; tools/gen-ksyms --check makes sure of it.
$(BUILD)/kernel.elf: $(KERNEL_OBJS) linker.ld tools/gen-ksyms
	@echo "  LD      $@"
	$(Q)tools/gen-ksyms > $(BUILD)/ksyms0.asm
	$(Q)$(NASM) -f elf64 $(BUILD)/ksyms0.asm -o $(BUILD)/ksyms0.o
	$(Q)$(LD) $(LDFLAGS) -o $(BUILD)/kernel.pass1.elf $(KERNEL_OBJS) $(BUILD)/ksyms0.o
	$(Q)tools/gen-ksyms $(BUILD)/kernel.pass1.elf > $(BUILD)/ksyms.asm
	$(Q)$(NASM) -f elf64 $(BUILD)/ksyms.asm -o $(BUILD)/ksyms.o
	$(Q)$(LD) $(LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms.o
	$(Q)tools/gen-ksyms --check $(BUILD)/kernel.pass1.elf $@

-include $(KERNEL_OBJS:.o=.d)

# The system-call table: one text file, two generated headers.
$(BUILD)/gen/syscall_table.h: kernel/syscalls.tbl tools/gen-syscalls
	@mkdir -p $(dir $@)
	$(Q)tools/gen-syscalls table < $< > $@
$(BUILD)/gen/syscall_names.h: kernel/syscalls.tbl tools/gen-syscalls
	@mkdir -p $(dir $@)
	$(Q)tools/gen-syscalls names < $< > $@
$(KERNEL_OBJS): | $(BUILD)/gen/syscall_table.h $(BUILD)/gen/syscall_names.h

# --- user programs ------------------------------------------------------------
#
#   user/NAME.c          -> /bin/NAME          (one file, one program)
#   user/demos/NAME.c    -> /bin/NAME          (the seed's demonstrations)
#   user/NAME/*.c        -> /bin/NAME          (a program of several files, e.g. the shell)
#   user/lib/*.c         -> linked into every program (#include "user/lib/...")
#   user/etc/*           -> /etc/...
# All are ordinary C for Linux, built with musl-gcc -static.

USER_CFLAGS := -std=gnu11 -static -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fno-omit-frame-pointer -I. -I$(BUILD)/gen
USER_LIB_SRCS := $(wildcard user/lib/*.c)
USER_LIB_OBJS := $(USER_LIB_SRCS:%.c=$(BUILD)/uobj/%.o)
USER_LIB := $(BUILD)/uobj/libu.a
USER_SINGLE := $(wildcard user/*.c user/demos/*.c)
USER_MULTI_DIRS := $(sort $(filter-out user/lib/ user/demos/ user/etc/,$(dir $(wildcard user/*/*.c))))
USER_MULTI := $(patsubst user/%/,%,$(USER_MULTI_DIRS))
USER_BINS := $(addprefix $(BUILD)/initrd/bin/,$(notdir $(USER_SINGLE:.c=)) $(USER_MULTI))
USER_ETC := $(patsubst user/etc/%,$(BUILD)/initrd/etc/%,$(wildcard user/etc/*))
USER_HEADERS := $(wildcard user/lib/*.h)
# Generated from kernel/syscalls.tbl; only strace and the system-call fuzzer
# read it, so a new system call (the syscall lab) does not relink everything.
SYSCALL_NAMES := $(BUILD)/gen/syscall_names.h

$(BUILD)/uobj/%.o: %.c $(USER_HEADERS) Makefile
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSLCC) $(USER_CFLAGS) -c $< -o $@

$(USER_LIB): $(USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/initrd/bin/%: user/%.c $(USER_LIB) $(USER_HEADERS) Makefile
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSLCC) $(USER_CFLAGS) $< $(USER_LIB) -o $@

$(BUILD)/initrd/bin/%: user/demos/%.c $(USER_LIB) $(USER_HEADERS) Makefile
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSLCC) $(USER_CFLAGS) $< $(USER_LIB) -o $@

define multi_file_program
$(BUILD)/initrd/bin/$(1): $(wildcard user/$(1)/*.c) $(wildcard user/$(1)/*.h) $(USER_LIB) $(USER_HEADERS) \
		$(SYSCALL_NAMES) Makefile
	@mkdir -p $$(dir $$@)
	@echo "  MUSLCC  user/$(1)/"
	$(Q)$(MUSLCC) $(USER_CFLAGS) $(wildcard user/$(1)/*.c) $(USER_LIB) -o $$@
endef
$(foreach prog,$(USER_MULTI),$(eval $(call multi_file_program,$(prog))))

$(BUILD)/initrd/etc/%: user/etc/%
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

# The root directory for boxes (`box run /box/root /bin/sh`, docs/containers.md): a
# copy of a few programs (the cpio has no hard links) and empty /proc and /tmp.
BOX_ROOT_BINS := sh ps sleep hostname echo leak forkbomb spin
BOX_ROOT_BINS += ifconfig httpd httpload
BOX_ROOT := $(addprefix $(BUILD)/initrd/box/root/bin/,$(BOX_ROOT_BINS))
$(BUILD)/initrd/box/root/bin/%: $(BUILD)/initrd/bin/%
	@mkdir -p $(dir $@) $(BUILD)/initrd/box/root/proc $(BUILD)/initrd/box/root/tmp
	$(Q)cp $< $@

# The initrd: a cpio (newc) archive of build/initrd/, loaded by GRUB as a module.
$(BUILD)/initrd.cpio: $(USER_BINS) $(USER_ETC) $(BOX_ROOT) tools/mkinitrd
	@echo "  CPIO    $@"
	$(Q)tools/mkinitrd $(BUILD)/initrd $@

# The disk: an ext2 image of the same tree (tools/mkdisk, mke2fs -d).  `make qemu`
# uses it in place, so what sprout writes stays there from one boot to the next;
# it is made again only when a program or /etc changes (or after rm build/disk.img).
DISK_SIZE ?= 64
DEBIAN ?= 1
DEBIAN_ROOT_STAMP := $(if $(filter 0,$(DEBIAN)),,$(BUILD)/debian-root.stamp)
$(BUILD)/disk.img: $(USER_BINS) $(USER_ETC) $(BOX_ROOT) tools/mkdisk $(DEBIAN_ROOT_STAMP)
	@echo "  MKDISK  $@"
	$(Q)tools/mkdisk -o $@ --size $(DISK_SIZE) $(if $(DEBIAN_ROOT_STAMP),--add $(BUILD)/debian-root) \
		$(BUILD)/initrd

# Debian's own bash and coreutils with their libraries (dynamically linked, run through
# Debian's ld-linux-x86-64.so.2), from their .debs (apt-get download, cached in
# build/debian-debs/), on the disk under /usr/bin and /lib (docs/disk.md).  DEBIAN=0 leaves
# them out; without network the disk is built without them.
$(BUILD)/debian-root.stamp: tools/debian-root
	@echo "  DEBIAN  $(BUILD)/debian-root"
	$(Q)tools/debian-root $(BUILD)/debian-root
	$(Q)touch $@

disk: deps $(BUILD)/disk.img

# --- the boot image ---------------------------------------------------------

# The kernel's memory image from 1 MiB on, for QEMU's own loader (-kernel,
# Multiboot 1: boot/multiboot1.asm), which tools/run-qemu boots.
$(BUILD)/kernel.bin: $(BUILD)/kernel.elf
	@echo "  OBJCOPY $@"
	$(Q)objcopy -O binary $< $@

$(BUILD)/os.iso: $(BUILD)/kernel.elf $(BUILD)/initrd.cpio tools/mkiso
	@echo "  ISO     $@"
	$(Q)tools/mkiso -o $@ --kernel $(BUILD)/kernel.elf --initrd $(BUILD)/initrd.cpio

# --- running ----------------------------------------------------------------

BOOT_CMDLINE = $(strip $(if $(SCHED),sched=$(SCHED)) $(SWAP_CMDLINE) $(CMDLINE))
QEMU_FLAGS := -m $(MEM) -boot d -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	$(if $(KVM),-enable-kvm -cpu host,-cpu $(CPU))
COMMA := ,
# CPUS=N: N virtual CPUs, one host thread each (multi-threaded TCG); every
# CPU runs processes unless CMDLINE has smp=off (docs/smp.md).  CPUS=1 boots
# the one-CPU kernel of the first chapters.
CPUS ?= 2
QEMU_FLAGS += $(if $(filter-out 1,$(CPUS)),-smp $(CPUS) $(if $(KVM),,-accel tcg$(COMMA)thread=multi))
# The disk (virtio-blk, vda), unless DISK=0.
DISK ?= 1
QEMU_DISK := $(if $(filter 0,$(DISK)),,$(BUILD)/disk.img)
QEMU_DISK_FLAGS := $(if $(QEMU_DISK),-drive file=$(QEMU_DISK)$(COMMA)if=none$(COMMA)format=raw$(COMMA)id=disk0 \
	-device virtio-blk-pci$(COMMA)drive=disk0)

# The swap area (virtio-blk, the disk after build/disk.img), unless SWAP=0:
# made by the host's mkswap, activated at boot with swap=vdX (docs/swap.md).
SWAP ?= 1
SWAP_SIZE ?= 64
# (mkswap lives in /usr/sbin, often not in a user's PATH; without it, no swap.)
MKSWAP := $(firstword $(shell command -v mkswap) $(wildcard /usr/sbin/mkswap /sbin/mkswap))
QEMU_SWAP := $(if $(filter 0,$(SWAP)),,$(if $(MKSWAP),$(BUILD)/swap.img))
QEMU_SWAP_FLAGS := $(if $(QEMU_SWAP),-drive file=$(QEMU_SWAP)$(COMMA)if=none$(COMMA)format=raw$(COMMA)id=swap0 \
	-device virtio-blk-pci$(COMMA)drive=swap0)
SWAP_CMDLINE := $(if $(QEMU_SWAP),swap=vd$(if $(filter 0,$(DISK)),a root=initrd,b))
$(BUILD)/swap.img:
	@mkdir -p $(dir $@)
	@echo "  MKSWAP  $@"
	$(Q)rm -f $@ && truncate -s $(SWAP_SIZE)M $@ && chmod 600 $@ && $(MKSWAP) $@ > /dev/null 2>&1
swap: $(BUILD)/swap.img
.PHONY: swap

# NET=1: a virtio-net card on QEMU's user network with restrict=on (sprout
# reaches nothing outside), and 127.0.0.1:NET_PORT on the host forwarded to
# port NET_PORT in sprout (curl http://127.0.0.1:8080/ reaches a server there).
NET ?=
NET_PORT ?= 8080
# Without it, no network card at all (QEMU would add an e1000 on an
# unrestricted user network).
QEMU_NET_FLAGS := $(if $(filter 1,$(NET)),-netdev user$(COMMA)id=net0$(COMMA)restrict=on$(COMMA)hostfwd=tcp:127.0.0.1:$(NET_PORT)-:$(NET_PORT) \
	-device virtio-net-pci$(COMMA)netdev=net0,-nic none)

# A separate image when there are boot options, so os.iso stays the default.
# It is rebuilt only when its inputs change: the kernel, the initrd, or the
# boot options (kept in qemu.cmdline, rewritten only when they differ).
$(BUILD)/qemu.cmdline: FORCE
	@mkdir -p $(dir $@)
	$(Q)printf '%s\n' '$(BOOT_CMDLINE)' | cmp -s - $@ || printf '%s\n' '$(BOOT_CMDLINE)' > $@
$(BUILD)/qemu.iso: $(BUILD)/kernel.elf $(BUILD)/initrd.cpio tools/mkiso $(BUILD)/qemu.cmdline
	@echo "  ISO     $@"
	$(Q)tools/mkiso -o $@ --kernel $(BUILD)/kernel.elf --initrd $(BUILD)/initrd.cpio \
		--cmdline '$(BOOT_CMDLINE)'
FORCE:

# The boot CD: the ISO in a CD drive on an AHCI (SATA) controller rather than
# QEMU's default IDE one (-cdrom).  SeaBIOS and GRUB read an IDE CD through
# port I/O, two bytes per instruction, which TCG runs slowly; AHCI moves whole
# sectors by DMA, and GRUB reaches the kernel in half the time (make
# boottime).  It is still an El Torito CD booted by GRUB; sprout has no AHCI
# driver and leaves it alone.  Placed after every other -device, so the
# virtio devices keep their PCI slots.
QEMU_CD = -drive file=$(1),if=none,id=cd0,format=raw,readonly=on \
	-device ahci,id=ahci0 -device ide-cd,drive=cd0,bus=ahci0.0

# The console is the serial port on this terminal, with QEMU's monitor
# behind Ctrl-A (mon:stdio).  Not -nographic: that also turns on SeaBIOS's
# serial console, which resets the terminal, turns line wrap off and eats
# keys typed (or piped in) during boot.  VGA=1 also opens a window with the
# VGA screen and the PS/2 keyboard.
QEMU_CONSOLE := $(if $(VGA),,-display none) -serial mon:stdio
# After QEMU: line wrap back on, in case anything in the guest turned it
# off (QEMU itself puts back the terminal's other settings).
RESTORE_TERMINAL := if [ -t 1 ]; then printf '\033[?7h'; fi

qemu: deps $(BUILD)/qemu.iso $(QEMU_DISK) $(QEMU_SWAP)
	@echo "sprout: booting in QEMU. Quit with Ctrl-A then X."
	$(Q)$(QEMU) $(QEMU_FLAGS) $(QEMU_DISK_FLAGS) $(QEMU_SWAP_FLAGS) $(QEMU_NET_FLAGS) $(call QEMU_CD,$(BUILD)/qemu.iso) $(QEMU_CONSOLE); \
		status=$$?; $(RESTORE_TERMINAL); exit $$status

qemu-gdb: deps $(BUILD)/qemu.iso $(QEMU_DISK) $(QEMU_SWAP)
	@echo "sprout: waiting for gdb on port $(GDBPORT): run 'make gdb' in another terminal."
	$(Q)$(QEMU) $(QEMU_FLAGS) $(QEMU_DISK_FLAGS) $(QEMU_SWAP_FLAGS) $(QEMU_NET_FLAGS) $(call QEMU_CD,$(BUILD)/qemu.iso) $(QEMU_CONSOLE) -S -gdb tcp::$(GDBPORT); \
		status=$$?; $(RESTORE_TERMINAL); exit $$status

gdb: $(BUILD)/kernel.elf
	$(Q)$(GDB) -q -ex 'set architecture i386:x86-64' -ex 'file $(BUILD)/kernel.elf' \
		-ex 'source tools/gdb/sprout.py' -ex 'target remote localhost:$(GDBPORT)'

# --- tests ------------------------------------------------------------------

# User-level tests: tests/user/*.c, each a program run inside sprout by
# tests/qemu/test_user.sh (tools/run-qemu --add build/tests/user).
TEST_USER_SRCS := $(wildcard tests/user/*.c)
TEST_USER_BINS := $(patsubst tests/user/%.c,$(BUILD)/tests/user/%,$(TEST_USER_SRCS))

$(BUILD)/tests/user/%: tests/user/%.c $(wildcard tests/user/*.h) $(USER_LIB) $(USER_HEADERS) Makefile
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSLCC) $(USER_CFLAGS) $(USER_CFLAGS_$*) $< $(USER_LIB) -o $@

# Programs that use threads are built as a pthread program would be anywhere.
USER_CFLAGS_t_pthread := -pthread
USER_CFLAGS_t_ns := -pthread
USER_CFLAGS_swap_check := -pthread
USER_CFLAGS_t_timer := -pthread

# The fuzzers (tests/fuzz/*.c): run inside sprout by tools/fuzz (make fuzz)
# and, briefly, by tests/qemu/test_fuzz.sh.
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/tests/fuzz/%,$(wildcard tests/fuzz/*.c))

$(BUILD)/tests/fuzz/%: tests/fuzz/%.c $(USER_LIB) $(USER_HEADERS) $(SYSCALL_NAMES) Makefile
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSLCC) $(USER_CFLAGS) $< $(USER_LIB) -o $@

user-tests: deps $(TEST_USER_BINS) $(FUZZ_BINS)

# Host unit tests: kernel code that needs no hardware, built for Linux with
# AddressSanitizer and UBSan, linked with the pure kernel sources it tests.
# -O0: they compile in half the time of -O1 (33 instead of 67 CPU seconds for
# all of them) and run a few seconds longer, which make test's budget prefers.
HOST_CFLAGS := -std=gnu11 -g -O0 -Wall -Wextra -Werror -Wno-unused-parameter -I. -DHOST_TEST \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test_*.c))
UNIT_KERNEL_SRCS := kernel/cmdline.c kernel/multiboot.c kernel/lib/string.c mm/frame_pool.c \
	proc/elf.c kernel/fs/cpio.c kernel/keymap.c \
	kernel/rtc.c
# test_format checks the kernel's snprintf, renamed so it does not clash with libc's.
UNIT_EXTRA_test_format := kernel/lib/format.c -Dvsnprintf=kvsnprintf -Dsnprintf=ksnprintf
# The network protocol core (kernel/net/ without the socket glue) runs on the host.
NET_CORE_SRCS := $(addprefix kernel/net/inet/,netbuf.c checksum.c loopback.c ip.c icmp.c udp.c \
	tcp.c tcp_input.c tcp_output.c ethernet.c)
UNIT_EXTRA_test_net_ip := $(NET_CORE_SRCS)
UNIT_EXTRA_test_net_tcp := $(NET_CORE_SRCS)
UNIT_EXTRA_test_net_eth := $(NET_CORE_SRCS)
# test_acpi reads hand-built MADTs with the kernel's parser.
UNIT_EXTRA_test_acpi := kernel/arch/madt.c
# test_ext2 runs the block cache and ext2 over an image file made by mke2fs.
UNIT_EXTRA_test_ext2 := kernel/drivers/block.c kernel/fs/buffer.c kernel/fs/pagecache.c kernel/fs/page_tree.c $(wildcard kernel/fs/ext2/*.c)

# test_user_*.c test user-space code: they link user/lib/*.c instead (and may
# #include a program's own .c file to reach its static functions).  Those
# shared sources are compiled once, with the sanitizers, into build/hostobj/
# (not once per test: that was a third of the build).
HOSTOBJ := $(BUILD)/hostobj
UNIT_KERNEL_OBJS := $(patsubst %.c,$(HOSTOBJ)/unit/%.o,$(UNIT_KERNEL_SRCS))
UNIT_USER_LIB_OBJS := $(patsubst %.c,$(HOSTOBJ)/unit/%.o,$(USER_LIB_SRCS))
unit_sources = $(if $(filter test_user_%,$(1)),$(UNIT_USER_LIB_OBJS),$(UNIT_KERNEL_OBJS))

$(HOSTOBJ)/unit/%.o: %.c $(BUILD)/gen/syscall_names.h Makefile
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -I$(BUILD)/gen -MMD -MP -c $< -o $@

$(BUILD)/unit/%: tests/unit/%.c tests/unit/unit.h \
		$(wildcard user/*/*.c user/*.c user/*/*.h user/lib/*.h) kernel/lib/format.c \
		$(wildcard kernel/net/inet/*.c kernel/net/inet/*.h) \
		$(wildcard kernel/fs/ext2/*.[ch]) kernel/fs/buffer.c kernel/fs/buffer.h \
		kernel/arch/madt.c kernel/arch/acpi.h \
		$(BUILD)/gen/syscall_names.h Makefile $(UNIT_KERNEL_OBJS) $(UNIT_USER_LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -I$(BUILD)/gen $< $(call unit_sources,$*) $(UNIT_EXTRA_$*) -o $@

# The scheduling simulator: the same sched/policies/*.c, compiled for the host.
SIM_TESTS := $(patsubst tests/sched-sim/%.c,$(BUILD)/sched-sim/%,$(wildcard tests/sched-sim/test_*.c))
SIM_SRCS := $(filter-out $(wildcard tests/sched-sim/test_*.c),$(wildcard tests/sched-sim/*.c)) \
	$(wildcard sched/policies/*.c) sched/weights.c sched/deadline.c sched/balance.c

# Like the unit tests' shared sources, compiled once into build/hostobj/sim/.
SIM_OBJS := $(patsubst %.c,$(HOSTOBJ)/sim/%.o,$(SIM_SRCS))

# Kept between builds (make would delete them as intermediate files).
.SECONDARY: $(UNIT_KERNEL_OBJS) $(UNIT_USER_LIB_OBJS) $(SIM_OBJS)
-include $(patsubst %.o,%.d,$(UNIT_KERNEL_OBJS) $(UNIT_USER_LIB_OBJS) $(SIM_OBJS))

$(HOSTOBJ)/sim/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -DSCHED_SIMULATOR -MMD -MP -c $< -o $@

$(BUILD)/sched-sim/%: tests/sched-sim/%.c $(SIM_OBJS) $(wildcard tests/sched-sim/*.h) sched/policy.h \
		sched/entity.h sched/deadline.h sched/balance.h tests/unit/unit.h Makefile
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -DSCHED_SIMULATOR $< $(SIM_OBJS) -o $@

# The page-replacement simulator: mm/replace_*.c (the replacement lab's
# policy and the FIFO baseline), compiled for the host.
MMSIM_TESTS := $(patsubst tests/mm-sim/%.c,$(BUILD)/mm-sim/%,$(wildcard tests/mm-sim/test_*.c))
MMSIM_SRCS := tests/mm-sim/sim.c mm/replace_clock.c mm/replace_fifo.c

$(BUILD)/mm-sim/%: tests/mm-sim/%.c $(MMSIM_SRCS) tests/mm-sim/sim.h mm/replace.h tests/unit/unit.h Makefile
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $< $(MMSIM_SRCS) -o $@

# test_user_prof reads the symbols of a program built for sprout.
$(BUILD)/unit/test_user_prof: $(BUILD)/tests/user/proftarget

unit-tests: deps $(UNIT_TESTS) $(SIM_TESTS) $(MMSIM_TESTS)

# tools/insnprof's QEMU TCG plugin, a shared object for the host's QEMU: it
# declares the plugin calls it uses itself, so a C compiler is all it needs.
$(INSNPROF_PLUGIN): tools/insnprof-plugin/insnprof.c Makefile
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -Werror -Wno-unused-parameter -shared -fPIC $< -o $@ -lpthread

# The tools first (ensure-deps may install them), then the build on every
# core (about a minute on two instead of two), then the suites.
test:
	$(Q)$(MAKE) --no-print-directory deps
	$(Q)$(MAKE) --no-print-directory -j$$(nproc) all unit-tests user-tests
	$(Q)tests/run-all

# The user test suite again with the root file system on an ext2 disk (the
# programs paged in from it) instead of the initrd, then e2fsck -fn on the
# image: tests/qemu/test_user_disk.sh, which tests/run-all runs only when
# named (1.5-3 minutes: too long for make test; make soak runs it).
test-disk:
	$(Q)$(MAKE) --no-print-directory deps
	$(Q)$(MAKE) --no-print-directory -j$$(nproc) all user-tests
	$(Q)tests/run-all test_user_disk

# --- measurements (timings live here, never in tests) -------------------------

bench: all
	$(Q)tools/run-qemu --cpus $(CPUS) --timeout 600 --cmdline 'loglevel=4' -- /bin/bench | grep -v '^init:'

# The same bench binary in sprout and in Debian's Linux (apt-get download of
# linux-image-amd64 into build/linux-bench/, once), alternately, RUNS times
# each: one table of both medians, their spread and the ratio (tools/bench-linux).
# ICOUNT=1: instruction counts instead of times (QEMU -icount), whatever the load.
bench-linux: all
	$(Q)tools/bench-linux --runs $(RUNS) --mem $(MEM) --cpu $(CPU) $(if $(ICOUNT),--icount)

# Profile PROG inside sprout and draw build/prof/flamegraph.svg (tools/prof-flamegraph,
# docs/prof.md): make flamegraph PROG='bench -q' PROF_HZ=1024
PROG ?= bench -q
PROF_HZ ?= 1024
flamegraph: all
	$(Q)tools/prof-flamegraph --hz $(PROF_HZ) -- $(PROG)

# QEMU start -> GRUB -> kernel -> the shell's first prompt, in wall-clock and
# QEMU CPU seconds (tools/boottime; RUNS=N boots, default 3).
RUNS ?= 3
boottime: all
	$(Q)tools/boottime --runs $(RUNS) --mem $(MEM) --cpu $(CPU) --cpus $(CPUS)

# The labs (docs/labs/): LAB=prio, mlfq, lottery-stride, syscall, cow, edf, replace or balance
# (default: all).
# FORMAT=json also writes Gradescope's results.json (RESULTS=FILE, default
# build/grade/results.json).  The grader builds what it needs itself, so a
# policy that does not compile scores 0 instead of stopping make.
LAB ?=
FORMAT ?= text
grade: deps
	$(Q)tools/grade --format $(FORMAT) $(if $(RESULTS),--results $(RESULTS)) $(LAB)

# The student edition: lab policies replaced by stubs (tools/make-handout).
handout:
	$(Q)tools/make-handout $(BUILD)/handout

# Random system calls and broken executables in one boot (tools/fuzz):
# make fuzz SECONDS=600 SEED=42.  Short runs of it are part of make test.
SECONDS ?= 60
SEED ?= $(shell date +%s)
fuzz: all user-tests
	$(Q)tools/fuzz --seconds $(SECONDS) --seed $(SEED) --memory --log $(BUILD)/fuzz.log

# The long versions of the leak tests, one boot (tests/user/utest.h soak_or()):
# 10,000 threads created and joined, 10,000 TCP connections; the user suite
# with the disk as / (make test-disk); then a 5-minute fuzz.
soak: all user-tests
	$(Q)tools/run-qemu --timeout 900 --add $(BUILD)/tests/user -- /bin/sh -c 'SOAK=1 t_pthread && SOAK=1 t_tcp'
	$(Q)tests/run-all test_user_disk
	$(Q)tools/fuzz --seconds 300 --seed $(SEED) --memory --log $(BUILD)/fuzz.log

WORKLOAD ?= mix
sched-compare: all
	$(Q)tools/sched-compare $(WORKLOAD)

clean:
	rm -rf $(BUILD)

# Every C file of the tree (tools/format-files); tests/tools/test_format.sh
# checks in make test that nothing differs from clang-format's output.
format:
	tools/format-files | xargs clang-format -i
