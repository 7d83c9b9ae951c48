/*
 * tty_size.c - the terminal's window size, learned by asking the terminal
 * (see tty_size.h for the exchange).
 */
#include "kernel/tty_size.h"
#include "kernel/serial.h"
#include "kernel/timer.h"
#include "kernel/x86.h"
#include "proc/signal.h"

#define DEFAULT_ROWS 24
#define DEFAULT_COLS 80
#define QUESTION "\0337\033[999;999H\033[6n\0338"

static struct {
    struct winsize size;
    bool probing;                  /* asked; neither answered nor timed out */
    char held[TTY_SIZE_REPLY_MAX]; /* a possible answer's beginning */
    u32 held_len;
    struct timer timeout;
} state;

enum reply { REPLY_NO, REPLY_PARTIAL, REPLY_COMPLETE };

/*
 * Is buf[0..len) "ESC [ rows ; cols R", or the start of it?  On a complete
 * answer, stores the two numbers.  Each number is 1 to 4 digits.
 */
static enum reply parse_reply(const char *buf, u32 len, u16 *rows, u16 *cols)
{
    u32 value[2] = {0, 0}, digits[2] = {0, 0}, field = 0;
    if (buf[0] != '\033')
        return REPLY_NO;
    if (len > 1 && buf[1] != '[')
        return REPLY_NO;
    for (u32 i = 2; i < len; i++) {
        char c = buf[i];
        if (c >= '0' && c <= '9' && digits[field] < 4) {
            value[field] = value[field] * 10 + (u32)(c - '0');
            digits[field]++;
        } else if (c == ';' && field == 0 && digits[0] > 0) {
            field = 1;
        } else if (c == 'R' && field == 1 && digits[1] > 0 && i == len - 1) {
            if (value[0] == 0 || value[1] == 0)
                return REPLY_NO;
            *rows = (u16)value[0];
            *cols = (u16)value[1];
            return REPLY_COMPLETE;
        } else {
            return REPLY_NO;
        }
    }
    return REPLY_PARTIAL;
}

/* Timer callback (IRQs off): no answer came; what was held is ordinary input. */
static void probe_timed_out(struct timer *timer)
{
    state.probing = false;
    for (u32 i = 0; i < state.held_len; i++)
        tty_receive_filtered(state.held[i]);
    state.held_len = 0;
}

void tty_size_init(void)
{
    state.size = (struct winsize){DEFAULT_ROWS, DEFAULT_COLS, 0, 0};
    timer_init_event(&state.timeout, probe_timed_out, NULL);
    bool irq = irq_save();
    state.probing = true;
    timer_add(&state.timeout, jiffies + ms_to_ticks(TTY_SIZE_PROBE_MS));
    irq_restore(irq);
    serial_write(QUESTION, sizeof QUESTION - 1);
}

void tty_size_get(struct winsize *out)
{
    bool irq = irq_save();
    *out = state.size;
    irq_restore(irq);
}

void tty_size_set(const struct winsize *size)
{
    bool changed = size->rows != state.size.rows || size->cols != state.size.cols ||
                   size->xpixel != state.size.xpixel || size->ypixel != state.size.ypixel;
    state.size = *size;
    if (changed)
        tty_signal_group(SIGWINCH);
}

u32 tty_size_filter(char c, char *release)
{
    if (!state.probing) {
        release[0] = c;
        return 1;
    }
    state.held[state.held_len++] = c;
    struct winsize answer = state.size;
    switch (parse_reply(state.held, state.held_len, &answer.rows, &answer.cols)) {
    case REPLY_PARTIAL:
        if (state.held_len < TTY_SIZE_REPLY_MAX)
            return 0;
        break; /* too long to be an answer */
    case REPLY_COMPLETE:
        state.probing = false;
        state.held_len = 0;
        timer_cancel(&state.timeout);
        tty_size_set(&answer);
        return 0;
    case REPLY_NO:
        break;
    }
    u32 n = state.held_len;
    for (u32 i = 0; i < n; i++)
        release[i] = state.held[i];
    state.held_len = 0;
    return n;
}
