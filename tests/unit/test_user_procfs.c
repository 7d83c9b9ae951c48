/*
 * test_user_procfs.c - the /proc parsers of user/lib on canned Linux text.
 *
 * Each sample is what Linux prints (copied from a real machine, then made
 * nastier: a comm with spaces and parentheses, zombies, anonymous maps).
 * Malformed text must give an error, never a crash: AddressSanitizer
 * watches every case.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "user/lib/procfs.h"

/* --- /proc/PID/stat ---------------------------------------------------- */

static const char stat_cat[] =
    "12592 (cat) R 12559 12559 11692 34816 12592 4194304 100 0 3 0 7 3 0 0 20 0 1 0 122657 "
    "3133440 386 18446744073709551615 94315594006528 94315594026409 140731909027760 0 0 0 0 "
    "0 0 0 0 0 17 1 0 0 0 0 0\n";

static void stat_parses_every_field(void)
{
    struct proc_stat s;

    CHECK_EQ(procfs_parse_pid_stat(stat_cat, &s), 0);
    CHECK_EQ(s.pid, 12592);
    CHECK_STR(s.comm, "cat");
    CHECK_EQ(s.state, 'R');
    CHECK_EQ(s.ppid, 12559);
    CHECK_EQ(s.pgrp, 12559);
    CHECK_EQ(s.session, 11692);
    CHECK_EQ(s.tty_nr, 34816);
    CHECK_EQ(s.tpgid, 12592);
    CHECK_EQ(s.minflt, 100ull);
    CHECK_EQ(s.majflt, 3ull);
    CHECK_EQ(s.utime, 7);
    CHECK_EQ(s.stime, 3);
    CHECK_EQ(s.priority, 20);
    CHECK_EQ(s.nice, 0);
    CHECK_EQ(s.num_threads, 1);
    CHECK_EQ(s.starttime, 122657);
    CHECK_EQ(s.vsize, 3133440);
    CHECK_EQ(s.rss, 386);
    CHECK_EQ(s.processor, 1); /* field 39, after rsslim's 2^64 - 1 */
}

static void stat_comm_with_spaces_and_parens(void)
{
    struct proc_stat s;

    /* A program may name itself anything (prctl PR_SET_NAME): only the last ')' ends comm. */
    CHECK_EQ(procfs_parse_pid_stat("77 (my (odd) prog) S 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 "
                                   "1 0 5 4096 1\n",
                                   &s),
             0);
    CHECK_STR(s.comm, "my (odd) prog");
    CHECK_EQ(s.state, 'S');
    CHECK_EQ(s.ppid, 1);
    CHECK_EQ(s.tpgid, -1);
    CHECK_EQ(s.rss, 1);

    CHECK_EQ(procfs_parse_pid_stat("8 () ) D 2 0 0 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 0 0", &s), 0);
    CHECK_STR(s.comm, ") ");
    CHECK_EQ(s.state, 'D');
    CHECK_EQ(s.stime, 2);

    CHECK_EQ(procfs_parse_pid_stat("9 () R 2 0 0 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 0 0", &s), 0);
    CHECK_STR(s.comm, "");
}

static void stat_long_comm_is_truncated(void)
{
    char line[512];
    struct proc_stat s;

    snprintf(line, sizeof line, "5 (%0100d) S 1 5 5 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0", 0);
    CHECK_EQ(procfs_parse_pid_stat(line, &s), 0);
    CHECK_EQ(strlen(s.comm), PROCFS_COMM_MAX - 1);
    CHECK_EQ(s.ppid, 1);
}

static void stat_zombie(void)
{
    struct proc_stat s;

    /* A zombie keeps its stat line; its memory is gone, so vsize and rss are 0. */
    CHECK_EQ(procfs_parse_pid_stat("310 (sleep) Z 300 300 1 1088 300 4227084 80 0 0 0 0 1 0 0 "
                                   "20 0 1 0 4021 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 "
                                   "0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
                                   &s),
             0);
    CHECK_EQ(s.pid, 310);
    CHECK_EQ(s.state, 'Z');
    CHECK_EQ(s.ppid, 300);
    CHECK_EQ(s.vsize, 0);
    CHECK_EQ(s.rss, 0);
}

