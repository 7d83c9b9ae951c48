; syscall_entry.asm - the way into the kernel for system calls.
;
; A user program puts the call number in rax and the arguments in rdi, rsi,
; rdx, r10, r8, r9 and executes `syscall`.  The CPU then jumps here in ring
; 0 with rcx = the user's rip and r11 = the user's rflags -- but still on
; the *user's* stack.  So the first job is to find the kernel stack:
; `swapgs` makes %gs point at struct cpu (kernel/cpu.h), whose first
; field is the running process's kernel stack top.
;
; We then build the same struct trap_frame an interrupt would (kernel/
; interrupts.h), so fork, signals and ptrace see one format, and call
; syscall_dispatch(frame) in kernel/syscall.c.

bits 64
%include "kernel/trap_frame.inc"
section .text
global syscall_entry, syscall_return
extern syscall_dispatch, trap_return

syscall_entry:
    swapgs
    mov [gs:CPU_SYSCALL_USER_RSP], rsp
    mov rsp, [gs:CPU_SYSCALL_KERNEL_RSP]
    ; first what an interrupt would have pushed (ss, rsp, rflags, cs, rip):
    push GDT_USER_DATA              ; ss
    push qword [gs:CPU_SYSCALL_USER_RSP] ; rsp
    push r11                        ; rflags
    push GDT_USER_CODE              ; cs
    push rcx                        ; rip
    push 0                          ; error_code
    push VEC_SYSCALL                ; vector
    push rax                        ; orig_rax: the system call number
    SAVE_GENERAL_REGISTERS          ; (no cld: the syscall instruction cleared DF, MSR_FMASK)
    mov rbx, rsp                    ; rbx (callee-saved) = struct trap_frame *
    and rsp, -16
    push 0                          ; no return address: user code did not call us
    ; fall through

; Shaped like a C function with rbp = 0, the x86-64 ABI's mark of the
; outermost frame: gdb's `bt` and the kernel's own backtraces end here
; (see trap_from_user in kernel/trap_entry.asm).
syscall_from_user:
    push rbp
    mov rbp, rsp
    xor ebp, ebp                    ; the end of the frame chain
    sti                             ; system calls run with interrupts on
    mov rdi, rbx
    call syscall_dispatch           ; returns with interrupts off
    mov rdi, rbx
    ; fall through

; Leave through `sysret` when it restores exactly the saved state: rcx must
; still be the return address and r11 the flags (a signal handler, execve or
; sigreturn changes them).  Otherwise use iretq.  The address is a user
; address: exit_to_user, the last step of syscall_dispatch, made sure (sysret
; to a non-canonical address would fault in ring 0).
syscall_return:
    mov rax, [rdi + TRAP_FRAME_RIP]
    cmp rax, [rdi + TRAP_FRAME_RCX]
    jne .use_iret
    mov rdx, [rdi + TRAP_FRAME_RFLAGS]
    cmp rdx, [rdi + TRAP_FRAME_R11]
    jne .use_iret
    test rdx, RFLAGS_TF | RFLAGS_RF ; single-stepping: let iretq handle it
    jnz .use_iret
    mov rsp, rdi
    RESTORE_GENERAL_REGISTERS       ; r11 = rflags and rcx = rip for sysret
    ; rsp is at the frame's orig_rax now; load the user's rsp (interrupts are off from here)
    mov rsp, [rsp + TRAP_FRAME_RSP - TRAP_FRAME_ORIG_RAX]
    swapgs
    o64 sysret
.use_iret:
    jmp trap_return
