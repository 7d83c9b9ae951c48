# while and until loops, and the status of a loop
i=0
while [ $i -lt 5 ]; do
    i=$((i + 1))
    printf '%s ' "$i"
done
echo
n=3
until [ $n -eq 0 ]; do echo "n=$n"; n=$((n - 1)); done
while false; do :; done
echo "loop status $?"
