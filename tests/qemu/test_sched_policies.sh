#!/usr/bin/env bash
# test_sched_policies.sh - boot with each scheduling policy and run a schedbench
# workload that shows the property the policy promises (tolerances, not timings):
#   prio     aging: a nice 19 job beside a nice -20 hog still finishes long before it
#   lottery  CPU shares follow tickets 100:200:300 over a long run
#   stride   the same, more exactly
#   cfs      nice 0 gets about 3x the CPU of nice 5 (weights 1024:335)
#   mlfq     short jobs arriving late respond quickly; everything finishes
# POLICIES="prio mlfq" runs only those (tools/grade does, for one lab).
source "$(dirname "$0")/../lib/check.sh"
wanted=" ${POLICIES:-prio lottery stride cfs mlfq} "
wants() { [[ $wanted == *" $1 "* ]]; }

boot() { # boot POLICY WORKLOAD -> $scratch/POLICY-WORKLOAD.txt
    "$ROOT/tools/run-qemu" --timeout 120 --cmdline "sched=$1 loglevel=4" -- /bin/schedbench "$2" \
        > "$scratch/$1-$2.txt" 2>&1
    strip_cr "$scratch/$1-$2.txt"
}

# Column of job lines: job kind nice tickets pid run_ms wait_ms resp_ms turnaround vcsw ivcsw late_ms
column() { awk -v job="$2" -v col="$3" '$1 == job && NF == 12 { print $col }' "$1"; }

check_policy_named() {
    if grep -q "^policy $2:" "$1"; then pass "sched.$2.boots"; else fail "sched.$2.boots" "no 'policy $2' line: $(grep -v '^\[' "$1" | head -3)"; fi
}

if wants prio; then
    boot prio starve
    check_policy_named "$scratch/prio-starve.txt" prio
    turnaround=$(column "$scratch/prio-starve.txt" 1 9)
    if [ -n "$turnaround" ] && [ "${turnaround%.*}" -lt 3500 ]; then
        pass sched.prio.aging_prevents_starvation
    else
        fail sched.prio.aging_prevents_starvation "the nice 19 job took '${turnaround}' ms beside a 4000 ms hog"
    fi
fi

shares() { # shares FILE -> "a b c": each job's share of the CPU time, in percent
    awk 'NF == 12 && $1 ~ /^[0-9]+$/ { run[$1] = $6; total += $6 }
         END { for (i = 0; i < 3; i++) printf "%d ", run[i] * 100 / total }' "$1"
}
within() { # within VALUE TARGET TOLERANCE
    [ -n "$1" ] && [ "$1" -ge $(($2 - $3)) ] && [ "$1" -le $(($2 + $3)) ]
}

for policy in lottery stride; do
    wants $policy || continue
    boot $policy tickets
    check_policy_named "$scratch/$policy-tickets.txt" $policy
    tolerance=$([ $policy = lottery ] && echo 7 || echo 3)
    read -r a b c <<< "$(shares "$scratch/$policy-tickets.txt")"
    if within "$a" 17 "$tolerance" && within "$b" 33 "$tolerance" && within "$c" 50 "$tolerance"; then
        pass sched.$policy.shares_follow_tickets
    else
        fail sched.$policy.shares_follow_tickets "shares ${a:-?}/${b:-?}/${c:-?} %, wanted 17/33/50 +- $tolerance"
    fi
done

if wants cfs; then
    boot cfs nice
    check_policy_named "$scratch/cfs-nice.txt" cfs
    run0=$(column "$scratch/cfs-nice.txt" 0 6)
    run5=$(column "$scratch/cfs-nice.txt" 1 6)
    ratio=$(awk -v a="${run0:-0}" -v b="${run5:-0}" 'BEGIN { if (b > 0) printf "%d", a * 10 / b; else print 0 }')
    if [ "$ratio" -ge 20 ] && [ "$ratio" -le 45 ]; then
        pass sched.cfs.nice_is_honoured
    else
        fail sched.cfs.nice_is_honoured "nice 0 ran ${run0:-?} ms, nice 5 ran ${run5:-?} ms: ratio $((ratio / 10)).$((ratio % 10)), wanted 2.0-4.5"
    fi
fi

if wants mlfq; then
    boot mlfq mix
    check_policy_named "$scratch/mlfq-mix.txt" mlfq
    if grep -q '^summary: workload=mix jobs=8 ' "$scratch/mlfq-mix.txt"; then pass sched.mlfq.mix_completes; else fail sched.mlfq.mix_completes "no summary for the mix workload"; fi
    worst=$(for j in 5 6 7; do column "$scratch/mlfq-mix.txt" $j 8; done | sort -n | tail -1)
    if [ -n "$worst" ] && [ "${worst%.*}" -le 100 ]; then
        pass sched.mlfq.short_jobs_respond_quickly
    else
        fail sched.mlfq.short_jobs_respond_quickly "a short job waited ${worst:-?} ms for its first run (wanted <= 100)"
    fi
fi
[ "$failed" -eq 0 ] || for f in "$scratch"/*.txt; do echo "--- $f"; grep -v '^\[' "$f" | tail -15; done
summary
