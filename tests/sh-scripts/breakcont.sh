# break and continue, with levels
for i in 1 2 3 4 5; do
    [ $i = 2 ] && continue
    [ $i = 4 ] && break
    echo "i=$i"
done
for i in a b c; do
    for j in 1 2 3; do
        [ $j = 2 ] && continue 2
        [ $i = c ] && break 2
        echo "$i$j"
    done
done
echo "after nested"
n=0
while :; do
    n=$((n + 1))
    if [ $n -gt 3 ]; then break; fi
done
echo "n=$n"
