/*
 * ports.h - choosing an ephemeral port for a socket that did not bind one.
 *
 * Linux's default range (net.ipv4.ip_local_port_range) is 32768..60999; the
 * search starts after the last port handed out, so a port just released
 * (perhaps still in TIME_WAIT) is not reused at once.
 */
#ifndef KERNEL_NET_INET_PORTS_H
#define KERNEL_NET_INET_PORTS_H

#include "kernel/types.h"

#define EPHEMERAL_PORT_FIRST 32768
#define EPHEMERAL_PORT_LAST 60999

/* The next port for which is_free(context, port) says yes, or 0 if none. */
static inline u16 port_pick_ephemeral(bool (*is_free)(void *context, u16 port), void *context)
{
    static u32 next = EPHEMERAL_PORT_FIRST;
    u32 range = EPHEMERAL_PORT_LAST - EPHEMERAL_PORT_FIRST + 1;
    for (u32 i = 0; i < range; i++) {
        u16 port = (u16)next;
        next = next == EPHEMERAL_PORT_LAST ? EPHEMERAL_PORT_FIRST : next + 1;
        if (is_free(context, port))
            return port;
    }
    return 0;
}

#endif
