; trap_entry.asm - the first and last instructions of every interrupt.
;
; Each vector has a tiny stub that makes the stack look the same (pushes a
; fake error code if the CPU did not push one, then the vector number) and
; jumps to trap_common, which saves the general registers into a
; struct trap_frame (kernel/interrupts.h) and calls trap_dispatch(frame)
; (through trap_from_user or trap_from_kernel, which a backtrace shows).
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
    and rsp, -16                    ; the C ABI wants a 16-byte aligned stack
    test qword [rbx + TRAP_FRAME_CS], 3 ; frame->cs: did we interrupt user mode?
    jz .kernel_was_running
    push 0                          ; no return address: user code did not call us
    jmp trap_from_user
.kernel_was_running:
    push qword [rbx + TRAP_FRAME_RIP] ; frame->rip: as if the interrupted code had called us
    ; fall through

; Two small "functions" that call trap_dispatch(frame), shaped for debuggers.
; Each starts like a compiled C function (push rbp; mov rbp, rsp), so gdb
; follows the frame through rbp, as it does for C code:
;
;   trap_from_kernel:  [rbp] = the interrupted code's rbp, [rbp+8] = its rip
;                      (pushed above), so `bt` goes on into the kernel code
;                      that the interrupt stopped;
;   trap_from_user:    rbp = 0, the x86-64 ABI's mark of the outermost frame,
;                      so `bt` ends here: what ran before is user code, on
;                      another stack, in another address space.
trap_from_kernel:
    push rbp
    mov rbp, rsp
    mov rdi, rbx
    call trap_dispatch
    mov rdi, rbx
    jmp trap_return

trap_from_user:
    push rbp
    mov rbp, rsp
    xor ebp, ebp                    ; the end of the frame chain
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
