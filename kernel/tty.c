/*
 * tty.c - the console terminal and its line discipline (see tty.h).
 *
 *   serial IRQ -> tty_receive_char() -> edit buffer (a line being typed)
 *                                          | Enter, ^D
 *                                          v
 *                                       input queue -> read() by the program
 *
 * Characters arrive in interrupt context; readers sleep on `readers` until
 * the queue has what they need.
 */
#include "kernel/tty.h"
#include "kernel/lock/mutex.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/fs/poll.h"
#include "kernel/lib/string.h"
#include "kernel/timer.h"
#include "kernel/tty_size.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "sched/sched.h"
#include "sched/wait.h"

/* termios flags (Linux values) */
#define IGNCR 0000200
#define ICRNL 0000400
#define INLCR 0000100
#define IXON 0002000
#define OPOST 0000001
#define ONLCR 0000004
#define ISIG 0000001
#define ICANON 0000002
#define ECHO 0000010
#define ECHOE 0000020
#define ECHOK 0000040
#define ECHONL 0000100
#define NOFLSH 0000200
#define TOSTOP 0000400
#define ECHOCTL 0001000
#define ECHOKE 0004000
#define IEXTEN 0100000
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VSUSP 10
#define VWERASE 14
#define NCCS 19

/* ioctl commands */
#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TIOCSCTTY 0x540E
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541B
#define TIOCNOTTY 0x5422
#define TIOCGSID 0x5429

struct termios {
    u32 iflag, oflag, cflag, lflag;
    u8 line;
    u8 cc[NCCS];
};

/*
 * A line typed in canonical mode holds at most LINE_MAX_LEN - 1 characters
 * and its newline: Linux's N_TTY_BUF_SIZE (4096).  As in Linux, characters
 * typed beyond that are ignored (not stored, not echoed) until the newline,
 * which is always kept.  The queue holds two such lines, or 8 KiB of raw
 * input, before it drops what arrives.
 */
#define LINE_MAX_LEN 4096
#define QUEUE_SIZE (2 * LINE_MAX_LEN)

static struct {
    struct termios termios;
    char queue[QUEUE_SIZE]; /* input ready for read(), a ring */
    u32 head, count;
    u32 line_ends;           /* canonical: complete lines (ended by '\n' or ^D) in the queue */
    char line[LINE_MAX_LEN]; /* canonical: the line being typed */
    u32 line_len;
    int pgrp;    /* foreground process group */
    int session; /* the session this is the controlling terminal of */
    struct wait_queue readers;
} tty;

/* In the queue, ^D ends a "line" without a '\n'; alone, it is end of file. */
#define END_MARK '\0'

void tty_init(void)
{
    tty.termios = (struct termios){
        .iflag = ICRNL | IXON,
        .oflag = OPOST | ONLCR,
        .cflag = 0x4BF, /* B38400 CS8 CREAD HUPCL */
        .lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    };
    u8 cc[NCCS] = {[VINTR] = 3, [VQUIT] = 28, [VERASE] = 127, [VKILL] = 21,  [VEOF] = 4,
                   [VTIME] = 0, [VMIN] = 1,   [VSUSP] = 26,   [VWERASE] = 23};
    memcpy(tty.termios.cc, cc, sizeof cc);
    wait_queue_init(&tty.readers);
    tty_size_init();
}

int tty_foreground_pgrp(void) { return tty.pgrp; }
int tty_session(void) { return tty.session; }

void tty_session_ended(int sid)
{
    if (tty.session == sid) {
        tty.session = 0;
        tty.pgrp = 0;
    }
}

/* --- output --------------------------------------------------------------- */

static void output(const char *buf, size_t len)
{
    bool translate = (tty.termios.oflag & OPOST) && (tty.termios.oflag & ONLCR);
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (translate && buf[i] == '\n') {
            console_write(buf + start, i - start);
            console_write("\r\n", 2);
            start = i + 1;
        }
    }
    console_write(buf + start, len - start);
}

void tty_write_kernel(const char *buf, size_t len) { output(buf, len); }

static void echo_char(char c)
{
    if (!(tty.termios.lflag & ECHO)) {
        if (c == '\n' && (tty.termios.lflag & ECHONL))
            output("\n", 1);
        return;
    }
    if ((u8)c < ' ' && c != '\n' && c != '\t' && (tty.termios.lflag & ECHOCTL)) {
        char caret[2] = {'^', (char)(c + '@')};
        output(caret, 2);
        return;
    }
    output(&c, 1);
}

/* --- input ------------------------------------------------------------------- */

