#!/usr/bin/env bash
# test_sched_timeline.sh - tools/sched-timeline turns a known trace into the right picture.
source "$(dirname "$0")/../lib/check.sh"

trace=$scratch/trace.txt
cat > "$trace" <<'TRACE'
[    1.000000] some kernel message that is not part of the trace
$ cat /proc/schedtrace
# sprout schedtrace policy=rr quantum_ms=10 hz=100 on
# proc 1 init
# proc 2 sh
1000 fork 2 4 sh
1000 switch 2 4 block wait4
2000 exec 4 spin
11000 switch 4 0 block nanosleep
21000 wakeup 4
21000 switch 0 4 preempt
31000 exit 4
31000 switch 4 2 exit
TRACE
out=$scratch/t.svg
"$ROOT/tools/sched-timeline" "$trace" -o "$out" > "$scratch/log" 2>&1
expect_status tools.timeline.runs $? 0
expect_grep tools.timeline.reports_summary "$scratch/log" '^sched-timeline: [0-9]+ processes, 30.0 ms'
expect_grep tools.timeline.is_svg "$out" '^<svg xmlns="http://www.w3.org/2000/svg"'
expect_grep tools.timeline.row_per_process "$out" '<text class="label" x="4" y="[0-9]+">4 spin</text>'
expect_grep tools.timeline.idle_row "$out" '>0 idle</text>'
# pid 4: ready 1000-2000? no: forked (ready) at 1000, then running from 1000 (switch), blocked 11000-21000, running 21000-31000
count() { grep -c "class=\"$1\" data-pid=\"$2\"" "$out"; }
[ "$(count running 4)" -eq 2 ] && pass tools.timeline.two_running_spans || fail tools.timeline.two_running_spans "pid 4 should run twice, drawn $(count running 4) running spans"
[ "$(count blocked 4)" -eq 1 ] && pass tools.timeline.one_blocked_span || fail tools.timeline.one_blocked_span "pid 4 should block once, drawn $(count blocked 4)"
expect_grep tools.timeline.blocked_reason_shown "$out" '<title>blocked 11000-21000 us \(nanosleep\)</title>'
expect_grep tools.timeline.parent_blocked_in_wait4 "$out" 'class="blocked" data-pid="2".*\(wait4\)'
# An HTML page by default, self-contained.
"$ROOT/tools/sched-timeline" "$trace" -o "$scratch/t.html" > /dev/null 2>&1
expect_grep tools.timeline.html_page "$scratch/t.html" '^<!DOCTYPE html>'
expect_no_grep tools.timeline.no_external_resources "$scratch/t.html" '(src|href)="http'
# The policies' decisions are markers on the lanes.
cat > "$scratch/mlfq.txt" <<'TRACE'
# sprout schedtrace policy=mlfq quantum_ms=10 hz=100 on
# proc 3 hog
# proc 4 inter
1000 switch 0 3 preempt
21000 level 3 1
21000 switch 3 4 preempt
22000 switch 4 3 block nanosleep
61000 level 3 2
100000 boost
100000 level 3 0
101000 switch 3 0 exit
TRACE
"$ROOT/tools/sched-timeline" "$scratch/mlfq.txt" -o "$scratch/m.svg" > "$scratch/mlog" 2>&1
expect_status tools.timeline.markers_run $? 0
expect_grep tools.timeline.markers_counted "$scratch/mlog" 'markers: 3 level, 1 boost\)'
[ "$(grep -c 'class="marker level" data-pid="3"' "$scratch/m.svg")" -eq 3 ] && pass tools.timeline.level_markers_on_the_lane \
    || fail tools.timeline.level_markers_on_the_lane "wanted 3 level markers on pid 3's lane: $(grep -c 'marker level' "$scratch/m.svg")"
