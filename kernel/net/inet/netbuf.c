/* netbuf.c - packet buffers (see netbuf.h). */
#include "kernel/net/inet/netbuf.h"
#include "kernel/net/inet/net_env.h"

long netbuf_live;

/*
 * Freed netbufs wait here for the next allocation.  Every segment TCP sends
 * takes a netbuf and frees it when it has been delivered, and a netbuf is
 * just over two KiB: from the heap that was a two-page block found in the
 * frame allocator, zeroed, poisoned and poisoned again when freed, which
 * cost more than the segment's headers, checksum and copy together
 * (instructions counted per function in bench tcp_throughput).  Only the fields
 * in front of storage[] are cleared: every sender writes all the bytes it
 * puts or pushes.
 */
#define NETBUF_CACHE_MAX 64
static struct netbuf *netbuf_cache[NETBUF_CACHE_MAX];
static u32 netbuf_cached;

struct netbuf *netbuf_alloc(u32 headroom)
{
    struct netbuf *nb;
    if (netbuf_cached > 0) {
        nb = netbuf_cache[--netbuf_cached];
        memset(nb, 0, offsetof(struct netbuf, storage));
    } else {
        nb = net_zalloc(sizeof(*nb));
        if (!nb)
            return NULL;
    }
    list_node_init(&nb->node);
    nb->data = nb->storage + MIN(headroom, (u32)NETBUF_SIZE);
    nb->len = 0;
    netbuf_live++;
    return nb;
}

struct netbuf *netbuf_from_bytes(const void *bytes, u32 len)
{
    if (len > NETBUF_SIZE)
        return NULL;
    /* Headroom, so that a reply can be built in place (an ICMP echo). */
    struct netbuf *nb = netbuf_alloc(len + NETBUF_HEADROOM <= NETBUF_SIZE ? NETBUF_HEADROOM : 0);
    if (!nb)
        return NULL;
    memcpy(netbuf_put(nb, len), bytes, len);
    return nb;
}

void netbuf_free(struct netbuf *nb)
{
    if (!nb)
        return;
    netbuf_live--;
    if (netbuf_cached < NETBUF_CACHE_MAX)
        netbuf_cache[netbuf_cached++] = nb;
    else
        net_free(nb);
}

u8 *netbuf_push(struct netbuf *nb, u32 len)
{
    /* Headroom is sized for every header the stack writes: running out is a bug. */
    if ((u32)(nb->data - nb->storage) < len)
        return NULL;
    nb->data -= len;
    nb->len += len;
    return nb->data;
}

void netbuf_pull(struct netbuf *nb, u32 len)
{
    len = MIN(len, nb->len);
    nb->data += len;
    nb->len -= len;
}

u8 *netbuf_put(struct netbuf *nb, u32 len)
{
    if ((u32)(nb->storage + NETBUF_SIZE - (nb->data + nb->len)) < len)
        return NULL;
    u8 *tail = nb->data + nb->len;
    nb->len += len;
    return tail;
}

void netbuf_trim(struct netbuf *nb, u32 len)
{
    if (len < nb->len)
        nb->len = len;
}
