/*
 * replace.c - which replacement policy reclaim asks (see replace.h): the
 * lab's clock (mm/replace_clock.c, the default) or the FIFO baseline
 * (mm/replace_fifo.c).  /proc/replace names the active one; root writes
 * "clock" or "fifo" to it to switch, which takes effect at the hand's next
 * page (tests/labs/replace/t_replace.c compares the two this way).
 */
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/textbuf.h"
#include "mm/replace.h"

struct replace_policy {
    const char *name;
    enum replace_verdict (*choose)(struct replace_page *page);
};

static const struct replace_policy policies[] = {
    {"clock", replace_clock},
    {"fifo", replace_fifo},
};

static const struct replace_policy *active = &policies[0];

enum replace_verdict replace_choose(struct replace_page *page) { return active->choose(page); }

void replace_show(struct textbuf *out) { textbuf_printf(out, "%s\n", active->name); }

int replace_store(const char *text)
{
    size_t len = strlen(text);
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
        len--;
    for (size_t i = 0; i < ARRAY_SIZE(policies); i++) {
        if (strlen(policies[i].name) == len && strncmp(policies[i].name, text, len) == 0) {
            active = &policies[i];
            return 0;
        }
    }
    return -EINVAL;
}
