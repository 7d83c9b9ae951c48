; trap_entry.asm - the first and last instructions of every interrupt.
;
; Each vector has a tiny stub that makes the stack look the same (pushes a
; fake error code if the CPU did not push one, then the vector number) and
; jumps to trap_common, which saves the general registers into a
; struct trap_frame (kernel/interrupts.h) and calls trap_dispatch(frame).
; trap_return undoes it all and leaves with iretq.

bits 64
%include "kernel/trap_frame.inc"
%include "kernel/smap.inc"
section .text

extern trap_dispatch

; Exceptions for which the CPU pushes an error code itself.
%define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%macro TRAP_STUB 1
trap_stub_%1:
%if HAS_ERROR_CODE(%1) == 0
    push 0
%endif
    push %1
    jmp trap_common
%endmacro

%assign v 0
%rep 256
TRAP_STUB v
%assign v v + 1
%endrep

trap_common:
    ; If we came from user mode, GS still holds the user's base: swap in
    ; the kernel's per-CPU base.  rsp points at the frame's vector field.
    test qword [rsp + TRAP_FRAME_CS - TRAP_FRAME_VECTOR], 3
    jz .from_kernel
    swapgs
.from_kernel:
    push -1                         ; orig_rax: "not a system call"
    SAVE_GENERAL_REGISTERS
    cld
    ; A user program may set AC (popf), and an interrupt does not clear it:
    ; clear it so SMAP guards the kernel here too.  (The copy routine that
    ; was interrupted gets its AC back from the flags iretq restores.)
    SMAP_CLAC
    mov rbx, rsp                    ; rbx (callee-saved) = struct trap_frame *
    ; A fake call frame so that backtraces continue into the code that was
    ; interrupted: "return address" = the trapped rip, "saved rbp" = its rbp.
    and rsp, -16                    ; the C ABI wants a 16-byte aligned stack
    push qword [rbx + TRAP_FRAME_RIP]
    push qword [rbx + TRAP_FRAME_RBP]
    mov rbp, rsp
    mov rdi, rbx
    call trap_dispatch
    mov rdi, rbx
    ; fall through

; void trap_return(struct trap_frame *frame): restore and iretq.
global trap_return
trap_return:
    mov rsp, rdi
    RESTORE_GENERAL_REGISTERS
    add rsp, TRAP_FRAME_RIP - TRAP_FRAME_ORIG_RAX ; drop orig_rax, vector, error_code
    test qword [rsp + TRAP_FRAME_CS - TRAP_FRAME_RIP], 3 ; returning to user mode?
    jz .to_kernel
    swapgs
.to_kernel:
    iretq

; The stub addresses, for idt_init().
section .rodata
global trap_stubs
trap_stubs:
%assign v 0
%rep 256
    dq trap_stub_ %+ v
%assign v v + 1
%endrep