static void queue_put(char c)
{
    if (tty.count == QUEUE_SIZE)
        return; /* full: drop (the user typed 8 KiB ahead) */
    tty.queue[(tty.head + tty.count) % QUEUE_SIZE] = c;
    tty.count++;
}

static void flush_input(void) { tty.count = tty.line_len = tty.line_ends = 0; }

void tty_signal_group(int sig)
{
    if (tty.pgrp <= 0)
        return;
    struct pending_info info = {.code = SI_KERNEL};
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node) {
        if (p->pgid == tty.pgrp)
            signal_send(p, sig, &info);
    }
}

/* ^C, ^\, ^Z: the typed-ahead input goes too, unless NOFLSH. */
static void signal_foreground(int sig)
{
    if (!(tty.termios.lflag & NOFLSH))
        flush_input();
    tty_signal_group(sig);
}

/* Canonical mode: the typed line (and `end`, '\n' or END_MARK) becomes input. */
static void commit_line(char end)
{
    /* Two full lines fit; if unread input fills the queue, this line is cut
     * short so that its end still arrives (or lost, if not even that fits). */
    if (tty.count < QUEUE_SIZE) {
        u32 room = QUEUE_SIZE - tty.count - 1;
        for (u32 i = 0; i < tty.line_len && i < room; i++)
            queue_put(tty.line[i]);
        queue_put(end);
        tty.line_ends++;
    }
    tty.line_len = 0;
    wake_up(&tty.readers);
}

static void erase_chars(u32 n)
{
    for (; n > 0 && tty.line_len > 0; n--) {
        tty.line_len--;
        if ((tty.termios.lflag & ECHO) && (tty.termios.lflag & ECHOE))
            output("\b \b", 3);
    }
}

void tty_receive_char(char c)
{
    char pass[TTY_SIZE_REPLY_MAX];
    u32 n = tty_size_filter(c, pass); /* the terminal's answer about its size is not input */
    for (u32 i = 0; i < n; i++)
        tty_receive_filtered(pass[i]);
}

void tty_receive_filtered(char c)
{
    struct termios *t = &tty.termios;
    if (c == '\r' && (t->iflag & IGNCR))
        return;
    if (c == '\r' && (t->iflag & ICRNL))
        c = '\n';
    else if (c == '\n' && (t->iflag & INLCR))
        c = '\r';

    if (t->lflag & ISIG) {
        int sig = c == (char)t->cc[VINTR]   ? SIGINT
                  : c == (char)t->cc[VQUIT] ? SIGQUIT
                  : c == (char)t->cc[VSUSP] ? SIGTSTP
                                            : 0;
        if (sig) {
            echo_char(c);
            if (t->lflag & ECHO)
                output("\n", 1);
            signal_foreground(sig);
            wake_up(&tty.readers);
            return;
        }
    }

    if (!(t->lflag & ICANON)) {
        queue_put(c);
        echo_char(c);
        wake_up(&tty.readers);
        return;
    }

    if (c == (char)t->cc[VERASE] || c == '\b') {
        erase_chars(1);
    } else if (c == (char)t->cc[VWERASE]) {
        while (tty.line_len > 0 && tty.line[tty.line_len - 1] == ' ')
            erase_chars(1);
        while (tty.line_len > 0 && tty.line[tty.line_len - 1] != ' ')
            erase_chars(1);
    } else if (c == (char)t->cc[VKILL]) {
        erase_chars(tty.line_len);
    } else if (c == (char)t->cc[VEOF]) {
        /* ^D: hand over what is typed so far; on an empty line that is
         * nothing at all, which read() returns as 0: end of file. */
        commit_line(END_MARK);
    } else if (c == '\n') {
        echo_char('\n');
        commit_line('\n');
    } else if (tty.line_len < LINE_MAX_LEN - 1) {
        tty.line[tty.line_len++] = c;
        echo_char(c);
    }
}

/* --- the file operations --------------------------------------------------------- */

/* Is there something for a reader right now? (interrupts off) */
static bool input_ready(void)
{
    if (tty.termios.lflag & ICANON)
        return tty.line_ends > 0;
    u32 min = tty.termios.cc[VMIN];
    return tty.count >= (min ? min : 1);
}

/* A background process reading the terminal is stopped with SIGTTIN (job control). */
static int check_background_read(void)
{
    struct proc *p = current;
    if (!tty.pgrp || p->pgid == tty.pgrp || p->sid != tty.session)
        return 0;
    if ((p->signals.blocked & SIGMASK(SIGTTIN)) ||
        p->signals.actions[SIGTTIN - 1].handler == SIG_IGN)
        return -EIO;
    struct proc *q;
    list_for_each_entry (q, &all_procs, all_node) {
        if (q->pgid == p->pgid)
            signal_send(q, SIGTTIN, NULL);
    }
    return -ERESTARTSYS;
}