static void stat_malformed_is_an_error(void)
{
    static const char *const bad[] = {
        "",
        "\n",
        "abc",
        "12",
        "12 cat S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21",
        "12 (cat",
        "12 (cat S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21",
        "12 (cat) 5 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21",
        "12 (cat)S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21",
        "12 (cat) S",
        "12 (cat) S 1 2 3",                                              /* cut short */
        "12 (cat) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20", /* one missing */
        "12 (cat) S 1 2 3 4 5 6 7 8 9 10 11 12 x 14 15 16 17 18 19 20 21",
        "12 (cat) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 2x",
        "12 (cat) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 99999999999999999999",
        "-3 (cat) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21",
    };
    struct proc_stat s;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (procfs_parse_pid_stat(bad[i], &s) != -EINVAL) {
            char why[200];
            snprintf(why, sizeof why, "malformed stat accepted: \"%s\"", bad[i]);
            unit_fail(__FILE__, __LINE__, why);
        }
    }
}

/* --- "Key: value" files ------------------------------------------------ */

static const char status_sample[] = "Name:\tmy prog\n"
                                    "Umask:\t0022\n"
                                    "State:\tS (sleeping)\n"
                                    "Tgid:\t13024\n"
                                    "Pid:\t13024\n"
                                    "PPid:\t13004\n"
                                    "TracerPid:\t0\n"
                                    "Uid:\t1000\t1000\t1000\t1000\n"
                                    "VmSize:\t    3060 kB\n"
                                    "VmRSS:\t    1608 kB\n"
                                    "RssAnon:\t     112 kB\n"
                                    "Threads:\t1\n"
                                    "SigQ:\t0/96364\n"
                                    "voluntary_ctxt_switches:\t17\n"
                                    "nonvoluntary_ctxt_switches:\t4";

static void status_values(void)
{
    char value[64];
    unsigned long long n = 0;

    CHECK_EQ(procfs_key_value(status_sample, "Name", value, sizeof value), 0);
    CHECK_STR(value, "my prog");
    CHECK_EQ(procfs_key_value(status_sample, "State", value, sizeof value), 0);
    CHECK_STR(value, "S (sleeping)");
    CHECK_EQ(procfs_key_number(status_sample, "Pid", 10, &n), 0); /* not TracerPid or PPid */
    CHECK_EQ(n, 13024);
    CHECK_EQ(procfs_key_number(status_sample, "PPid", 10, &n), 0);
    CHECK_EQ(n, 13004);
    CHECK_EQ(procfs_key_number(status_sample, "Uid", 10, &n), 0);
    CHECK_EQ(n, 1000);
    CHECK_EQ(procfs_key_number(status_sample, "VmRSS", 10, &n), 0);
    CHECK_EQ(n, 1608);
    CHECK_EQ(procfs_key_number(status_sample, "voluntary_ctxt_switches", 10, &n), 0);
    CHECK_EQ(n, 17);
    /* The last line has no '\n'. */
    CHECK_EQ(procfs_key_number(status_sample, "nonvoluntary_ctxt_switches", 10, &n), 0);
    CHECK_EQ(n, 4);
}

static void status_missing_and_malformed(void)
{
    char value[8];
    unsigned long long n = 0;

    CHECK_EQ(procfs_key_value(status_sample, "Rss", value, sizeof value), -ENOENT);
    CHECK_EQ(procfs_key_value(status_sample, "Vm", value, sizeof value), -ENOENT);
    CHECK_EQ(procfs_key_value("", "Name", value, sizeof value), -ENOENT);
    CHECK_EQ(procfs_key_number(status_sample, "Name", 10, &n), -EINVAL);
    CHECK_EQ(procfs_key_number(status_sample, "SigQ", 10, &n), -EINVAL); /* "0/96364" */
    CHECK_EQ(procfs_key_number("VmRSS:\n", "VmRSS", 10, &n), -EINVAL);
    CHECK_EQ(procfs_key_number("VmRSS:\t-5 kB\n", "VmRSS", 10, &n), -EINVAL);
    /* A value longer than the buffer is cut, not overflowed. */
    CHECK_EQ(procfs_key_value(status_sample, "State", value, sizeof value), 0);
    CHECK_STR(value, "S (slee");
}

