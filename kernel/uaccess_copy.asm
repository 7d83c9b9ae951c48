; uaccess_copy.asm - the one routine allowed to fault on user memory.
;
; u64 uaccess_copy(void *dest, const void *src, u64 count)
;   returns the number of bytes NOT copied (0 on success).
;
; This is also the only place the kernel opens SMAP (kernel/smap.inc): AC is
; set just around the copy and cleared on both ways out, so every other
; kernel instruction that touches a user page faults.
;
; The copy is `rep movsq` for the 8-byte words, then `rep movsb` for the
; last 0..7 bytes: what Linux's copy_user uses on this CPU model (no ERMS).
; Counted in instructions (make bench-linux ICOUNT=1) each trip of a `rep`
; is one instruction, against two (a load and a store) plus the loop's share
; for the 8-byte loop this was: pipe_throughput is two user copies and little
; else, and went from 0.93 to 0.30 instructions a byte.  Timed under QEMU's
; TCG the two were within the noise of each other (kernel/lib/memory.asm
; keeps its loops: `rep stosb` by bytes was what made frame zeroing slow).
;
; A `rep` string instruction is restartable: a page fault in the middle
; stops it with RSI, RDI and RCX showing the progress, and when the fault
; handler (mm/fault.c) has brought the page in, iretq resumes it where it
; was.  (The fault's entry clears AC and its iretq restores it, so the copy
; continues with AC set.)  If the address is bad, the handler sees that RIP
; is between uaccess_copy and uaccess_copy_end and resumes at uaccess_fault
; instead, which returns RCX + RDX: the words left (in the first part) or
; the bytes left (in the second), with the tail still in RDX in the first.
; That is not the exact count of bytes left, but it is not zero, and
; callers only ask "all or not".
;
; u64 uaccess_cmpxchg32(u32 *uaddr, u32 old, u32 new, u32 *found)
;   one `lock cmpxchg` on a user word: if *uaddr == old it becomes new, in
;   one step that no other CPU's atomic instruction can come between.
;   *found gets the value the word held (old when it was swapped).  Returns
;   0, or nonzero if the address is bad (the same fixup as the copy: RCX
;   and RDX hold 0 and 1 across the instruction).  A locked cmpxchg always writes, so a
;   read-only (copy-on-write) page is faulted in for writing first, and the
;   instruction runs again after the fault with EAX still `old`.

bits 64
%include "kernel/smap.inc"
section .text
global uaccess_copy, uaccess_cmpxchg32, uaccess_copy_end, uaccess_fault

uaccess_copy:
    SMAP_STAC
    mov rcx, rdx
    shr rcx, 3                      ; 8-byte words
    and edx, 7                      ; then the last 0..7 bytes
    rep movsq
    mov ecx, edx
    xor edx, edx
    rep movsb
    SMAP_CLAC
    xor eax, eax
    ret

uaccess_cmpxchg32:
    mov eax, esi                    ; expected
    mov r8d, edx                    ; new
    mov r9, rcx                     ; found
    xor ecx, ecx                    ; uaccess_fault returns RCX + RDX = 1
    mov edx, 1
    SMAP_STAC
    lock cmpxchg [rdi], r8d
    SMAP_CLAC
    mov [r9], eax                   ; what the word held
    xor eax, eax
    ret
uaccess_copy_end:

uaccess_fault:
    SMAP_CLAC
    lea rax, [rdx + rcx]            ; at least one byte was left
    ret
