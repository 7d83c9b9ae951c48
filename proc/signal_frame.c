/* signal_frame.c - building and unwinding signal handler frames (see signal_frame.h). */
#include "proc/signal_frame.h"
#include "kernel/errno.h"
#include "kernel/fpu.h"
#include "kernel/gdt.h"
#include "kernel/lib/string.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/layout.h"
#include "proc/exit.h"
#include "proc/proc.h"

/* Linux's struct sigcontext for x86-64 (arch/x86/include/uapi/asm/sigcontext.h). */
struct sigcontext {
    u64 r8, r9, r10, r11, r12, r13, r14, r15;
    u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;
    u64 eflags;
    u16 cs, gs, fs, ss;
    u64 err, trapno, oldmask, cr2;
    u64 fpstate; /* user pointer to the saved FPU state */
    u64 reserved[8];
};

struct user_stack {
    u64 ss_sp;
    i32 ss_flags;
    u32 pad;
    u64 ss_size;
};

struct ucontext {
    u64 uc_flags;
    u64 uc_link;
    struct user_stack uc_stack;
    struct sigcontext uc_mcontext;
    u64 uc_sigmask;
};

struct rt_sigframe {
    u64 pretcode; /* where the handler returns: sa_restorer */
    struct ucontext uc;
    u8 info[128];
};

#define SS_ONSTACK 1
#define SS_DISABLE 2
#define RED_ZONE 128
/* The RFLAGS bits a program may change through sigreturn (arithmetic flags, TF, DF, AC...). */
#define USER_RFLAGS_MASK 0x40DD5ull

void signal_fill_siginfo(u8 out[128], int sig, const struct pending_info *info)
{
    memset(out, 0, 128);
    i32 fields[3] = {sig, 0, info->code}; /* si_signo, si_errno, si_code */
    memcpy(out, fields, sizeof fields);
    if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP) {
        memcpy(out + 16, &info->value, 8); /* si_addr */
    } else {
        i32 pid_uid[2] = {info->pid, (i32)info->uid}; /* si_pid, si_uid */
        memcpy(out + 16, pid_uid, sizeof pid_uid);
        if (sig == SIGCHLD) {
            i32 status = (i32)info->value; /* si_status */
            memcpy(out + 24, &status, 4);
        } else if (info->code == SI_QUEUE || info->code == SI_TIMER || info->code == SI_MESGQ) {
            memcpy(out + 24, &info->value, 8); /* si_value */
        }
    }
}

static bool on_altstack(const struct signal_state *s, u64 sp)
{
    return s->altstack_size && sp > s->altstack_sp && sp <= s->altstack_sp + s->altstack_size;
}

