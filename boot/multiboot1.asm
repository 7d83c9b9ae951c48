; multiboot1.asm - a second header, for QEMU's own loader (`-kernel`).
;
; GRUB boots sprout through multiboot2 (multiboot2.asm).  QEMU can also load
; a kernel itself, skipping the firmware's disk boot and GRUB, but only a
; Multiboot 1 kernel, and an ELF one only if it is 32-bit.  So this header
; sets the "address fields" flag (bit 16): QEMU then copies the file as it
; is to load_addr, no ELF needed.  That file is build/kernel.bin, the
; kernel's memory image from 1 MiB on (`objcopy -O binary`, the gaps filled
; with zeros, the bss included), which tools/run-qemu boots: a run of
; /bin/true takes 0.9 s instead of the GRUB image's 1.5 (README.md, "Running
; one program").  The kernel then finds EAX = 0x2BADB002 and EBX = Multiboot 1
; information (kernel/multiboot.c).
;
; QEMU scans the first 8 KiB of the file for the header (4-byte aligned).

MB1_MAGIC       equ 0x1BADB002
MB1_MEMORY_INFO equ 1 << 1          ; fill mem_* and the memory map
MB1_ADDRESSES   equ 1 << 16         ; load by the addresses below, not by ELF
MB1_FLAGS       equ MB1_MEMORY_INFO | MB1_ADDRESSES

extern _start, _boot_image_start

section .multiboot1
align 4
mb1_header:
    dd MB1_MAGIC
    dd MB1_FLAGS
    dd -(MB1_MAGIC + MB1_FLAGS)
    dd mb1_header                   ; header_addr: where this header lands
    dd _boot_image_start            ; load_addr: the file's first byte (1 MiB)
    dd 0                            ; load_end_addr: 0 = the whole file
    dd 0                            ; bss_end_addr: 0 = none beyond the file (the
                                    ; bss is in it: .ksyms comes after, linker.ld)
    dd _start                       ; entry_addr
