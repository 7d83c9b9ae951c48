/*
 * mkswap.c - write Linux's swap header, so swapon(2) takes the device or file.
 *
 *   mkswap DEVICE|FILE            the whole device (or the file as it is)
 *   mkswap -s SIZE FILE           first make FILE SIZE bytes (K/M/G), every
 *                                 block written: a swap file may have no holes
 *
 * The header is page 0: version 1 at byte 1024, the last usable page at
 * 1028, no bad pages, and "SWAPSPACE2" at the end of the page (mm/swap.c
 * reads it).  As util-linux's mkswap, without a UUID or label.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096

/* "64M" -> bytes; 0 if it is not a size. */
static long long parse_size(const char *text)
{
    char *end;
    long long value = strtoll(text, &end, 10);
    int shift = *end == 'K' || *end == 'k'   ? 10
                : *end == 'M' || *end == 'm' ? 20
                : *end == 'G' || *end == 'g' ? 30
                                             : 0;
    if (shift)
        end++;
    if (*end || value <= 0)
        return 0;
    return value << shift;
}

/* Fill fd with zeros up to `size` bytes (what dd if=/dev/zero does). */
static int fill_zeros(int fd, long long size)
{
    static char zeros[64 * 1024];
    for (long long done = 0; done < size;) {
        size_t chunk = size - done < (long long)sizeof zeros ? (size_t)(size - done) : sizeof zeros;
        ssize_t n = write(fd, zeros, chunk);
        if (n <= 0)
            return -1;
        done += n;
    }
    return 0;
}

/* The size of what fd names: a file's from lseek; a block device's (whose
 * SEEK_END says 0 on sprout) by finding its last readable sector. */
static long long size_of(int fd)
{
    long long end = lseek(fd, 0, SEEK_END);
    if (end > 0)
        return end;
    char sector[512];
    long long low = 0, high = 512; /* sectors: low readable, high not (once found) */
    while (pread(fd, sector, 512, high * 512) == 512 && high < (1ll << 40))
        low = high, high *= 2;
    while (high - low > 1) {
        long long middle = low + (high - low) / 2;
        if (pread(fd, sector, 512, middle * 512) == 512)
            low = middle;
        else
            high = middle;
    }
    return pread(fd, sector, 512, 0) == 512 ? (low + 1) * 512 : 0;
}

int main(int argc, char **argv)
{
    long long size = 0;
    int at = 1;
    if (argc == 4 && (strcmp(argv[1], "-s") == 0 || strcmp(argv[1], "--size") == 0)) {
        size = parse_size(argv[2]);
        at = 3;
    }
    if (at != argc - 1 || (at == 3 && size < 2 * PAGE)) {
        fprintf(stderr, "usage: mkswap [-s SIZE (at least 8K)] DEVICE|FILE\n");
        return 1;
    }
    const char *path = argv[at];
    int fd = open(path, size ? O_RDWR | O_CREAT | O_TRUNC : O_RDWR, 0600);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    if (size && fill_zeros(fd, size) < 0) {
        perror("mkswap: writing zeros");
        return 1;
    }
    long long bytes = size_of(fd);
    if (bytes < 2 * PAGE) {
        fprintf(stderr, "mkswap: %s: too small for a swap area\n", path);
        return 1;
    }
    static char page[PAGE];
    uint32_t version = 1, last_page = (uint32_t)(bytes / PAGE - 1);
    memcpy(page + 1024, &version, 4);
    memcpy(page + 1028, &last_page, 4);
    memcpy(page + PAGE - 10, "SWAPSPACE2", 10);
    if (pwrite(fd, page, PAGE, 0) != PAGE || fsync(fd) != 0) {
        perror("mkswap: writing the header");
        return 1;
    }
    close(fd);
    printf("Setting up swapspace version 1, size = %lld KiB (%lld bytes)\nno label, UUID=none\n",
           (long long)last_page * 4, (long long)last_page * PAGE);
    return 0;
}
