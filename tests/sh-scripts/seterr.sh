# set -e: a failure ends the script, but not in tests
set -e
false || echo "or-list keeps going"
if false; then :; fi
echo "if condition keeps going"
! true
echo "negation keeps going"
while false; do :; done
echo "before the failure"
f() { false; echo "not reached in f"; }
x=$(echo sub)
echo "x=$x"
false
echo "never printed"
