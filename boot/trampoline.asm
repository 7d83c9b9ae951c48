; trampoline.asm - how an application processor (AP) gets from reset to C.
;
; After INIT and STARTUP (kernel/arch/apic.c), an AP wakes up in 16-bit real
; mode, like a PC at power-on, at the physical page the STARTUP message
; named: TRAMPOLINE_BASE (0x8000, below 1 MiB because real mode can reach
; no higher).  The kernel copies the bytes from ap_trampoline_start to
; ap_trampoline_end there (kernel/arch/smp.c) and fills in the parameters at
; the end.  This code is therefore linked at one address and run at
; another: every address it uses goes through LOW(), which turns a label
; into "where it is in the copy".
;
; Steps (the same climb boot/entry.asm makes for the boot CPU):
;   16-bit real mode  -> load a small GDT, set CR0.PE
;   32-bit protected  -> PAE, the page tables the kernel made for this (the
;                        kernel half plus the first 2 MiB mapped 1:1, so
;                        this code keeps running when paging turns on),
;                        EFER.LME (+NXE), CR0.PG
;   64-bit long mode  -> stack and jump to smp_ap_entry(cpu) in the kernel's
;                        higher half; it loads the kernel's own page tables.

bits 16
TRAMPOLINE_BASE equ 0x8000
%define LOW(label) ((label) - ap_trampoline_start + TRAMPOLINE_BASE)

section .rodata
global ap_trampoline_start, ap_trampoline_end, ap_trampoline_params
align 16
ap_trampoline_start:
    cli
    cld
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    lgdt [LOW(trampoline_gdt_pointer)]
    mov eax, cr0
    and eax, ~((1 << 30) | (1 << 29)) ; caches on (CD, NW clear: INIT leaves them set)
    or eax, 1                       ; PE: protected mode
    mov cr0, eax
    jmp dword 0x08:LOW(protected_mode)

bits 32
protected_mode:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, cr4
    or eax, (1 << 5) | (1 << 7)     ; PAE, PGE (global pages, as on the boot CPU)
    mov cr4, eax
    mov eax, [LOW(param_cr3)]
    mov cr3, eax
    mov ecx, 0xC0000080             ; EFER
    rdmsr
    or eax, [LOW(param_efer)]       ; LME, and NXE when the boot CPU uses NX
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | (1 << 16)   ; PG: paging, WP: ring 0 honours read-only
    mov cr0, eax
    jmp 0x18:LOW(long_mode)

bits 64
long_mode:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov rsp, [LOW(param_stack)]
    mov rdi, [LOW(param_cpu)]       ; smp_ap_entry(struct cpu *cpu)
    mov rax, [LOW(param_entry)]
    push 0                          ; return address 0 and rbp 0: the end of
    xor ebp, ebp                    ; the frame chain for backtraces
    jmp rax

align 8
trampoline_gdt:
    dq 0
    dq 0x00CF9A000000FFFF           ; 0x08: 32-bit code
    dq 0x00CF92000000FFFF           ; 0x10: data
    dq 0x00AF9A000000FFFF           ; 0x18: 64-bit code
trampoline_gdt_pointer:
    dw 4 * 8 - 1
    dd LOW(trampoline_gdt)

; Filled in by kernel/arch/smp.c before each STARTUP (struct trampoline_params).
align 8
ap_trampoline_params:
param_cr3:   dd 0                   ; physical address of the page tables (below 4 GiB)
param_efer:  dd 0                   ; EFER bits to set
param_stack: dq 0                   ; top of the AP's kernel stack
param_entry: dq 0                   ; smp_ap_entry
param_cpu:   dq 0                   ; its struct cpu
ap_trampoline_end:
