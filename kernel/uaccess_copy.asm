; uaccess_copy.asm - the one routine allowed to fault on user memory.
;
; u64 uaccess_copy(void *dest, const void *src, u64 count)
;   returns the number of bytes NOT copied (0 on success).
;
; This is also the only place the kernel opens SMAP (kernel/smap.inc): AC is
; set just around the copy and cleared on both ways out, so every other
; kernel instruction that touches a user page faults.
;
; The copy moves 8-byte words, four to an iteration, then one 4-byte word
; if 4..7 bytes are left, then the last 0..3 bytes one by one (not `rep movsb`: QEMU's TCG runs that one byte per trip
; through its dispatch loop, see kernel/lib/memory.asm).  RDX counts the
; bytes still to copy and only drops after a block's stores are done.
;
; If a load or store touches a bad user address, the page-fault handler
; (mm/fault.c) sees that RIP is between uaccess_copy and uaccess_copy_end
; and resumes at uaccess_fault instead: RDX still holds the bytes left
; (at least one, perhaps up to 31 more than strictly uncopied: callers only
; ask "all or not").  (The fault's entry clears AC and its iretq restores
; it, so the copy continues with AC set after a page was brought in.)
;
; u64 uaccess_cmpxchg32(u32 *uaddr, u32 old, u32 new, u32 *found)
;   one `lock cmpxchg` on a user word: if *uaddr == old it becomes new, in
;   one step that no other CPU's atomic instruction can come between.
;   *found gets the value the word held (old when it was swapped).  Returns
;   0, or nonzero if the address is bad (the same fixup as the copy: RDX
;   holds 1 across the instruction).  A locked cmpxchg always writes, so a
;   read-only (copy-on-write) page is faulted in for writing first, and the
;   instruction runs again after the fault with EAX still `old`.

bits 64
%include "kernel/smap.inc"
section .text
global uaccess_copy, uaccess_cmpxchg32, uaccess_copy_end, uaccess_fault

uaccess_copy:
    SMAP_STAC
.block:
    cmp rdx, 32
    jb .word
    mov rax, [rsi]
    mov rcx, [rsi + 8]
    mov r8, [rsi + 16]
    mov r9, [rsi + 24]
    mov [rdi], rax
    mov [rdi + 8], rcx
    mov [rdi + 16], r8
    mov [rdi + 24], r9
    add rsi, 32
    add rdi, 32
    sub rdx, 32
    jmp .block
.word:
    cmp rdx, 8
    jb .half
    mov rax, [rsi]
    mov [rdi], rax
    add rsi, 8
    add rdi, 8
    sub rdx, 8
    jmp .word
.half:                              ; 4..7 bytes left: a futex word, an int
    cmp rdx, 4
    jb .byte
    mov eax, [rsi]
    mov [rdi], eax
    add rsi, 4
    add rdi, 4
    sub rdx, 4
.byte:
    test rdx, rdx
    jz .done
    mov al, [rsi]
    mov [rdi], al
    inc rsi
    inc rdi
    dec rdx
    jmp .byte
.done:
    SMAP_CLAC
    xor eax, eax
    ret

uaccess_cmpxchg32:
    mov eax, esi                    ; expected
    mov r8d, edx                    ; new
    mov edx, 1                      ; what uaccess_fault returns
    SMAP_STAC
    lock cmpxchg [rdi], r8d
    SMAP_CLAC
    mov [rcx], eax                  ; what the word held
    xor eax, eax
    ret
uaccess_copy_end:

uaccess_fault:
    SMAP_CLAC
    mov rax, rdx
    ret
