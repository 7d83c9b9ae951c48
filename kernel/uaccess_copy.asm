; uaccess_copy.asm - the one instruction allowed to fault on user memory.
;
; u64 uaccess_copy(void *dest, const void *src, u64 count)
;   returns the number of bytes NOT copied (0 on success).
;
; This is also the only place the kernel opens SMAP (kernel/smap.inc): AC is
; set just around the copy and cleared on both ways out, so every other
; kernel instruction that touches a user page faults.
;
; If `rep movsb` touches a bad user address, the page-fault handler
; (mm/fault.c) sees that RIP is between uaccess_copy and uaccess_copy_end
; and resumes at uaccess_fault instead: RCX still holds the bytes left.
; (The fault's entry clears AC and its iretq restores it, so the copy
; continues with AC set after a page was brought in.)

bits 64
%include "kernel/smap.inc"
section .text
global uaccess_copy, uaccess_copy_end, uaccess_fault

uaccess_copy:
    mov rcx, rdx
    SMAP_STAC
    rep movsb
    SMAP_CLAC
    xor eax, eax
    ret
uaccess_copy_end:

uaccess_fault:
    SMAP_CLAC
    mov rax, rcx
    ret
