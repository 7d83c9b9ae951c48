# local variables are restored when the function returns
x=global
f() {
    local x
    x=local
    echo "in f: $x"
    g
}
g() { echo "in g: $x"; }
f
echo "after f: $x"
h() { local y=5; y=$((y + 1)); echo "y=$y"; }
h
echo "y after h: '${y-unset}'"