expect_grep tools.timeline.demotion_explained "$scratch/m.svg" '<title>level 1 to 2 at 61000 us</title>'
expect_grep tools.timeline.boost_back_to_top "$scratch/m.svg" '<title>level 2 to 0 at 100000 us</title>'
expect_grep tools.timeline.boost_line "$scratch/m.svg" '<line class="marker boost" .*<title>boost at 100000 us'
expect_no_grep tools.timeline.no_level_marker_for_others "$scratch/m.svg" 'class="marker level" data-pid="4"'
cat > "$scratch/lottery.txt" <<'TRACE'
# sprout schedtrace policy=lottery quantum_ms=10 hz=100 on
1000 draw 5 412 600
1000 switch 0 5 preempt
11000 draw 6 12 600
11000 switch 5 6 preempt
21000 pick 6 1048576
21000 switch 6 5 exit
TRACE
"$ROOT/tools/sched-timeline" "$scratch/lottery.txt" -o "$scratch/l.svg" > /dev/null 2>&1
expect_grep tools.timeline.draw_marker "$scratch/l.svg" '<circle class="marker draw" data-pid="5" .*<title>lottery draw at 1000 us: ticket 412 of 600</title>'
expect_grep tools.timeline.pick_marker "$scratch/l.svg" '<polygon class="marker pick" data-pid="6" .*<title>picked at 21000 us with pass 1048576</title>'
# Deadline tasks (edf, rm): a bar where each job is due, a square at each miss.
cat > "$scratch/edf.txt" <<'TRACE'
# sprout schedtrace policy=edf quantum_ms=10 hz=100 on
1000 deadline 7 51000
1000 switch 0 7 preempt
41000 switch 7 0 block
101000 deadline 7 151000
101000 switch 0 7 preempt
151000 miss 7 151000
161000 switch 7 0 exit
TRACE
"$ROOT/tools/sched-timeline" "$scratch/edf.txt" -o "$scratch/d.svg" > "$scratch/dlog" 2>&1
expect_grep tools.timeline.deadline_markers_counted "$scratch/dlog" 'markers: 2 deadline, 1 miss\)'
expect_grep tools.timeline.deadline_marker "$scratch/d.svg" '<polygon class="marker deadline" data-pid="7" .*<title>job released at 1000 us, due at 51000 us</title>'
expect_grep tools.timeline.miss_marker "$scratch/d.svg" '<polygon class="marker miss" data-pid="7" .*<title>missed the deadline at 151000 us</title>'
# No events: a clear error, not a crash.
# Several CPUs (cpu=N on switch lines): a lane per CPU showing what it ran,
# the cpu= token is not taken for a wait channel, and a migration is a marker.
cat > "$scratch/smp.txt" <<'TRACE'
# sprout schedtrace policy=rr quantum_ms=10 hz=100 on
# proc 3 hog
# proc 4 hog
1000 switch 0 3 preempt cpu=0
1000 wakeup 4 cpu=1
1500 switch 0 4 preempt cpu=1
11000 switch 3 0 block cpu=0
12000 migrate 3 0 1
12000 wakeup 3 cpu=1
21000 switch 4 3 preempt cpu=1
31000 switch 3 0 exit cpu=1
TRACE
"$ROOT/tools/sched-timeline" "$scratch/smp.txt" -o "$scratch/s.svg" > "$scratch/slog" 2>&1
expect_status tools.timeline.smp_runs $? 0
expect_grep tools.timeline.cpu_lanes "$scratch/s.svg" '>CPU 1</text>'
[ "$(grep -c 'class="label cpu"' "$scratch/s.svg")" -eq 2 ] && pass tools.timeline.one_lane_per_cpu \
    || fail tools.timeline.one_lane_per_cpu "wanted 2 CPU lanes: $(grep -c 'class="label cpu"' "$scratch/s.svg")"
expect_grep tools.timeline.cpu1_ran_3_after_4 "$scratch/s.svg" '<title>CPU 1 runs 3 hog, 21000-31000 us</title>'
expect_grep tools.timeline.cpu0_ran_3 "$scratch/s.svg" '<title>CPU 0 runs 3 hog, 1000-11000 us</title>'
expect_grep tools.timeline.cpu_token_not_a_wait_channel "$scratch/s.svg" '<title>blocked 11000-12000 us</title>'
expect_grep tools.timeline.migrate_marker "$scratch/s.svg" 'class="marker migrate" data-pid="3" .*<title>moved from CPU 0 to CPU 1 at 12000 us</title>'
expect_no_grep tools.timeline.no_cpu_lanes_without_cpus "$out" 'class="label cpu"'
echo "nothing here" > "$scratch/empty.txt"
"$ROOT/tools/sched-timeline" "$scratch/empty.txt" -o "$scratch/e.svg" > "$scratch/elog" 2>&1
status=$?
[ "$status" -ne 0 ] && grep -q "no trace events" "$scratch/elog" && pass tools.timeline.empty_trace_refused || fail tools.timeline.empty_trace_refused "status $status: $(cat "$scratch/elog")"
summary
