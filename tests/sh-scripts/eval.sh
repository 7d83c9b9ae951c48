# eval, and building commands from strings
cmd='echo evaluated'
eval $cmd
name=dynamic
eval "$name=value"
echo "dynamic=$dynamic"
eval 'for i in 1 2; do echo "loop $i"; done'
eval "false"
echo "eval status: $?"
