; multiboot2.asm - the header that tells GRUB "this file is a multiboot2 kernel".
;
; GRUB scans the first 32 KiB of the file for this header (8-byte aligned).
; We ask for nothing special: GRUB loads our ELF segments at their physical
; addresses, leaves the VGA text mode alone, and jumps to _start in 32-bit
; protected mode with paging off, EAX = magic and EBX = the boot information.

MB2_MAGIC    equ 0xE85250D6
MB2_ARCH_I386 equ 0                     ; "i386 protected mode" entry

section .multiboot2
align 8
mb2_header_start:
    dd MB2_MAGIC
    dd MB2_ARCH_I386
    dd mb2_header_end - mb2_header_start
    dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header_start))

    ; the end tag: type 0, flags 0, size 8
    align 8
    dw 0
    dw 0
    dd 8
mb2_header_end:
