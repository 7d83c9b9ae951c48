#!/usr/bin/env bash
# test_check_tour.sh - tools/check-tour's comparison, on made-up consoles (no boot):
# a typed command whose echo a background job's output cut in two still
# counts (the terminal echoes key by key), and nothing else is forgiven.
source "$(dirname "$0")/../lib/check.sh"

result=$(python3 - "$ROOT/tools/check-tour" <<'PY'
import importlib.machinery, importlib.util, sys
loader = importlib.machinery.SourceFileLoader("check_tour", sys.argv[1])
spec = importlib.util.spec_from_loader("check_tour", loader)
ct = importlib.util.module_from_spec(spec)
loader.exec_module(ct)
typed = ["graceful &", "kill -9 $!; wait"]
want = ["$ kill -9 $!; wait", "[1]+  Killed                  graceful"]
cut = ["[1] 3", "$ handling request 1", "kill -9 $!; wahandling request 3", "it",
       "[1]+  Killed                  graceful"]
whole = ["[1] 3", "$ handling request 1", "kill -9 $!; wait", "handling request 3",
         "[1]+  Killed                  graceful"]
lost = ["[1] 3", "$ handling request 1", "kill -9 $!; wahandling request 3", "",
        "[1]+  Killed                  graceful"]
print("cut", ct.check_block(want, ct.mend_split_echoes(cut, typed), 0)[0])
print("whole", ct.mend_split_echoes(whole, typed) == whole)
print("lost", ct.check_block(want, ct.mend_split_echoes(lost, typed), 0)[0])
PY
)
grep -qx "cut True" <<< "$result" && pass tour_check.split_echo_mended || fail tour_check.split_echo_mended "$result"
grep -qx "whole True" <<< "$result" && pass tour_check.whole_console_untouched || fail tour_check.whole_console_untouched "$result"
grep -qx "lost False" <<< "$result" && pass tour_check.missing_end_still_fails || fail tour_check.missing_end_still_fails "$result"
summary
