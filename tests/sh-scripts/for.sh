# for with a list, with globs in the list, and without "in"
for w in alpha "beta gamma" delta; do echo "[$w]"; done
set -- one two "three four"
for a; do echo "arg: $a"; done
for a in; do echo never; done
echo "after empty list: $?"
list="x y z"
for v in $list; do printf '%s,' "$v"; done
echo
for v in "$list"; do printf '%s,' "$v"; done
echo
