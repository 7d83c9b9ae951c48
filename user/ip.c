/*
 * ip - iproute2's `ip` for what sprout's kernel tells: interfaces, their
 * addresses and the routes of the caller's network namespace.
 *
 *   ip link [show [DEV]]        interfaces: index, flags, MTU, state
 *   ip addr [show [DEV]]        the same with each one's IPv4 address
 *   ip route [show]             the routes (/proc/net/route)
 *   ip link set DEV up|down     bring an interface up or down (CAP_NET_ADMIN)
 *
 * Linux's ip talks netlink; sprout has none, so this one asks what
 * ifconfig asks -- SIOCGIFCONF for the names, SIOCGIFFLAGS, SIOCGIFMTU,
 * SIOCGIFINDEX, SIOCGIFHWADDR, SIOCGIFADDR, SIOCGIFNETMASK on an AF_INET socket, and
 * SIOCSIFFLAGS to change IFF_UP -- and reads /proc/net/route.  The output
 * has iproute2's layout, so it reads the same on both systems.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "user/lib/netinfo.h"

static int usage(void)
{
    fprintf(stderr, "usage: ip link [show [DEV]] | ip addr [show [DEV]] | ip route [show]\n"
                    "       ip link set DEV up|down\n");
    return 2;
}

/* The request `request` about `name`; false if the kernel says no. */
static int if_ask(int s, unsigned long request, const char *name, struct ifreq *req)
{
    memset(req, 0, sizeof *req);
    memcpy(req->ifr_name, name, strnlen(name, IFNAMSIZ - 1)); /* NUL-ended by the memset */
    return ioctl(s, request, req) == 0;
}

/* Prefix length of a netmask: 255.255.255.0 is 24. */
static int prefix_len(unsigned int netmask_host_order)
{
    int n = 0;
    while (netmask_host_order & 0x80000000u) {
        n++;
        netmask_host_order <<= 1;
    }
    return n;
}

static unsigned int addr_of(int s, unsigned long request, const char *name)
{
    struct ifreq req;
    if (!if_ask(s, request, name, &req))
        return 0;
    return ntohl(((struct sockaddr_in *)&req.ifr_addr)->sin_addr.s_addr);
}

/* One interface as `ip link` shows it, then its address for `ip addr`. */
static void show(int s, const char *name, int with_addr)
{
    struct ifreq req;
    int flags = if_ask(s, SIOCGIFFLAGS, name, &req) ? req.ifr_flags : 0;
    int mtu = if_ask(s, SIOCGIFMTU, name, &req) ? req.ifr_mtu : 0;
    int index = if_ask(s, SIOCGIFINDEX, name, &req) ? req.ifr_ifindex : 0;
    char list[96] = "";
    if (flags & IFF_LOOPBACK)
        strcat(list, "LOOPBACK,");
    if (flags & IFF_BROADCAST)
        strcat(list, "BROADCAST,");
    if (flags & IFF_MULTICAST)
        strcat(list, "MULTICAST,");
    if (flags & IFF_UP)
        strcat(list, "UP,LOWER_UP,");
    if (list[0])
        list[strlen(list) - 1] = '\0';
    /* iproute2 says UNKNOWN for a loopback that is up: it has no carrier to report. */
    const char *state = !(flags & IFF_UP) ? "DOWN" : flags & IFF_LOOPBACK ? "UNKNOWN" : "UP";
    printf("%d: %s: <%s> mtu %d state %s\n", index, name, list, mtu, state);
    unsigned char mac[6] = {0};
    if (if_ask(s, SIOCGIFHWADDR, name, &req))
        memcpy(mac, req.ifr_hwaddr.sa_data, sizeof mac);
    printf("    link/%s %02x:%02x:%02x:%02x:%02x:%02x brd %s\n",
           flags & IFF_LOOPBACK ? "loopback" : "ether", mac[0], mac[1], mac[2], mac[3], mac[4],
           mac[5], flags & IFF_LOOPBACK ? "00:00:00:00:00:00" : "ff:ff:ff:ff:ff:ff");
    if (!with_addr || !(flags & IFF_UP))
        return; /* a down interface has no address, as Linux's lo in a new namespace */
    struct in_addr addr = {htonl(addr_of(s, SIOCGIFADDR, name))};
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &addr, text, sizeof text);
    printf("    inet %s/%d scope %s %s\n", text, prefix_len(addr_of(s, SIOCGIFNETMASK, name)),
           flags & IFF_LOOPBACK ? "host" : "global", name);
}

