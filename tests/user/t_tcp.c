/*
 * t_tcp.c - AF_INET sockets on 127.0.0.1: TCP echo, a megabyte through the
 * window, half-close, resets, refused and in-use addresses, non-blocking
 * connect, the backlog, UDP datagrams, bad arguments, and 1000 connections
 * opened and closed without leaking descriptors.  Runs on Linux too.
 */
#define _GNU_SOURCE
#include "tests/user/utest.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <net/if.h>

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/* A listening socket on 127.0.0.1 and a free port; *port receives it. */
static int listener(int *port, int backlog)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s >= 0);
    struct sockaddr_in a = loopback(0);
    CHECK_EQ(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(s, backlog), 0);
    socklen_t len = sizeof a;
    CHECK_EQ(getsockname(s, (struct sockaddr *)&a, &len), 0);
    CHECK_EQ(len, sizeof a);
    *port = ntohs(a.sin_port);
    CHECK(*port != 0);
    return s;
}

static int connect_to(int port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s >= 0);
    struct sockaddr_in a = loopback(port);
    CHECK_EQ(connect(s, (struct sockaddr *)&a, sizeof a), 0);
    return s;
}

static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void echo_over_loopback(void)
{
    int port, l = listener(&port, 4);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        int c = connect_to(port);
        char buf[16] = {0};
        CHECK_EQ(write(c, "hello", 5), 5);
        CHECK_EQ(read(c, buf, sizeof buf), 5);
        CHECK_STR(buf, "HELLO");
        exit(0);
    }
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    int s = accept(l, (struct sockaddr *)&peer, &len);
    CHECK(s >= 0);
    CHECK_EQ(len, sizeof peer);
    CHECK_EQ(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    struct sockaddr_in peer2;
    len = sizeof peer2;
    CHECK_EQ(getpeername(s, (struct sockaddr *)&peer2, &len), 0);
    CHECK_EQ(peer2.sin_port, peer.sin_port);
    char buf[16];
    CHECK_EQ(recv(s, buf, sizeof buf, 0), 5);
    for (int i = 0; i < 5; i++)
        buf[i] -= 'a' - 'A';
    CHECK_EQ(send(s, buf, 5, 0), 5);
    CHECK_EQ(wait_status(pid), 0);
    CHECK_EQ(read(s, buf, sizeof buf), 0); /* the child exited: end of stream */
    close(s);
    close(l);
}

/* A megabyte: far more than the buffers, so the window closes and opens. */
static void megabyte_through_the_window(void)
{
    int port, l = listener(&port, 1);
    enum { TOTAL = 1 << 20 };
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        int c = connect_to(port);
        static unsigned char out[TOTAL];
        for (int i = 0; i < TOTAL; i++)
            out[i] = (unsigned char)(i * 31 + (i >> 12));
        CHECK_EQ(write(c, out, TOTAL), TOTAL);
        exit(0);
    }
    int s = accept(l, NULL, NULL);
    CHECK(s >= 0);
    static unsigned char in[TOTAL];
    long got = 0, n;
    while ((n = read(s, in + got, TOTAL - got)) > 0)
        got += n;
    CHECK_EQ(got, TOTAL);
    for (int i = 0; i < TOTAL; i++)
        if (in[i] != (unsigned char)(i * 31 + (i >> 12))) {
            CHECK_EQ(i, -1); /* the first wrong byte */
            break;
        }
    CHECK_EQ(wait_status(pid), 0);
    close(s);
    close(l);
}

/* Tcp: OutSegs of /proc/net/snmp (Linux's layout: a line of names, then one
 * of numbers, each starting with "Tcp:"). */
static long tcp_out_segs(void)
{
    static char text[4096];
    int fd = open("/proc/net/snmp", O_RDONLY);
    CHECK(fd >= 0);
    ssize_t n, total = 0;
    while ((n = read(fd, text + total, sizeof text - 1 - (size_t)total)) > 0)
        total += n;
    text[total] = '\0';
    close(fd);
    char *names = strstr(text, "\nTcp: "), *values = names ? strstr(names + 1, "\nTcp: ") : NULL;
    CHECK(values != NULL);
    if (!values)
        return -1;
    for (;;) {
        names = strchr(names + 1, ' ');
        values = strchr(values + 1, ' ');
        if (!names || !values)
            break;
        if (strncmp(names + 1, "OutSegs ", 8) == 0)
            return strtol(values + 1, NULL, 10);
    }
    CHECK(!"no Tcp: OutSegs in /proc/net/snmp");
    return -1;
}

/* lo's MTU is 65536 (as Linux's), so a connection on 127.0.0.1 has an MSS
 * near 64 KiB (TCP_MAXSEG: 65495 here, 65483 on Linux with timestamps), and
 * a megabyte crosses in a few dozen segments: in 1460-byte ones (an
 * Ethernet MTU's) the data alone would take 719. */
static void large_segments_on_loopback(void)
{
    int port, l = listener(&port, 1);
    enum { TOTAL = 1 << 20 };
    int c = connect_to(port), s = accept(l, NULL, NULL);
    CHECK(s >= 0);
    int mss = 0;
    socklen_t len = sizeof mss;
    CHECK_EQ(getsockopt(c, IPPROTO_TCP, TCP_MAXSEG, &mss, &len), 0);
    CHECK(mss > 60000);
    long before = tcp_out_segs();
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        static char out[TOTAL];
        memset(out, 'x', sizeof out);
        CHECK_EQ(write(c, out, TOTAL), TOTAL);
        exit(0);
    }
    close(c);
    static char in[TOTAL];
    long got = 0, n;
    while ((n = read(s, in + got, TOTAL - got)) > 0)
        got += n;
    CHECK_EQ(got, TOTAL);
    CHECK_EQ(wait_status(pid), 0);
    long segments = tcp_out_segs() - before; /* both ends: data, ACKs, FINs */
    printf("  1 MiB over lo: %ld segments, MSS %d\n", segments, mss);
    CHECK(segments > 0 && segments < TOTAL / 1460 / 2);
    close(s);
    close(l);
}

/* RFC 7323 window scaling: with a 512 KiB SO_RCVBUF on both ends, TCP_INFO
 * reports the option negotiated, each side's receive shift is the other's
 * send shift, and more than 64 KiB waits in the reader's buffer (FIONREAD)
 * while it does not read -- then all of it arrives intact. */
static void window_scaling_for_a_large_rcvbuf(void)
{
    int big = 512 * 1024;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(setsockopt(l, SOL_SOCKET, SO_RCVBUF, &big, sizeof big), 0);
    struct sockaddr_in a = loopback(0);
    CHECK_EQ(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(l, 1), 0);
    socklen_t alen = sizeof a;
    CHECK_EQ(getsockname(l, (struct sockaddr *)&a, &alen), 0);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(setsockopt(c, SOL_SOCKET, SO_RCVBUF, &big, sizeof big), 0);
    CHECK_EQ(setsockopt(c, SOL_SOCKET, SO_SNDBUF, &big, sizeof big), 0);
    CHECK_EQ(connect(c, (struct sockaddr *)&a, sizeof a), 0);
    int s = accept(l, NULL, NULL);
    CHECK(s >= 0);
    struct tcp_info client_info, server_info;
    socklen_t len = sizeof client_info;
    CHECK_EQ(getsockopt(c, IPPROTO_TCP, TCP_INFO, &client_info, &len), 0);
    CHECK(len >= 8);
    len = sizeof server_info;
    CHECK_EQ(getsockopt(s, IPPROTO_TCP, TCP_INFO, &server_info, &len), 0);
    CHECK_EQ(client_info.tcpi_state, 1); /* TCP_ESTABLISHED */
    CHECK(client_info.tcpi_options & TCPI_OPT_WSCALE);
    CHECK(server_info.tcpi_options & TCPI_OPT_WSCALE);
    CHECK(client_info.tcpi_rcv_wscale >= 2); /* 256 KiB needs a shift of 2 */
    CHECK_EQ(client_info.tcpi_rcv_wscale, server_info.tcpi_snd_wscale);
    CHECK_EQ(server_info.tcpi_rcv_wscale, client_info.tcpi_snd_wscale);
    enum { TOTAL = 200 * 1024 };
    static unsigned char out[TOTAL], in[TOTAL];
    for (int i = 0; i < TOTAL; i++)
        out[i] = (unsigned char)(i * 7 + (i >> 10));
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        CHECK_EQ(write(c, out, TOTAL), TOTAL);
        exit(0);
    }
    int queued = 0;
    for (int i = 0; i < 200 && queued <= 65535; i++) {
        sleep_ms(10);
        CHECK_EQ(ioctl(s, FIONREAD, &queued), 0);
    }
    CHECK(queued > 65535); /* beyond what an unscaled window could announce */
    long got = 0, n;
    while (got < TOTAL && (n = read(s, in + got, TOTAL - got)) > 0)
        got += n;
    CHECK_EQ(got, TOTAL);
    CHECK(memcmp(in, out, TOTAL) == 0);
    CHECK_EQ(wait_status(pid), 0);
    close(s);
    close(c);
    close(l);
}

