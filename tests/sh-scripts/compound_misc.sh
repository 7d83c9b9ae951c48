# nesting everything: loops in functions in conditions, case in loops
classify() {
    for n in "$@"; do
        case $((n % 3)) in
        0) echo "$n fizz" ;;
        *) if [ $((n % 2)) -eq 0 ]; then echo "$n even"; else echo "$n odd"; fi ;;
        esac
    done
}
classify 1 2 3 4 5 6
count=0
while [ $count -lt 3 ]; do
    count=$((count + 1))
    case $count in 2) continue ;; esac
    echo "count $count"
done
result=$(for i in a b; do echo -n "$i"; done; echo)
echo "result=$result"
if { true; false; }; then echo no; else echo "group status is the last"; fi
