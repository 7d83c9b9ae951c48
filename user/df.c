/*
 * df.c - how full are the file systems?  One line per mount (/proc/mounts),
 * from statfs: size, used and available space in 1 KiB blocks.
 *
 *   df           every mounted file system
 *   df -i        inodes instead of blocks
 *   df PATH...   the file systems holding these paths
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>

static int inodes;

static void show(const char *device, const char *dir)
{
    struct statfs st;
    if (statfs(dir, &st) < 0) {
        perror(dir);
        return;
    }
    unsigned long long total, free, avail;
    if (inodes) {
        total = st.f_files, free = st.f_ffree, avail = st.f_ffree;
    } else {
        total = (unsigned long long)st.f_blocks * st.f_bsize / 1024;
        free = (unsigned long long)st.f_bfree * st.f_bsize / 1024;
        avail = (unsigned long long)st.f_bavail * st.f_bsize / 1024;
    }
    unsigned long long used = total - free;
    unsigned percent =
        used + avail ? (unsigned)((used * 100 + used + avail - 1) / (used + avail)) : 0;
    if (total)
        printf("%-16s %10llu %10llu %10llu %4u%% %s\n", device, total, used, avail, percent, dir);
    else
        printf("%-16s %10s %10s %10s %5s %s\n", device, "0", "0", "0", "-", dir);
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "-i") == 0)
        inodes = 1, first = 2;
    printf("%-16s %10s %10s %10s %5s %s\n", "Filesystem", inodes ? "Inodes" : "1K-blocks",
           inodes ? "IUsed" : "Used", inodes ? "IFree" : "Available", inodes ? "IUse%" : "Use%",
           "Mounted on");
    FILE *f = fopen("/proc/mounts", "r");
    char line[512], device[256], dir[256];
    while (f && fgets(line, sizeof line, f)) {
        if (sscanf(line, "%255s %255s", device, dir) != 2)
            continue;
        bool wanted = first >= argc;
        for (int i = first; i < argc; i++)
            if (strcmp(argv[i], dir) == 0)
                wanted = true;
        if (wanted)
            show(device, dir);
    }
    if (f)
        fclose(f);
    return 0;
}