static void half_close(void)
{
    int port, l = listener(&port, 1);
    int c = connect_to(port), s = accept(l, NULL, NULL);
    CHECK_EQ(write(c, "question", 8), 8);
    CHECK_EQ(shutdown(c, SHUT_WR), 0);
    char buf[16];
    CHECK_EQ(read(s, buf, sizeof buf), 8);
    CHECK_EQ(read(s, buf, sizeof buf), 0); /* FIN */
    CHECK_EQ(write(s, "answer", 6), 6);
    CHECK_EQ(read(c, buf, sizeof buf), 6);
    CHECK_ERRNO(send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
    close(s);
    CHECK_EQ(read(c, buf, sizeof buf), 0);
    close(c);
    close(l);
}

static void refused_and_reset(void)
{
    int port, l = listener(&port, 1);
    close(l); /* nobody listens there now */
    int c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(port);
    CHECK_ERRNO(connect(c, (struct sockaddr *)&a, sizeof a), ECONNREFUSED);
    close(c);

    /* Closing with unread data resets the connection. */
    l = listener(&port, 1);
    c = connect_to(port);
    int s = accept(l, NULL, NULL);
    CHECK_EQ(write(c, "unread", 6), 6);
    sleep_ms(50);
    close(s);
    sleep_ms(50);
    char buf[8];
    CHECK_ERRNO(read(c, buf, sizeof buf), ECONNRESET);
    CHECK_EQ(read(c, buf, sizeof buf), 0); /* reported once */
    close(c);

    /* SO_LINGER with a zero timeout: close sends RST instead of FIN. */
    c = connect_to(port);
    s = accept(l, NULL, NULL);
    struct linger lin = {1, 0};
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_LINGER, &lin, sizeof lin), 0);
    close(s);
    sleep_ms(50);
    CHECK_ERRNO(read(c, buf, sizeof buf), ECONNRESET);
    close(c);
    close(l);
}

static void address_in_use(void)
{
    int port, l = listener(&port, 1);
    int other = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(port);
    CHECK_ERRNO(bind(other, (struct sockaddr *)&a, sizeof a), EADDRINUSE);
    struct sockaddr_in any = {.sin_family = AF_INET, .sin_port = htons(port)};
    CHECK_ERRNO(bind(other, (struct sockaddr *)&any, sizeof any), EADDRINUSE);
    close(other);

    /* The server closes first: its end waits in TIME_WAIT on the port.  A
     * new listener needs SO_REUSEADDR there, as on Linux. */
    int one = 1;
    CHECK_EQ(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), 0);
    int c = connect_to(port), s = accept(l, NULL, NULL);
    close(s);
    sleep_ms(20);
    close(c);
    close(l);
    sleep_ms(20);
    other = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_ERRNO(bind(other, (struct sockaddr *)&a, sizeof a), EADDRINUSE);
    CHECK_EQ(setsockopt(other, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), 0);
    CHECK_EQ(bind(other, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(other, 1), 0);
    close(other);
}

static void nonblocking_connect(void)
{
    int port, l = listener(&port, 1);
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in a = loopback(port);
    CHECK_ERRNO(connect(c, (struct sockaddr *)&a, sizeof a), EINPROGRESS);
    struct pollfd p = {c, POLLOUT, 0};
    CHECK_EQ(poll(&p, 1, 5000), 1);
    CHECK(p.revents & POLLOUT);
    int err = -1;
    socklen_t len = sizeof err;
    CHECK_EQ(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len), 0);
    CHECK_EQ(err, 0);
    CHECK_EQ(connect(c, (struct sockaddr *)&a, sizeof a), 0); /* reports the success once */
    CHECK_ERRNO(connect(c, (struct sockaddr *)&a, sizeof a), EISCONN);
    char buf[4];
    CHECK_ERRNO(read(c, buf, sizeof buf), EAGAIN); /* non-blocking, nothing yet */
    struct pollfd lp = {l, POLLIN, 0};
    CHECK_EQ(poll(&lp, 1, 5000), 1); /* the connection waits in the queue */
    int s = accept4(l, NULL, NULL, SOCK_NONBLOCK);
    CHECK(s >= 0);
    fcntl(l, F_SETFL, O_NONBLOCK);
    CHECK_ERRNO(accept(l, NULL, NULL), EAGAIN);
    close(s);
    close(c);

    /* To a closed port: poll reports the failure, SO_ERROR says why. */
    close(l);
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    CHECK_ERRNO(connect(c, (struct sockaddr *)&a, sizeof a), EINPROGRESS);
    p = (struct pollfd){c, POLLOUT, 0};
    CHECK_EQ(poll(&p, 1, 5000), 1);
    CHECK(p.revents & (POLLERR | POLLHUP));
    len = sizeof err;
    CHECK_EQ(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len), 0);
    CHECK_EQ(err, ECONNREFUSED);
    close(c);
}

static void backlog_queues_connections(void)
{
    int port, l = listener(&port, 5);
    int c[5];
    for (int i = 0; i < 5; i++)
        c[i] = connect_to(port); /* all complete before any accept */
    unsigned short ports[5];
    for (int i = 0; i < 5; i++) {
        struct sockaddr_in peer;
        socklen_t len = sizeof peer;
        int s = accept(l, (struct sockaddr *)&peer, &len);
        CHECK(s >= 0);
        ports[i] = peer.sin_port;
        for (int j = 0; j < i; j++)
            CHECK(ports[j] != ports[i]);
        close(s);
    }
    for (int i = 0; i < 5; i++)
        close(c[i]);
    close(l);
}

/* epoll on TCP: the listener is readable when a connection waits, a
 * connection when data or the peer's FIN arrives (EPOLLRDHUP not needed). */
static void epoll_on_tcp(void)
{
    int port, l = listener(&port, 4);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    CHECK(ep >= 0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = l};
    CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev), 0);
    struct epoll_event got[4];
    CHECK_EQ(epoll_wait(ep, got, 4, 0), 0);
    int c = connect_to(port);
    CHECK_EQ(epoll_wait(ep, got, 4, 5000), 1);
    CHECK_EQ(got[0].data.fd, l);
    int s = accept(l, NULL, NULL);
    ev = (struct epoll_event){.events = EPOLLIN, .data.fd = s};
    CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev), 0);
    CHECK_EQ(epoll_wait(ep, got, 4, 0), 0);
    CHECK_EQ(write(c, "x", 1), 1);
    CHECK_EQ(epoll_wait(ep, got, 4, 5000), 1);
    CHECK_EQ(got[0].data.fd, s);
    char x;
    CHECK_EQ(read(s, &x, 1), 1);
    close(c); /* the FIN makes it readable again: read() would return 0 */
    CHECK_EQ(epoll_wait(ep, got, 4, 5000), 1);
    CHECK_EQ(read(s, &x, 1), 0);
    close(ep);
    close(s);
    close(l);
}

/* SO_RCVTIMEO: a read with nothing to read gives up with EAGAIN. */
static void receive_timeout(void)
{
    int port, l = listener(&port, 1);
    int c = connect_to(port), s = accept(l, NULL, NULL);
    struct timeval tv = {0, 100000};
    CHECK_EQ(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    char buf[4];
    double start = now_seconds();
    CHECK_ERRNO(read(c, buf, sizeof buf), EAGAIN);
    CHECK(now_seconds() - start >= 0.05);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = loopback(0);
    CHECK_EQ(bind(u, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    CHECK_ERRNO(recv(u, buf, sizeof buf, 0), EAGAIN);
    close(u);
    close(s);
    close(c);
    close(l);
}

static void tcp_options(void)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1, v = -1;
    socklen_t len = sizeof v;
    CHECK_EQ(getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &len), 0);
    CHECK_EQ(v, 0);
    CHECK_EQ(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one), 0);
    len = sizeof v;
    CHECK_EQ(getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &len), 0);
    CHECK(v != 0);
    CHECK_ERRNO(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, 2), EINVAL);
    CHECK_ERRNO(setsockopt(s, IPPROTO_TCP, 9999, &one, sizeof one), ENOPROTOOPT);
    len = sizeof v;
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len), 0);
    CHECK_EQ(v, SOCK_STREAM);
    close(s);
}

static int get_int(int s, int level, int name)
{
    int v = -1;
    socklen_t len = sizeof v;
    CHECK_EQ(getsockopt(s, level, name, &v, &len), 0);
    CHECK_EQ(len, sizeof v);
    return v;
}

/* TCP_KEEPIDLE/INTVL/CNT: Linux's defaults and limits; SO_KEEPALIVE is
 * inherited by accepted sockets. */
static void keepalive_options(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(get_int(s, IPPROTO_TCP, TCP_KEEPIDLE), 7200);
    CHECK_EQ(get_int(s, IPPROTO_TCP, TCP_KEEPINTVL), 75);
    CHECK_EQ(get_int(s, IPPROTO_TCP, TCP_KEEPCNT), 9);
    int v = 30;
    CHECK_EQ(setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &v, sizeof v), 0);
    CHECK_EQ(get_int(s, IPPROTO_TCP, TCP_KEEPIDLE), 30);
    int bad[] = {0, -1, 32768};
    for (int i = 0; i < 3; i++) {
        CHECK_ERRNO(setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &bad[i], sizeof v), EINVAL);
        CHECK_ERRNO(setsockopt(s, IPPROTO_TCP, TCP_KEEPINTVL, &bad[i], sizeof v), EINVAL);
    }
    v = 128;
    CHECK_ERRNO(setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &v, sizeof v), EINVAL);
    v = 0;
    CHECK_ERRNO(setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &v, sizeof v), EINVAL);
    v = 3;
    CHECK_ERRNO(setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &v, 2), EINVAL);
    CHECK_ERRNO(setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, (void *)8, sizeof v), EFAULT);
    CHECK_EQ(get_int(s, IPPROTO_TCP, TCP_KEEPIDLE), 30); /* unchanged by the failures */
    close(s);
    int port, l = listener(&port, 4), one = 1;
    CHECK_EQ(setsockopt(l, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one), 0);
    int c = connect_to(port), a = accept(l, NULL, NULL);
    CHECK(a >= 0);
    CHECK(get_int(a, SOL_SOCKET, SO_KEEPALIVE) != 0);
    CHECK_EQ(get_int(c, SOL_SOCKET, SO_KEEPALIVE), 0);
    close(a);
    close(c);
    close(l);
}

/* Fills c (non-blocking) while nobody reads; returns how much it took. */
static long fill_unread(int c)
{
    static char chunk[4096];
    long total = 0;
    for (ssize_t n; total < 4 << 20 && (n = send(c, chunk, sizeof chunk, MSG_DONTWAIT)) > 0;)
        total += n;
    CHECK_EQ(errno, EAGAIN);
    return total;
}

/* SO_SNDBUF/SO_RCVBUF: the value is doubled (as Linux reports it) and sizes
 * the connection's buffers, so a writer nobody reads stops sooner. */
static void buffer_sizes_limit_queued_data(void)
{
    int port, l = listener(&port, 4);
    int c = connect_to(port), a = accept(l, NULL, NULL);
    CHECK(a >= 0);
    long big = fill_unread(c);
    close(a);
    close(c);
    close(l);
    int small = 8192;
    l = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(setsockopt(l, SOL_SOCKET, SO_RCVBUF, &small, sizeof small), 0);
    CHECK_EQ(get_int(l, SOL_SOCKET, SO_RCVBUF), 2 * small);
    struct sockaddr_in addr = loopback(0);
    socklen_t len = sizeof addr;
    CHECK_EQ(bind(l, (struct sockaddr *)&addr, sizeof addr), 0);
    CHECK_EQ(listen(l, 4), 0);
    CHECK_EQ(getsockname(l, (struct sockaddr *)&addr, &len), 0);
    c = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(setsockopt(c, SOL_SOCKET, SO_SNDBUF, &small, sizeof small), 0);
    CHECK_EQ(get_int(c, SOL_SOCKET, SO_SNDBUF), 2 * small);
    CHECK_EQ(connect(c, (struct sockaddr *)&addr, sizeof addr), 0);
    a = accept(l, NULL, NULL);
    CHECK(a >= 0);
    CHECK_EQ(get_int(a, SOL_SOCKET, SO_RCVBUF), 2 * small); /* inherited */
    long little = fill_unread(c);
    CHECK(little < big);
    if (is_sprout()) {
        CHECK_EQ(big, 2 * 64 * 1024);    /* both 64 KiB rings full */
        CHECK_EQ(little, 2 * 2 * small); /* both 16 KiB rings full */
    }
    char buf[4096];
    CHECK(read(a, buf, sizeof buf) > 0); /* the data is intact and flows on */
    int bad = 1;
    CHECK_ERRNO(setsockopt(c, SOL_SOCKET, SO_SNDBUF, &bad, 2), EINVAL);
    CHECK_ERRNO(setsockopt(c, SOL_SOCKET, SO_RCVBUF, (void *)8, sizeof bad), EFAULT);
    close(a);
    close(c);
    close(l);
}

/* SIOCGIFCONF and SIOCGIF* on an AF_INET socket (what ifconfig uses), their
 * bad arguments, and /bin/ifconfig's report of lo. */
static void interface_ioctls(void)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifconf conf = {.ifc_len = 0, .ifc_req = NULL};
    CHECK_EQ(ioctl(s, SIOCGIFCONF, &conf), 0);
    CHECK(conf.ifc_len >= (int)sizeof(struct ifreq));
    CHECK_EQ(conf.ifc_len % (int)sizeof(struct ifreq), 0);
    struct ifreq reqs[8];
    conf.ifc_len = sizeof reqs;
    conf.ifc_req = reqs;
    CHECK_EQ(ioctl(s, SIOCGIFCONF, &conf), 0);
    CHECK_STR(reqs[0].ifr_name, "lo");
    CHECK_EQ(((struct sockaddr_in *)&reqs[0].ifr_addr)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    conf.ifc_len = sizeof reqs[0] - 1; /* room for none */
    CHECK_EQ(ioctl(s, SIOCGIFCONF, &conf), 0);
    CHECK_EQ(conf.ifc_len, 0);
    struct ifreq req = {0};
    strcpy(req.ifr_name, "lo");
    CHECK_EQ(ioctl(s, SIOCGIFADDR, &req), 0);
    CHECK_EQ(((struct sockaddr_in *)&req.ifr_addr)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    CHECK_EQ(ioctl(s, SIOCGIFNETMASK, &req), 0);
    CHECK_EQ(((struct sockaddr_in *)&req.ifr_netmask)->sin_addr.s_addr, htonl(0xff000000));
    CHECK_EQ(ioctl(s, SIOCGIFFLAGS, &req), 0);
    CHECK_EQ(req.ifr_flags & (IFF_UP | IFF_LOOPBACK), IFF_UP | IFF_LOOPBACK);
    CHECK_EQ(ioctl(s, SIOCGIFMTU, &req), 0);
    CHECK_EQ(req.ifr_mtu, 65536); /* as Linux: lo is not an Ethernet card */
    CHECK_EQ(ioctl(s, SIOCGIFINDEX, &req), 0);
    CHECK_EQ(req.ifr_ifindex, 1);
    strcpy(req.ifr_name, "nope0");
    CHECK_ERRNO(ioctl(s, SIOCGIFADDR, &req), ENODEV);
    CHECK_ERRNO(ioctl(s, SIOCGIFADDR, (void *)8), EFAULT);
    CHECK_ERRNO(ioctl(s, SIOCGIFCONF, (void *)8), EFAULT);
    conf.ifc_len = sizeof reqs;
    conf.ifc_req = (void *)8;
    CHECK_ERRNO(ioctl(s, SIOCGIFCONF, &conf), EFAULT);
    close(s);
    if (is_sprout()) {
        CHECK_EQ(system("/bin/ifconfig lo > /tmp/ifconfig.txt"), 0);
        char out[512] = {0};
        int fd = open("/tmp/ifconfig.txt", O_RDONLY);
        CHECK(fd >= 0);
        CHECK(read(fd, out, sizeof out - 1) > 0);
        close(fd);
        if (!strstr(out, "lo: flags=73<UP,LOOPBACK,RUNNING>") ||
            !strstr(out, "inet 127.0.0.1  netmask 255.0.0.0"))
            utest_fail(__FILE__, __LINE__, "ifconfig lo said: %s", out);
        CHECK(WEXITSTATUS(system("/bin/ifconfig nope0 2>/dev/null")) == 1);
    }
}

static void bad_arguments(void)
{
    CHECK_ERRNO(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT);
    CHECK_ERRNO(socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), EPROTONOSUPPORT);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(1);
    CHECK_ERRNO(bind(s, (struct sockaddr *)&a, 8), EINVAL);
    struct sockaddr_in wrong = a;
    wrong.sin_family = AF_UNIX;
    CHECK_ERRNO(bind(s, (struct sockaddr *)&wrong, sizeof wrong), EAFNOSUPPORT);
    struct sockaddr_in far = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x0a0b0c0d)};
    CHECK_ERRNO(bind(s, (struct sockaddr *)&far, sizeof far), EADDRNOTAVAIL);
    CHECK_ERRNO(bind(s, (void *)8, sizeof a), EFAULT);
    CHECK_ERRNO(accept(s, NULL, NULL), EINVAL); /* not listening */
    char c;
    CHECK_ERRNO(recv(s, &c, 1, 0), ENOTCONN);
    CHECK_ERRNO(send(s, "x", 1, MSG_NOSIGNAL), EPIPE); /* as Linux */
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    CHECK_ERRNO(getpeername(s, (struct sockaddr *)&peer, &len), ENOTCONN);
    CHECK_ERRNO(shutdown(s, SHUT_WR), ENOTCONN);
    CHECK_ERRNO(connect(s, (struct sockaddr *)&a, 4), EINVAL);
    close(s);
    /* bind twice, listen then connect */
    int port, l = listener(&port, 1);
    struct sockaddr_in b = loopback(0);
    CHECK_ERRNO(bind(l, (struct sockaddr *)&b, sizeof b), EINVAL);
    struct sockaddr_in to = loopback(port);
    CHECK_ERRNO(connect(l, (struct sockaddr *)&to, sizeof to), EISCONN);
    close(l);
}

static void udp_datagrams(void)
{
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr = loopback(0);
    CHECK_EQ(bind(a, (struct sockaddr *)&addr, sizeof addr), 0);
    socklen_t len = sizeof addr;
    CHECK_EQ(getsockname(a, (struct sockaddr *)&addr, &len), 0);
    CHECK_EQ(sendto(b, "one", 3, 0, (struct sockaddr *)&addr, sizeof addr), 3);
    CHECK_EQ(sendto(b, "second", 6, 0, (struct sockaddr *)&addr, sizeof addr), 6);
    char buf[16];
    struct sockaddr_in from;
    len = sizeof from;
    CHECK_EQ(recvfrom(a, buf, sizeof buf, 0, (struct sockaddr *)&from, &len), 3);
    CHECK_EQ(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    CHECK_EQ(recv(a, buf, 2, MSG_TRUNC), 6); /* the rest of a datagram is dropped */
    CHECK_ERRNO(recv(a, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    /* connected: send() goes to the peer, and only its datagrams arrive */
    CHECK_EQ(connect(b, (struct sockaddr *)&addr, sizeof addr), 0);
    CHECK_EQ(send(b, "via connect", 11, 0), 11);
    CHECK_EQ(recv(a, buf, sizeof buf, 0), 11);
    static char big[70000];
    CHECK_ERRNO(send(b, big, sizeof big, 0), EMSGSIZE);
    int c = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_ERRNO(send(c, "x", 1, 0), EDESTADDRREQ);
    close(a);
    close(b);
    close(c);
}

static void thousand_connections_no_leak(void)
{
    int port, l = listener(&port, 16);
    int fds = count_fds();
    for (int i = 0; i < soak_or(1000, 10000); i++) { /* 10,000 in make soak */
        int c = connect_to(port);
        int s = accept(l, NULL, NULL);
        CHECK(c >= 0 && s >= 0);
        if (c < 0 || s < 0)
            break;
        CHECK_EQ(write(c, "x", 1), 1);
        char x;
        CHECK_EQ(read(s, &x, 1), 1);
        close(c); /* the client closes first: TIME_WAIT stays on its side */
        close(s);
    }
    CHECK_EQ(count_fds(), fds);
    close(l);
}

/* Does the output of `command` have a line containing every one of the words? */
static int output_has_line(const char *command, const char *a, const char *b, const char *c)
{
    FILE *f = popen(command, "r");
    if (!f)
        return 0;
    char line[512];
    int found = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, a) && strstr(line, b) && (!c || strstr(line, c)))
            found = 1;
    pclose(f);
    return found;
}

/* /proc/net/tcp and udp list our sockets by inode in Linux's format; on
 * sprout, netstat and lsof -i show them too. */
static void proc_net_netstat_lsof(void)
{
    int port, l = listener(&port, 1);
    int c = connect_to(port), s = accept(l, NULL, NULL);
    struct stat st;
    CHECK_EQ(fstat(l, &st), 0);
    char want[64];
    snprintf(want, sizeof want, "0100007F:%04X 00000000:0000 0A", port);
    char inode[32];
    snprintf(inode, sizeof inode, " %lu ", (unsigned long)st.st_ino);
    FILE *f = fopen("/proc/net/tcp", "r");
    CHECK(f != NULL);
    char line[512];
    int listen_found = 0, established = 0;
    CHECK(fgets(line, sizeof line, f) && strstr(line, "local_address rem_address   st"));
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, want) && strstr(line, inode))
            listen_found = 1;
        char local[32];
        snprintf(local, sizeof local, "0100007F:%04X 0100007F:", port);
        if (strstr(line, local) && strstr(line, " 01 "))
            established++;
    }
    fclose(f);
    CHECK(listen_found);
    CHECK_EQ(established, 1);

    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = loopback(0);
    CHECK_EQ(bind(u, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    CHECK_EQ(getsockname(u, (struct sockaddr *)&a, &len), 0);
    snprintf(want, sizeof want, "0100007F:%04X 00000000:0000 07", ntohs(a.sin_port));
    f = fopen("/proc/net/udp", "r");
    CHECK(f != NULL);
    int udp_found = 0;
    while (f && fgets(line, sizeof line, f))
        udp_found |= strstr(line, want) != NULL;
    if (f)
        fclose(f);
    CHECK(udp_found);

    if (is_sprout()) {
        char addr[32], owner[32];
        snprintf(addr, sizeof addr, "127.0.0.1:%d ", port);
        snprintf(owner, sizeof owner, "%d/t_tcp", getpid());
        CHECK(output_has_line("netstat -tanp", addr, "LISTEN", owner));
        CHECK(output_has_line("netstat -tn", addr, "ESTABLISHED", NULL));
        CHECK(!output_has_line("netstat -tn", addr, "LISTEN", NULL)); /* -a shows servers */
        char spec[32], name[48];
        snprintf(spec, sizeof spec, "lsof -i :%d", port);
        snprintf(name, sizeof name, "TCP 127.0.0.1:%d (LISTEN)", port);
        CHECK(output_has_line(spec, "IPv4", name, NULL));
        snprintf(name, sizeof name, "TCP 127.0.0.1:%d->127.0.0.1:", port);
        CHECK(output_has_line(spec, "IPv4", name, "(ESTABLISHED)"));
        CHECK(!output_has_line("lsof -i UDP:1", "IPv4", "TCP", NULL));
        CHECK(output_has_line("ping -c 2 -i 0 127.0.0.1", "2 packets transmitted", "2 received",
                              NULL));
        CHECK(
            output_has_line("ping -c 1 127.0.0.1", "64 bytes from 127.0.0.1:", "icmp_seq=1", NULL));
    }
    close(u);
    close(s);
    close(c);
    close(l);
}

static const struct utest_case cases[] = {
    UTEST(echo_over_loopback),
    UTEST(megabyte_through_the_window),
    UTEST(window_scaling_for_a_large_rcvbuf),
    UTEST(large_segments_on_loopback),
    UTEST(half_close),
    UTEST(refused_and_reset),
    UTEST(address_in_use),
    UTEST(nonblocking_connect),
    UTEST(backlog_queues_connections),
    UTEST(receive_timeout),
    UTEST(epoll_on_tcp),
    UTEST(tcp_options),
    UTEST(keepalive_options),
    UTEST(buffer_sizes_limit_queued_data),
    UTEST(interface_ioctls),
    UTEST(bad_arguments),
    UTEST(udp_datagrams),
    UTEST(thousand_connections_no_leak),
    UTEST(proc_net_netstat_lsof),
};
UTEST_MAIN("tcp", cases)
