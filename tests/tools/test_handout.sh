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
for policy in prio mlfq lottery stride edf; do
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
grep -qE '^static .*(prio_best|mlfq_boost|stride_smallest|edf_first)\(' "$tree"/sched/policies/{prio,mlfq,stride,edf}.c \
    && fail handout.no_solutions "a reference solution leaked into the student edition" || pass handout.no_solutions
grep -q ' tests/sched-sim/test_mlfq.c$' "$tree/tools/grade-digests" 2>/dev/null \
    && pass handout.grading_digests_recorded || fail handout.grading_digests_recorded "no digest of test_mlfq.c in tools/grade-digests"

# The system-call lab: no sethostname in the student edition, and no hidden tests.
if ! grep -q '^long sys_sethostname(' "$tree/kernel/sys_hostname.c" && grep -qE '^170 +sethostname +-$' "$tree/kernel/syscalls.tbl" \
        && ! grep -q 'SYS_sethostname' "$tree/user/strace/decode.c"; then
    pass handout.syscall_lab_starts_without_sethostname
else
    fail handout.syscall_lab_starts_without_sethostname "the handler, the table entry or the strace format is still there"
fi
hidden_listed=$(python3 -c "import json; m=json.load(open('$tree/tools/grade-manifest.json'))
print(sum(1 for l in m['labs'].values() for t in l['tests'] if t.get('hidden')))")
if [ ! -e "$tree/tests/labs/syscall/hidden" ] && [ ! -e "$tree/tests/tools/test_lab_syscall.sh" ] && [ "$hidden_listed" = 0 ]; then
    pass handout.hidden_tests_stay_with_the_teacher
else
    fail handout.hidden_tests_stay_with_the_teacher "hidden tests in the student edition (manifest lists $hidden_listed)"
fi

# The copy-on-write lab: fork copies eagerly in the student edition.
if cmp -s "$tree/mm/cow.c" "$ROOT/docs/labs/stubs/cow.c" && ! cmp -s "$tree/mm/cow.c" "$ROOT/mm/cow.c" && grep -q '^ktest\.cow\.$' "$tree/STUDENT_EDITION" \
        && [ ! -e "$tree/tests/tools/test_lab_cow.sh" ]; then
    pass handout.cow_lab_starts_with_an_eager_fork
else
    fail handout.cow_lab_starts_with_an_eager_fork "mm/cow.c is not the stub, or ktest.cow. is not left to the grader"
fi

# The replacement lab: reclaim takes pages first in, first out in the student edition.
if cmp -s "$tree/mm/replace_clock.c" "$ROOT/docs/labs/stubs/replace_clock.c" && ! cmp -s "$tree/mm/replace_clock.c" "$ROOT/mm/replace_clock.c" \
        && grep -q '^build/mm-sim/test_replace$' "$tree/STUDENT_EDITION" && [ ! -e "$tree/tests/tools/test_lab_replace.sh" ]; then
    pass handout.replace_lab_starts_with_fifo
else
    fail handout.replace_lab_starts_with_fifo "mm/replace_clock.c is not the stub, or its simulator is not left to the grader"
fi

# The multi-core lab: the load balancer never balances in the student edition.
if cmp -s "$tree/sched/balance.c" "$ROOT/docs/labs/stubs/balance.c" && ! cmp -s "$tree/sched/balance.c" "$ROOT/sched/balance.c" \
        && grep -q '^build/sched-sim/test_balance$' "$tree/STUDENT_EDITION"; then
    pass handout.balance_lab_starts_without_balancing
else
    fail handout.balance_lab_starts_without_balancing "sched/balance.c is not the stub, or its simulator test is not left to the grader"
fi

# The stubs compile as kernel code (the student edition builds and boots with rr).
if make -s -C "$tree" build/obj/sched/policies/prio.o build/obj/sched/policies/mlfq.o \
        build/obj/sched/policies/lottery.o build/obj/sched/policies/stride.o build/obj/sched/policies/edf.o build/obj/sched/balance.o > "$scratch/build.log" 2>&1; then
    pass handout.stubs_compile_in_the_kernel
else
    fail handout.stubs_compile_in_the_kernel "$(head -5 "$scratch/build.log")"
fi

# score FILE LAB -> "got total" from a grader's "Score for LAB: got/total" line
score() { sed -n "s|^Score for $2: \([0-9]*\)/\([0-9]*\).*|\1 \2|p" "$1"; }
# part FILE LAB -> the lab's part of the output of a grader run for several
# labs: from its "Lab LAB:" line to its "Score for LAB:" line
part() { sed -n "/^Lab $2: /,/^Score for $2: /p" "$1"; }
labs="prio mlfq lottery-stride edf balance"

# The graders fail the stubs, with reasons, and give them at most a quarter of each lab...
# (one grader run for the five labs: it builds the simulator's tests once and
# checks the policy files once; its status is not 0 unless every lab scores full)
(cd "$tree" && tools/grade --sim-only $labs) > "$scratch/student-sim.txt" 2>&1
status=$?
for lab in $labs; do
    part "$scratch/student-sim.txt" $lab > "$scratch/student-$lab.txt"
    read -r got total <<< "$(score "$scratch/student-$lab.txt" $lab)"
    if [ $status -ne 0 ] && [ -n "$got" ] && [ $((got * 4)) -le "$total" ] && grep -qE '^  -2  sched\.' "$scratch/student-$lab.txt"; then
        pass handout.stub_scores_at_most_a_quarter_$lab
    else
        fail handout.stub_scores_at_most_a_quarter_$lab "status $status, score ${got:-?}/${total:-?}: $(tail -3 "$scratch/student-$lab.txt")"
    fi
    eval "stub_$(echo $lab | tr - _)=${got:-0}"
done
# ...and every QEMU check of a lab fails for round-robin, which is what the stubs do.
# (In the background, while the checks below run; their results at the end.)
BOOT_POLICY=rr POLICIES="prio lottery stride mlfq edf" "$ROOT/tests/qemu/test_sched_policies.sh" > "$scratch/rr-qemu.txt" 2>&1 &
rr_checks=$!

# The system-call lab's stub (the student edition's files, graded the way a
# course does: in a fresh copy of the teacher's tree, hidden checks included).
# The system-call, copy-on-write and replacement labs' stubs are graded in one
# run, in one fresh copy of the tree with all three (one kernel build, not
# three), also in the background (its kernel build and boots beside the
# simulator's builds of the checks below); the results at the end.
"$ROOT/tools/grade" --submission "$tree" syscall cow replace > "$scratch/student-submission.txt" 2>&1 &
submission=$!

# Tampering with the student's copy of the tests cannot raise a score: each
# change is made to a fresh copy of the student edition (its build/ is reused).
tamper() { # tamper NAME LAB COMMAND...: run COMMAND in a copy, grade LAB, compare with the stub
    local name=$1 lab=$2 copy=$scratch/tamper-$1
    shift 2
    rm -rf "$copy" && cp -a "$tree" "$copy"
    (cd "$copy" && eval "$*")
    (cd "$copy" && tools/grade --sim-only $lab) > "$scratch/tamper-$name.txt" 2>&1
    local status=$? got baseline
    read -r got _ <<< "$(score "$scratch/tamper-$name.txt" $lab)"
    baseline=$(eval echo "\$stub_$(echo $lab | tr - _)")
    # (and the grader noticed: the change was made, and it says why it scores 0)
    if [ $status -ne 0 ] && [ -n "$got" ] && [ "$got" -le "$baseline" ] \
            && grep -qE 'is modified|is deleted|unverifiable' "$scratch/tamper-$name.txt"; then
        pass handout.tamper_$name
    else
        fail handout.tamper_$name "status $status, score ${got:-?} (the stub alone scores $baseline): $(tail -3 "$scratch/tamper-$name.txt")"
    fi
    rm -rf "$copy"
}
tamper comment_out_unit_lines prio "sed -i 's|^\( *\)UNIT(|\1// UNIT(|' tests/sched-sim/test_prio.c"
tamper delete_test_file mlfq "rm tests/sched-sim/test_mlfq.c"
tamper test_does_not_build lottery-stride "echo 'this does not compile' >> tests/sched-sim/test_stride.c"
tamper fake_passes lottery-stride "sed -i 's|if (unit_failures_in_case)|if (0)|' tests/unit/unit.h"
tamper empty_balance_test balance ": > tests/sched-sim/test_balance.c"
tamper delete_digests mlfq "rm tools/grade-digests; sed -i 's|^\( *\)UNIT(|\1// UNIT(|' tests/sched-sim/test_mlfq.c"

# The policy file itself runs inside the simulator's test programs, also under
# tools/grade --submission: one that prints the PASS lines from a constructor
# and exits before the tests run scores 0 there, with the reason.
copy=$scratch/cheat-constructor
rm -rf "$copy" && cp -a "$tree" "$copy"
cat >> "$copy/sched/policies/prio.c" <<'EOF2'
#include <stdio.h>
#include <unistd.h>
__attribute__((constructor)) static void cheat(void)
{
    const char *n[] = {"lower_nice_runs_first", "equal_nice_alternates", "aging_prevents_starvation",
                       "waking_important_job_preempts", "renice_in_the_middle_of_the_queue"};
    for (int i = 0; i < 5; i++)
        printf("PASS sched.prio.%s\n", n[i]);
    fflush(stdout);
    _exit(0);
}
EOF2
(cd "$copy" && tools/grade --sim-only prio) > "$scratch/cheat-constructor.txt" 2>&1
status=$?
read -r got _ <<< "$(score "$scratch/cheat-constructor.txt" prio)"
if [ $status -ne 0 ] && [ "${got:-x}" = 0 ] && grep -q 'may not run beside the tests' "$scratch/cheat-constructor.txt"; then
    pass handout.policy_cannot_fake_results
else
    fail handout.policy_cannot_fake_results "status $status, score ${got:-?}: $(tail -3 "$scratch/cheat-constructor.txt")"
fi
rm -rf "$copy"

# The same for the load balancer, which the simulator links into every test.
copy=$scratch/cheat-balancer
rm -rf "$copy" && cp -a "$tree" "$copy"
cat >> "$copy/sched/balance.c" <<'EOF2'
#include <stdio.h>
__attribute__((constructor)) static void cheat(void) { puts("PASS sched.balance.wakes_on_an_idle_cpu"); }
EOF2
(cd "$copy" && tools/grade --sim-only balance) > "$scratch/cheat-balancer.txt" 2>&1
status=$?
read -r got _ <<< "$(score "$scratch/cheat-balancer.txt" balance)"
if [ $status -ne 0 ] && [ "${got:-x}" = 0 ] && grep -q 'sched/balance.c may not run beside the tests' "$scratch/cheat-balancer.txt"; then
    pass handout.balancer_cannot_fake_results
else
    fail handout.balancer_cannot_fake_results "status $status, score ${got:-?}: $(tail -3 "$scratch/cheat-balancer.txt")"
fi
rm -rf "$copy"

# The copy-on-write lab's checks are protected the same way: emptying the
# student's t_cow.c scores 0 (without booting: the digest differs).
rm -rf "$scratch/tamper-cow" && cp -a "$tree" "$scratch/tamper-cow"
: > "$scratch/tamper-cow/tests/labs/cow/t_cow.c"
(cd "$scratch/tamper-cow" && tools/grade cow) > "$scratch/tamper-cow.txt" 2>&1
status=$?
if [ $status -ne 0 ] && grep -q '^Score for cow: 0/33' "$scratch/tamper-cow.txt" \
        && grep -q 'tests/labs/cow/t_cow.c is modified' "$scratch/tamper-cow.txt"; then
    pass handout.tamper_empty_cow_test
else
    fail handout.tamper_empty_cow_test "status $status: $(grep -E '^(Score|  -)' "$scratch/tamper-cow.txt" | head -3)"
fi
rm -rf "$scratch/tamper-cow"

# ...and the replacement lab's: emptying the student's copies of its
# simulator test and its QEMU program scores 0, not more than the stub.
rm -rf "$scratch/tamper-replace" && cp -a "$tree" "$scratch/tamper-replace"
: > "$scratch/tamper-replace/tests/mm-sim/test_replace.c"
: > "$scratch/tamper-replace/tests/labs/replace/t_replace.c"
(cd "$scratch/tamper-replace" && tools/grade replace) > "$scratch/tamper-replace.txt" 2>&1
status=$?
if [ $status -ne 0 ] && grep -q '^Score for replace: 0/18' "$scratch/tamper-replace.txt" \
        && grep -q 'tests/mm-sim/test_replace.c is modified' "$scratch/tamper-replace.txt"; then
    pass handout.tamper_empty_replace_tests
else
    fail handout.tamper_empty_replace_tests "status $status: $(grep -E '^(Score|  -)' "$scratch/tamper-replace.txt" | head -3)"
fi
rm -rf "$scratch/tamper-replace"

# Without digests (the teacher's edition), points still come from the
# manifest: a test file whose cases are commented out scores 0, not 0/0.
rm -rf "$scratch/teacher-copy" && mkdir "$scratch/teacher-copy"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp -p --parents -t "$scratch/teacher-copy")
# The simulator's objects come along with their times: only the edited test is rebuilt.
(cd "$ROOT" && for built in build/hostobj/sim build/sched-sim; do
    [ ! -d "$built" ] || cp -a --parents "$built" "$scratch/teacher-copy"
done)
sed -i 's|^\( *\)UNIT(|\1// UNIT(|' "$scratch/teacher-copy/tests/sched-sim/test_mlfq.c"
(cd "$scratch/teacher-copy" && tools/grade --sim-only mlfq) > "$scratch/teacher-copy.txt" 2>&1
status=$?
if [ $status -ne 0 ] && grep -q '^Score for mlfq: 0/16' "$scratch/teacher-copy.txt"; then
    pass handout.manifest_counts_missing_cases
