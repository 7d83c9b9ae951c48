/*
 * pmap.c - show a process's address space, one line per mapping.
 *
 *   pmap [-p] PID...
 *
 * Reads /proc/PID/maps.  A program built with musl-gcc -static looks like
 *
 *   0000000000400000      4K r----   prog      ELF headers
 *   0000000000401000     52K r-x--   prog      code
 *   ...                             prog      read-only data, then data
 *   0000000000412000      8K rw---   [heap]    grows up with brk()
 *   00007ffffffde000    132K rw---   [stack]   grows down
 *
 * The size is end - start; the permissions are r, w, x, then s for memory
 * shared with other processes; the name is the file's (only its last part
 * unless -p), [heap], [stack], or [anon] for anonymous mmap() memory.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "user/lib/procfs.h"

/* The name column: the basename of a file unless full_path, [heap], [stack], [anon]. */
static const char *mapping_name(const struct proc_map *map, bool full_path)
{
    const char *slash = strrchr(map->path, '/');

    if (map->path[0] == '\0')
        return "[anon]";
    if (map->path[0] == '/' && slash && !full_path)
        return slash + 1;
    return map->path;
}

/* Linux pmap's five permission letters from maps' four ("rw-p" -> "rw---"). */
static void permissions(const struct proc_map *map, char out[6])
{
    out[0] = map->perms[0];
    out[1] = map->perms[1];
    out[2] = map->perms[2];
    out[3] = map->perms[3] == 's' ? 's' : '-';
    out[4] = '-';
    out[5] = '\0';
}

/* Prints one process's map; returns 0, or 1 if it cannot be read. */
static int pmap_show(int pid, bool full_path)
{
    char path[64], perms[6];
    char text[PROCFS_TEXT_SIZE], command[PROCFS_TEXT_SIZE], line[PROCFS_TEXT_SIZE];
    unsigned long long total_kib = 0;
    struct proc_map map;
    ssize_t n;
    FILE *maps;

    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    maps = fopen(path, "r");
    if (!maps) {
        fprintf(stderr, "pmap: %s: %s\n", path, strerror(errno));
        return 1;
    }
    n = procfs_read_pid(pid, "cmdline", text, sizeof text);
    procfs_join_cmdline(text, n > 0 ? (size_t)n : 0, command, sizeof command);
    printf("%d:   %s\n", pid, command);
    while (fgets(line, sizeof line, maps)) {
        if (procfs_parse_maps_line(line, &map) < 0) {
            fprintf(stderr, "pmap: %s: cannot parse: %s", path, line);
            continue;
        }
        unsigned long long kib = (map.end - map.start) / 1024;
        permissions(&map, perms);
        printf("%016llx %6lluK %s   %s\n", map.start, kib, perms, mapping_name(&map, full_path));
        total_kib += kib;
    }
    fclose(maps);
    printf(" total %16lluK\n", total_kib);
    return 0;
}

int main(int argc, char **argv)
{
    bool full_path = false;
    int status = 0, shown = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-p") == 0) {
            full_path = true;
            continue;
        }
        int pid = procfs_name_to_number(argv[i]);
        if (pid <= 0) {
            fprintf(stderr, "usage: pmap [-p] PID...\n");
            return 2;
        }
        status |= pmap_show(pid, full_path);
        shown++;
    }
    if (shown == 0) {
        fprintf(stderr, "usage: pmap [-p] PID...\n");
        return 2;
    }
    return status;
}
