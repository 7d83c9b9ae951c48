#!/usr/bin/env bash
# test_handout.sh - `make handout` writes a student edition whose lab policies
# are stubs: they compile, the graders fail them with reasons, and the same
# graders give full marks to the reference policies of this tree.
source "$(dirname "$0")/../lib/check.sh"

"$ROOT/tools/make-handout" "$scratch/out" > "$scratch/log" 2>&1
expect_status handout.runs $? 0
tree=$scratch/out/sprout
[ -f "$tree/STUDENT_EDITION" ] && pass handout.marked_student_edition || fail handout.marked_student_edition "no STUDENT_EDITION file"
[ -f "$scratch/out/sprout-student.tar.gz" ] && tar -tzf "$scratch/out/sprout-student.tar.gz" | grep -q '^sprout/Makefile$' \
    && pass handout.tarball || fail handout.tarball "no tarball holding sprout/Makefile"
for policy in prio mlfq lottery stride; do
    if grep -q 'LAB:' "$tree/sched/policies/$policy.c" && ! cmp -s "$tree/sched/policies/$policy.c" "$ROOT/sched/policies/$policy.c"; then
        pass handout.stub_replaces_$policy
    else
        fail handout.stub_replaces_$policy "sched/policies/$policy.c is not the stub"
    fi
done
cmp -s "$tree/sched/policies/rr.c" "$ROOT/sched/policies/rr.c" && cmp -s "$tree/sched/policies/cfs.c" "$ROOT/sched/policies/cfs.c" \
    && pass handout.examples_kept || fail handout.examples_kept "rr.c and cfs.c should be the teacher's"
[ ! -e "$tree/tests/tools/test_handout.sh" ] && pass handout.teacher_test_removed || fail handout.teacher_test_removed "the student edition's make test would run test_handout.sh"
[ ! -e "$tree/docs/labs/stubs" ] && pass handout.no_stub_directory || fail handout.no_stub_directory "docs/labs/stubs was copied"
grep -q 'PRIO_AGING_TICKS\|MLFQ_BOOST_TICKS\|STRIDE_BIG' "$tree"/sched/policies/{prio,mlfq,stride}.c \
    && fail handout.no_solutions "a reference solution leaked into the student edition" || pass handout.no_solutions

# The stubs compile as kernel code (the student edition builds and boots with rr).
if make -s -C "$tree" build/obj/sched/policies/prio.o build/obj/sched/policies/mlfq.o \
        build/obj/sched/policies/lottery.o build/obj/sched/policies/stride.o > "$scratch/build.log" 2>&1; then
    pass handout.stubs_compile_in_the_kernel
else
    fail handout.stubs_compile_in_the_kernel "$(head -5 "$scratch/build.log")"
fi

# Graders fail the stubs, with reasons...
for lab in prio mlfq lottery-stride; do
    (cd "$tree" && tools/grade --sim-only $lab) > "$scratch/student-$lab.txt" 2>&1
    status=$?
    if [ $status -ne 0 ] && grep -q "^Score for $lab: .* (not yet)" "$scratch/student-$lab.txt" \
            && grep -qE '^  -2  sched\.' "$scratch/student-$lab.txt"; then
        pass handout.grader_fails_stub_$lab
    else
        fail handout.grader_fails_stub_$lab "status $status: $(tail -3 "$scratch/student-$lab.txt")"
    fi
done
# ...and give full marks to the reference policies.
"$ROOT/tools/grade" --sim-only > "$scratch/teacher.txt" 2>&1
status=$?
if [ $status -eq 0 ] && [ "$(grep -c '^Score for .*: \([0-9]*\)/\1$' "$scratch/teacher.txt")" -eq 3 ]; then
    pass handout.grader_passes_reference
else
    fail handout.grader_passes_reference "status $status: $(grep -E '^(Score|  -)' "$scratch/teacher.txt" | head -5)"
fi
summary
