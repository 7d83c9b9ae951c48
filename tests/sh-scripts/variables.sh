# variables: assignment, export to children, per-command assignment, $$
a=1 b=2
echo "$a $b"
c=$a$b
echo "c=$c"
export E=exported
sh -c 'echo "child sees E=$E"'
F=only-for-this sh -c 'echo "child sees F=$F"'
echo "F after: [${F-unset}]"
unset a
echo "a unset: [${a-unset}]"
pid1=$$
pid2=$(echo $$)
[ "$pid1" = "$pid2" ] && echo "\$\$ is the same in a command substitution"
x=abc; y=${x}def
echo "$y"
