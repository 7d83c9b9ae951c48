/* rtc.c - read the date and time from CMOS registers 0x00-0x09. */
#include "kernel/rtc.h"
#include "kernel/x86.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71

static u8 cmos_read(u8 reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static unsigned from_bcd(u8 v) { return (v & 0x0F) + (v >> 4) * 10; }

/* Howard Hinnant's well-known days-from-civil algorithm. */
i64 days_from_civil(i64 year, unsigned month, unsigned day)
{
    year -= month <= 2;
    i64 era = (year >= 0 ? year : year - 399) / 400;
    unsigned year_of_era = (unsigned)(year - era * 400);
    unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + (i64)day_of_era - 719468;
}

u64 rtc_read_unix_seconds(void)
{
    /* Wait while an update is in progress so we read a consistent time. */
    for (int i = 0; i < 100000 && (cmos_read(0x0A) & 0x80); i++)
        ;
    u8 sec = cmos_read(0x00), min = cmos_read(0x02), hour = cmos_read(0x04);
    u8 day = cmos_read(0x07), month = cmos_read(0x08), year = cmos_read(0x09);
    u8 status_b = cmos_read(0x0B);

    bool binary = status_b & 0x04, hours_24 = status_b & 0x02;
    bool pm = hour & 0x80;
    hour &= 0x7F;
    unsigned s = binary ? sec : from_bcd(sec), m = binary ? min : from_bcd(min);
    unsigned h = binary ? hour : from_bcd(hour);
    unsigned d = binary ? day : from_bcd(day), mo = binary ? month : from_bcd(month);
    unsigned y = binary ? year : from_bcd(year);
    if (!hours_24)
        h = (h % 12) + (pm ? 12 : 0);
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return 0;
    i64 days = days_from_civil(2000 + y, mo, d);
    return (u64)(days * 86400 + h * 3600 + m * 60 + s);
}
