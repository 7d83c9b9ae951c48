/*
 * ln.c - make links: another name for a file.
 *
 *   ln -s TARGET LINK_NAME    a symbolic link: a tiny file holding the text
 *                             TARGET, followed whenever LINK_NAME is opened
 *   ln TARGET LINK_NAME       a hard link: a second directory entry for the
 *                             same file (rm removes one name, the file
 *                             lives on until the last name is gone)
 *
 * Hard links work on a disk (ext2).  sprout's ramfs (/tmp, and / when
 * booted from the initrd) has none: link() fails there with EPERM (as on
 * Linux file systems that lack them), and ln says so.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    bool symbolic = argc > 1 && strcmp(argv[1], "-s") == 0;
    int first = symbolic ? 2 : 1;

    if (argc - first != 2) {
        fprintf(stderr, "usage: ln [-s] TARGET LINK_NAME\n");
        return 2;
    }
    const char *target = argv[first], *name = argv[first + 1];
    if ((symbolic ? symlink(target, name) : link(target, name)) < 0) {
        fprintf(stderr, "ln: failed to create %s link '%s' -> '%s': %s\n",
                symbolic ? "symbolic" : "hard", name, target, strerror(errno));
        return 1;
    }
    return 0;
}
