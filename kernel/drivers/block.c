/* block.c - the list of registered block devices (see block.h). */
#include "kernel/drivers/block.h"
#include "kernel/lib/string.h"

static struct block_device *devices; /* in registration order */

void block_register(struct block_device *device)
{
    struct block_device **link = &devices;
    while (*link)
        link = &(*link)->next;
    device->next = NULL;
    *link = device;
}

struct block_device *block_find(const char *name)
{
    for (struct block_device *d = devices; d; d = d->next)
        if (strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

struct block_device *block_first(void) { return devices; }
