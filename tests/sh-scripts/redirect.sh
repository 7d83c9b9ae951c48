# redirections: > >> < 2>&1 with builtins, groups, loops and functions
f=/tmp/sh-redir.$$
echo first > $f
echo second >> $f
cat < $f
printf 'builtin\n' > $f
cat $f
for i in 1 2 3; do echo "loop $i"; done > $f
cat $f
show() { echo "from function"; echo "to stderr" >&2; }
show > $f 2>&1
cat $f
while read line; do echo "got $line"; done < $f
if true; then echo "if output"; fi > $f
cat $f
rm $f
