# . and source run a file in this shell
f=/tmp/sh-source.$$
cat > $f <<'EOF2'
sourced_var=from-file
echo "in file: $1"
EOF2
. $f
echo "var: $sourced_var"
sourced_var=
. $f
echo "again: $sourced_var"
rm $f
g=/tmp/sh-source2.$$
echo 'echo "sourced output"' > $g
. $g > $g.out
echo "captured: $(cat $g.out)"
rm $g $g.out
