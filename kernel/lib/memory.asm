; memory.asm - memset and memcpy by 8-byte words (the compiler calls these too).
;
; Why not `rep stosb` / `rep movsb`?  Under QEMU's TCG, the emulator sprout
; runs in, a `rep` string instruction runs one element per trip through the
; emulator's dispatch loop: zeroing a page with `rep stosb` is 4096 trips.
; A loop of plain 8-byte moves, eight to an iteration, is 64 trips of one
; translated block each.  (On real hardware with ERMS `rep movsb` would be
; fine; the loop is no worse there.)
;
; Layout of both routines:
;   512-byte blocks  (memset only) sixty-four 8-byte moves per iteration:
;                    a new frame is zeroed in eight trips, 536 instructions
;                    instead of 704 in 64-byte blocks (a first-touch page
;                    fault is about 1,700 instructions in all)
;   64-byte blocks   eight 8-byte moves per iteration
;   8-byte words     what is left of the count, word by word
;   bytes            the last 0..7 bytes
; Unaligned 8-byte accesses are allowed on x86, so no alignment prologue.
;
; System V ABI: rdi = dest, rsi = byte or src, rdx = count; rax returns dest.

bits 64
section .text
global memset, memcpy

; void *memset(void *dest, int byte, size_t count)
memset:
    mov rax, rdi
    movzx esi, sil
    mov r8, 0x0101010101010101
    imul rsi, r8                ; the byte copied into all eight lanes
    mov rcx, rdx
    shr rcx, 9
    jz .blocks
.page_block:
%assign offset 0
%rep 64
    mov [rdi + offset], rsi
%assign offset offset + 8
%endrep
    add rdi, 512
    dec rcx
    jnz .page_block
.blocks:
    mov rcx, rdx
    and rcx, 511
    shr rcx, 6
    jz .words
.block:
    mov [rdi], rsi
    mov [rdi + 8], rsi
    mov [rdi + 16], rsi
    mov [rdi + 24], rsi
    mov [rdi + 32], rsi
    mov [rdi + 40], rsi
    mov [rdi + 48], rsi
    mov [rdi + 56], rsi
    add rdi, 64
    dec rcx
    jnz .block
.words:
    mov rcx, rdx
    and rcx, 63
    shr rcx, 3
    jz .bytes
.word:
    mov [rdi], rsi
    add rdi, 8
    dec rcx
    jnz .word
.bytes:
    and edx, 7
    jz .done
.byte:
    mov [rdi], sil
    inc rdi
    dec edx
    jnz .byte
.done:
    ret

; void *memcpy(void *dest, const void *src, size_t count)
; The areas must not overlap (memmove in string.c handles overlap).
memcpy:
    mov rax, rdi
    mov rcx, rdx
    shr rcx, 6
    jz .words
.block:
    mov r8, [rsi]
    mov r9, [rsi + 8]
    mov r10, [rsi + 16]
    mov r11, [rsi + 24]
    mov [rdi], r8
    mov [rdi + 8], r9
    mov [rdi + 16], r10
    mov [rdi + 24], r11
    mov r8, [rsi + 32]
    mov r9, [rsi + 40]
    mov r10, [rsi + 48]
    mov r11, [rsi + 56]
    mov [rdi + 32], r8
    mov [rdi + 40], r9
    mov [rdi + 48], r10
    mov [rdi + 56], r11
    add rsi, 64
    add rdi, 64
    dec rcx
    jnz .block
.words:
    mov rcx, rdx
    and rcx, 63
    shr rcx, 3
    jz .bytes
.word:
    mov r8, [rsi]
    mov [rdi], r8
    add rsi, 8
    add rdi, 8
    dec rcx
    jnz .word
.bytes:
    and edx, 7
    jz .done
.byte:
    mov r8b, [rsi]
    mov [rdi], r8b
    inc rsi
    inc rdi
    dec edx
    jnz .byte
.done:
    ret