static void fdinfo_access_letters(void)
{
    CHECK_EQ(procfs_fdinfo_access("pos:\t0\nflags:\t0100000\nmnt_id:\t24\n"), 'r');
    CHECK_EQ(procfs_fdinfo_access("pos:\t0\nflags:\t01\n"), 'w');
    CHECK_EQ(procfs_fdinfo_access("pos:\t0\nflags:\t02000002\n"), 'u');
    CHECK_EQ(procfs_fdinfo_access("pos:\t0\n"), 0);
    CHECK_EQ(procfs_fdinfo_access("flags:\tzz\n"), 0);
}

/* --- /proc/PID/cmdline -------------------------------------------------- */

static void cmdline_joins_arguments(void)
{
    static const char data[] = "sh\0-c\0echo hi\0"; /* the final NUL ends the last argument */
    char out[64];

    CHECK_EQ(procfs_join_cmdline(data, sizeof data - 1, out, sizeof out), 13);
    CHECK_STR(out, "sh -c echo hi");
    CHECK_EQ(procfs_join_cmdline("", 0, out, sizeof out), 0);
    CHECK_STR(out, "");
    CHECK_EQ(procfs_join_cmdline("a\0\0b\0", 5, out, sizeof out), 4); /* an empty argument */
    CHECK_STR(out, "a  b");
    CHECK_EQ(procfs_join_cmdline("evil\033[2J\0", 10, out, sizeof out), 8);
    CHECK_STR(out, "evil?[2J");
    CHECK_EQ(procfs_join_cmdline(data, sizeof data - 1, out, 5), 4);
    CHECK_STR(out, "sh -");
}

/* --- /proc/PID/maps ----------------------------------------------------- */

static void maps_line_with_path(void)
{
    struct proc_map m;

    CHECK_EQ(procfs_parse_maps_line("00400000-00401000 r-xp 00001000 fe:00 247101          "
                                    "         /usr/bin/my prog (deleted)\n",
                                    &m),
             0);
    CHECK_EQ(m.start, 0x400000);
    CHECK_EQ(m.end, 0x401000);
    CHECK_STR(m.perms, "r-xp");
    CHECK_EQ(m.offset, 0x1000);
    CHECK_EQ(m.dev_major, 0xfe);
    CHECK_EQ(m.dev_minor, 0);
    CHECK_EQ(m.inode, 247101);
    CHECK_STR(m.path, "/usr/bin/my prog (deleted)");
}

static void maps_line_special_and_anonymous(void)
{
    struct proc_map m;

    CHECK_EQ(procfs_parse_maps_line("01a2b000-01a4c000 rw-p 00000000 00:00 0          [heap]", &m),
             0);
    CHECK_STR(m.path, "[heap]");
    CHECK_EQ(m.end - m.start, 0x21000);
    CHECK_EQ(procfs_parse_maps_line("7ffc1d0a3000-7ffc1d0c4000 rw-p 00000000 00:00 0  "
                                    "                        [stack]\n",
                                    &m),
             0);
    CHECK_EQ(m.start, 0x7ffc1d0a3000ull);
    CHECK_STR(m.path, "[stack]");
    /* Anonymous memory from mmap has no name at all, not even trailing spaces. */
    CHECK_EQ(procfs_parse_maps_line("7f3a00000000-7f3a00021000 rw-s 00000000 00:00 0 \n", &m), 0);
    CHECK_STR(m.path, "");
    CHECK_STR(m.perms, "rw-s");
    CHECK_EQ(procfs_parse_maps_line("7f3a00000000-7f3a00021000 ---p 00000000 00:00 0", &m), 0);
    CHECK_STR(m.path, "");
    CHECK_EQ(m.inode, 0);
}

static void maps_malformed_is_an_error(void)
{
    static const char *const bad[] = {
        "",
        "\n",
        "00400000",
        "00400000-",
        "00400000-00401000",
        "00400000-00401000 r-xp",
        "00400000-00401000 r-x 00000000 fe:00 1 /bin/x",
        "00400000-00401000 r-xq 00000000 fe:00 1 /bin/x",
        "00400000-00401000 r-xp 00000000 fe00 1 /bin/x",
        "00400000-00401000 r-xp 00000000 fe:00 /bin/x",
        "00401000-00400000 r-xp 00000000 fe:00 1 /bin/x", /* ends before it starts */
        "zz400000-00401000 r-xp 00000000 fe:00 1 /bin/x",
        "00400000-00401000 r-xp 00000000 fe:00 1x /bin/x",
    };
    struct proc_map m;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (procfs_parse_maps_line(bad[i], &m) != -EINVAL) {
            char why[200];
            snprintf(why, sizeof why, "malformed maps line accepted: \"%s\"", bad[i]);
            unit_fail(__FILE__, __LINE__, why);
        }
    }
}

