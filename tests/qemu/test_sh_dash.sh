#!/usr/bin/env bash
# test_sh_dash.sh - sprout's shell against Debian's dash: every script in
# tests/sh-scripts runs under dash on the host and under sprout's /bin/sh
# inside sprout (one boot for all), and each must print exactly the same
# stdout and end with the same exit status. One PASS or FAIL per script.
source "$(dirname "$0")/../lib/check.sh"

if ! command -v dash > /dev/null; then
    fail sh_dash.dash_installed "dash is not installed (tools/ensure-deps installs it)"
    summary
    exit 1
fi

scripts=$scratch/scripts
mkdir -p "$scripts" "$scratch/hostbin"
cp "$ROOT"/tests/sh-scripts/*.sh "$ROOT"/tests/sh-scripts/run-all "$scripts/"
ln -s "$(command -v dash)" "$scratch/hostbin/sh" # "sh script" inside run-all means dash

# Each output is cut into one file per script: NAME.out holds its lines.
split_output() { # FILE DIR
    mkdir -p "$2"
    awk -v dir="$2" '
        /^=== begin$/ { on = 1; next }
        /^=== end$/ { on = 0; next }
        on && /^=== status / { print > (dir "/" name ".out"); next }
        on && /^=== / { name = substr($0, 5); printf "" > (dir "/" name ".out"); next }
        on && name != "" { print > (dir "/" name ".out") }
    ' "$1"
}

(cd "$scratch" && PATH=$scratch/hostbin:$PATH dash "$scripts/run-all" "$scripts") > "$scratch/dash.txt" 2>&1
out=$scratch/sprout.txt
"$ROOT/tools/run-qemu" --timeout 300 --add "$scripts" -- /bin/sh /bin/run-all /bin > "$out" 2>&1
strip_cr "$out"
split_output "$scratch/dash.txt" "$scratch/want"
split_output "$out" "$scratch/got"

expect_grep sh_dash.sprout_ran_every_script "$out" '^=== end$'
for script in "$ROOT"/tests/sh-scripts/*.sh; do
    name=$(basename "$script" .sh)
    want=$scratch/want/$name.out got=$scratch/got/$name.out
    if [ ! -s "$want" ]; then
        fail "sh_dash.$name" "dash printed nothing for it"
    elif [ ! -f "$got" ]; then
        fail "sh_dash.$name" "sprout's sh did not run it"
    elif cmp -s "$want" "$got"; then
        pass "sh_dash.$name"
    else
        fail "sh_dash.$name" "output differs from dash's (< dash, > sprout):"
        diff "$want" "$got" | head -20
    fi
done
summary
