# eval, and building commands from strings
cmd='echo evaluated'
eval $cmd
name=dynamic
eval "$name=value"
echo "dynamic=$dynamic"
eval 'for i in 1 2; do echo "loop $i"; done'
eval "false"
echo "eval status: $?"
out=/tmp/sh-eval.$$
eval 'echo "into the file"; echo "and errors" >&2' > $out 2>&1
echo "file holds:"; cat $out
rm $out
eval 'echo "from eval in a pipe"' | cat
