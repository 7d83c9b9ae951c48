/*
 * ifconfig - the network interfaces: name, flags, MTU, address, netmask and
 * the packet counters.
 *
 *   ifconfig          every interface
 *   ifconfig NAME     one ("lo", "eth0"); exit 1 if there is none
 *   ifconfig NAME up  bring it up (down: take it down); needs CAP_NET_ADMIN.  A
 *                     new network namespace's lo starts down, as on Linux
 *
 * Where it learns what: the list of names and the counters from
 * /proc/net/dev, the rest from ioctls on any AF_INET socket, as net-tools'
 * ifconfig does on Linux: SIOCGIFFLAGS, SIOCGIFMTU, SIOCGIFADDR,
 * SIOCGIFNETMASK (sprout has no netlink); up and down with SIOCSIFFLAGS.
 * Setting an address is not supported.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "user/lib/netinfo.h"

static const char *addr_of(int s, unsigned long request, const char *name, char *out, size_t size)
{
    struct ifreq req = {0};
    snprintf(req.ifr_name, sizeof req.ifr_name, "%s", name);
    if (ioctl(s, request, &req) < 0)
        return "?";
    struct sockaddr_in *a = (struct sockaddr_in *)&req.ifr_addr;
    return inet_ntop(AF_INET, &a->sin_addr, out, (socklen_t)size);
}

static void show(int s, const char *name, unsigned long rx_packets, unsigned long rx_bytes,
                 unsigned long tx_packets, unsigned long tx_bytes)
{
    struct ifreq req = {0};
    snprintf(req.ifr_name, sizeof req.ifr_name, "%s", name);
    int flags = ioctl(s, SIOCGIFFLAGS, &req) == 0 ? req.ifr_flags : 0;
    int mtu = ioctl(s, SIOCGIFMTU, &req) == 0 ? req.ifr_mtu : 0;
    static const struct {
        int bit;
        const char *name;
    } names[] = {{IFF_UP, "UP"},
                 {IFF_BROADCAST, "BROADCAST"},
                 {IFF_LOOPBACK, "LOOPBACK"},
                 {IFF_RUNNING, "RUNNING"},
                 {IFF_MULTICAST, "MULTICAST"}};
    char list[128] = "";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (flags & names[i].bit)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", list[0] ? "," : "",
                     names[i].name);
    char addr[32], mask[32];
    printf("%s: flags=%d<%s>  mtu %d\n", name, flags, list, mtu);
    printf("        inet %s  netmask %s\n", addr_of(s, SIOCGIFADDR, name, addr, sizeof addr),
           addr_of(s, SIOCGIFNETMASK, name, mask, sizeof mask));
    printf("        RX packets %lu  bytes %lu\n", rx_packets, rx_bytes);
    printf("        TX packets %lu  bytes %lu\n\n", tx_packets, tx_bytes);
}

/* ifconfig NAME up|down: read the flags, change IFF_UP, write them back. */
static int set_up(const char *name, const char *how)
{
    const char *failed;
    if (netinfo_set_up(name, strcmp(how, "up") == 0, &failed) == 0)
        return 0;
    if (strcmp(failed, "SIOCGIFFLAGS") == 0)
        fprintf(stderr, "ifconfig: %s: %s\n", name, strerror(errno));
    else
        fprintf(stderr, "ifconfig: %s: %s\n", failed, strerror(errno));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && (strcmp(argv[2], "up") == 0 || strcmp(argv[2], "down") == 0))
        return set_up(argv[1], argv[2]);
    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        fprintf(stderr, "usage: ifconfig [INTERFACE [up|down]]\n");
        return 2;
    }
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    FILE *dev = fopen("/proc/net/dev", "r");
    if (s < 0 || !dev) {
        fprintf(stderr, "ifconfig: %s\n", strerror(errno));
        return 1;
    }
    char line[512];
    int found = 0;
    while (fgets(line, sizeof line, dev)) {
        char *colon = strchr(line, ':');
        if (!colon || strchr(line, '|'))
            continue; /* the two header lines */
        *colon = 0;
        char *name = line + strspn(line, " ");
        unsigned long v[16] = {0};
        if (sscanf(colon + 1, "%lu %lu %lu %lu %lu %lu %lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3],
                   &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]) != 10)
            continue;
        if (argc == 2 && strcmp(argv[1], name) != 0)
            continue;
        show(s, name, v[1], v[0], v[9], v[8]);
        found++;
    }
    fclose(dev);
    close(s);
    if (argc == 2 && !found) {
        fprintf(stderr, "ifconfig: %s: no such interface\n", argv[1]);
        return 1;
    }
    return 0;
}
