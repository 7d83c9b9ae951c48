/*
 * box.c - a tiny container tool: a process in its own namespaces, jailed in
 * a directory tree, as `docker run` does it.
 *
 *   box run [--name NAME] [--hostname NAME] [--memory SIZE] [--cpus N] [--pids N]
 *           [--net none|host] ROOTDIR CMD [ARGS...]
 *   box ps                         the running boxes: name, host PID of PID 1, root, command
 *   box exec NAME CMD [ARGS...]    run another command inside a running box
 *   box stop [-t SECONDS] NAME     SIGTERM to the box's PID 1, SIGKILL after the grace time
 *
 * `box run` is clone(CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWNS | CLONE_NEWIPC)
 * and, in the child, sethostname, a fresh /proc on ROOTDIR/proc (the box's
 * own mount), pivot_root(ROOTDIR) and execve(CMD): CMD is PID 1 of the new PID
 * namespace, sees only its descendants in ps, and when it exits the kernel
 * kills everything left in the box (proc/ns_pid.c).  box run waits and exits
 * with CMD's status (128+N if signal N killed it).
 *
 * The network: by default (--net none) the box gets a network namespace of
 * its own (CLONE_NEWNET) with only a loopback, which the child brings up as
 * docker's "none" network does: 127.0.0.1 inside is the box's alone, and
 * nothing outside is reachable.  --net host shares the host's network.
 * (docker's default is a bridge with its own address; sprout has no virtual
 * Ethernet pairs, so isolation is the default here.)
 *
 * Running boxes are listed in /tmp/box/NAME (one line: PID ROOTDIR CMD);
 * the file goes when the box ends.  --memory, --cpus and --pids need the
 * cgroup2 file system at /sys/fs/cgroup; without it they are an error.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "user/lib/netinfo.h"

#define BOX_DIR "/tmp/box"
#define CGROUP_ROOT "/sys/fs/cgroup"
#define BOX_FLAGS (CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWNS | CLONE_NEWIPC)

static int usage(void)
{
    fprintf(stderr, "usage: box run [--name NAME] [--hostname NAME] [--memory SIZE] [--cpus N] "
                    "[--pids N] [--net none|host] ROOTDIR CMD [ARGS...]\n"
                    "       box ps\n"
                    "       box exec NAME CMD [ARGS...]\n"
                    "       box stop [-t SECONDS] NAME\n");
    return 2;
}

struct box_options {
    const char *name, *hostname, *memory, *cpus, *pids;
    bool host_net; /* --net host: share the host's network namespace */
    const char *root;
    char **argv; /* CMD and its arguments */
};

/* --- the registry: /tmp/box/NAME ---------------------------------------------- */

static void registry_path(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", BOX_DIR, name);
}

/* The box's PID 1 (host PID) and its root, or -1 if there is no such box. */
static pid_t registry_read(const char *name, char *root, size_t root_size)
{
    char path[256], line[512];
    registry_path(path, sizeof path, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int pid = -1;
    char rootdir[256] = "";
    if (fgets(line, sizeof line, f) && sscanf(line, "%d %255s", &pid, rootdir) < 1)
        pid = -1;
    fclose(f);
    if (root)
        snprintf(root, root_size, "%s", rootdir);
    return pid;
}

static int registry_add(const struct box_options *o, pid_t pid)
{
    char path[256];
    mkdir(BOX_DIR, 0755);
    registry_path(path, sizeof path, o->name);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0)
        return -1;
    dprintf(fd, "%d %s", pid, o->root);
    for (char **a = o->argv; *a; a++)
        dprintf(fd, " %s", *a);
    dprintf(fd, "\n");
    close(fd);
    return 0;
}

/* --- cgroups: wired when /sys/fs/cgroup exists ---------------------------------- */

