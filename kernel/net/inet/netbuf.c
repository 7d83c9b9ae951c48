/* netbuf.c - packet buffers (see netbuf.h). */
#include "kernel/net/inet/netbuf.h"
#include "kernel/net/inet/net_env.h"

long netbuf_live;

/*
 * Freed netbufs wait here for the next allocation, one cache per size.
 * Every segment TCP sends takes a netbuf and frees it when it has been
 * delivered, and a netbuf is just over two KiB: from the heap that was a
 * two-page block found in the frame allocator, zeroed, poisoned and poisoned
 * again when freed, which cost more than the segment's headers, checksum
 * and copy together (instructions counted per function in bench
 * tcp_throughput).  A large one is 17 pages: few are in flight at once (a
 * receive window's worth of loopback segments), so few are kept.  Only the
 * fields in front of storage[] are cleared: every sender writes all the
 * bytes it puts or pushes.
 */
#define NETBUF_CACHE_MAX 64
#define NETBUF_LARGE_CACHE_MAX 8

struct netbuf_cache {
    u32 size, max, cached;
    struct netbuf **free;
};
static struct netbuf *small_free[NETBUF_CACHE_MAX], *large_free[NETBUF_LARGE_CACHE_MAX];
static struct netbuf_cache netbuf_caches[] = {
    {NETBUF_SIZE, NETBUF_CACHE_MAX, 0, small_free},
    {NETBUF_LARGE_SIZE, NETBUF_LARGE_CACHE_MAX, 0, large_free},
};

static struct netbuf_cache *netbuf_cache_for(u32 size)
{
    if (size <= NETBUF_SIZE)
        return &netbuf_caches[0];
    return size <= NETBUF_LARGE_SIZE ? &netbuf_caches[1] : NULL;
}

struct netbuf *netbuf_alloc(u32 headroom, u32 len)
{
    struct netbuf_cache *cache = netbuf_cache_for(headroom + len);
    if (!cache)
        return NULL;
    struct netbuf *nb;
    if (cache->cached > 0) {
        nb = cache->free[--cache->cached];
        memset(nb, 0, offsetof(struct netbuf, storage));
    } else {
        nb = net_zalloc(offsetof(struct netbuf, storage) + cache->size);
        if (!nb)
            return NULL;
    }
    nb->size = cache->size;
    list_node_init(&nb->node);
    nb->data = nb->storage + headroom;
    nb->len = 0;
    netbuf_live++;
    return nb;
}

struct netbuf *netbuf_from_bytes(const void *bytes, u32 len)
{
    /* Headroom, so that a reply can be built in place (an ICMP echo). */
    u32 headroom = len + NETBUF_HEADROOM <= NETBUF_LARGE_SIZE ? NETBUF_HEADROOM : 0;
    struct netbuf *nb = netbuf_alloc(headroom, len);
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
    struct netbuf_cache *cache = netbuf_cache_for(nb->size);
    if (cache->cached < cache->max)
        cache->free[cache->cached++] = nb;
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
    if ((u32)(nb->storage + nb->size - (nb->data + nb->len)) < len)
        return NULL;
    u8 *tail = nb->data + nb->len;
    nb->len += len;
    return tail;
}

void netbuf_take_payload(struct netbuf *nb)
{
    if (!nb->external)
        return;
    u8 *tail = netbuf_put(nb, nb->external_len); /* room: allocated for headers + payload */
    if (tail)
        memcpy(tail, nb->external, nb->external_len);
    nb->external = NULL;
    nb->external_len = 0;
}

void netbuf_trim(struct netbuf *nb, u32 len)
{
    if (len < nb->len)
        nb->len = len;
}