int signal_frame_setup(struct trap_frame *f, int sig, const struct k_sigaction *action,
                       const struct pending_info *info, u64 old_mask)
{
    struct signal_state *s = &current->signals;
    if (!(action->flags & SA_RESTORER))
        return -EFAULT; /* x86-64 handlers need a restorer to return through */

    u64 sp = f->rsp;
    bool use_altstack = (action->flags & SA_ONSTACK) && s->altstack_size &&
                        !(s->altstack_flags & SS_DISABLE) && !on_altstack(s, sp);
    if (use_altstack)
        sp = s->altstack_sp + s->altstack_size;
    else
        sp -= RED_ZONE;

    /* The FPU/SSE registers of the interrupted code: a handler may use them too. */
    sp = ALIGN_DOWN(sp - FPU_STATE_SIZE, 64);
    u64 fpstate = sp;
    fpu_save(current->fpu);
    if (copy_to_user((void *)fpstate, current->fpu, FPU_STATE_SIZE) < 0)
        return -EFAULT;

    sp = ALIGN_DOWN(sp - sizeof(struct rt_sigframe), 16) - 8; /* as if `call`ed */
    struct rt_sigframe frame;
    memset(&frame, 0, sizeof frame);
    frame.pretcode = action->restorer;
    frame.uc.uc_stack = (struct user_stack){
        .ss_sp = s->altstack_sp,
        .ss_flags =
            (i32)(s->altstack_size ? (on_altstack(s, f->rsp) ? SS_ONSTACK : 0) : SS_DISABLE),
        .ss_size = s->altstack_size,
    };
    struct sigcontext *c = &frame.uc.uc_mcontext;
    *c = (struct sigcontext){
        .r8 = f->r8,
        .r9 = f->r9,
        .r10 = f->r10,
        .r11 = f->r11,
        .r12 = f->r12,
        .r13 = f->r13,
        .r14 = f->r14,
        .r15 = f->r15,
        .rdi = f->rdi,
        .rsi = f->rsi,
        .rbp = f->rbp,
        .rbx = f->rbx,
        .rdx = f->rdx,
        .rax = f->rax,
        .rcx = f->rcx,
        .rsp = f->rsp,
        .rip = f->rip,
        .eflags = f->rflags,
        .cs = (u16)f->cs,
        .ss = (u16)f->ss,
        .err = f->vector < 32 ? f->error_code : 0,
        .trapno = f->vector < 32 ? f->vector : 0,
        .oldmask = old_mask,
        .cr2 = sig == SIGSEGV ? info->value : 0,
        .fpstate = fpstate,
    };
    frame.uc.uc_sigmask = old_mask;
    signal_fill_siginfo(frame.info, sig, info);
    if (copy_to_user((void *)sp, &frame, sizeof frame) < 0)
        return -EFAULT;

    /* Enter the handler: handler(sig, &info, &uc), fresh FPU state.  (A
     * handler address outside user space is caught by exit_to_user.) */
    f->rip = action->handler;
    f->rsp = sp;
    f->rdi = (u64)sig;
    f->rsi = sp + offsetof(struct rt_sigframe, info);
    f->rdx = sp + offsetof(struct rt_sigframe, uc);
    f->rax = 0;
    f->rflags &= ~(RFLAGS_TF | RFLAGS_DF);
    f->cs = GDT_USER_CODE;
    f->ss = GDT_USER_DATA;
    f->orig_rax = (u64)-1;
    fpu_init_state(current->fpu);
    fpu_restore(current->fpu);
    return 0;
}

/*
 * rt_sigreturn: the handler finished; put back what it interrupted.  The
 * frame is in user memory, so everything read from it is checked: a program
 * must not be able to return into kernel mode or with a bad address.
 */
long sys_rt_sigreturn(void)
{
    struct proc *self = current;
    struct trap_frame *f = self->tf;
    struct rt_sigframe frame;
    /* The handler's `ret` popped pretcode: the frame starts 8 bytes below rsp. */
    if (copy_from_user(&frame, (void *)(f->rsp - 8), sizeof frame) < 0)
        goto bad_frame;
    const struct sigcontext *c = &frame.uc.uc_mcontext;
    if (!is_user_address(c->rip))
        goto bad_frame;

    f->r8 = c->r8, f->r9 = c->r9, f->r10 = c->r10, f->r11 = c->r11;
    f->r12 = c->r12, f->r13 = c->r13, f->r14 = c->r14, f->r15 = c->r15;
    f->rdi = c->rdi, f->rsi = c->rsi, f->rbp = c->rbp, f->rbx = c->rbx;
    f->rdx = c->rdx, f->rax = c->rax, f->rcx = c->rcx, f->rsp = c->rsp, f->rip = c->rip;
    f->rflags = (f->rflags & ~USER_RFLAGS_MASK) | (c->eflags & USER_RFLAGS_MASK) | RFLAGS_IF;
    f->cs = GDT_USER_CODE;
    f->ss = GDT_USER_DATA;
    f->orig_rax = (u64)-1; /* not a system call any more: no restart logic */

    self->signals.blocked = frame.uc.uc_sigmask & ~(SIGMASK(SIGKILL) | SIGMASK(SIGSTOP));
    if (c->fpstate) {
        u8 state[FPU_STATE_SIZE] __attribute__((aligned(16)));
        if (copy_from_user(state, (void *)c->fpstate, FPU_STATE_SIZE) < 0)
            goto bad_frame;
        fpu_load_user_state(self->fpu, state);
        fpu_restore(self->fpu);
    }
    return (long)f->rax; /* the dispatcher stores this back in rax: unchanged */

bad_frame:
    signal_force_fault(SIGSEGV, SI_KERNEL, 0);
    return (long)f->rax;
}
