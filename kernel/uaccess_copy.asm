; uaccess_copy.asm - the one instruction allowed to fault on user memory.
;
; u64 uaccess_copy(void *dest, const void *src, u64 count)
;   returns the number of bytes NOT copied (0 on success).
;
; If `rep movsb` touches a bad user address, the page-fault handler
; (mm/fault.c) sees that RIP is between uaccess_copy and uaccess_copy_end
; and resumes at uaccess_fault instead: RCX still holds the bytes left.

bits 64
section .text
global uaccess_copy, uaccess_copy_end, uaccess_fault

uaccess_copy:
    mov rcx, rdx
    rep movsb
    xor eax, eax
    ret
uaccess_copy_end:

uaccess_fault:
    mov rax, rcx
    ret
