# ( ) subshells do not change the parent; { } groups do
x=1
(x=2; echo "in subshell: $x")
echo "after subshell: $x"
{ x=3; echo "in group: $x"; }
echo "after group: $x"
(cd /; pwd)
(exit 5)
echo "subshell exit: $?"
( echo a; echo b ) | cat
{ echo c; echo d; } > /tmp/sh-group.$$
cat /tmp/sh-group.$$
rm /tmp/sh-group.$$