/*
 * Take up to `size` bytes of input (interrupts off).  In canonical mode a
 * read ends at the end of a line: after its '\n', or at a ^D mark (which is
 * consumed and not returned; a ^D mark with nothing before it makes the
 * read return 0, end of file).
 */
static u32 take_input(char *out, u32 size)
{
    bool canonical = tty.termios.lflag & ICANON;
    u32 n = 0;
    while (n < size && tty.count > 0) {
        char c = tty.queue[tty.head];
        tty.head = (tty.head + 1) % QUEUE_SIZE;
        tty.count--;
        if (canonical && c == END_MARK) {
            tty.line_ends--;
            break;
        }
        out[n++] = c;
        if (canonical && c == '\n') {
            tty.line_ends--;
            break;
        }
    }
    return n;
}

static long tty_read(struct file *file, void *buf, size_t size, u64 *offset)
{
    int error = check_background_read();
    if (error)
        return error;
    if (size == 0)
        return 0;
    char chunk[256];
    u64 deadline = 0;
    bool canonical = tty.termios.lflag & ICANON;
    u8 vtime = tty.termios.cc[VTIME], vmin = tty.termios.cc[VMIN];
    if (!canonical && vtime)
        deadline = deadline_after_ns((u64)vtime * 100 * 1000000);

    bool irq = irq_save();
    while (!input_ready()) {
        if (!canonical && ((vmin == 0 && vtime == 0) || (deadline && jiffies >= deadline)))
            break; /* raw mode with nothing to wait for, or VTIME ran out */
        if (file->flags & O_NONBLOCK) {
            irq_restore(irq);
            return -EAGAIN;
        }
        if (!canonical && tty.count > 0 && vmin == 0)
            break;
        error = sleep_on(&tty.readers, "tty_read", deadline);
        if (error == -EINTR) {
            irq_restore(irq);
            return -ERESTARTSYS;
        }
        if (error == -ETIMEDOUT)
            break;
    }
    u32 n = take_input(chunk, (u32)MIN(size, sizeof chunk)); /* 0 in canonical mode: ^D */
    irq_restore(irq);
    if (n && copy_to_user(buf, chunk, n) < 0)
        return -EFAULT;
    return n;
}

/* Held across one whole write or writev to the terminal (file_ops.write_lock,
 * taken in kernel/fs/sys_rw.c): a process preempted halfway through its
 * line must not let another's text (the shell's prompt) land in the middle
 * of it. */
static struct mutex tty_write_lock = MUTEX_INIT(tty_write_lock, "tty_write");

static long tty_write(struct file *file, const void *buf, size_t size, u64 *offset)
{
    struct proc *p = current;
    if ((tty.termios.lflag & TOSTOP) && tty.pgrp && p->pgid != tty.pgrp && p->sid == tty.session &&
        !(p->signals.blocked & SIGMASK(SIGTTOU)) &&
        p->signals.actions[SIGTTOU - 1].handler != SIG_IGN) {
        struct proc *q;
        list_for_each_entry (q, &all_procs, all_node) {
            if (q->pgid == p->pgid)
                signal_send(q, SIGTTOU, NULL);
        }
        return -ERESTARTSYS;
    }
    char chunk[256];
    size_t done = 0;
    while (done < size) {
        size_t n = MIN(size - done, sizeof chunk);
        if (sched_preempt_point() < 0) /* a big write must not hold the CPU or ignore SIGKILL */
            return done ? (long)done : -EINTR;
        if (copy_from_user(chunk, (const u8 *)buf + done, n) < 0)
            return done ? (long)done : -EFAULT;
        output(chunk, n);
        done += n;
    }
    return (long)done;
}

static bool pgrp_exists_in_session(int pgrp, int sid)
{
    struct proc *p;
    list_for_each_entry (p, &all_procs, all_node) {
        if (p->pgid == pgrp && p->sid == sid && p->state != PROC_ZOMBIE)
            return true;
    }
    return false;
}

/*
 * Switching back to canonical mode (IRQs off): keys typed while a program
 * had the terminal raw wait in the queue, uncounted.  Each '\n' among them
 * ends a line for the next reader; what follows the last one is a line
 * still being typed.
 */
