/*
 * netstat - the machine's IPv4 sockets, from /proc/net/tcp and /proc/net/udp.
 *
 *   netstat -tan     every TCP socket, numeric      -u  UDP too / instead
 *   netstat -tlnp    listening ones, with the PID/Program that holds each
 *   netstat -s       the protocol counters of /proc/net/snmp and
 *                    /proc/net/netstat (TcpExt), in words
 *
 * Without -a only connected sockets are shown, with -l only listening ones
 * (as net-tools' netstat).  Names are never looked up: -n is always on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/lib/netinfo.h"

static void usage(void)
{
    fprintf(stderr, "usage: netstat [-tuanlp] | -s\n");
    exit(2);
}

/* How net-tools' netstat -s says each counter; the others print as "Name: value". */
static const struct {
    const char *name, *words;
} phrases[] = {
    {"InReceives", "total packets received"},
    {"InHdrErrors", "with invalid headers"},
    {"InAddrErrors", "with invalid addresses"},
    {"InDelivers", "incoming packets delivered"},
    {"OutRequests", "requests sent out"},
    {"InMsgs", "ICMP messages received"},
    {"OutMsgs", "ICMP messages sent"},
    {"ActiveOpens", "active connection openings"},
    {"PassiveOpens", "passive connection openings"},
    {"AttemptFails", "failed connection attempts"},
    {"EstabResets", "connection resets received"},
    {"CurrEstab", "connections established"},
    {"InSegs", "segments received"},
    {"OutSegs", "segments sent out"},
    {"RetransSegs", "segments retransmitted"},
    {"InErrs", "bad segments received"},
    {"OutRsts", "resets sent"},
    {"InDatagrams", "packets received"},
    {"NoPorts", "packets to unknown port received"},
    {"InErrors", "packet receive errors"},
    {"OutDatagrams", "packets sent"},
    {"RcvbufErrors", "receive buffer errors"},
    {"TCPTimeouts", "other TCP timeouts"},
    {"TCPFastRetrans", "fast retransmits"},
    {"TCPOFOQueue", "packets queued out of order"},
    {"TCPOFODrop", "packets dropped out of order"},
    {"TCPKeepAlive", "keepalive probes sent"},
};

/* Each pair of lines of a counters file ("Tcp: names", "Tcp: values"). */
static int print_counters(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "netstat: %s: %s\n", path, strerror(errno));
        return 1;
    }
    char names[1024], values[1024];
    while (fgets(names, sizeof names, f) && fgets(values, sizeof values, f)) {
        char *colon = strchr(names, ':');
        if (!colon)
            continue;
        *colon = 0;
        printf("%s:\n", names);
        char *name_save, *value_save;
        char *n = strtok_r(colon + 1, " \n", &name_save);
        char *v =
            strtok_r(strchr(values, ':') ? strchr(values, ':') + 1 : values, " \n", &value_save);
        for (; n && v;
             n = strtok_r(NULL, " \n", &name_save), v = strtok_r(NULL, " \n", &value_save)) {
            const char *words = NULL;
            for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
                if (strcmp(phrases[i].name, n) == 0)
                    words = phrases[i].words;
            if (strcmp(names, "Icmp") == 0 && strcmp(n, "InErrors") == 0)
                words = "input ICMP message failed"; /* UDP's InErrors has other words */
            if (words)
                printf("    %s %s\n", v, words);
            else
                printf("    %s: %s\n", n, v);
        }
    }
    fclose(f);
    return 0;
}

/* netstat -s: /proc/net/snmp, then Linux's extended counters. */
static int statistics(void)
{
    int error = print_counters("/proc/net/snmp");
    return error | print_counters("/proc/net/netstat");
}

int main(int argc, char **argv)
{
    int tcp = 0, udp = 0, all = 0, listening = 0, pids = 0;
    if (argc == 2 && strcmp(argv[1], "-s") == 0)
        return statistics();
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] != '-' || !argv[i][1])
            usage();
        for (const char *o = argv[i] + 1; *o; o++) {
            switch (*o) {
            case 't':
                tcp = 1;
                break;
            case 'u':
                udp = 1;
                break;
            case 'a':
                all = 1;
                break;
            case 'l':
                listening = 1;
                break;
            case 'p':
                pids = 1;
                break;
            case 'n':
                break;
            default:
                usage();
            }
        }
    }
    if (!tcp && !udp)
        tcp = udp = 1;
    struct inet_entry *entries;
    int count = netinfo_read(tcp, udp, &entries);
    if (count < 0) {
        fprintf(stderr, "netstat: cannot read /proc/net: %s\n", strerror(-count));
        return 1;
    }
    printf("Active Internet connections (%s)\n", all         ? "servers and established"
                                                 : listening ? "only servers"
                                                             : "w/o servers");
    printf("Proto Recv-Q Send-Q Local Address           Foreign Address         State      %s\n",
           pids ? " PID/Program name" : "");
    for (int i = 0; i < count; i++) {
        const struct inet_entry *e = &entries[i];
        /* A server is a listening TCP socket or an unconnected UDP one. */
        int server = e->state == 10 || (e->proto[0] == 'u' && e->state == 7);
        if (!all && (listening ? !server : server))
            continue;
        char local[32], remote[32], owner[48] = "-", comm[32];
        netinfo_format_addr(e->local_addr, e->local_port, local, sizeof local);
        netinfo_format_addr(e->remote_addr, e->remote_port, remote, sizeof remote);
        if (pids) {
            int pid = netinfo_owner(e->inode, comm, sizeof comm);
            if (pid)
                snprintf(owner, sizeof owner, "%d/%s", pid, comm);
        }
        const char *state = e->proto[0] == 'u' ? (e->state == 1 ? "ESTABLISHED" : "")
                                               : netinfo_state_name(e->state);
        printf("%-5s %6lu %6lu %-23s %-23s %-11s%s%s\n", e->proto, e->rx_queue, e->tx_queue, local,
               remote, state, pids ? " " : "", pids ? owner : "");
    }
    free(entries);
    return 0;
}
