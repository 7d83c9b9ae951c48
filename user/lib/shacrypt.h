/*
 * shacrypt.h - the SHA-512 password hash of /etc/shadow ("$6$salt$hash").
 *
 * musl's crypt() computes it, but Debian's static musl leaves crypt out of
 * libc.a, so sprout carries the algorithm (Ulrich Drepper's "Unix crypt
 * using SHA-256 and SHA-512", the glibc and musl format) itself.
 */
#ifndef USER_LIB_SHACRYPT_H
#define USER_LIB_SHACRYPT_H

#include <stddef.h>

/* The "$6$salt$hash" string for `key` with the salt (and rounds=N) of
 * `setting` (a full hash works), in `out`; NULL if `setting` is not $6$. */
char *shacrypt_sha512(const char *key, const char *setting, char *out, size_t size);

#endif