else
    fail handout.manifest_counts_missing_cases "status $status: $(grep Score "$scratch/teacher-copy.txt")"
fi
rm -rf "$scratch/teacher-copy"

# The manifest names exactly the cases the tests declare (so a new case is graded).
for test in prio mlfq lottery stride edf balance; do
    # Every UNIT(name) outside comments (clang-format may put several on a line).
    declared=$(grep -v '^ *//' "$ROOT/tests/sched-sim/test_$test.c" | grep -o 'UNIT([a-z_0-9]*)' |
        sed 's/UNIT(\(.*\))/\1/' | sort | tr '\n' ' ')
    listed=$(python3 -c "import json,sys; m=json.load(open('$ROOT/tools/grade-manifest.json'))
print(' '.join(sorted(t['name'].split('.')[-1] for l in m['labs'].values() for t in l['tests'] if t.get('binary') == 'test_$test')))")
    [ "$declared" = "$listed " ] && pass handout.manifest_matches_test_$test \
        || fail handout.manifest_matches_test_$test "declared: $declared; manifest: $listed"
done
# Every check of the manifest is in its lab's handout, with its points.
missing=$(python3 -c "import json; m=json.load(open('$ROOT/tools/grade-manifest.json'))
for lab in m['labs'].values():
    text = open('$ROOT/' + lab['handout']).read()
    for t in lab['tests']:
        if '| \`%s\` | %d |' % (t['name'], t['points']) not in text: print(t['name'])")
[ -z "$missing" ] && pass handout.handouts_list_every_check || fail handout.handouts_list_every_check "not in the handout with its points: $missing"

# The reference policies get full marks; the JSON is Gradescope's results.json.
"$ROOT/tools/grade" --sim-only --format json --results "$scratch/results.json" prio mlfq lottery-stride edf balance \
    > "$scratch/teacher.txt" 2>&1
status=$?
if [ $status -eq 0 ] && [ "$(grep -c '^Score for .*: \([0-9]*\)/\1$' "$scratch/teacher.txt")" -eq 5 ]; then
    pass handout.grader_passes_reference
else
    fail handout.grader_passes_reference "status $status: $(grep -E '^(Score|  -)' "$scratch/teacher.txt" | head -5)"
fi
check=$(python3 -c "import json; r=json.load(open('$scratch/results.json')); m=json.load(open('$ROOT/tools/grade-manifest.json'))
want=[t for l in m['labs'].values() for t in l['tests'] if t['suite'] == 'sim']
names=[t['name'] for t in r['tests']]
ok = names == [t['name'] for t in want] and r['score'] == sum(t['points'] for t in want) and all(t['score'] == t['max_score'] and isinstance(t['output'], str) for t in r['tests'])
print('ok' if ok else 'score %s, %d tests' % (r.get('score'), len(names)))" 2>&1)
[ "$check" = ok ] && pass handout.gradescope_results_json || fail handout.gradescope_results_json "$check"
(cd "$tree" && tools/grade --sim-only --format json --results "$scratch/student.json" mlfq) > /dev/null 2>&1
python3 -c "import json,sys; r=json.load(open('$scratch/student.json')); sys.exit(not (r['score'] == 0 and len(r['tests']) == 8))" 2>/dev/null \
    && pass handout.gradescope_results_json_for_stub || fail handout.gradescope_results_json_for_stub "$(head -c 300 "$scratch/student.json" 2>&1)"
# The three labs graded with --submission (started above).
wait $submission
status=$?
for lab in syscall cow replace; do
    part "$scratch/student-submission.txt" $lab > "$scratch/student-$lab.txt"
done
read -r got total <<< "$(score "$scratch/student-syscall.txt" syscall)"
if [ $status -ne 0 ] && [ -n "$got" ] && [ "$total" = 24 ] && [ $((got * 4)) -le "$total" ]; then
    pass handout.stub_scores_at_most_a_quarter_syscall
else
    fail handout.stub_scores_at_most_a_quarter_syscall "status $status, score ${got:-?}/${total:-?}: $(tail -4 "$scratch/student-syscall.txt")"
fi

# The copy-on-write lab's stub, the same way.
read -r got total <<< "$(score "$scratch/student-cow.txt" cow)"
if [ $status -ne 0 ] && [ -n "$got" ] && [ "$total" = 33 ] && [ $((got * 4)) -le "$total" ]; then
    pass handout.stub_scores_at_most_a_quarter_cow
else
    fail handout.stub_scores_at_most_a_quarter_cow "status $status, score ${got:-?}/${total:-?}: $(tail -4 "$scratch/student-cow.txt")"
fi

# The replacement lab's stub (FIFO), the same way: the simulator and one boot.
read -r got total <<< "$(score "$scratch/student-replace.txt" replace)"
if [ $status -ne 0 ] && [ -n "$got" ] && [ "$total" = 18 ] && [ $((got * 4)) -le "$total" ] \
        && grep -q 'replace.working_set_stays_resident: major faults' "$scratch/student-replace.txt"; then
    pass handout.stub_scores_at_most_a_quarter_replace
else
    fail handout.stub_scores_at_most_a_quarter_replace "status $status, score ${got:-?}/${total:-?}: $(tail -4 "$scratch/student-replace.txt")"
fi

wait $rr_checks
passed_for_rr=$(grep -E '^PASS sprout\.' "$scratch/rr-qemu.txt" | cut -d' ' -f2 | tr '\n' ' ')
failed_for_rr=$(grep -cE '^FAIL sprout\.' "$scratch/rr-qemu.txt")
if [ -z "$passed_for_rr" ] && [ "$failed_for_rr" -eq 12 ]; then
    pass handout.every_qemu_check_fails_for_round_robin
else
    fail handout.every_qemu_check_fails_for_round_robin "passed for rr: ${passed_for_rr:-none}; $failed_for_rr of 12 failed"
fi

summary
