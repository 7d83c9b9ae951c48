/*
 * procfs_net.c - the files of /proc/net, in Linux's formats.  A network
 * family adds its files by appending a line to this table (see procfs.h).
 */
#include "kernel/fs/procfs.h"
#include "kernel/net/inet/af_inet.h"
#include "kernel/net/unix/unix.h"

const struct procfs_file procfs_net_files[] = {
    {"unix", unix_proc_show, NULL},       {"tcp", inet_proc_tcp, NULL},
    {"udp", inet_proc_udp, NULL},         {"snmp", inet_proc_snmp, NULL},
    {"dev", inet_proc_dev, NULL},         {"route", inet_proc_route, NULL},
    {"netstat", inet_proc_netstat, NULL}, {NULL, NULL, NULL},
};