/* --- system-wide files --------------------------------------------------- */

static const char meminfo_sample[] = "MemTotal:       24683656 kB\n"
                                     "MemFree:        24346172 kB\n"
                                     "MemAvailable:   24373928 kB\n"
                                     "Buffers:            1720 kB\n"
                                     "Cached:           214112 kB\n"
                                     "SwapCached:            0 kB\n"
                                     "Active:           126732 kB\n"
                                     "SwapTotal:        102400 kB\n"
                                     "SwapFree:          51200 kB\n"
                                     "Shmem:              8952 kB\n"
                                     "SReclaimable:      51200 kB\n";

static void meminfo_values(void)
{
    struct meminfo m;

    CHECK_EQ(procfs_parse_meminfo(meminfo_sample, &m), 0);
    CHECK_EQ(m.total, 24683656);
    CHECK_EQ(m.free, 24346172);
    CHECK_EQ(m.available, 24373928);
    CHECK_EQ(m.buffers, 1720);
    CHECK_EQ(m.cached, 214112); /* not SwapCached */
    CHECK_EQ(m.shared, 8952);
    CHECK_EQ(m.reclaimable, 51200);
    CHECK_EQ(m.swap_total, 102400);
    CHECK_EQ(m.swap_free, 51200);
}

static void meminfo_minimal_and_malformed(void)
{
    struct meminfo m;

    /* A small kernel may print only a few lines: the rest count as 0. */
    CHECK_EQ(procfs_parse_meminfo("MemTotal: 1000 kB\nMemFree: 600 kB\nCached: 100 kB\n", &m), 0);
    CHECK_EQ(m.total, 1000);
    CHECK_EQ(m.available, 700);
    CHECK_EQ(m.swap_total, 0);
    CHECK_EQ(procfs_parse_meminfo("MemFree: 600 kB\n", &m), -EINVAL);
    CHECK_EQ(procfs_parse_meminfo("MemTotal: lots\nMemFree: 600 kB\n", &m), -EINVAL);
    CHECK_EQ(procfs_parse_meminfo("", &m), -EINVAL);
}

static void uptime_and_loadavg(void)
{
    double up = 0;
    struct loadavg l;

    CHECK_EQ(procfs_parse_uptime("1271.67 2292.67\n", &up), 0);
    CHECK_EQ((long long)(up * 100 + 0.5), 127167);
    CHECK_EQ(procfs_parse_uptime("x\n", &up), -EINVAL);
    CHECK_EQ(procfs_parse_uptime("", &up), -EINVAL);

    CHECK_EQ(procfs_parse_loadavg("0.05 0.27 1.18 2/82 12809\n", &l), 0);
    CHECK_EQ((int)(l.one * 100 + 0.5), 5);
    CHECK_EQ((int)(l.five * 100 + 0.5), 27);
    CHECK_EQ((int)(l.fifteen * 100 + 0.5), 118);
    CHECK_EQ(l.running, 2);
    CHECK_EQ(l.total, 82);
    CHECK_EQ(l.last_pid, 12809);
    CHECK_EQ(procfs_parse_loadavg("0.05 0.27 1.18 2 12809\n", &l), -EINVAL);
    CHECK_EQ(procfs_parse_loadavg("0.05 0.27\n", &l), -EINVAL);
    CHECK_EQ(procfs_parse_loadavg("0.05 0.27 1.18 2/82", &l), -EINVAL);
}

