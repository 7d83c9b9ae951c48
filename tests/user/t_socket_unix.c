/*
 * t_socket_unix.c - the socket calls on AF_UNIX sockets: socketpair, path
 * and abstract names, stream, datagram and seqpacket, SO_PEERCRED,
 * SCM_RIGHTS, options, poll, and every call's bad arguments.  Ends with a
 * leak check (thousands of sockets opened and closed give back every byte).
 * Runs on Linux too, which proves the expectations.
 */
#define _GNU_SOURCE
#include "tests/user/leaktest.h"
#include "tests/user/utest.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <stddef.h>

/* A pointer the compiler cannot see is bad (so it does not warn). */
static void *volatile bad_address = (void *)1;
#define BAD_PTR ((void *)bad_address)

static void pair(int type, int sv[2]) { CHECK_EQ(socketpair(AF_UNIX, type, 0, sv), 0); }

/* A fresh path under /tmp for this process. */
static void temp_path(struct sockaddr_un *addr, socklen_t *len, const char *tag)
{
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    snprintf(addr->sun_path, sizeof addr->sun_path, "/tmp/sock-%s-%d", tag, (int)getpid());
    unlink(addr->sun_path);
    *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(addr->sun_path) + 1);
}

static int listener_at(struct sockaddr_un *addr, socklen_t len, int type)
{
    int fd = socket(AF_UNIX, type, 0);
    CHECK(fd >= 0);
    CHECK_EQ(bind(fd, (struct sockaddr *)addr, len), 0);
    CHECK_EQ(listen(fd, 4), 0);
    return fd;
}

/* --- socketpair ------------------------------------------------------------------ */

static void socketpair_carries_bytes_both_ways(void)
{
    int sv[2];
    pair(SOCK_STREAM, sv);
    char buf[16];
    CHECK_EQ(write(sv[0], "hello", 5), 5);
    CHECK_EQ(read(sv[1], buf, sizeof buf), 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    CHECK_EQ(send(sv[1], "back", 4, 0), 4);
    CHECK_EQ(recv(sv[0], buf, sizeof buf, 0), 4);
    CHECK(memcmp(buf, "back", 4) == 0);
    /* MSG_PEEK sees across writes and leaves the bytes; MSG_WAITALL waits for all. */
    CHECK_EQ(write(sv[0], "ab", 2), 2);
    CHECK_EQ(write(sv[0], "cd", 2), 2);
    CHECK_EQ(recv(sv[1], buf, sizeof buf, MSG_PEEK), 4);
    CHECK(memcmp(buf, "abcd", 4) == 0);
    CHECK_EQ(recv(sv[1], buf, 3, MSG_WAITALL), 3);
    CHECK(memcmp(buf, "abc", 3) == 0);
    CHECK_EQ(read(sv[1], buf, sizeof buf), 1);
    CHECK_EQ(buf[0], 'd');
    int avail = -1;
    CHECK_EQ(write(sv[0], "xyz", 3), 3);
    CHECK_EQ(ioctl(sv[1], FIONREAD, &avail), 0);
    CHECK_EQ(avail, 3);
    CHECK_EQ(read(sv[1], buf, sizeof buf), 3);
    struct stat st;
    CHECK_EQ(fstat(sv[0], &st), 0);
    CHECK(S_ISSOCK(st.st_mode));
    CHECK_ERRNO(lseek(sv[0], 0, SEEK_SET), ESPIPE);
}

static void large_write_arrives_whole_through_a_reader(void)
{
    int sv[2];
    pair(SOCK_STREAM, sv);
    enum { SIZE = 300 * 1024 };
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        close(sv[0]);
        static char big[SIZE];
        for (int i = 0; i < SIZE; i++)
            big[i] = (char)(i * 7);
        _exit(write(sv[1], big, SIZE) == SIZE ? 0 : 1);
    }
    close(sv[1]);
    static char got[SIZE];
    size_t total = 0;
    ssize_t n;
    while ((n = read(sv[0], got + total, SIZE - total)) > 0)
        total += (size_t)n;
    CHECK_EQ(total, SIZE);
    for (int i = 0; i < SIZE; i += 4099)
        CHECK_EQ(got[i], (char)(i * 7));
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
}

static int sigpipes;
static void on_sigpipe(int sig) { sigpipes++; }

static void closed_peer_gives_eof_and_epipe(void)
{
    int sv[2];
    pair(SOCK_STREAM, sv);
    CHECK_EQ(write(sv[1], "x", 1), 1);
    close(sv[1]);
    char c;
    CHECK_EQ(read(sv[0], &c, 1), 1);
    CHECK_EQ(read(sv[0], &c, 1), 0);
    signal(SIGPIPE, on_sigpipe);
    CHECK_ERRNO(write(sv[0], "y", 1), EPIPE);
    CHECK_EQ(sigpipes, 1);
    CHECK_ERRNO(send(sv[0], "y", 1, MSG_NOSIGNAL), EPIPE);
    CHECK_EQ(sigpipes, 1);
    struct pollfd p = {sv[0], POLLIN | POLLOUT, 0};
    CHECK_EQ(poll(&p, 1, 0), 1);
    CHECK(p.revents & POLLHUP);

    /* Closing with unread data resets: ECONNRESET once, then end of file. */
    pair(SOCK_STREAM, sv);
    CHECK_EQ(write(sv[1], "unread", 6), 6);
    close(sv[0]);
    CHECK_ERRNO(read(sv[1], &c, 1), ECONNRESET);
    CHECK_EQ(read(sv[1], &c, 1), 0);
    pair(SOCK_STREAM, sv);
    CHECK_EQ(write(sv[1], "unread", 6), 6);
    close(sv[0]);
    int error;
    socklen_t len = sizeof error;
    CHECK_EQ(getsockopt(sv[1], SOL_SOCKET, SO_ERROR, &error, &len), 0);
    CHECK_EQ(error, ECONNRESET);
    CHECK_EQ(read(sv[1], &c, 1), 0); /* SO_ERROR cleared it */
}

static void shutdown_write_gives_the_peer_eof(void)
{
    int sv[2];
    pair(SOCK_STREAM, sv);
    CHECK_EQ(shutdown(sv[0], SHUT_WR), 0);
    char c;
    CHECK_EQ(read(sv[1], &c, 1), 0);
    CHECK_ERRNO(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
    CHECK_EQ(write(sv[1], "y", 1), 1); /* the other direction still works */
    CHECK_EQ(read(sv[0], &c, 1), 1);
    CHECK_ERRNO(shutdown(sv[0], 3), EINVAL);
    CHECK_ERRNO(shutdown(-1, SHUT_RD), EBADF);
    CHECK_ERRNO(shutdown(0, SHUT_RD), ENOTSOCK);
}

static void nonblocking_sockets_say_eagain(void)
{
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
    CHECK(fcntl(sv[0], F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(sv[0], F_GETFD) & FD_CLOEXEC);
    char buf[4096];
    CHECK_ERRNO(read(sv[0], buf, sizeof buf), EAGAIN);
    memset(buf, 'z', sizeof buf);
    long total = 0, n;
    while ((n = write(sv[0], buf, sizeof buf)) > 0)
        total += n;
    CHECK_EQ(errno, EAGAIN);
    CHECK(total >= 4096);
    struct pollfd p = {sv[0], POLLOUT, 0};
    CHECK_EQ(poll(&p, 1, 0), 0);
    CHECK(read(sv[1], buf, sizeof buf) > 0);
    /* A blocking socket with MSG_DONTWAIT behaves the same. */
    int bv[2];
    pair(SOCK_STREAM, bv);
    CHECK_ERRNO(recv(bv[0], buf, 1, MSG_DONTWAIT), EAGAIN);
}

static void poll_and_select_see_data(void)
{
    int sv[2];
    pair(SOCK_STREAM, sv);
    struct pollfd p = {sv[1], POLLIN, 0};
    CHECK_EQ(poll(&p, 1, 0), 0);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        sleep_ms(50);
        _exit(write(sv[0], "w", 1) == 1 ? 0 : 1);
    }
    CHECK_EQ(poll(&p, 1, 5000), 1);
    CHECK(p.revents & POLLIN);
    fd_set in;
    FD_ZERO(&in);
    FD_SET(sv[1], &in);
    struct timeval tv = {1, 0};
    CHECK_EQ(select(sv[1] + 1, &in, NULL, NULL, &tv), 1);
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
}

/* --- names, listen, connect, accept ----------------------------------------------- */

static void path_sockets_connect_and_accept(void)
{
    struct sockaddr_un addr;
    socklen_t len;
    temp_path(&addr, &len, "path");
    int ls = listener_at(&addr, len, SOCK_STREAM);
    struct stat st;
    CHECK_EQ(stat(addr.sun_path, &st), 0);
    CHECK(S_ISSOCK(st.st_mode));
    CHECK_ERRNO(open(addr.sun_path, O_RDONLY), ENXIO);

    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_EQ(connect(c, (struct sockaddr *)&addr, len), 0);
    CHECK_EQ(write(c, "early", 5), 5); /* before accept, as Linux allows */
    struct sockaddr_un peer;
    socklen_t peer_len = sizeof peer;
    int s = accept(ls, (struct sockaddr *)&peer, &peer_len);
    CHECK(s >= 0);
    CHECK_EQ(peer_len, offsetof(struct sockaddr_un, sun_path)); /* the client is unnamed */
    char buf[8];
    CHECK_EQ(read(s, buf, sizeof buf), 5);

    struct sockaddr_un name;
    socklen_t name_len = sizeof name;
    CHECK_EQ(getpeername(c, (struct sockaddr *)&name, &name_len), 0);
    CHECK_EQ(name_len, len);
    CHECK_STR(name.sun_path, addr.sun_path);
    name_len = sizeof name;
    CHECK_EQ(getsockname(s, (struct sockaddr *)&name, &name_len), 0);
    CHECK_STR(name.sun_path, addr.sun_path);
    name_len = 4; /* too small: truncated, full length reported */
    CHECK_EQ(getsockname(ls, (struct sockaddr *)&name, &name_len), 0);
    CHECK_EQ(name_len, len);

    CHECK_ERRNO(connect(c, (struct sockaddr *)&addr, len), EISCONN);
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERRNO(bind(other, (struct sockaddr *)&addr, len), EADDRINUSE);
    CHECK_ERRNO(bind(ls, (struct sockaddr *)&addr, len), EADDRINUSE); /* the path exists */
    struct sockaddr_un fresh;
    socklen_t fresh_len;
    temp_path(&fresh, &fresh_len, "fresh");
    CHECK_ERRNO(bind(ls, (struct sockaddr *)&fresh, fresh_len), EINVAL); /* already bound */
    close(ls);
    /* The name stays in the file system; nobody listens any more. */
    CHECK_ERRNO(connect(other, (struct sockaddr *)&addr, len), ECONNREFUSED);
    CHECK_EQ(unlink(addr.sun_path), 0);
    CHECK_ERRNO(connect(other, (struct sockaddr *)&addr, len), ENOENT);
}

static void connect_errors(void)
{
    struct sockaddr_un addr;
    socklen_t len;
    temp_path(&addr, &len, "file");
    int fd = open(addr.sun_path, O_CREAT | O_WRONLY, 0600);
    CHECK(fd >= 0);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERRNO(connect(c, (struct sockaddr *)&addr, len), ECONNREFUSED); /* not a socket */
    unlink(addr.sun_path);
    /* bound but not listening */
    int b = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_EQ(bind(b, (struct sockaddr *)&addr, len), 0);
    CHECK_ERRNO(connect(c, (struct sockaddr *)&addr, len), ECONNREFUSED);
    /* a datagram socket cannot connect to a stream listener */
    CHECK_EQ(listen(b, 1), 0);
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK_ERRNO(connect(d, (struct sockaddr *)&addr, len), EPROTOTYPE);
    CHECK_ERRNO(connect(c, (struct sockaddr *)&addr, 1), EINVAL);
    CHECK_ERRNO(connect(c, BAD_PTR, len), EFAULT);
    CHECK_ERRNO(connect(-1, (struct sockaddr *)&addr, len), EBADF);
    CHECK_ERRNO(connect(fd, (struct sockaddr *)&addr, len), ENOTSOCK);
    CHECK_ERRNO(connect(b, (struct sockaddr *)&addr, len), EINVAL); /* a listener */
    unlink(addr.sun_path);
}

static void full_backlog_makes_nonblocking_connect_fail(void)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path + 1, sizeof addr.sun_path - 1, "backlog-%d", (int)getpid());
    socklen_t len =
        (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(addr.sun_path + 1));
    int ls = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_EQ(bind(ls, (struct sockaddr *)&addr, len), 0);
    CHECK_EQ(listen(ls, 1), 0);
    int ok = 0, refused = 0;
    for (int i = 0; i < 8; i++) {
        int c = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (connect(c, (struct sockaddr *)&addr, len) == 0)
            ok++;
        else if (errno == EAGAIN)
            refused++;
    }
    CHECK(ok >= 1 && ok <= 3);
    CHECK_EQ(ok + refused, 8);
    int a = accept4(ls, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    CHECK(a >= 0);
    CHECK(fcntl(a, F_GETFD) & FD_CLOEXEC);
    CHECK(fcntl(a, F_GETFL) & O_NONBLOCK);
}

static void abstract_names(void)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path + 1, sizeof addr.sun_path - 1, "abs-%d", (int)getpid());
    socklen_t len =
        (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(addr.sun_path + 1));
    int ls = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_EQ(bind(ls, (struct sockaddr *)&addr, len), 0);
    CHECK_EQ(listen(ls, 2), 0);
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERRNO(bind(other, (struct sockaddr *)&addr, len), EADDRINUSE);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_EQ(connect(c, (struct sockaddr *)&addr, len), 0);
    struct sockaddr_un name;
    socklen_t name_len = sizeof name;
    CHECK_EQ(getpeername(c, (struct sockaddr *)&name, &name_len), 0);
    CHECK_EQ(name_len, len);
    CHECK(memcmp(&name, &addr, len) == 0);
    close(ls);
    char byte;
    CHECK_ERRNO(read(c, &byte, 1), ECONNRESET); /* closed before anyone accepted c */
    CHECK_EQ(read(c, &byte, 1), 0);
    CHECK_ERRNO(connect(other, (struct sockaddr *)&addr, len), ECONNREFUSED);
    /* The name is free again once its socket is closed. */
    CHECK_EQ(bind(other, (struct sockaddr *)&addr, len), 0);
    /* autobind: an address of just the family picks a fresh abstract name */
    int auto_fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK_EQ(bind(auto_fd, (struct sockaddr *)&addr, sizeof(sa_family_t)), 0);
    name_len = sizeof name;
    CHECK_EQ(getsockname(auto_fd, (struct sockaddr *)&name, &name_len), 0);
    CHECK_EQ(name_len, offsetof(struct sockaddr_un, sun_path) + 6);
    CHECK_EQ(name.sun_path[0], '\0');
}

/* --- datagrams and packets ---------------------------------------------------------- */

static void datagrams_keep_boundaries_and_sources(void)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX}, b = {.sun_family = AF_UNIX};
    snprintf(a.sun_path + 1, 100, "dga-%d", (int)getpid());
    snprintf(b.sun_path + 1, 100, "dgb-%d", (int)getpid());
    socklen_t alen = (socklen_t)(2 + 1 + strlen(a.sun_path + 1)),
              blen = (socklen_t)(2 + 1 + strlen(b.sun_path + 1));
    int sa = socket(AF_UNIX, SOCK_DGRAM, 0), sb = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK_EQ(bind(sa, (struct sockaddr *)&a, alen), 0);
    CHECK_EQ(bind(sb, (struct sockaddr *)&b, blen), 0);
    CHECK_ERRNO(send(sa, "x", 1, 0), ENOTCONN);
    CHECK_EQ(sendto(sa, "first", 5, 0, (struct sockaddr *)&b, blen), 5);
    CHECK_EQ(sendto(sa, "second!", 7, 0, (struct sockaddr *)&b, blen), 7);
    char buf[64];
    struct sockaddr_un from;
    socklen_t from_len = sizeof from;
    CHECK_EQ(recvfrom(sb, buf, sizeof buf, 0, (struct sockaddr *)&from, &from_len), 5);
    CHECK_EQ(from_len, alen);
    CHECK(memcmp(&from, &a, alen) == 0);
    /* A short buffer truncates: MSG_TRUNC in msg_flags, the rest is gone. */
    struct iovec iov = {buf, 3};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    CHECK_EQ(recvmsg(sb, &m, 0), 3);
    CHECK(m.msg_flags & MSG_TRUNC);
    CHECK_ERRNO(recv(sb, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    /* connect sets the default destination */
    CHECK_EQ(connect(sa, (struct sockaddr *)&b, blen), 0);
    CHECK_EQ(send(sa, "c", 1, 0), 1);
    CHECK_EQ(recv(sb, buf, sizeof buf, MSG_TRUNC), 1);
    struct sockaddr_un nowhere = {.sun_family = AF_UNIX};
    CHECK_ERRNO(sendto(sa, "x", 1, 0, (struct sockaddr *)&nowhere, 2 + 1 + 9), ECONNREFUSED);
    CHECK_ERRNO(listen(sa, 1), EOPNOTSUPP);
    CHECK_ERRNO(accept(sa, NULL, NULL), EOPNOTSUPP);
    /* The connected peer goes away: ECONNREFUSED on the next send. */
    close(sb);
    CHECK_ERRNO(send(sa, "x", 1, 0), ECONNREFUSED);
}

static void seqpacket_keeps_boundaries(void)
{
    int sv[2];
    pair(SOCK_SEQPACKET, sv);
    CHECK_EQ(write(sv[0], "one", 3), 3);
    CHECK_EQ(write(sv[0], "two!", 4), 4);
    char buf[16];
    CHECK_EQ(read(sv[1], buf, sizeof buf), 3);
    CHECK_EQ(read(sv[1], buf, sizeof buf), 4);
    close(sv[0]);
    CHECK_EQ(read(sv[1], buf, sizeof buf), 0);
}

/* --- credentials and descriptors -------------------------------------------------------- */

static void peercred_names_the_other_process(void)
{
    int sv[2];
    pair(SOCK_STREAM, sv);
    struct ucred cred;
    socklen_t len = sizeof cred;
    CHECK_EQ(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len), 0);
    CHECK_EQ(len, sizeof cred);
    CHECK_EQ(cred.pid, getpid());
    CHECK_EQ(cred.uid, getuid());

    struct sockaddr_un addr;
    socklen_t alen;
    temp_path(&addr, &alen, "cred");
    int ls = listener_at(&addr, alen, SOCK_STREAM);
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        struct ucred server;
        socklen_t slen = sizeof server;
        if (connect(c, (struct sockaddr *)&addr, alen) < 0 ||
            getsockopt(c, SOL_SOCKET, SO_PEERCRED, &server, &slen) < 0 || server.pid != getppid())
            _exit(1);
        char c1;
        _exit(read(c, &c1, 1) == 1 ? 0 : 2);
    }
    int s = accept(ls, NULL, NULL);
    CHECK(s >= 0);
    len = sizeof cred;
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &len), 0);
    CHECK_EQ(cred.pid, pid);
    CHECK_EQ(write(s, "k", 1), 1);
    CHECK_EQ(WEXITSTATUS(wait_status(pid)), 0);
    unlink(addr.sun_path);
}

static int send_fd(int sock, int fd_to_pass)
{
    char data = 'F';
    struct iovec iov = {&data, 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr m = {.msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = control.buf,
                       .msg_controllen = sizeof control.buf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd_to_pass, sizeof(int));
    return (int)sendmsg(sock, &m, 0);
}

static void scm_rights_passes_an_open_pipe(void)
{
    int sv[2], p[2];
    pair(SOCK_STREAM, sv);
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(send_fd(sv[0], p[0]), 1);
    close(p[0]); /* the message in flight keeps the read end open */
    CHECK_EQ(write(p[1], "through", 7), 7);

    char data;
    struct iovec iov = {&data, 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr m = {.msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = control.buf,
                       .msg_controllen = sizeof control.buf};
    CHECK_EQ(recvmsg(sv[1], &m, MSG_CMSG_CLOEXEC), 1);
    CHECK_EQ(data, 'F');
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    CHECK(c != NULL);
    CHECK_EQ(c->cmsg_type, SCM_RIGHTS);
    CHECK_EQ(c->cmsg_len, CMSG_LEN(sizeof(int)));
    int got;
    memcpy(&got, CMSG_DATA(c), sizeof got);
    CHECK(fcntl(got, F_GETFD) & FD_CLOEXEC);
    char buf[16];
    CHECK_EQ(read(got, buf, sizeof buf), 7);
    CHECK(memcmp(buf, "through", 7) == 0);

    /* No room for the control data: the descriptor is closed, MSG_CTRUNC. */
    CHECK_EQ(send_fd(sv[0], p[1]), 1);
    struct msghdr bare = {.msg_iov = &iov, .msg_iovlen = 1};
    CHECK_EQ(recvmsg(sv[1], &bare, 0), 1);
    CHECK(bare.msg_flags & MSG_CTRUNC);
    /* A bad descriptor in SCM_RIGHTS is EBADF and sends nothing. */
    CHECK_ERRNO(send_fd(sv[0], 999), EBADF);
    CHECK_ERRNO(recv(sv[1], buf, 1, MSG_DONTWAIT), EAGAIN);
}

/* --- options ----------------------------------------------------------------------------- */

static void socket_options(void)
{
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    int v;
    socklen_t len = sizeof v;
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len), 0);
    CHECK_EQ(v, SOCK_STREAM);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &len), 0);
    CHECK_EQ(v, 0);
    v = 1;
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v), 0);
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v), 0);
    v = 0;
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, &len), 0);
    CHECK_EQ(v, 1);
    v = 32768;
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof v), 0);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &len), 0);
    CHECK_EQ(v, 65536); /* Linux doubles it */
    v = 16384;
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof v), 0);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &len), 0);
    CHECK_EQ(v, 32768);
    struct linger l = {1, 5}, back;
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof l), 0);
    len = sizeof back;
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_LINGER, &back, &len), 0);
    CHECK_EQ(back.l_onoff, 1);
    CHECK_EQ(back.l_linger, 5);
    /* bad arguments */
    len = sizeof v;
    CHECK_ERRNO(getsockopt(s, SOL_SOCKET, 9999, &v, &len), ENOPROTOOPT);
    CHECK_ERRNO(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, 2), EINVAL);
    CHECK_ERRNO(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, BAD_PTR, sizeof v), EFAULT);
    CHECK_ERRNO(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, BAD_PTR), EFAULT);
    CHECK_ERRNO(getsockopt(s, SOL_SOCKET, SO_TYPE, BAD_PTR, &len), EFAULT);
    len = (socklen_t)-1;
    CHECK_ERRNO(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len), EINVAL);
    CHECK_ERRNO(setsockopt(-1, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v), EBADF);
    CHECK_ERRNO(setsockopt(0, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v), ENOTSOCK);
    len = sizeof v;
    CHECK_ERRNO(getsockopt(1, SOL_SOCKET, SO_TYPE, &v, &len), ENOTSOCK);
}

static void timeouts_end_blocking_calls_with_eagain(void)
{
    int sv[2];
    pair(SOCK_STREAM, sv);
    struct timeval tv = {0, 100000}, back;
    CHECK_EQ(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    socklen_t len = sizeof back;
    CHECK_EQ(getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &back, &len), 0);
    CHECK_EQ(len, sizeof back);
    CHECK_EQ(back.tv_sec, 0);
    CHECK_EQ(back.tv_usec, 100000);
    char buf[4096];
    double start = now_seconds();
    CHECK_ERRNO(recv(sv[0], buf, 1, 0), EAGAIN);
    CHECK(now_seconds() - start >= 0.09);
    /* A full send buffer times out the same way. */
    CHECK_EQ(setsockopt(sv[1], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv), 0);
    memset(buf, 'f', sizeof buf);
    long n;
    while ((n = send(sv[1], buf, sizeof buf, 0)) > 0)
        ;
    CHECK_EQ(errno, EAGAIN);
    /* accept uses the receive timeout */
    struct sockaddr_un addr;
    socklen_t alen;
    temp_path(&addr, &alen, "timeo");
    int ls = listener_at(&addr, alen, SOCK_STREAM);
    CHECK_EQ(setsockopt(ls, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    CHECK_ERRNO(accept(ls, NULL, NULL), EAGAIN);
    unlink(addr.sun_path);
    struct timeval bad = {0, 1000000};
    CHECK_ERRNO(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &bad, sizeof bad), EDOM);
    CHECK_ERRNO(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, 4), EINVAL);
}

/* --- bad arguments to every call ----------------------------------------------------------- */

static void bad_arguments(void)
{
    CHECK_ERRNO(socket(12345, SOCK_STREAM, 0), EAFNOSUPPORT);
    CHECK_ERRNO(socket(-1, SOCK_STREAM, 0), EAFNOSUPPORT);
    CHECK_ERRNO(socket(AF_UNIX, 0, 0), ESOCKTNOSUPPORT);
    CHECK_ERRNO(socket(AF_UNIX, 4, 0), ESOCKTNOSUPPORT);
    CHECK_ERRNO(socket(AF_UNIX, 11, 0), EINVAL);
    CHECK_ERRNO(socket(AF_UNIX, 99, 0), EINVAL);
    CHECK_ERRNO(socket(AF_UNIX, SOCK_STREAM | 0x100, 0), EINVAL);
    CHECK_ERRNO(socket(AF_UNIX, SOCK_STREAM, 5), EPROTONOSUPPORT);
    int sv[2];
    CHECK_ERRNO(socketpair(AF_UNIX, SOCK_STREAM, 0, BAD_PTR), EFAULT);
    CHECK_ERRNO(socketpair(AF_UNIX, 77, 0, sv), EINVAL);

    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    CHECK_ERRNO(bind(s, (struct sockaddr *)&addr, 1), EINVAL);
    CHECK_ERRNO(bind(s, (struct sockaddr *)&addr, 200), EINVAL);
    CHECK_ERRNO(bind(s, (struct sockaddr *)&addr, -1), EINVAL);
    CHECK_ERRNO(bind(s, BAD_PTR, sizeof addr), EFAULT);
    struct sockaddr_un wrong = {.sun_family = AF_INET};
    strcpy(wrong.sun_path, "/tmp/wrong");
    CHECK_ERRNO(bind(s, (struct sockaddr *)&wrong, sizeof wrong), EINVAL);
    struct sockaddr_un missing_dir = {.sun_family = AF_UNIX};
    strcpy(missing_dir.sun_path, "/no/such/dir/s");
    CHECK_ERRNO(bind(s, (struct sockaddr *)&missing_dir, sizeof missing_dir), ENOENT);
    CHECK_ERRNO(bind(-1, (struct sockaddr *)&addr, sizeof addr), EBADF);
    CHECK_ERRNO(bind(0, (struct sockaddr *)&addr, sizeof addr), ENOTSOCK);

    CHECK_ERRNO(listen(s, 1), EINVAL); /* unbound */
    CHECK_ERRNO(listen(-1, 1), EBADF);
    CHECK_ERRNO(listen(0, 1), ENOTSOCK);
    CHECK_ERRNO(accept(s, NULL, NULL), EINVAL); /* not listening */
    CHECK_ERRNO(accept(-1, NULL, NULL), EBADF);
    CHECK_ERRNO(accept(0, NULL, NULL), ENOTSOCK);
    CHECK_ERRNO(accept4(s, NULL, NULL, 0x10), EINVAL);

    char buf[8];
    CHECK_ERRNO(send(s, "x", 1, MSG_NOSIGNAL), ENOTCONN);
    CHECK_ERRNO(recv(s, buf, 1, 0), EINVAL);
    CHECK_ERRNO(send(-1, "x", 1, 0), EBADF);
    CHECK_ERRNO(recv(0, buf, 1, 0), ENOTSOCK);
    /* (musl's wrappers copy the msghdr themselves: call the kernel directly) */
    CHECK_ERRNO(syscall(SYS_sendmsg, s, BAD_PTR, 0), EFAULT);
    CHECK_ERRNO(syscall(SYS_recvmsg, s, BAD_PTR, 0), EFAULT);
    pair(SOCK_STREAM, sv);
    CHECK_ERRNO(send(sv[0], BAD_PTR, 10, 0), EFAULT);
    CHECK_EQ(send(sv[0], "abc", 3, 0), 3);
    CHECK_ERRNO(recv(sv[1], BAD_PTR, 3, 0), EFAULT);
    struct iovec iov = {buf, 1};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 5000};
    CHECK_ERRNO(sendmsg(sv[0], &m, 0), EMSGSIZE);
    m.msg_iovlen = 1;
    m.msg_iov = BAD_PTR;
    CHECK_ERRNO(sendmsg(sv[0], &m, 0), EFAULT);
    int dv[2];
    pair(SOCK_DGRAM, dv);
    CHECK_ERRNO(send(dv[0], "x", 1, MSG_OOB), EOPNOTSUPP);
    CHECK_ERRNO(sendto(sv[0], "x", 1, 0, (struct sockaddr *)&addr, sizeof addr), EISCONN);

    socklen_t len = sizeof addr;
    CHECK_ERRNO(getsockname(s, (struct sockaddr *)&addr, BAD_PTR), EFAULT);
    CHECK_ERRNO(getsockname(-1, (struct sockaddr *)&addr, &len), EBADF);
    CHECK_ERRNO(getpeername(0, (struct sockaddr *)&addr, &len), ENOTSOCK);
    CHECK_ERRNO(getpeername(s, (struct sockaddr *)&addr, &len), ENOTCONN);
    len = (socklen_t)-1;
    CHECK_ERRNO(getsockname(s, (struct sockaddr *)&addr, &len), EINVAL);
    len = sizeof addr;
    CHECK_ERRNO(getpeername(sv[0], BAD_PTR, &len), EFAULT);
}

/* --- observability ----------------------------------------------------------------------- */

static void proc_net_unix_and_lsof_show_sockets(void)
{
    struct sockaddr_un addr;
    socklen_t len;
    temp_path(&addr, &len, "proc");
    int ls = listener_at(&addr, len, SOCK_STREAM);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_EQ(connect(c, (struct sockaddr *)&addr, len), 0);
    struct stat st;
    CHECK_EQ(fstat(ls, &st), 0);
    char link[64], want[64], fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", ls);
    ssize_t n = readlink(fdpath, link, sizeof link - 1);
    CHECK(n > 0);
    link[n] = '\0';
    snprintf(want, sizeof want, "socket:[%lu]", (unsigned long)st.st_ino);
    CHECK_STR(link, want);
    CHECK_ERRNO(open(fdpath, O_RDWR), ENXIO); /* a socket cannot be opened by name */

    FILE *f = fopen("/proc/net/unix", "r");
    CHECK(f != NULL);
    char line[512];
    CHECK(fgets(line, sizeof line, f) != NULL);
    CHECK_STR(line, "Num       RefCount Protocol Flags    Type St Inode Path\n");
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned flags, type, state;
        unsigned long ino;
        char path[256] = "";
        if (sscanf(line, "%*s %*x %*x %x %x %x %lu %255s", &flags, &type, &state, &ino, path) < 4)
            continue;
        if (ino == st.st_ino) {
            CHECK_EQ(flags, 0x10000); /* __SO_ACCEPTCON: listening */
            CHECK_EQ(type, 1);        /* SOCK_STREAM */
            CHECK_EQ(state, 1);       /* SS_UNCONNECTED */
            CHECK_STR(path, addr.sun_path);
            found = 1;
        }
    }
    fclose(f);
    CHECK(found);
    unlink(addr.sun_path);
    if (!is_sprout())
        return; /* Linux's lsof prints other columns */
    char command[64];
    snprintf(command, sizeof command, "/bin/lsof -p %d", (int)getpid());
    FILE *p = popen(command, "r");
    CHECK(p != NULL);
    int unix_lines = 0, named = 0;
    while (fgets(line, sizeof line, p)) {
        if (strstr(line, " unix "))
            unix_lines++;
        if (strstr(line, addr.sun_path) && strstr(line, "type=STREAM"))
            named = 1;
    }
    pclose(p);
    CHECK(unix_lines >= 2);
    CHECK(named);
}

/* --- leaks ------------------------------------------------------------------------------------ */

static void churn(int rounds)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path + 1, 100, "leak-%d", (int)getpid());
    socklen_t len = (socklen_t)(2 + 1 + strlen(addr.sun_path + 1));
    for (int i = 0; i < rounds; i++) {
        int sv[2], p[2];
        pair(i % 2 ? SOCK_STREAM : SOCK_DGRAM, sv);
        CHECK_EQ(pipe(p), 0);
        CHECK_EQ(send_fd(sv[0], p[0]), 1); /* a descriptor left in flight */
        close(p[0]);
        close(p[1]);
        close(sv[0]);
        close(sv[1]);
        int ls = socket(AF_UNIX, SOCK_STREAM, 0), c = socket(AF_UNIX, SOCK_STREAM, 0);
        CHECK_EQ(bind(ls, (struct sockaddr *)&addr, len), 0);
        CHECK_EQ(listen(ls, 2), 0);
        CHECK_EQ(connect(c, (struct sockaddr *)&addr, len), 0);
        CHECK_EQ(write(c, "unaccepted", 10), 10);
        close(ls); /* the unaccepted connection goes with it */
        close(c);
    }
}

static void thousands_of_sockets_leak_nothing(void) { check_churn_leaks_nothing(churn, 2000); }

static const struct utest_case cases[] = {
    UTEST(socketpair_carries_bytes_both_ways),
    UTEST(large_write_arrives_whole_through_a_reader),
    UTEST(closed_peer_gives_eof_and_epipe),
    UTEST(shutdown_write_gives_the_peer_eof),
    UTEST(nonblocking_sockets_say_eagain),
    UTEST(poll_and_select_see_data),
    UTEST(path_sockets_connect_and_accept),
    UTEST(connect_errors),
    UTEST(full_backlog_makes_nonblocking_connect_fail),
    UTEST(abstract_names),
    UTEST(datagrams_keep_boundaries_and_sources),
    UTEST(seqpacket_keeps_boundaries),
    UTEST(peercred_names_the_other_process),
    UTEST(scm_rights_passes_an_open_pipe),
    UTEST(socket_options),
    UTEST(timeouts_end_blocking_calls_with_eagain),
    UTEST(bad_arguments),
    UTEST(proc_net_unix_and_lsof_show_sockets),
    UTEST(thousands_of_sockets_leak_nothing),
};
UTEST_MAIN("socket_unix", cases)
