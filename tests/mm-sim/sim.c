/* sim.c - the page-replacement simulator (see sim.h). */
#include "tests/mm-sim/sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sim_init(struct mm_sim *s, sim_policy choose, int frames)
{
    memset(s, 0, sizeof(*s));
    s->choose = choose;
    s->frames = frames < 1 ? 1 : frames > SIM_MAX_FRAMES ? SIM_MAX_FRAMES : frames;
    for (int i = 0; i < SIM_MAX_FRAMES; i++)
        s->page[i] = -1;
}

static void log_eviction(struct mm_sim *s, int page)
{
    size_t used = strlen(s->evicted);
    snprintf(s->evicted + used, sizeof(s->evicted) - used, "%s%d", used ? " " : "", page);
    s->evictions_of[page]++;
}

/* The frame to put a new page in: a free one, or the hand's choice. */
static int victim(struct mm_sim *s)
{
    for (int i = 0; i < s->frames; i++)
        if (s->page[i] < 0)
            return i;
    for (int step = 0; step < 2 * s->frames; step++) {
        int at = s->hand;
        s->hand = (s->hand + 1) % s->frames;
        if (s->choose(&s->bits[at]) == REPLACE_EVICT)
            return at;
    }
    s->stalls++; /* kept everything for two turns: take the hand's page */
    int at = s->hand;
    s->hand = (s->hand + 1) % s->frames;
    return at;
}

int sim_access(struct mm_sim *s, int page, bool write)
{
    s->accesses++;
    for (int i = 0; i < s->frames; i++) {
        if (s->page[i] == page) {
            s->bits[i].referenced = true;
            s->bits[i].dirty |= write;
            return 0;
        }
    }
    s->faults++;
    int at = victim(s);
    if (s->page[at] >= 0) {
        if (s->bits[at].dirty)
            s->writebacks++;
        log_eviction(s, s->page[at]);
    }
    s->page[at] = page;
    s->bits[at] = (struct replace_page){.referenced = true, .dirty = write};
    return 1;
}

/* The next access of a trace: 1 with *page and *write set, 0 at the end, -1 if malformed. */
static int next_access(const char **text, int *page, bool *write)
{
    const char *p = *text;
    while (*p == ' ' || *p == '\n' || *p == '\t')
        p++;
    if (!*p)
        return 0;
    char *end;
    long n = strtol(p, &end, 10);
    if (end == p || n < 0 || n >= SIM_MAX_PAGES)
        return -1;
    *write = *end == 'w';
    if (*write)
        end++;
    *page = (int)n;
    *text = end;
    return 1;
}

long sim_run(struct mm_sim *s, const char *trace)
{
    long before = s->faults;
    int page, more;
    bool write;
    while ((more = next_access(&trace, &page, &write)) > 0)
        sim_access(s, page, write);
    return more < 0 ? -1 : s->faults - before;
}

long sim_faults(sim_policy choose, int frames, const char *trace)
{
    static struct mm_sim s; /* large: not on the stack */
    sim_init(&s, choose, frames);
    return sim_run(&s, trace);
}

long sim_opt(int frames, const char *trace)
{
    static int pages[65536];
    int n = 0, page;
    bool write;
    const char *p = trace;
    int more;
    while (n < 65536 && (more = next_access(&p, &page, &write)) > 0)
        pages[n++] = page;
    int resident[SIM_MAX_FRAMES], used = 0;
    long faults = 0;
    for (int i = 0; i < n; i++) {
        bool hit = false;
        for (int f = 0; f < used && !hit; f++)
            hit = resident[f] == pages[i];
        if (hit)
            continue;
        faults++;
        if (used < frames) {
            resident[used++] = pages[i];
            continue;
        }
        int far = 0, far_at = -1; /* the resident page used furthest ahead (or never) */
        for (int f = 0; f < used; f++) {
            int next = i + 1;
            while (next < n && pages[next] != resident[f])
                next++;
            if (next > far_at) {
                far_at = next;
                far = f;
            }
        }
        resident[far] = pages[i];
    }
    return faults;
}

const char *sim_resident(const struct mm_sim *s)
{
    static char text[SIM_MAX_FRAMES * 6];
    text[0] = 0;
    for (int i = 0; i < s->frames; i++) {
        size_t used = strlen(text);
        if (s->page[i] < 0)
            snprintf(text + used, sizeof(text) - used, "%s-", i ? " " : "");
        else
            snprintf(text + used, sizeof(text) - used, "%s%d", i ? " " : "", s->page[i]);
    }
    return text;
}

const char *sim_referenced(const struct mm_sim *s)
{
    static char text[SIM_MAX_FRAMES + 1];
    for (int i = 0; i < s->frames; i++)
        text[i] = s->bits[i].referenced ? '1' : '0';
    text[s->frames] = 0;
    return text;
}
