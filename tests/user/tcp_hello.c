/*
 * tcp_hello - a tiny HTTP server for the network test on the host
 * (tests/qemu/test_net.sh): listen on PORT on every address, answer COUNT
 * requests with "hello from sprout", then exit 0.
 *
 *   tcp_hello PORT [COUNT]
 */
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: tcp_hello PORT [COUNT]\n");
        return 2;
    }
    int count = argc > 2 ? atoi(argv[2]) : 1;
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
    if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 8) < 0) {
        perror("tcp_hello: bind/listen");
        return 1;
    }
    printf("tcp_hello: listening on port %s\n", argv[1]);
    fflush(stdout);
    for (int i = 0; i < count; i++) {
        struct sockaddr_in peer;
        socklen_t len = sizeof peer;
        int c = accept(l, (struct sockaddr *)&peer, &len);
        if (c < 0) {
            perror("tcp_hello: accept");
            return 1;
        }
        /* Read the request up to the blank line that ends its header. */
        char request[2048];
        size_t got = 0;
        while (got < sizeof request - 1) {
            ssize_t n = read(c, request + got, sizeof request - 1 - got);
            if (n <= 0)
                break;
            got += (size_t)n;
            request[got] = 0;
            if (strstr(request, "\r\n\r\n"))
                break;
        }
        /* The card's MTU and the connection's MSS (test_net.sh: 1500, 1460). */
        int mss = 0;
        socklen_t mss_len = sizeof mss;
        getsockopt(c, IPPROTO_TCP, TCP_MAXSEG, &mss, &mss_len);
        struct ifreq ifr = {0};
        strcpy(ifr.ifr_name, "eth0");
        if (ioctl(c, SIOCGIFMTU, &ifr) < 0)
            ifr.ifr_mtu = -1;
        printf("tcp_hello: eth0 mtu %d, mss %d\n", ifr.ifr_mtu, mss);
        unsigned ip = ntohl(peer.sin_addr.s_addr);
        printf("tcp_hello: request from %u.%u.%u.%u: %.*s\n", ip >> 24, ip >> 16 & 255,
               ip >> 8 & 255, ip & 255, (int)strcspn(request, "\r\n"), request);
        const char *body = "hello from sprout\n";
        char reply[256];
        int n = snprintf(reply, sizeof reply,
                         "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
                         "Connection: close\r\n\r\n%s",
                         strlen(body), body);
        if (write(c, reply, (size_t)n) != n)
            perror("tcp_hello: write");
        /* A graceful close: send our FIN, then wait (10 s at most) until the
         * client has read the reply and closed its end.  Without the wait the
         * last reply could still be on its way through QEMU when the machine
         * powers off, and the host saw "no answer" (once, under load). */
        shutdown(c, SHUT_WR);
        struct timeval patience = {.tv_sec = 10};
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
        while (read(c, request, sizeof request) > 0)
            ;
        close(c);
    }
    close(l);
    return 0;
}
