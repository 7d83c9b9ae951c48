# check.sh - helpers for shell-driven test suites (source it).
#
#   pass NAME                         print "PASS NAME"
#   fail NAME WHY                     print "FAIL NAME: WHY"
#   expect_grep NAME FILE REGEX       pass if FILE has a line matching REGEX
#   expect_no_grep NAME FILE REGEX    pass if no line matches
#   expect_status NAME GOT WANT
#   summary                           print "N passed, N failed"; exit 1 if any failed

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
passed=0
failed=0

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

expect_grep() {
    if grep -Eq -- "$3" "$2"; then pass "$1"; else fail "$1" "expected a line matching /$3/ in the output"; fi
}

expect_no_grep() {
    local hit
    if hit=$(grep -Em1 -- "$3" "$2"); then fail "$1" "unexpected line: $hit"; else pass "$1"; fi
}

expect_status() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "exit status $2, expected $3"; fi
}

summary() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

# A scratch directory removed at exit.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/sprout-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# Strip the carriage returns the serial console sends.
strip_cr() { tr -d '\r' < "$1" > "$1.tmp" && mv "$1.tmp" "$1"; }
