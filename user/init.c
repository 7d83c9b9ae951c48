/*
 * init.c - PID 1, the first process and the ancestor of all others.
 *
 * The kernel starts it with the console as stdin, stdout and stderr.  It
 *   - starts one program: the one named by the boot option run= (that is
 *     how tools/run-qemu works), or else the shell, in a session of its own
 *     with the console as its controlling terminal;
 *   - waits for children forever, which is how orphans get reaped: when a
 *     parent dies first, the kernel makes init the parent of its children;
 *   - makes each user's home directory under /home (the initrd's files all
 *     belong to root, so the student's home is made here, owned by them);
 *   - shuts the system down when that program ends, or when it receives
 *     SIGUSR2 (what `poweroff` sends): SIGTERM to everyone, a grace period,
 *     SIGKILL to whoever is left, then power off.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_ARGS 64
#define GRACE_SECONDS 2

static volatile sig_atomic_t shutdown_requested;

static void on_poweroff_request(int sig) { shutdown_requested = sig; }

/*
 * Split a command line into words, shell style: spaces separate words,
 * 'single' and "double" quotes group them, a backslash escapes one character.
 * Edits `line` in place; returns the word count.
 */
static int split_words(char *line, char **words, int max)
{
    int count = 0;
    char *in = line, *out = line;
    while (*in && count < max - 1) {
        while (*in == ' ' || *in == '\t')
            in++;
        if (!*in)
            break;
        words[count++] = out;
        char quote = 0;
        for (; *in && (quote || (*in != ' ' && *in != '\t')); in++) {
            if (quote && *in == quote)
                quote = 0;
            else if (!quote && (*in == '\'' || *in == '"'))
                quote = *in;
            else if (*in == '\\' && in[1] && quote != '\'')
                *out++ = *++in;
            else
                *out++ = *in;
        }
        if (*in)
            in++;
        *out++ = '\0';
    }
    words[count] = NULL;
    return count;
}

/* In the child: a new session whose controlling terminal is the console. */
static void become_session_leader(void)
{
    setsid();
    ioctl(STDIN_FILENO, TIOCSCTTY, 0);
    pid_t self = getpid();
    tcsetpgrp(STDIN_FILENO, self);
    /* init ignores these; what it starts must not (execve keeps ignored signals). */
    signal(SIGUSR2, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
}

static pid_t start(char **argv)
{
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "init: fork: %s\n", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        become_session_leader();
        execve(argv[0], argv, environ);
        fprintf(stderr, "init: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    return pid;
}

/* Reap children until `target` ends (or a shutdown is requested); returns its status. */
static int wait_for(pid_t target)
{
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid == target)
            return status;
        if (pid < 0 && errno == ECHILD)
            return -1;
        if (shutdown_requested)
            return -1;
    }
}

static void report(const char *what, int status)
{
    if (WIFEXITED(status))
        printf("init: run: %s exited with status %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("init: run: %s killed by signal %d\n", what, WTERMSIG(status));
    fflush(stdout);
}

/* Reap whatever has exited, waiting at most `seconds`; true if no child is left. */
static int reap_for(int seconds)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        if (waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
            return 1;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= seconds)
            return 0;
        struct timespec tick = {0, 50 * 1000 * 1000};
        nanosleep(&tick, NULL);
    }
}

static void shut_down(void)
{
    printf("init: the system is going down: sending SIGTERM to all processes\n");
    fflush(stdout);
    kill(-1, SIGTERM);
    kill(-1, SIGCONT); /* stopped processes must run to handle SIGTERM */
    if (!reap_for(GRACE_SECONDS)) {
        printf("init: sending SIGKILL to the processes still running\n");
        fflush(stdout);
        kill(-1, SIGKILL);
        reap_for(GRACE_SECONDS);
    }
    printf("init: powering off\n");
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    for (;;)
        pause();
}

/* mkdir and chown /home/NAME for every user of /etc/passwd whose home is there. */
static void make_home_directories(void)
{
    FILE *f = fopen("/etc/passwd", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        char *field[7] = {line};
        int n = 1;
        for (char *p = line; *p && n < 7; p++)
            if (*p == ':')
                *p = '\0', field[n++] = p + 1;
        if (n < 7 || strncmp(field[5], "/home/", 6) != 0)
            continue;
        mkdir("/home", 0755);
        if (mkdir(field[5], 0700) == 0)
            chown(field[5], (uid_t)atoi(field[2]), (gid_t)atoi(field[3]));
    }
    if (f)
        fclose(f);
}

/* The control groups' file system where Linux's systemd puts it (docs/cgroups.md). */
static void mount_cgroups(void)
{
    mkdir("/sys", 0555);
    mkdir("/sys/fs", 0755);
    mkdir("/sys/fs/cgroup", 0755);
    if (mount("cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
        printf("init: cannot mount /sys/fs/cgroup: %s\n", strerror(errno));
}

int main(void)
{
    /* `poweroff` sends SIGUSR2.  No SA_RESTART: the signal must interrupt
     * our waitpid() so that we notice it (signal() would restart it). */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_poweroff_request;
    sigaction(SIGUSR2, &sa, NULL);
    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);

    make_home_directories();
    mount_cgroups();
    const char *run = getenv("run");
    unsetenv("run");
    if (run && *run) {
        static char line[4096];
        char *argv[MAX_ARGS];
        snprintf(line, sizeof line, "%s", run);
        if (split_words(line, argv, MAX_ARGS) == 0) {
            printf("init: run= is empty\n");
            shut_down();
        }
        /* Said at every log level: tools/run-qemu --input waits for it before typing. */
        printf("init: run: %s\n", run);
        fflush(stdout);
        pid_t pid = start(argv);
        int status = pid > 0 ? wait_for(pid) : -1;
        if (status != -1)
            report(run, status);
        else if (!shutdown_requested)
            printf("init: run: %s could not be started\n", run);
        shut_down();
    }

    printf("\nWelcome to sprout. `ls /bin` lists the programs; docs/tour.md is your guide.\n"
           "Leave with `poweroff` (or Ctrl-A then X, which stops QEMU at once).\n\n");
    fflush(stdout);
    char *shell[] = {"/bin/sh", NULL};
    pid_t pid = start(shell);
    if (pid > 0)
        wait_for(pid);
    if (!shutdown_requested)
        printf("init: the shell exited\n");
    shut_down();
}