static int cgroup_write(const char *group, const char *file, const char *value)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", group, file);
    int fd = open(path, O_WRONLY);
    if (fd < 0 || write(fd, value, strlen(value)) < 0) {
        fprintf(stderr, "box: %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

/* Make /sys/fs/cgroup/box-NAME with the limits asked for; 0, or -1 after a message. */
static int cgroup_setup(const struct box_options *o, char *group, size_t size)
{
    group[0] = '\0';
    if (!o->memory && !o->cpus && !o->pids)
        return 0;
    struct stat st;
    if (stat(CGROUP_ROOT, &st) != 0) {
        fprintf(stderr, "box: --memory, --cpus and --pids need cgroups (%s does not exist)\n",
                CGROUP_ROOT);
        return -1;
    }
    snprintf(group, size, "%s/box-%s", CGROUP_ROOT, o->name);
    if (mkdir(group, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "box: %s: %s\n", group, strerror(errno));
        return -1;
    }
    char value[64];
    /* As docker run --memory without --memory-swap: as much swap again. */
    if (o->memory && (cgroup_write(group, "memory.max", o->memory) < 0 ||
                      cgroup_write(group, "memory.swap.max", o->memory) < 0))
        return -1;
    if (o->pids && cgroup_write(group, "pids.max", o->pids) < 0)
        return -1;
    if (o->cpus) { /* N CPUs = a quota of N periods of 100 ms */
        snprintf(value, sizeof value, "%ld 100000", (long)(atof(o->cpus) * 100000));
        if (cgroup_write(group, "cpu.max", value) < 0)
            return -1;
    }
    return 0;
}

/* --- box run ------------------------------------------------------------------------ */

/* ifconfig lo up: a new network namespace's loopback starts down. */
static void loopback_up(void)
{
    const char *failed;
    if (netinfo_set_up("lo", 1, &failed) != 0)
        perror(strcmp(failed, "SIOCGIFFLAGS") == 0 ? "box: lo" : "box: lo up");
}

/*
 * In the child, PID 1 of the new namespaces: a /proc of our own (a mount in
 * our mount namespace, which the host does not see), then ROOTDIR becomes
 * "/" with pivot_root -- the old root goes to ROOTDIR/.oldroot and is
 * unmounted from there -- or, where pivot_root fails, with chroot.
 */
static void become_box(const struct box_options *o)
{
    if (!o->host_net)
        loopback_up();
    const char *hostname = o->hostname ? o->hostname : o->name;
    if (sethostname(hostname, strlen(hostname)) != 0)
        perror("box: sethostname");
    char path[300];
    snprintf(path, sizeof path, "%s/proc", o->root);
    if (mount("proc", path, "proc", 0, NULL) != 0)
        fprintf(stderr, "box: mount %s: %s (the box has no /proc)\n", path, strerror(errno));
    snprintf(path, sizeof path, "%s/.oldroot", o->root);
    mkdir(path, 0700);
    if (syscall(SYS_pivot_root, o->root, path) == 0) {
        if (chdir("/") != 0 || umount2("/.oldroot", MNT_DETACH) != 0)
            perror("box: leaving the old root");
    } else if (chroot(o->root) != 0 || chdir("/") != 0) {
        fprintf(stderr, "box: chroot %s: %s\n", o->root, strerror(errno));
        _exit(125);
    }
    execv(o->argv[0], o->argv);
    fprintf(stderr, "box: %s: %s\n", o->argv[0], strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
}

static int parse_run(int argc, char **argv, struct box_options *o)
{
    static char default_name[32];
    int i = 2;
    for (; i < argc && argv[i][0] == '-'; i += 2) {
        const char *opt = argv[i];
        if (i + 1 >= argc)
            return usage();
        const char *value = argv[i + 1];
        if (strcmp(opt, "--name") == 0)
            o->name = value;
        else if (strcmp(opt, "--hostname") == 0)
            o->hostname = value;
        else if (strcmp(opt, "--memory") == 0)
            o->memory = value;
        else if (strcmp(opt, "--cpus") == 0)
            o->cpus = value;
        else if (strcmp(opt, "--pids") == 0)
            o->pids = value;
        else if (strcmp(opt, "--net") == 0 && strcmp(value, "none") == 0)
            o->host_net = false;
        else if (strcmp(opt, "--net") == 0 && strcmp(value, "host") == 0)
            o->host_net = true;
        else if (strcmp(opt, "--net") == 0) {
            fprintf(stderr, "box: --net %s: only none and host\n", value);
            return usage();
        } else {
            fprintf(stderr, "box: unknown option %s\n", opt);
            return usage();
        }
    }
    if (argc - i < 2)
        return usage();
    o->root = argv[i];
    o->argv = argv + i + 1;
    if (!o->name) {
        snprintf(default_name, sizeof default_name, "box%d", getpid());
        o->name = default_name;
    }
    if (!o->name[0] || strchr(o->name, '/') || strlen(o->name) > 64) {
        fprintf(stderr, "box: bad name '%s'\n", o->name);
        return 2;
    }
    if (o->hostname && strlen(o->hostname) > 64) {
        fprintf(stderr, "box: host name longer than 64 bytes\n");
        return 2;
    }
    return 0;
}

static int box_run(int argc, char **argv)
{
    struct box_options o = {0};
    int error = parse_run(argc, argv, &o);
    if (error)
        return error;
    struct stat st;
    if (stat(o.root, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "box: %s: not a directory\n", o.root);
        return 1;
    }
    if (registry_read(o.name, NULL, 0) > 0 && kill(registry_read(o.name, NULL, 0), 0) == 0) {
        fprintf(stderr, "box: a box named %s is running\n", o.name);
        return 1;
    }
    char path[256], group[256];
    registry_path(path, sizeof path, o.name);
    unlink(path); /* a stale entry from a box that died with its box run */
    if (cgroup_setup(&o, group, sizeof group) < 0)
        return 1;

    int ready[2]; /* the child waits until it is registered (and in its cgroup) */
    if (pipe(ready) != 0) {
        perror("box: pipe");
        return 1;
    }
    long flags = BOX_FLAGS | (o.host_net ? 0 : CLONE_NEWNET);
    long pid = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
    if (pid < 0) {
        fprintf(stderr, "box: clone: %s\n", strerror(errno));
        return 1;
    }
    if (pid == 0) {
        char c;
        close(ready[1]);
        if (read(ready[0], &c, 1) != 1)
            _exit(125); /* box run failed before letting us go */
        close(ready[0]);
        become_box(&o);
    }
    close(ready[0]);
    char number[32];
    snprintf(number, sizeof number, "%ld", pid);
    if ((group[0] && cgroup_write(group, "cgroup.procs", number) < 0) ||
        registry_add(&o, (pid_t)pid) < 0) {
        kill((pid_t)pid, SIGKILL);
        waitpid((pid_t)pid, NULL, 0);
        return 1;
    }
    write(ready[1], "go", 1);
    close(ready[1]);

    signal(SIGINT, SIG_IGN); /* ^C goes to the box; we report how it ended */
    int status = 0;
    while (waitpid((pid_t)pid, &status, 0) < 0 && errno == EINTR)
        ;
    unlink(path);
    if (group[0])
        rmdir(group);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* --- box ps, exec, stop ----------------------------------------------------------- */

static int box_ps(void)
{
    printf("%-16s %6s  %-16s %s\n", "NAME", "PID", "ROOT", "COMMAND");
    DIR *dir = opendir(BOX_DIR);
    if (!dir)
        return 0;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.')
            continue;
        char path[300], line[512] = "";
        snprintf(path, sizeof path, "%s/%s", BOX_DIR, e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        fclose(f);
        int pid = 0, at = 0;
        char root[256] = "";
        if (sscanf(line, "%d %255s %n", &pid, root, &at) < 2 || kill(pid, 0) != 0)
            continue; /* gone without its box run to tidy up */
        line[strcspn(line, "\n")] = '\0';
        printf("%-16s %6d  %-16s %s\n", e->d_name, pid, root, line + at);
    }
    closedir(dir);
    return 0;
}

/* Join the namespaces of `pid` (setns through /proc/PID/ns) and its root. */
static int enter_box(pid_t pid, const char *root)
{
    static const char *const kinds[] = {"uts", "ipc", "net", "mnt", "pid"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/ns/%s", pid, kinds[i]);
        int fd = open(path, O_RDONLY);
        if (fd < 0 || setns(fd, 0) != 0) {
            fprintf(stderr, "box: %s: %s\n", path, strerror(errno));
            return -1;
        }
        close(fd);
    }
    if (chroot(root) != 0 || chdir("/") != 0) {
        fprintf(stderr, "box: chroot %s: %s\n", root, strerror(errno));
        return -1;
    }
    return 0;
}

static int box_exec(int argc, char **argv)
{
    if (argc < 4)
        return usage();
    char root[256];
    pid_t pid = registry_read(argv[2], root, sizeof root);
    if (pid <= 0 || kill(pid, 0) != 0) {
        fprintf(stderr, "box: no running box named %s\n", argv[2]);
        return 1;
    }
    if (enter_box(pid, root) < 0)
        return 1;
    pid_t child = fork(); /* the PID namespace is for our children */
    if (child < 0) {
        perror("box: fork");
        return 1;
    }
    if (child == 0) {
        execv(argv[3], argv + 3);
        fprintf(stderr, "box: %s: %s\n", argv[3], strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Is `pid` gone (or a zombie of a box run about to reap it) within `ms`? */
static bool wait_gone(pid_t pid, int ms)
{
    for (int waited = 0; waited <= ms; waited += 50) {
        if (kill(pid, 0) != 0)
            return true;
        struct timespec step = {0, 50 * 1000000L};
        nanosleep(&step, NULL);
    }
    return false;
}

static int box_stop(int argc, char **argv)
{
    int grace = 10, i = 2; /* seconds, docker stop's default */
    if (i + 1 < argc && strcmp(argv[i], "-t") == 0) {
        char *end;
        grace = (int)strtol(argv[i + 1], &end, 10);
        if (*end || grace < 0)
            return usage();
        i += 2;
    }
    if (argc - i != 1)
        return usage();
    pid_t pid = registry_read(argv[i], NULL, 0);
    if (pid <= 0 || kill(pid, 0) != 0) {
        fprintf(stderr, "box: no running box named %s\n", argv[i]);
        return 1;
    }
    /* As docker stop: ask politely (a PID 1 without a SIGTERM handler does not
     * hear it: the kernel protects a namespace's init), then insist. */
    kill(pid, SIGTERM);
    if (wait_gone(pid, grace * 1000))
        return 0;
    printf("box: %s did not stop in %d s: SIGKILL\n", argv[i], grace);
    kill(pid, SIGKILL);
    return wait_gone(pid, 5000) ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    if (strcmp(argv[1], "run") == 0)
        return box_run(argc, argv);
    if (strcmp(argv[1], "ps") == 0)
        return argc == 2 ? box_ps() : usage();
    if (strcmp(argv[1], "exec") == 0)
        return box_exec(argc, argv);
    if (strcmp(argv[1], "stop") == 0)
        return box_stop(argc, argv);
    return usage();
}
