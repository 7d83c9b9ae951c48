/*
 * ping - ICMP echo through a "ping socket" (socket(AF_INET, SOCK_DGRAM,
 * IPPROTO_ICMP), as Linux's unprivileged ping): send an echo request each
 * second, print each reply and its round-trip time.
 *
 *   ping [-c COUNT] [-i SECONDS] ADDRESS     (ADDRESS: dotted IPv4, e.g. 127.0.0.1)
 *
 * The kernel fills in the identifier (the socket's "port") and the
 * checksum; the reply comes back to this socket alone.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000.0 + t.tv_nsec / 1e6;
}

static void usage(void)
{
    fprintf(stderr, "usage: ping [-c COUNT] [-i SECONDS] ADDRESS\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int count = -1;
    double interval = 1.0;
    int opt;
    while ((opt = getopt(argc, argv, "c:i:")) != -1) {
        if (opt == 'c' && atoi(optarg) > 0)
            count = atoi(optarg);
        else if (opt == 'i' && atof(optarg) >= 0)
            interval = atof(optarg);
        else
            usage();
    }
    if (optind != argc - 1)
        usage();
    struct sockaddr_in to = {.sin_family = AF_INET};
    if (inet_pton(AF_INET, argv[optind], &to.sin_addr) != 1) {
        fprintf(stderr, "ping: %s: not an IPv4 address\n", argv[optind]);
        return 2;
    }
    int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
    if (s < 0) {
        perror("ping: socket");
        return 2;
    }
    printf("PING %s 56(84) bytes of data.\n", argv[optind]);
    int sent = 0, received = 0;
    for (int seq = 1; count < 0 || seq <= count; seq++) {
        unsigned char packet[64] = {8, 0}; /* type 8: echo request */
        packet[6] = (unsigned char)(seq >> 8);
        packet[7] = (unsigned char)seq;
        for (int i = 8; i < 64; i++)
            packet[i] = (unsigned char)i;
        double start = now_ms();
        if (sendto(s, packet, sizeof packet, 0, (struct sockaddr *)&to, sizeof to) < 0) {
            perror("ping: sendto");
            return 1;
        }
        sent++;
        struct pollfd p = {s, POLLIN, 0};
        while (poll(&p, 1, 1000) == 1) {
            unsigned char reply[128];
            ssize_t n = recv(s, reply, sizeof reply, 0);
            if (n >= 8 && reply[0] == 0 && (reply[6] << 8 | reply[7]) == seq) {
                received++;
                printf("%zd bytes from %s: icmp_seq=%d time=%.3f ms\n", n, argv[optind], seq,
                       now_ms() - start);
                fflush(stdout);
                break;
            }
        }
        if (count < 0 || seq < count)
            usleep((useconds_t)(interval * 1e6));
    }
    printf("--- %s ping statistics ---\n%d packets transmitted, %d received, %d%% packet loss\n",
           argv[optind], sent, received, sent ? (sent - received) * 100 / sent : 0);
    return received ? 0 : 1;
}
