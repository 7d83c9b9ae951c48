#!/usr/bin/env bash
# test_flamegraph.sh - tools/flamegraph draws known folded stacks as a valid SVG, boxes to scale.
source "$(dirname "$0")/../lib/check.sh"

cat > "$scratch/in.folded" <<'FOLDED'
$ prof report --folded /tmp/p.data
prog;main;hot 30
prog;main;cold 10
prog;main;hot;sys_getppid_[k] 10
other;work 50
FOLDED
"$ROOT/tools/flamegraph" --width 1020 --title 'a <test>' "$scratch/in.folded" > "$scratch/out.svg" 2> "$scratch/err"
expect_status tools.flamegraph.runs $? 0
expect_grep tools.flamegraph.skips_noise "$scratch/err" 'skipped 1 lines'

# Parse it as XML and measure the boxes: the drawing area is 1000 px for 100 samples.
python3 - "$scratch/out.svg" > "$scratch/check" 2>&1 <<'PY'
import sys
import xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
tree = ET.parse(sys.argv[1])
frames = {}
for g in tree.getroot().findall("s:g", ns):
    name = g.find("s:title", ns).text.split(" (")[0]
    frames[name] = float(g.find("s:rect", ns).get("width"))
want = {"all": 1000, "prog": 500, "other": 500, "main": 500, "hot": 400, "cold": 100,
        "sys_getppid_[k]": 100, "work": 500}
for name, width in sorted(want.items()):
    got = frames.get(name)
    ok = got is not None and abs(got - width) < 0.01
    print("%s %s %s" % ("ok" if ok else "bad", name, got))
print("title", tree.getroot().find("s:text", ns).text)
PY
expect_status tools.flamegraph.valid_xml $? 0
expect_no_grep tools.flamegraph.widths_proportional "$scratch/check" '^bad'
expect_grep tools.flamegraph.all_frames_drawn "$scratch/check" '^ok sys_getppid_\[k\]'
expect_grep tools.flamegraph.title_escaped "$scratch/check" '^title a <test>$'
expect_grep tools.flamegraph.tooltip "$scratch/out.svg" '<title>hot \(40 samples, 40.00%\)</title>'

# Nothing to draw is an error, not an empty picture.
echo 'not a stack' | "$ROOT/tools/flamegraph" > /dev/null 2>&1
expect_status tools.flamegraph.empty_input_fails $? 1
summary