static void requeue_as_lines(void)
{
    u32 last_end = 0; /* bytes up to and including the last '\n' */
    tty.line_ends = 0;
    for (u32 i = 0; i < tty.count; i++) {
        if (tty.queue[(tty.head + i) % QUEUE_SIZE] == '\n') {
            tty.line_ends++;
            last_end = i + 1;
        }
    }
    tty.line_len = 0;
    for (u32 i = last_end; i < tty.count && tty.line_len < LINE_MAX_LEN - 1; i++)
        tty.line[tty.line_len++] = tty.queue[(tty.head + i) % QUEUE_SIZE];
    tty.count = last_end;
}

static long tty_ioctl(struct file *file, u64 command, u64 arg)
{
    struct proc *p = current;
    switch (command) {
    case TCGETS:
        return copy_to_user((void *)arg, &tty.termios, sizeof tty.termios) < 0 ? -EFAULT : 0;
    case TCSETS:
    case TCSETSW:
    case TCSETSF: {
        struct termios t;
        if (copy_from_user(&t, (void *)arg, sizeof t) < 0)
            return -EFAULT;
        bool irq = irq_save();
        bool was_canonical = tty.termios.lflag & ICANON;
        tty.termios = t;
        if (command == TCSETSF)
            flush_input();
        if (was_canonical && !(t.lflag & ICANON)) {
            /* Switching to raw mode: the half-typed line becomes input. */
            for (u32 i = 0; i < tty.line_len; i++)
                queue_put(tty.line[i]);
            tty.line_len = 0;
        } else if (!was_canonical && (t.lflag & ICANON)) {
            requeue_as_lines();
        }
        wake_up(&tty.readers);
        irq_restore(irq);
        return 0;
    }
    case TIOCGWINSZ: {
        struct winsize size;
        tty_size_get(&size);
        return copy_to_user((void *)arg, &size, sizeof size) < 0 ? -EFAULT : 0;
    }
    case TIOCSWINSZ: {
        struct winsize size;
        if (copy_from_user(&size, (void *)arg, sizeof size) < 0)
            return -EFAULT;
        bool irq = irq_save();
        tty_size_set(&size); /* SIGWINCH to the foreground group if it changed */
        irq_restore(irq);
        return 0;
    }
    case TIOCGPGRP: {
        int pgrp = tty.pgrp;
        return copy_to_user((void *)arg, &pgrp, sizeof pgrp) < 0 ? -EFAULT : 0;
    }
    case TIOCSPGRP: {
        int pgrp;
        if (copy_from_user(&pgrp, (void *)arg, sizeof pgrp) < 0)
            return -EFAULT;
        if (pgrp <= 0)
            return -EINVAL;
        if (tty.session && p->sid != tty.session)
            return -ENOTTY; /* not our controlling terminal */
        if (!pgrp_exists_in_session(pgrp, p->sid))
            return -EPERM;
        tty.pgrp = pgrp;
        return 0;
    }
    case TIOCGSID: {
        if (!tty.session)
            return -ENOTTY;
        int sid = tty.session;
        return copy_to_user((void *)arg, &sid, sizeof sid) < 0 ? -EFAULT : 0;
    }
    case TIOCSCTTY:
        if (p->sid != p->pid)
            return -EPERM; /* only a session leader takes a terminal */
        tty.session = p->sid;
        tty.pgrp = p->pgid;
        return 0;
    case TIOCNOTTY:
        if (tty.session == p->sid)
            tty_session_ended(p->sid);
        return 0;
    case FIONREAD: {
        int n = (int)tty.count;
        return copy_to_user((void *)arg, &n, sizeof n) < 0 ? -EFAULT : 0;
    }
    default:
        return -ENOTTY;
    }
}

static u32 tty_poll(struct file *file, struct poll_table *table)
{
    poll_wait(table, &tty.readers);
    bool irq = irq_save();
    u32 events = POLLOUT | POLLWRNORM;
    if (input_ready() || (!(tty.termios.lflag & ICANON) && tty.count > 0))
        events |= POLLIN | POLLRDNORM;
    irq_restore(irq);
    return events;
}

/* A session leader opening the console without a controlling terminal acquires it. */
static int tty_open(struct file *file)
{
    struct proc *p = current;
    if (!(file->flags & O_NOCTTY) && p->sid == p->pid && !tty.session) {
        tty.session = p->sid;
        tty.pgrp = p->pgid;
    }
    return 0;
}

const struct file_ops tty_fops = {
    .read = tty_read,
    .write = tty_write,
    .write_lock = &tty_write_lock,
    .ioctl = tty_ioctl,
    .poll = tty_poll,
    .open = tty_open,
    .seekable = false,
};
