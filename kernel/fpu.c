/* fpu.c - saving and restoring the user's FPU/SSE registers (see fpu.h). */
#include "kernel/fpu.h"
#include "kernel/lib/string.h"
#include "kernel/x86.h"

#define CR0_MP (1ul << 1)
#define CR0_EM (1ul << 2)
#define CR0_TS (1ul << 3)
#define CR4_OSFXSR (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)
#define MXCSR_DEFAULT 0x1F80u /* all exceptions masked, round to nearest */
#define FCW_DEFAULT 0x037Fu

static u32 mxcsr_mask = 0xFFBF; /* the MXCSR bits this CPU allows (read at boot) */

static inline u64 read_cr0_value(void)
{
    u64 v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

void fpu_init(void)
{
    u64 cr0 = read_cr0_value();
    cr0 = (cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP;
    __asm__ volatile("mov %0, %%cr0" ::"r"(cr0));
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    __asm__ volatile("fninit");
    u8 area[FPU_STATE_SIZE] __attribute__((aligned(16)));
    memset(area, 0, sizeof area);
    fpu_save(area);
    u32 mask;
    memcpy(&mask, area + 28, 4);
    if (mask)
        mxcsr_mask = mask;
}

void fpu_init_state(u8 *state)
{
    memset(state, 0, FPU_STATE_SIZE);
    u16 fcw = FCW_DEFAULT;
    u32 mxcsr = MXCSR_DEFAULT;
    memcpy(state + 0, &fcw, 2);
    memcpy(state + 24, &mxcsr, 4);
}

void fpu_save(u8 *state) { __asm__ volatile("fxsave64 (%0)" ::"r"(state) : "memory"); }

void fpu_restore(const u8 *state) { __asm__ volatile("fxrstor64 (%0)" ::"r"(state) : "memory"); }

void fpu_load_user_state(u8 *dest, const u8 *user_state)
{
    memcpy(dest, user_state, FPU_STATE_SIZE);
    u32 mxcsr;
    memcpy(&mxcsr, dest + 24, 4);
    mxcsr &= mxcsr_mask; /* a reserved bit set would make fxrstor fault in the kernel */
    memcpy(dest + 24, &mxcsr, 4);
}