static int list_interfaces(int s, const char *only, int with_addr)
{
    struct ifreq reqs[8];
    struct ifconf conf = {.ifc_len = sizeof reqs, .ifc_req = reqs};
    if (ioctl(s, SIOCGIFCONF, &conf) != 0) {
        fprintf(stderr, "ip: SIOCGIFCONF: %s\n", strerror(errno));
        return 1;
    }
    int found = 0;
    for (int i = 0; i < conf.ifc_len / (int)sizeof reqs[0]; i++) {
        if (only && strcmp(only, reqs[i].ifr_name) != 0)
            continue;
        show(s, reqs[i].ifr_name, with_addr);
        found++;
    }
    if (only && !found) {
        fprintf(stderr, "Device \"%s\" does not exist.\n", only);
        return 1;
    }
    return 0;
}

static int set_link(const char *name, const char *how)
{
    const char *failed;
    if (netinfo_set_up(name, strcmp(how, "up") == 0, &failed) == 0)
        return 0;
    if (strcmp(failed, "SIOCGIFFLAGS") == 0) {
        fprintf(stderr, "Cannot find device \"%s\"\n", name);
        return 1;
    }
    fprintf(stderr, "ip: %s: %s\n", failed, strerror(errno));
    return errno == EPERM ? 2 : 1;
}

/* /proc/net/route: "eth0 0002000A 00000000 0001 0 0 0 00FFFFFF ..." (network order as hex). */
static int show_routes(int s)
{
    FILE *f = fopen("/proc/net/route", "r");
    if (!f) {
        perror("ip: /proc/net/route");
        return 1;
    }
    char line[256];
    fgets(line, sizeof line, f); /* the header */
    while (fgets(line, sizeof line, f)) {
        char name[IFNAMSIZ];
        unsigned int dest, gateway, flags, mask;
        if (sscanf(line, "%15s %x %x %x %*d %*d %*d %x", name, &dest, &gateway, &flags, &mask) != 5)
            continue;
        struct in_addr d = {dest}, src = {htonl(addr_of(s, SIOCGIFADDR, name))};
        char dest_text[INET_ADDRSTRLEN], src_text[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &d, dest_text, sizeof dest_text);
        inet_ntop(AF_INET, &src, src_text, sizeof src_text);
        printf("%s/%d dev %s proto kernel scope link src %s\n", dest_text, prefix_len(ntohl(mask)),
               name, src_text);
    }
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) {
        perror("ip: socket");
        return 1;
    }
    const char *object = argv[1];
    int show_cmd = argc == 2 || strcmp(argv[2], "show") == 0 || strcmp(argv[2], "list") == 0;
    const char *only = argc >= 4 && show_cmd ? argv[argc - 1] : NULL;
    if (argc >= 4 && show_cmd && strcmp(argv[3], "dev") == 0)
        only = argc == 5 ? argv[4] : NULL;
    if (strncmp(object, "link", strlen(object)) == 0 && argc == 5 && strcmp(argv[2], "set") == 0 &&
        (strcmp(argv[4], "up") == 0 || strcmp(argv[4], "down") == 0))
        return set_link(argv[3], argv[4]);
    if (!show_cmd || argc > 5)
        return usage();
    if (strncmp(object, "link", strlen(object)) == 0)
        return list_interfaces(s, only, 0);
    if (strncmp(object, "addr", strlen(object)) == 0 ||
        strncmp(object, "address", strlen(object)) == 0)
        return list_interfaces(s, only, 1);
    if (strncmp(object, "route", strlen(object)) == 0)
        return show_routes(s);
    return usage();
}
