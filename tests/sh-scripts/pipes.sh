# pipelines with compound commands and builtins in them
echo "a b c" | { read x y z; echo "$z $y $x"; }
printf '3\n1\n2\n' | while read n; do echo "n=$n"; done
for i in 1 2 3; do echo $i; done | cat
x=outer
echo inner | { read x; echo "in pipe: $x"; }
echo "after pipe: $x"
echo hello | cat | cat
