#!/usr/bin/env bash
# test_unit_output.sh - a failing test case says each distinct failure once,
# then how many failures there were (tests/unit/unit.h): a check failing in a
# loop of 300 gives one line, not 300.
source "$(dirname "$0")/../lib/check.sh"

cat > "$scratch/t.c" <<'EOC'
#include "tests/unit/unit.h"
static void loop_fails(void)
{
    for (int i = 0; i < 300; i++)
        CHECK_EQ(i, -1);  /* 300 failures of one check */
    CHECK(1 == 2);        /* a second, distinct one */
}
static void fails_once(void) { CHECK_EQ(1, 2); }
static void passes(void) { CHECK_EQ(2, 2); }
static const struct unit_case cases[] = { UNIT(loop_fails), UNIT(fails_once), UNIT(passes) };
UNIT_MAIN("demo", cases)
EOC
if ! cc -I"$ROOT" -o "$scratch/t" "$scratch/t.c" > "$scratch/cc.txt" 2>&1; then
    fail unit_output.builds "$(head -3 "$scratch/cc.txt")"
    summary
    exit
fi
"$scratch/t" > "$scratch/out.txt"
expect_status unit_output.exit_status $? 1
expected='FAIL demo.loop_fails: expected i == -1: got 0 (0), want -1 (0xffffffffffffffff) (FILE:5)
  also: expected 1 == 2 (FILE:6)
  301 failures at 2 checks
FAIL demo.fails_once: expected 1 == 2: got 1 (0x1), want 2 (0x2) (FILE:8)
PASS demo.passes
1 passed, 2 failed'
got=$(sed "s|$scratch/t.c|FILE|g" "$scratch/out.txt")
if [ "$got" = "$expected" ]; then
    pass unit_output.one_line_per_distinct_failure_then_a_count
else
    fail unit_output.one_line_per_distinct_failure_then_a_count "got: $(head -c 600 "$scratch/out.txt")"
fi
summary
