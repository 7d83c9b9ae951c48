/*
 * mount.c - attach a disk's file system to a directory, or list mounts.
 *
 *   mount                          list what is mounted (/proc/mounts)
 *   mount [-r] [-t ext2] DEV DIR   mount DEV (/dev/vda or vda) on DIR;
 *                                  -r (or -o ro): read-only
 *
 * The kernel reads the disk's superblock and refuses a damaged one (EUCLEAN,
 * "Structure needs cleaning": run e2fsck on it).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

static int list(void)
{
    FILE *f = fopen("/proc/mounts", "r");
    if (!f) {
        perror("mount: /proc/mounts");
        return 1;
    }
    char line[512], device[256], dir[256], type[64], options[128];
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%255s %255s %63s %127s", device, dir, type, options) == 4)
            printf("%s on %s type %s (%s)\n", device, dir, type, options);
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    const char *type = "ext2";
    unsigned long flags = 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        bool has_value = i + 1 < argc;
        if (strcmp(argv[i], "-r") == 0) {
            flags |= MS_RDONLY;
        } else if (strcmp(argv[i], "-o") == 0 && has_value &&
                   (strcmp(argv[i + 1], "ro") == 0 || strcmp(argv[i + 1], "rw") == 0)) {
            if (strcmp(argv[++i], "ro") == 0)
                flags |= MS_RDONLY;
        } else if (strcmp(argv[i], "-t") == 0 && has_value) {
            type = argv[++i];
        } else {
            fprintf(stderr, "usage: mount [-r] [-o ro|rw] [-t TYPE] DEVICE DIR\n");
            return 2;
        }
    }
    if (i == argc)
        return list();
    if (argc - i != 2) {
        fprintf(stderr, "usage: mount [-r] [-t TYPE] DEVICE DIR\n");
        return 2;
    }
    if (mount(argv[i], argv[i + 1], type, flags, NULL) < 0) {
        /* musl has no text for EUCLEAN; Linux's is "Structure needs cleaning" */
        fprintf(stderr, "mount: %s on %s: %s\n", argv[i], argv[i + 1],
                errno == EUCLEAN ? "Structure needs cleaning (run e2fsck)" : strerror(errno));
        return 1;
    }
    return 0;
}
