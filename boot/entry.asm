; entry.asm - from GRUB's 32-bit protected mode to kmain() in 64-bit long mode.
;
; GRUB enters _start with paging off, EAX = multiboot2 magic, EBX = physical
; address of the boot information.  (QEMU's own loader, `-kernel`, does the
; same with the Multiboot 1 magic and information: boot/multiboot1.asm.)  Everything here runs at the *physical*
; address the code was loaded at (1 MiB), because paging is not on yet.
;
; Steps:
;   1. check we were booted by multiboot (2, or 1) and that the CPU can do long mode;
;   2. build early page tables that map the first 1 GiB of physical memory
;      three times:
;         0x0000_0000_0000_0000  identity (so this code keeps running)
;         0xffff_8000_0000_0000  the direct map (phys_to_virt)
;         0xffff_ffff_8000_0000  the kernel image (linked there, -2 GiB)
;   3. enable PAE, long mode (+NX), paging; load a 64-bit GDT; far jump;
;   4. switch to the higher-half stack and call kmain(magic, boot_info_phys).
;
; mm/pagetable.c later replaces these tables with the kernel's real ones.

MB2_BOOT_MAGIC  equ 0x36D76289
MB1_BOOT_MAGIC  equ 0x2BADB002
KERNEL_VMA      equ 0xFFFFFFFF80000000
COM1            equ 0x3F8

PTE_PRESENT     equ 1 << 0
PTE_WRITE       equ 1 << 1
PTE_HUGE        equ 1 << 7

section .boot.text progbits alloc exec nowrite
bits 32
global _start
extern kmain

_start:
    cli
    cld
    mov esp, early_stack_top
    mov edi, eax                    ; keep magic and boot info for kmain
    mov esi, ebx

    cmp edi, MB2_BOOT_MAGIC
    je .multiboot
    cmp edi, MB1_BOOT_MAGIC
    jne .not_multiboot
.multiboot:

    ; Is CPUID there?  (Can we flip the ID bit in EFLAGS?)
    pushfd
    pop eax
    mov ecx, eax
    xor eax, 1 << 21
    push eax
    popfd
    pushfd
    pop eax
    push ecx
    popfd
    xor eax, ecx
    jz .no_long_mode

    ; Does the CPU have the extended leaf that reports long mode?
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29               ; LM: long mode
    jz .no_long_mode
    mov ebp, edx                    ; remember bit 20 (NX) for EFER below

    ; --- early page tables -------------------------------------------
    ; One page directory of 512 x 2 MiB pages covers the first 1 GiB.
    mov ecx, 0
.fill_pd:
    mov eax, ecx
    shl eax, 21                     ; ecx * 2 MiB
    or eax, PTE_PRESENT | PTE_WRITE | PTE_HUGE
    mov [early_pd + ecx * 8], eax
    mov dword [early_pd + ecx * 8 + 4], 0
    inc ecx
    cmp ecx, 512
    jne .fill_pd

    mov eax, early_pd
    or eax, PTE_PRESENT | PTE_WRITE
    mov [early_pdpt_low], eax             ; 0 .. 1 GiB
    mov [early_pdpt_high + 510 * 8], eax  ; -2 GiB .. -1 GiB

    mov eax, early_pdpt_low
    or eax, PTE_PRESENT | PTE_WRITE
    mov [early_pml4], eax                 ; identity
    mov [early_pml4 + 256 * 8], eax       ; direct map
    mov eax, early_pdpt_high
    or eax, PTE_PRESENT | PTE_WRITE
    mov [early_pml4 + 511 * 8], eax       ; kernel image

    ; --- into long mode ------------------------------------------------
    mov eax, cr4
    or eax, 1 << 5                  ; PAE
    mov cr4, eax

    mov eax, early_pml4
    mov cr3, eax

    mov ecx, 0xC0000080             ; EFER
    rdmsr
    or eax, 1 << 8                  ; LME: long mode enable
    test ebp, 1 << 20
    jz .no_nx
    or eax, 1 << 11                 ; NXE: allow the no-execute bit
.no_nx:
    wrmsr

    mov eax, cr0
    or eax, (1 << 31) | (1 << 16)   ; PG: paging, WP: ring 0 honours read-only
    mov cr0, eax

    lgdt [early_gdt_pointer]
    jmp 0x08:long_mode_start

; Print the NUL-terminated string at ESI on COM1, then stop.  We cannot
; use C yet, and without long mode there is nothing else we can do.
.not_multiboot:
    mov esi, msg_not_multiboot
    jmp early_fail
.no_long_mode:
    mov esi, msg_no_long_mode
early_fail:
    mov dx, COM1
.next_char:
    lodsb
    test al, al
    jz .halt
    out dx, al
    jmp .next_char
.halt:
    hlt
    jmp .halt

bits 64
long_mode_start:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax

    ; Leave the identity-mapped world: stack and code in the higher half.
    ; The two zero words at the top end the chain of frames, so debuggers
    ; and panic backtraces stop here: "return address 0, saved rbp 0".
    mov rsp, boot_stack_top - 16
    mov qword [rsp], 0
    mov qword [rsp + 8], 0
    mov rbp, rsp
    ; edi = magic, esi = boot info physical address (zero-extended)
    mov rax, kmain
    call rax
.hang:
    cli
    hlt
    jmp .hang

section .boot.rodata progbits alloc noexec nowrite
msg_not_multiboot:
    db "sprout: not booted by a multiboot loader (use GRUB); halting.", 13, 10, 0
msg_no_long_mode:
    db "sprout: this CPU has no 64-bit long mode; sprout needs x86-64. halting.", 13, 10, 0

align 8
early_gdt:
    dq 0                            ; null
    dq 0x00AF9A000000FFFF           ; 0x08: 64-bit code, ring 0
    dq 0x00CF92000000FFFF           ; 0x10: data, ring 0
early_gdt_end:
early_gdt_pointer:
    dw early_gdt_end - early_gdt - 1
    dd early_gdt

section .boot.bss nobits alloc noexec write
alignb 4096
early_pml4:      resb 4096
early_pdpt_low:  resb 4096
early_pdpt_high: resb 4096
early_pd:        resb 4096
early_stack:     resb 4096
early_stack_top:

; The stack kmain runs on, in the higher half.  After boot it stays the
; kernel stack of the idle process (PID 0).  The page under it is a guard:
; mm/pagetable.c leaves it unmapped, so an overflow faults (mm/kstack.h).
section .bss
global boot_stack, boot_stack_top, boot_stack_guard
alignb 4096
boot_stack_guard: resb 4096
boot_stack:     resb 16384
boot_stack_top:
