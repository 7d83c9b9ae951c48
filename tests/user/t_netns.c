/*
 * t_netns.c - network namespaces (CLONE_NEWNET): a new namespace has only a
 * loopback, down until `ifconfig lo up`; its ports, sockets, /proc/net files
 * and counters are its own; a server inside cannot be reached from outside
 * nor the other way round; setns through /proc/PID/ns/net joins one;
 * abstract Unix names are per namespace; the tools (ifconfig, netstat -s,
 * ip) see the caller's; bad arguments; and hundreds of namespaces with
 * connections left in them leak nothing.  Needs root; runs on Linux too
 * (as root).
 */
#define _GNU_SOURCE
#include "tests/user/leaktest.h"
#include "tests/user/utest.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#define PORT 7311 /* the same number in every namespace */
#define STUDENT 1000

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/* SIOCGIFFLAGS of `name` in the caller's namespace: the flags, or -errno. */
static int if_flags(const char *name)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(s >= 0);
    struct ifreq req = {0};
    strncpy(req.ifr_name, name, IFNAMSIZ - 1);
    int result = ioctl(s, SIOCGIFFLAGS, &req) == 0 ? (unsigned short)req.ifr_flags : -errno;
    close(s);
    return result;
}

/* ifconfig NAME up/down; 0 or -errno. */
static int if_set_up(const char *name, bool up)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(s >= 0);
    struct ifreq req = {0};
    strncpy(req.ifr_name, name, IFNAMSIZ - 1);
    int result = ioctl(s, SIOCGIFFLAGS, &req);
    req.ifr_flags = (short)(up ? req.ifr_flags | IFF_UP : req.ifr_flags & ~IFF_UP);
    if (result == 0)
        result = ioctl(s, SIOCSIFFLAGS, &req);
    result = result == 0 ? 0 : -errno;
    close(s);
    return result;
}

/* A listener on 127.0.0.1:port, or -errno from bind. */
static int listen_on(int port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s >= 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = loopback(port);
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0) {
        int error = -errno;
        close(s);
        return error;
    }
    CHECK_EQ(listen(s, 8), 0);
    return s;
}

/* connect to 127.0.0.1:port: the socket, or -errno. */
static int connect_to(int port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s >= 0);
    struct sockaddr_in a = loopback(port);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        int error = -errno;
        close(s);
        return error;
    }
    return s;
}

/* A new network namespace for the caller, its lo up. */
static void enter_new_netns(void)
{
    CHECK_EQ(unshare(CLONE_NEWNET), 0);
    CHECK_EQ(if_set_up("lo", true), 0);
}

static void read_link(const char *path, char *out, size_t size)
{
    ssize_t n = readlink(path, out, size - 1);
    CHECK(n > 0);
    out[n] = '\0';
}

/* The whole of a small file. */
static void read_text(const char *path, char *out, size_t size)
{
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    ssize_t total = 0, n;
    while ((n = read(fd, out + total, size - 1 - (size_t)total)) > 0)
        total += n;
    out[total] = '\0';
    close(fd);
}

/* The value of `name` in the `row` rows of /proc/net/snmp (Linux's layout:
 * a line of names, then a line of numbers, each starting with "Row:"). */
static long snmp(const char *row, const char *name)
{
    static char text[4096];
    read_text("/proc/net/snmp", text, sizeof text);
    char *lines[2] = {NULL, NULL};
    int found = 0;
    size_t row_len = strlen(row);
    for (char *line = strtok(text, "\n"); line && found < 2; line = strtok(NULL, "\n"))
        if (strncmp(line, row, row_len) == 0 && line[row_len] == ':')
            lines[found++] = line + row_len + 1;
    CHECK_EQ(found, 2);
    char *names_save, *values_save;
    char *n = strtok_r(lines[0], " ", &names_save), *v = strtok_r(lines[1], " ", &values_save);
    for (; n && v; n = strtok_r(NULL, " ", &names_save), v = strtok_r(NULL, " ", &values_save))
        if (strcmp(n, name) == 0)
            return strtol(v, NULL, 10);
    utest_fail(__FILE__, __LINE__, "no %s: %s in /proc/net/snmp", row, name);
    return -1;
}

static void new_netns_has_only_a_loopback_that_is_down(void)
{
    char before[64], after[64];
    read_link("/proc/self/ns/net", before, sizeof before);
    CHECK(strncmp(before, "net:[", 5) == 0);
    CHECK_EQ(unshare(CLONE_NEWNET), 0);
    read_link("/proc/self/ns/net", after, sizeof after);
    CHECK(strncmp(after, "net:[", 5) == 0);
    CHECK(strcmp(before, after) != 0);
    int flags = if_flags("lo");
    CHECK(flags > 0);
    CHECK((flags & IFF_LOOPBACK) && !(flags & IFF_UP));
    CHECK_EQ(if_flags("eth0"), -ENODEV); /* the card stays in the first namespace */
    char dev[1024];
    read_text("/proc/net/dev", dev, sizeof dev);
    CHECK(strstr(dev, "lo:") != NULL);
    CHECK(strstr(dev, "eth0") == NULL);
    /* As Linux: lo down, 127.0.0.1 may be bound but is unreachable. */
    int server = listen_on(PORT);
    CHECK(server >= 0);
    CHECK_EQ(connect_to(PORT), -ENETUNREACH);
    CHECK_EQ(if_set_up("lo", true), 0);
    CHECK(if_flags("lo") & IFF_UP);
    int client = connect_to(PORT);
    CHECK(client >= 0);
    int conn = accept(server, NULL, NULL);
    CHECK(conn >= 0);
    CHECK_EQ(write(client, "hi", 2), 2);
    char buf[4] = "";
    CHECK_EQ(read(conn, buf, sizeof buf), 2);
    CHECK(memcmp(buf, "hi", 2) == 0);
}

/* A server on 127.0.0.1:PORT inside a namespace is not the host's, nor the
 * host's server the namespace's; and both may have the same port. */
static void namespaces_do_not_reach_each_other(void)
{
    int host_server = listen_on(PORT);
    CHECK(host_server >= 0);
    int ready[2], done[2];
    CHECK_EQ(pipe(ready), 0);
    CHECK_EQ(pipe(done), 0);
    pid_t child = fork_or_fail();
    if (child == 0) {
        close(host_server); /* the host's listener is the parent's alone */
        enter_new_netns();
        int server = listen_on(PORT); /* the host holds PORT: free here */
        if (server < 0)
            _exit(10);
        write(ready[1], "r", 1);
        char c;
        read(done[0], &c, 1);
        /* Our connection reaches our server; the host's listener is not ours. */
        int client = connect_to(PORT);
        if (client < 0)
            _exit(11);
        int conn = accept(server, NULL, NULL);
        _exit(conn >= 0 ? 0 : 12);
    }
    char c;
    CHECK_EQ(read(ready[0], &c, 1), 1);
    /* The host's connection lands on the host's listener, not the box's. */
    int client = connect_to(PORT);
    CHECK(client >= 0);
    int conn = accept(host_server, NULL, NULL);
    CHECK(conn >= 0);
    close(conn);
    close(client);
    close(host_server);
    /* With the host's listener gone, PORT here is refused although the
     * namespace still listens on it. */
    CHECK_EQ(connect_to(PORT), -ECONNREFUSED);
    write(done[1], "d", 1);
    CHECK_EQ(wait_status(child), 0);
}

static void server_inside_is_unreachable_from_outside(void)
{
    int ready[2], done[2];
    CHECK_EQ(pipe(ready), 0);
    CHECK_EQ(pipe(done), 0);
    pid_t child = fork_or_fail();
    if (child == 0) {
        enter_new_netns();
        int server = listen_on(PORT + 1);
        write(ready[1], server >= 0 ? "r" : "x", 1);
        char c;
        read(done[0], &c, 1);
        _exit(0);
    }
    char c;
    CHECK_EQ(read(ready[0], &c, 1), 1);
    CHECK_EQ(c, 'r');
    CHECK_EQ(connect_to(PORT + 1), -ECONNREFUSED);
    /* Nor is the host's server reachable from inside. */
    int host_server = listen_on(PORT + 2);
    CHECK(host_server >= 0);
    pid_t inside = fork_or_fail();
    if (inside == 0) {
        enter_new_netns();
        _exit(connect_to(PORT + 2) == -ECONNREFUSED ? 0 : 1);
    }
    CHECK_EQ(wait_status(inside), 0);
    write(done[1], "d", 1);
    CHECK_EQ(wait_status(child), 0);
}

/* setns(fd of /proc/PID/ns/net): the joiner's sockets live in that namespace. */
static void setns_joins_a_network_namespace(void)
{
    int ready[2], done[2];
    CHECK_EQ(pipe(ready), 0);
    CHECK_EQ(pipe(done), 0);
    pid_t owner = fork_or_fail();
    if (owner == 0) {
        enter_new_netns();
        int server = listen_on(PORT + 3);
        write(ready[1], server >= 0 ? "r" : "x", 1);
        char c;
        read(done[0], &c, 1);
        int conn = accept(server, NULL, NULL);
        _exit(conn >= 0 ? 0 : 1);
    }
    char c;
    CHECK_EQ(read(ready[0], &c, 1), 1);
    CHECK_EQ(c, 'r');
    char path[64], theirs[64], mine[64];
    snprintf(path, sizeof path, "/proc/%d/ns/net", owner);
    read_link(path, theirs, sizeof theirs);
    pid_t joiner = fork_or_fail();
    if (joiner == 0) {
        int fd = open(path, O_RDONLY);
        if (fd < 0 || setns(fd, CLONE_NEWNET) != 0)
            _exit(2);
        read_link("/proc/self/ns/net", mine, sizeof mine);
        if (strcmp(mine, theirs) != 0)
            _exit(3);
        _exit(connect_to(PORT + 3) >= 0 ? 0 : 4);
    }
    CHECK_EQ(wait_status(joiner), 0);
    write(done[1], "d", 1);
    CHECK_EQ(wait_status(owner), 0);
    CHECK_EQ(connect_to(PORT + 3), -ECONNREFUSED); /* still not the host's */
}

/* clone(CLONE_NEWNET) puts the child in a new namespace; the parent stays. */
static void clone_newnet_makes_one_for_the_child(void)
{
    char mine[64];
    read_link("/proc/self/ns/net", mine, sizeof mine);
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    long pid = syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0);
    CHECK(pid >= 0);
    if (pid == 0) {
        char theirs[64] = "";
        ssize_t n = readlink("/proc/self/ns/net", theirs, sizeof theirs - 1);
        _exit(n > 0 && strcmp(theirs, mine) != 0 && !(if_flags("lo") & IFF_UP) ? 0 : 1);
    }
    CHECK_EQ(wait_status((pid_t)pid), 0);
    char again[64];
    read_link("/proc/self/ns/net", again, sizeof again);
    CHECK_STR(again, mine);
}

static void bad_arguments(void)
{
    int net = open("/proc/self/ns/net", O_RDONLY), uts = open("/proc/self/ns/uts", O_RDONLY);
    CHECK(net >= 0 && uts >= 0);
    CHECK_ERRNO(setns(net, CLONE_NEWUTS), EINVAL); /* the wrong kind for the file */
    CHECK_ERRNO(setns(uts, CLONE_NEWNET), EINVAL);
    CHECK_ERRNO(setns(-1, CLONE_NEWNET), EBADF);
    CHECK_ERRNO(setns(99, CLONE_NEWNET), EBADF);
    int file = open("/proc/self/status", O_RDONLY);
    CHECK(file >= 0);
    CHECK_ERRNO(setns(file, CLONE_NEWNET), EINVAL); /* not a namespace */
    CHECK_EQ(setns(net, CLONE_NEWNET), 0);          /* our own: allowed */
    CHECK_EQ(setns(net, 0), 0);                     /* 0: any kind */
    CHECK_EQ(if_flags("no-such-if"), -ENODEV);
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK_ERRNO(ioctl(s, SIOCSIFFLAGS, (void *)8), EFAULT);
    CHECK_ERRNO(ioctl(s, SIOCGIFHWADDR, (void *)8), EFAULT);
    CHECK_ERRNO(ioctl(99, SIOCSIFFLAGS, (void *)8), EBADF);
    close(s);
    CHECK_EQ(if_set_up("no-such-if", true), -ENODEV);
    pid_t child = fork_or_fail();
    if (child == 0) {
        if (setuid(STUDENT) != 0)
            _exit(9);
        if (unshare(CLONE_NEWNET) != -1 || errno != EPERM)
            _exit(1);
        if (syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0) != -1 || errno != EPERM)
            _exit(2);
        if (setns(net, CLONE_NEWNET) != -1 || errno != EPERM)
            _exit(3);
        if (if_set_up("lo", true) != -EPERM) /* CAP_NET_ADMIN */
            _exit(4);
        _exit(if_flags("lo") > 0 ? 0 : 5); /* reading the flags is for everyone */
    }
    CHECK_EQ(wait_status(child), 0);
}

/* /proc/net/snmp counts the namespace's own segments: in a fresh one every
 * counter starts at zero, and one connection moves them by known amounts. */
static void snmp_counts_the_namespace_alone(void)
{
    enter_new_netns();
    CHECK_EQ(snmp("Tcp", "ActiveOpens"), 0);
    CHECK_EQ(snmp("Tcp", "PassiveOpens"), 0);
    CHECK_EQ(snmp("Tcp", "CurrEstab"), 0);
    CHECK_EQ(snmp("Tcp", "InSegs"), 0);
    char ext[4096];
    read_text("/proc/net/netstat", ext, sizeof ext); /* Linux's extended counters */
    CHECK(strncmp(ext, "TcpExt:", 7) == 0 && strstr(ext, " TCPTimeouts") != NULL);
    int server = listen_on(PORT);
    int client = connect_to(PORT);
    CHECK(server >= 0 && client >= 0);
    int conn = accept(server, NULL, NULL);
    CHECK(conn >= 0);
    CHECK_EQ(snmp("Tcp", "ActiveOpens"), 1);
    CHECK_EQ(snmp("Tcp", "PassiveOpens"), 1);
    CHECK_EQ(snmp("Tcp", "CurrEstab"), 2);
    CHECK(snmp("Tcp", "InSegs") >= 3); /* SYN, SYN+ACK, ACK */
    CHECK(snmp("Tcp", "OutSegs") >= 3);
    CHECK(snmp("Ip", "InReceives") >= 3);
    /* A port nobody listens on: a failed attempt and a reset. */
    CHECK_EQ(connect_to(PORT + 9), -ECONNREFUSED);
    CHECK_EQ(snmp("Tcp", "ActiveOpens"), 2);
    CHECK_EQ(snmp("Tcp", "AttemptFails"), 1);
    CHECK_EQ(snmp("Tcp", "OutRsts"), 1);
    /* UDP to a closed port: NoPorts, and an ICMP port unreachable. */
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = loopback(PORT + 9);
    CHECK_EQ(sendto(u, "x", 1, 0, (struct sockaddr *)&a, sizeof a), 1);
    CHECK_EQ(snmp("Udp", "OutDatagrams"), 1);
    CHECK_EQ(snmp("Udp", "NoPorts"), 1);
    CHECK_EQ(snmp("Icmp", "OutMsgs"), 1);
    /* /proc/net/tcp lists this namespace's three sockets and nothing else. */
    char tcp[4096];
    read_text("/proc/net/tcp", tcp, sizeof tcp);
    int lines = 0;
    for (char *p = tcp; (p = strchr(p, '\n')); p++)
        lines++;
    CHECK_EQ(lines, 1 + 3);
}

/* The tools in a fresh namespace: `ifconfig lo up` brings lo up (flags 73
 * = UP,LOOPBACK,RUNNING, as Linux's net-tools prints), and `netstat -s`
 * reads the namespace's counters. */
static void ifconfig_and_netstat_see_the_namespace(void)
{
    if (access("/bin/ifconfig", X_OK) != 0 || access("/bin/netstat", X_OK) != 0)
        return; /* not on this system */
    CHECK_EQ(unshare(CLONE_NEWNET), 0);
    char out[2048];
    char *show[] = {"ifconfig", NULL};
    CHECK_EQ(run_capture("/bin/ifconfig", show, NULL, out, sizeof out), 0);
    CHECK(strstr(out, "lo: flags=8<LOOPBACK>") != NULL);
    CHECK(strstr(out, "eth0") == NULL);
    char *up[] = {"ifconfig", "lo", "up", NULL};
    CHECK_EQ(run_capture("/bin/ifconfig", up, NULL, out, sizeof out), 0);
    CHECK_EQ(run_capture("/bin/ifconfig", show, NULL, out, sizeof out), 0);
    CHECK(strstr(out, "lo: flags=73<UP,LOOPBACK,RUNNING>") != NULL);
    int server = listen_on(PORT), client = connect_to(PORT);
    CHECK(server >= 0 && client >= 0);
    char *stats[] = {"netstat", "-s", NULL};
    CHECK_EQ(run_capture("/bin/netstat", stats, NULL, out, sizeof out), 0);
    CHECK(strstr(out, "Tcp:\n") != NULL);
    CHECK(strstr(out, "    1 active connection openings\n") != NULL);
    CHECK(strstr(out, "    1 passive connection openings\n") != NULL);
    char *down[] = {"ifconfig", "lo", "down", NULL};
    CHECK_EQ(run_capture("/bin/ifconfig", down, NULL, out, sizeof out), 0);
    CHECK_EQ(connect_to(PORT), -ENETUNREACH);
}

/* ip link / ip addr / ip route (user/ip.c) in a fresh namespace. */
static void ip_tool_sees_the_namespace(void)
{
    if (!is_sprout() || access("/bin/ip", X_OK) != 0)
        return; /* iproute2's ip prints more (qdisc, group, qlen) */
    CHECK_EQ(unshare(CLONE_NEWNET), 0);
    char out[2048];
    char *link[] = {"ip", "link", NULL};
    CHECK_EQ(run_capture("/bin/ip", link, NULL, out, sizeof out), 0);
    CHECK(strstr(out, "1: lo: <LOOPBACK> mtu 65536 state DOWN") != NULL);
    CHECK(strstr(out, "2:") == NULL);
    char *addr[] = {"ip", "addr", NULL};
    CHECK_EQ(run_capture("/bin/ip", addr, NULL, out, sizeof out), 0);
    CHECK(strstr(out, "inet ") == NULL); /* lo is down: no address yet */
    char *up[] = {"ip", "link", "set", "lo", "up", NULL};
    CHECK_EQ(run_capture("/bin/ip", up, NULL, out, sizeof out), 0);
    CHECK_EQ(run_capture("/bin/ip", addr, NULL, out, sizeof out), 0);
    CHECK(strstr(out, "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN") != NULL);
    CHECK(strstr(out, "    inet 127.0.0.1/8 scope host lo\n") != NULL);
    char *route[] = {"ip", "route", NULL};
    CHECK_EQ(run_capture("/bin/ip", route, NULL, out, sizeof out), 0);
    CHECK_STR(out, ""); /* lo's route is not in the main table, as Linux */
    char routes[512];
    read_text("/proc/net/route", routes, sizeof routes);
    CHECK(strncmp(routes, "Iface\tDestination\tGateway", 25) == 0);
    CHECK_EQ((int)strlen(routes), 128); /* the header alone, padded as Linux's */
    char *bad[] = {"ip", "link", "set", "eth9", "up", NULL};
    CHECK_EQ(WEXITSTATUS(run_capture("/bin/ip", bad, NULL, out, sizeof out)), 1);
}

/* A Unix socket bound to `path` (abstract if it starts with '@'), or -errno. */
static int unix_at(const char *path, bool do_connect)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strcpy(a.sun_path, path);
    socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
    if (path[0] == '@')
        a.sun_path[0] = '\0';
    else
        len++;
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(s >= 0);
    int r =
        do_connect ? connect(s, (struct sockaddr *)&a, len) : bind(s, (struct sockaddr *)&a, len);
    if (r != 0) {
        int error = -errno;
        close(s);
        return error;
    }
    if (!do_connect)
        CHECK_EQ(listen(s, 4), 0);
    return s;
}

/* As Linux: abstract Unix names belong to the network namespace; path names
 * are files, and reach across. */
static void abstract_unix_names_are_per_namespace(void)
{
    int abstract = unix_at("@t_netns_abstract", false);
    CHECK(abstract >= 0);
    unlink("/tmp/t_netns_path");
    int path = unix_at("/tmp/t_netns_path", false);
    CHECK(path >= 0);
    pid_t child = fork_or_fail();
    if (child == 0) {
        if (unshare(CLONE_NEWNET) != 0)
            _exit(1);
        if (unix_at("@t_netns_abstract", true) != -ECONNREFUSED)
            _exit(2); /* the host's name is not here */
        if (unix_at("@t_netns_abstract", false) < 0)
            _exit(3); /* and is free to take */
        _exit(unix_at("/tmp/t_netns_path", true) >= 0 ? 0 : 4);
    }
    CHECK_EQ(wait_status(child), 0);
    int c = unix_at("@t_netns_abstract", true);
    CHECK(c >= 0); /* still the host's */
    close(c);
    close(abstract);
    close(path);
    unlink("/tmp/t_netns_path");
}

/* Namespaces with a connection closed in each (TIME_WAIT, an orphan the
 * namespace must free when it goes) leave no kernel object behind. */
static void churn_namespaces(int rounds)
{
    for (int i = 0; i < rounds; i++) {
        pid_t child = fork_or_fail();
        if (child == 0) {
            if (unshare(CLONE_NEWNET) != 0 || if_set_up("lo", true) != 0)
                _exit(1);
            int server = listen_on(PORT), client = connect_to(PORT);
            int conn = server >= 0 && client >= 0 ? accept(server, NULL, NULL) : -1;
            if (conn < 0)
                _exit(2);
            close(client); /* the client closes first: it waits in TIME_WAIT */
            char c;
            if (read(conn, &c, 1) != 0)
                _exit(3);
            _exit(0);
        }
        CHECK_EQ(wait_status(child), 0);
    }
}

static void namespaces_leak_nothing(void) { check_churn_leaks_nothing(churn_namespaces, 300); }

static const struct utest_case cases[] = {
    UTEST(new_netns_has_only_a_loopback_that_is_down),
    UTEST(namespaces_do_not_reach_each_other),
    UTEST(server_inside_is_unreachable_from_outside),
    UTEST(setns_joins_a_network_namespace),
    UTEST(clone_newnet_makes_one_for_the_child),
    UTEST(bad_arguments),
    UTEST(snmp_counts_the_namespace_alone),
    UTEST(ifconfig_and_netstat_see_the_namespace),
    UTEST(ip_tool_sees_the_namespace),
    UTEST(abstract_unix_names_are_per_namespace),
    UTEST(namespaces_leak_nothing),
};
UTEST_MAIN("netns", cases)