static void system_stat_counters(void)
{
    static const char sample[] = "cpu  2255 34 2290 22625563 6290 127 456 0 0 0\n"
                                 "cpu0 1132 34 1441 11311718 3675 127 438 0 0 0\n"
                                 "intr 114930548 113199788 3 0 5 263 0 4 [... 200 more]\n"
                                 "ctxt 614577\n"
                                 "btime 1796020936\n"
                                 "processes 12812\n"
                                 "procs_running 3\n"
                                 "procs_blocked 1\n"
                                 "softirq 5 0 1 2 3 0 0 0 0 0 0\n";
    struct system_stat s;

    CHECK_EQ(procfs_parse_system_stat(sample, &s), 0);
    CHECK_EQ(s.context_switches, 614577);
    CHECK_EQ(s.forks, 12812);
    CHECK_EQ(s.procs_running, 3);
    CHECK_EQ(s.procs_blocked, 1);
    CHECK_EQ(s.boot_time, 1796020936);
    CHECK_EQ(s.all.user, 2255);
    CHECK_EQ(s.all.idle, 22625563);
    CHECK_EQ(s.cpus, 1);
    CHECK_EQ(s.cpu[0].system, 1441);
    CHECK_EQ(s.cpu[0].nice, 34);

    CHECK_EQ(procfs_parse_system_stat("cpu  3 0 2 9\ncpu0 1 0 1 5\ncpu1 2 0 1 4\ncpu3 7 0 0 0\n"
                                      "ctxt 5\nprocesses 9\nprocs_running 1\n",
                                      &s),
             0);
    CHECK_EQ(s.cpus, 2); /* cpu3 after cpu1: a gap, not kept */
    CHECK_EQ(s.cpu[1].user, 2);
    CHECK_EQ(s.cpu[1].idle, 4);

    CHECK_EQ(procfs_parse_system_stat("ctxt 5\nprocesses 9\nprocs_running 1\n", &s), 0);
    CHECK_EQ(s.cpus, 0);
    CHECK_EQ(s.boot_time, 0);
    CHECK_EQ(s.procs_blocked, 0);
    CHECK_EQ(procfs_parse_system_stat("ctxt 5\nprocesses 9\n", &s), -EINVAL);
    CHECK_EQ(procfs_parse_system_stat("ctxtx 5\nprocesses 9\nprocs_running 1\n", &s), -EINVAL);
    CHECK_EQ(procfs_parse_system_stat("ctxt many\nprocesses 9\nprocs_running 1\n", &s), -EINVAL);
}

/* --- names and the file-reading layer ------------------------------------ */

static void tty_names(void)
{
    char name[16];

    procfs_tty_name(0, name, sizeof name);
    CHECK_STR(name, "?");
    procfs_tty_name(34816, name, sizeof name); /* major 136, minor 0 */
    CHECK_STR(name, "pts/0");
    procfs_tty_name((4 << 8) | 64, name, sizeof name);
    CHECK_STR(name, "ttyS0");
    procfs_tty_name((4 << 8) | 1, name, sizeof name);
    CHECK_STR(name, "tty1");
    procfs_tty_name((5 << 8) | 1, name, sizeof name);
    CHECK_STR(name, "console");
    procfs_tty_name((136 << 8) | 0x5 | (0x1 << 20), name, sizeof name); /* minor 0x105 */
    CHECK_STR(name, "pts/261");
}

static void names_to_numbers(void)
{
    CHECK_EQ(procfs_name_to_number("1"), 1);
    CHECK_EQ(procfs_name_to_number("32767"), 32767);
    CHECK_EQ(procfs_name_to_number("self"), -1);
    CHECK_EQ(procfs_name_to_number("12a"), -1);
    CHECK_EQ(procfs_name_to_number(""), -1);
    CHECK_EQ(procfs_name_to_number("-1"), -1);
    CHECK_EQ(procfs_name_to_number("99999999999999999999"), -1);
}

static void reads_this_process(void)
{
    char text[PROCFS_LINE_SIZE];
    struct proc_stat s;
    int *pids = NULL;
    int count, found = 0;

    CHECK(procfs_read_pid(getpid(), "stat", text, sizeof text) > 0);
    CHECK_EQ(procfs_parse_pid_stat(text, &s), 0);
    CHECK_EQ(s.pid, getpid());
    CHECK_EQ(s.ppid, getppid());
    CHECK_EQ(procfs_read("/proc/no-such-file", text, sizeof text), -ENOENT);
    /* A tiny buffer is filled and terminated, never overrun. */
    CHECK_EQ(procfs_read_pid(getpid(), "stat", text, 4), 3);
    CHECK_EQ(strlen(text), 3);

    count = procfs_list_pids(&pids);
    CHECK(count > 0);
    for (int i = 0; i < count; i++) {
        found |= pids[i] == getpid();
        if (i > 0)
            CHECK(pids[i - 1] < pids[i]);
    }
    CHECK(found);
    free(pids);
    CHECK(procfs_read_fd_link(getpid(), 0, text, sizeof text) > 0);
    CHECK_EQ(procfs_read_fd_link(getpid(), 9999, text, sizeof text), -ENOENT);
}

