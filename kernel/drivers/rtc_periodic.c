/*
 * rtc_periodic.c - the MC146818 clock chip's periodic interrupt.
 *
 * Three CMOS registers matter (reached by writing the register number to
 * port 0x70 and then reading or writing port 0x71):
 *
 *   A  bits 0-3: rate select r; the interrupt comes at 32768 >> (r - 1) Hz
 *      (r = 3 gives 8192 Hz, r = 15 gives 2 Hz; 0 is off)
 *   B  bit 6 (PIE): raise IRQ 8 at that rate
 *   C  why the chip interrupted; reading it acknowledges, and until it is
 *      read the chip raises no further interrupt
 *
 * Setting bit 7 of the register number keeps NMIs off while we talk to the
 * chip, as the datasheet recommends.  kernel/rtc.c reads the date through
 * the same two ports, once, at boot; everything here runs with interrupts
 * off so the two never interleave their index and data accesses.
 */
#include "kernel/drivers/rtc_periodic.h"
#include "kernel/errno.h"
#include "kernel/x86.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_NMI_OFF 0x80
#define RTC_REG_A 0x0A
#define RTC_REG_B 0x0B
#define RTC_REG_C 0x0C
#define RTC_B_PERIODIC 0x40
#define IRQ_RTC 8

static void (*tick_handler)(struct trap_frame *frame);
static bool registered;

static u8 cmos_get(u8 reg)
{
    outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
    return inb(CMOS_DATA);
}

static void cmos_set(u8 reg, u8 value)
{
    outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
    outb(CMOS_DATA, value);
}

unsigned rtc_periodic_round(unsigned hz)
{
    unsigned rate = RTC_PERIODIC_MAX_HZ;
    while (rate > hz && rate > RTC_PERIODIC_MIN_HZ)
        rate /= 2;
    return rate;
}

/* The rate-select value for a power of two between 2 and 8192 Hz. */
static u8 rate_select(unsigned hz)
{
    u8 select = 1;
    while ((32768u >> (select - 1)) > hz)
        select++;
    return select;
}

static void rtc_irq(struct trap_frame *frame)
{
    cmos_get(RTC_REG_C); /* acknowledge, or the chip stays quiet */
    if (tick_handler)
        tick_handler(frame);
}

int rtc_periodic_start(unsigned hz, void (*tick)(struct trap_frame *frame))
{
    if (hz < RTC_PERIODIC_MIN_HZ || hz > RTC_PERIODIC_MAX_HZ)
        return -EINVAL;
    bool irq = irq_save();
    if (tick_handler) {
        irq_restore(irq);
        return -EBUSY;
    }
    if (!registered) { /* the line stays ours; the chip is what we turn on and off */
        irq_register(IRQ_RTC, rtc_irq);
        registered = true;
    }
    tick_handler = tick;
    cmos_set(RTC_REG_A, (cmos_get(RTC_REG_A) & 0xF0) | rate_select(rtc_periodic_round(hz)));
    cmos_set(RTC_REG_B, cmos_get(RTC_REG_B) | RTC_B_PERIODIC);
    cmos_get(RTC_REG_C);    /* drop a stale request, so the first interrupt comes */
    outb(CMOS_INDEX, 0x0D); /* NMIs back on (register D is harmless to select) */
    irq_restore(irq);
    return 0;
}

void rtc_periodic_stop(void)
{
    bool irq = irq_save();
    cmos_set(RTC_REG_B, cmos_get(RTC_REG_B) & ~RTC_B_PERIODIC);
    cmos_get(RTC_REG_C);
    outb(CMOS_INDEX, 0x0D);
    tick_handler = NULL;
    irq_restore(irq);
}
