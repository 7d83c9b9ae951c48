/*
 * t_hostname_bad_args.c - the system-call lab's graded bad-argument checks.
 *
 * Teacher's edition only: `make handout` leaves this directory out, and the
 * handout describes each check (docs/labs/syscall.md) without the code.
 * Every expectation is what Linux gives (kernel/sys.c), for root.
 */
#define _GNU_SOURCE
#include "tests/labs/syscall/hostname_test.h"

#include <stdint.h>
#include <sys/mman.h>

/* One check: the call's result, and the name uname reports afterwards. */
static void expect(const char *check, const void *name, long len, long want, const char *want_name)
{
    char why[300];
    long got = set_name(name, len);
    const char *now = node_name();
    snprintf(
        why, sizeof why,
        "sethostname(%p, %ld) returned %ld (%s), want %ld (%s); uname says \"%s\", want \"%s\"",
        name, len, got, got < 0 ? strerror((int)-got) : "ok", want,
        want < 0 ? strerror((int)-want) : "ok", now, want_name);
    report(check, got == want && strcmp(now, want_name) == 0, why);
}

int main(void)
{
    static char sixty_four[65], sixty_five[66];
    memset(sixty_four, 'a', 64);
    memset(sixty_five, 'b', 65);
    long page = sysconf(_SC_PAGESIZE);

    set_name("before", 6);
    expect("syscall.sethostname.len_65_is_einval", sixty_five, 65, -EINVAL, "before");
    expect("syscall.sethostname.negative_len_is_einval", "x", -1, -EINVAL, "before");
    expect("syscall.sethostname.null_pointer_is_efault", NULL, 5, -EFAULT, "before");
    expect("syscall.sethostname.kernel_pointer_is_efault", (void *)0xffffffff80100000UL, 5, -EFAULT,
           "before");

    /* A page that was mapped and is not any more. */
    char *gone =
        mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memcpy(gone, "unmapped", 8);
    munmap(gone, (size_t)page);
    expect("syscall.sethostname.unmapped_pointer_is_efault", gone, 8, -EFAULT, "before");

    /* A name whose first 3 bytes are readable and the rest are not: all or nothing. */
    char *two =
        mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(two + page, (size_t)page);
    memcpy(two + page - 3, "abc", 3);
    expect("syscall.sethostname.partly_readable_is_efault_and_keeps_the_name", two + page - 3, 8,
           -EFAULT, "before");

    expect("syscall.sethostname.len_64_is_the_longest", sixty_four, 64, 0, sixty_four);
    set_name("abcdefgh", 8);
    expect("syscall.sethostname.exactly_len_bytes", "xyz-and-more", 3, 0, "xyz");
    expect("syscall.sethostname.len_0_empties_it_even_with_null", NULL, 0, 0, "");
    return failures ? 1 : 0;
}
