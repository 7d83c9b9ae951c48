# command substitution: $(...), backquotes, nesting, trailing newlines
a=$(echo hello)
echo "a=$a"
b=`echo back quoted`
echo "b=$b"
echo "nested: $(echo $(echo inner))"
c=$(printf 'line1\nline2\n\n\n')
echo "c=[$c]"
d=$(false)
echo "status of assignment: $?"
words=$(echo one two three)
for w in $words; do echo "w=$w"; done
echo "quoted: $(echo "a   b")"
echo "backslash in backquotes: `echo \$HOME | cat >/dev/null; echo ok`"
