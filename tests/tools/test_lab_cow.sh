#!/usr/bin/env bash
# test_lab_cow.sh - the copy-on-write lab's reference (mm/cow.c in the
# teacher's edition) passes every check of tests/labs/cow/run.sh, and the
# manifest lists exactly the checks run.sh reports.  The stub's score is
# checked by test_handout.sh.  Teacher's edition only (make handout leaves it out).
source "$(dirname "$0")/../lib/check.sh"
source "$(dirname "$0")/../lib/lab.sh"

check_lab_reference cow 11
summary
