/*
 * test_tty_size.c - taking the terminal's answer about its size out of the
 * input (kernel/tty_size.c): the answer sets the size and sends SIGWINCH;
 * every other byte reaches the line discipline, in order, even one that
 * began like an answer; without an answer the held bytes come out when the
 * time is up.
 *
 * The file is compiled here with stand-ins for what it calls in the rest of
 * the kernel: the serial port, the timer, and the two tty.c functions.
 */
#include "kernel/types.h"
#include "tests/unit/unit.h"

/* Stand-ins for kernel/x86.h: no interrupts to turn off on the host. */
#define KERNEL_X86_H
static inline bool irq_save(void) { return false; }
static inline void irq_restore(bool was_enabled) { (void)was_enabled; }

#include "kernel/tty_size.c"

static char sent[64]; /* what the kernel wrote to the terminal */
static size_t sent_len;
static char typed[64]; /* what reached the line discipline */
static size_t typed_len;
static int winch_signals;
static struct timer *armed;

volatile u64 jiffies;
void serial_write(const char *buf, size_t len)
{
    memcpy(sent + sent_len, buf, len);
    sent_len += len;
}
void timer_init_event(struct timer *timer, void (*fn)(struct timer *timer), void *data)
{
    timer->fn = fn;
    timer->data = data;
}
void timer_add(struct timer *timer, u64 expires) { armed = timer; }
void timer_cancel(struct timer *timer) { armed = NULL; }
u64 ms_to_ticks(u64 ms) { return ms / 10; }
void tty_receive_filtered(char c) { typed[typed_len++] = c; }
void tty_signal_group(int sig)
{
    if (sig == SIGWINCH)
        winch_signals++;
}

/* A fresh boot: the question asked, nothing typed yet. */
static void boot(void)
{
    memset(&state, 0, sizeof state);
    sent_len = typed_len = 0;
    winch_signals = 0;
    armed = NULL;
    tty_size_init();
}

/* Feed bytes through the filter as the serial interrupt would; returns what passed. */
static const char *feed(const char *bytes)
{
    for (const char *p = bytes; *p; p++) {
        char release[TTY_SIZE_REPLY_MAX];
        u32 n = tty_size_filter(*p, release);
        for (u32 i = 0; i < n; i++)
            tty_receive_filtered(release[i]);
    }
    typed[typed_len] = '\0';
    return typed;
}

static void asks_the_terminal_and_starts_at_80x24(void)
{
    struct winsize size;
    boot();
    CHECK_EQ(sent_len, strlen(QUESTION));
    CHECK(memcmp(sent, "\0337\033[999;999H\033[6n\0338", sent_len) == 0);
    tty_size_get(&size);
    CHECK_EQ(size.rows, 24);
    CHECK_EQ(size.cols, 80);
    CHECK(armed != NULL);
}

static void the_answer_sets_the_size_and_is_not_input(void)
{
    struct winsize size;
    boot();
    CHECK_STR(feed("ls\033[40;132Rx\n"), "lsx\n");
    tty_size_get(&size);
    CHECK_EQ(size.rows, 40);
    CHECK_EQ(size.cols, 132);
    CHECK_EQ(winch_signals, 1);
    CHECK(armed == NULL); /* the timeout is cancelled */
    /* Only one answer is expected: a second one is ordinary input. */
    CHECK_STR(feed("\033[50;90R"), "lsx\n\033[50;90R");
    tty_size_get(&size);
    CHECK_EQ(size.rows, 40);
}

static void the_answer_80x24_changes_nothing(void)
{
    boot();
    CHECK_STR(feed("\033[24;80R"), "");
    CHECK_EQ(winch_signals, 0);
}

/* Bytes that begin like an answer and then differ come out, all of them, in order. */
static void lookalikes_pass_through_in_order(void)
{
    static const struct {
        const char *input;
    } cases[] = {
        {"\033[A"},        /* an arrow key */
        {"\033[1;5C"},     /* Ctrl-Right */
        {"\033[2~"},       /* Insert */
        {"\033x"},         /* Alt-x */
        {"\033[;5R"},      /* no rows */
        {"\033[5;R"},      /* no columns */
        {"\033[0;80R"},    /* zero rows */
        {"\033[12345;6R"}, /* more than four digits */
        {"\033[40;80;1R"}, /* a third number */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        boot();
        CHECK_STR(feed(cases[i].input), cases[i].input);
        CHECK_EQ(winch_signals, 0);
    }
}

static void without_an_answer_held_bytes_come_out_at_the_timeout(void)
{
    struct winsize size;
    boot();
    CHECK_STR(feed("ab\033[4"), "ab"); /* might still be an answer */
    CHECK(armed != NULL);
    armed->fn(armed); /* the time is up */
    typed[typed_len] = '\0';
    CHECK_STR(typed, "ab\033[4");
    CHECK_STR(feed("0;9R"), "ab\033[40;9R"); /* too late: just input */
    tty_size_get(&size);
    CHECK_EQ(size.rows, 24);
}

static void setting_the_size_signals_only_a_change(void)
{
    struct winsize same = {24, 80, 0, 0}, bigger = {50, 132, 0, 0};
    boot();
    tty_size_set(&same);
    CHECK_EQ(winch_signals, 0);
    tty_size_set(&bigger);
    CHECK_EQ(winch_signals, 1);
    tty_size_set(&bigger);
    CHECK_EQ(winch_signals, 1);
}

static const struct unit_case cases[] = {
    UNIT(asks_the_terminal_and_starts_at_80x24),
    UNIT(the_answer_sets_the_size_and_is_not_input),
    UNIT(the_answer_80x24_changes_nothing),
    UNIT(lookalikes_pass_through_in_order),
    UNIT(without_an_answer_held_bytes_come_out_at_the_timeout),
    UNIT(setting_the_size_signals_only_a_change),
};
UNIT_MAIN("tty_size", cases)
