/*
 * base64.c - encode a file as text (or decode it back), as GNU base64 does.
 *
 *   base64 [FILE]       encode FILE (or standard input), 76 characters a line
 *   base64 -d [FILE]    decode
 *
 * The console is sprout's only way out to the host, and it carries text:
 * `base64 core` prints a core file so the host can decode it with
 * `base64 -d` and open it in gdb (tests/qemu/test_coredump.sh does that).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define LINE_LENGTH 76

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int encode(FILE *in)
{
    unsigned char group[3];
    size_t n, column = 0;
    while ((n = fread(group, 1, 3, in)) > 0) {
        if (n < 3)
            memset(group + n, 0, 3 - n);
        unsigned bits = (unsigned)group[0] << 16 | (unsigned)group[1] << 8 | group[2];
        char out[4] = {alphabet[bits >> 18 & 63], alphabet[bits >> 12 & 63],
                       n > 1 ? alphabet[bits >> 6 & 63] : '=', n > 2 ? alphabet[bits & 63] : '='};
        fwrite(out, 1, 4, stdout);
        column += 4;
        if (column == LINE_LENGTH) {
            putchar('\n');
            column = 0;
        }
        if (n < 3)
            break;
    }
    if (column)
        putchar('\n');
    return 0;
}

/* Decode; returns 0, or 1 on a character that is not base64. */
static int decode(FILE *in)
{
    unsigned bits = 0;
    int have = 0, ch;
    while ((ch = getc(in)) != EOF) {
        if (ch == '\n' || ch == '\r' || ch == '=')
            continue;
        const char *at = ch ? strchr(alphabet, ch) : NULL;
        if (!at) {
            fprintf(stderr, "base64: invalid input\n");
            return 1;
        }
        bits = bits << 6 | (unsigned)(at - alphabet);
        have += 6;
        if (have >= 8) {
            have -= 8;
            putchar((int)(bits >> have & 0xFF));
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    int decoding = argc > 1 && strcmp(argv[1], "-d") == 0;
    const char *path = argc > 1 + decoding ? argv[1 + decoding] : "-";
    if (argc > 2 + decoding) {
        fprintf(stderr, "usage: base64 [-d] [FILE]\n");
        return 2;
    }
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!in) {
        fprintf(stderr, "base64: %s: %s\n", path, strerror(errno));
        return 1;
    }
    int status = decoding ? decode(in) : encode(in);
    if (in != stdin)
        fclose(in);
    return status;
}