/* The text sprout's kernel writes for /proc/PID/sched (kernel/fs/procfs_pid.c). */
static const char sched_sample[] = "name: threads\ntid: 4\ntgid: 3\nthreads: 4\n"
                                   "policy: mlfq\nnice: -5\ntickets: 300\nweight: 3121\n"
                                   "priority: 15\nlevel: 2\nlevel_ticks: 3\npass: 0\nstride: 0\n"
                                   "vruntime: 0\nslice_left: 1\nrun_ticks: 250\nwait_ticks: 40\n"
                                   "times_scheduled: 17\nruntime_us: 2503117\n"
                                   "voluntary_switches: 4\ninvoluntary_switches: 12\n"
                                   "start_ticks: 100\nresponse_ticks: 3\nturnaround_ticks: 320\n"
                                   "hz: 100\n";

static void sched_values(void)
{
    struct proc_sched q;

    CHECK_EQ(procfs_parse_pid_sched(sched_sample, &q), 0);
    CHECK_STR(q.policy, "mlfq");
    CHECK_EQ(q.nice, -5);
    CHECK_EQ(q.tickets, 300);
    CHECK_EQ(q.level, 2);
    CHECK_EQ(q.run_ticks, 250);
    CHECK_EQ(q.wait_ticks, 40);
    CHECK_EQ(q.times_scheduled, 17);
    CHECK_EQ(q.voluntary, 4);
    CHECK_EQ(q.involuntary, 12);
    CHECK_EQ(q.response_ticks, 3);
    CHECK_EQ(q.turnaround_ticks, 320);
    CHECK_EQ(q.hz, 100);
}

static void sched_not_yet_run_and_malformed(void)
{
    struct proc_sched q;
    char text[sizeof sched_sample + 8];

    /* A process that has never run has response_ticks -1. */
    snprintf(text, sizeof text, "%s", sched_sample);
    memcpy(strstr(text, "response_ticks: 3"), "response_ticks:-1", 17);
    CHECK_EQ(procfs_parse_pid_sched(text, &q), 0);
    CHECK_EQ(q.response_ticks, -1);

    CHECK_EQ(procfs_parse_pid_sched("", &q), -EINVAL);
    CHECK_EQ(procfs_parse_pid_sched("policy: rr\n", &q), -EINVAL); /* the rest is missing */
    snprintf(text, sizeof text, "%s", sched_sample);
    memcpy(strstr(text, "hz: 100"), "hz: 0  ", 7); /* would divide by zero */
    CHECK_EQ(procfs_parse_pid_sched(text, &q), -EINVAL);
    snprintf(text, sizeof text, "%s", sched_sample);
    memcpy(strstr(text, "nice: -5"), "nice: x5", 8);
    CHECK_EQ(procfs_parse_pid_sched(text, &q), -EINVAL);
}

static const struct unit_case cases[] = {
    UNIT(stat_parses_every_field),
    UNIT(stat_comm_with_spaces_and_parens),
    UNIT(stat_long_comm_is_truncated),
    UNIT(stat_zombie),
    UNIT(stat_malformed_is_an_error),
    UNIT(status_values),
    UNIT(status_missing_and_malformed),
    UNIT(fdinfo_access_letters),
    UNIT(cmdline_joins_arguments),
    UNIT(maps_line_with_path),
    UNIT(maps_line_special_and_anonymous),
    UNIT(maps_malformed_is_an_error),
    UNIT(meminfo_values),
    UNIT(meminfo_minimal_and_malformed),
    UNIT(uptime_and_loadavg),
    UNIT(sched_values),
    UNIT(sched_not_yet_run_and_malformed),
    UNIT(system_stat_counters),
    UNIT(tty_names),
    UNIT(names_to_numbers),
    UNIT(reads_this_process),
};
UNIT_MAIN("user.procfs", cases)
