; switch.asm - the context switch: where one process stops and another goes on.
;
; void context_switch(struct switch_frame **save, struct switch_frame *load)
;
; Called by switch_to() (sched/sched.c) on the kernel stack of the process
; giving up the CPU.  The C calling convention says rbx, rbp, r12-r15 must
; survive a call, so those are the only registers we need to keep: push
; them, remember where the stack is (*save), switch to the other process's
; stack (load), pop its registers and `ret` -- to wherever *it* called
; context_switch, or, for a new process, to fork_return (proc/fork.c).
; The user's registers are already in its trap frame, higher up its stack.
;
;   the stack after the pushes = struct switch_frame (proc/proc.h):
;       [rsp+0]  r15   [rsp+8] r14   [rsp+16] r13   [rsp+24] r12
;       [rsp+32] rbp   [rsp+40] rbx  [rsp+48] return address (rip)

bits 64
section .text
global context_switch

context_switch:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp          ; *save = this process's stack
    mov rsp, rsi            ; now on the other process's kernel stack
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret                     ; into the other process
