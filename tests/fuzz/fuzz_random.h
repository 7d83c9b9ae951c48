/*
 * fuzz_random.h - the fuzzers' random numbers: xorshift64*, small and fast,
 * and the same sequence for the same seed, so a printed seed replays a run.
 */
#ifndef TESTS_FUZZ_FUZZ_RANDOM_H
#define TESTS_FUZZ_FUZZ_RANDOM_H

#include <stdint.h>

static uint64_t rng = 1; /* the state; set it to the seed (never 0) */

static inline uint64_t random64(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1DULL;
}

/* A number in [0, n); 0 when n is 0. */
static inline uint64_t random_below(uint64_t n) { return n ? random64() % n : 0; }

#endif
