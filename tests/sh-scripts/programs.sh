# small programs as students write them: sorting, counting, string work
# bubble sort of the positional parameters, with eval-built variables
sort_numbers() {
    n=$#
    i=0
    for v; do eval "a_$i=\$v"; i=$((i + 1)); done
    i=0
    while [ $i -lt $n ]; do
        j=0
        while [ $j -lt $((n - i - 1)) ]; do
            eval "x=\$a_$j; y=\$a_$((j + 1))"
            if [ "$x" -gt "$y" ]; then
                eval "a_$j=\$y; a_$((j + 1))=\$x"
            fi
            j=$((j + 1))
        done
        i=$((i + 1))
    done
    out=
    i=0
    while [ $i -lt $n ]; do eval "out=\"\$out \$a_$i\""; i=$((i + 1)); done
    echo "sorted:$out"
}
sort_numbers 5 3 9 1 7 2
# count words by their first letter, reading a here-document
vowels=0 others=0
while read -r word; do
    case $word in
    [aeiouAEIOU]*) vowels=$((vowels + 1)) ;;
    '') ;;
    *) others=$((others + 1)) ;;
    esac
done <<END
apple
banana
Orange

kiwi
umbrella
END
echo "vowels=$vowels others=$others"
# fibonacci with a recursive function and command substitution
fib() { if [ $1 -lt 2 ]; then echo $1; else echo $(( $(fib $(($1 - 1))) + $(fib $(($1 - 2))) )); fi; }
echo "fib 10 = $(fib 10)"
# string manipulation with parameter expansion
path=/home/student/projects/sprout/README.md
file=${path##*/}
dir=${path%/*}
ext=${file##*.}
base=${file%.*}
echo "dir=$dir file=$file base=$base ext=$ext"
reverse() {
    s=$1 r=
    while [ -n "$s" ]; do
        rest=${s#?}
        r=${s%"$rest"}$r
        s=$rest
    done
    echo "$r"
}
reverse "stressed"
# greatest common divisor
gcd() { a=$1 b=$2; while [ $b -ne 0 ]; do t=$((a % b)); a=$b; b=$t; done; echo $a; }
echo "gcd(84, 36) = $(gcd 84 36)"
# a tiny option parser and usage message
usage() { echo "usage: tool [-v] [-n N] FILE" ; return 2; }
tool() {
    verbose=0 count=1
    OPTIND=1
    while getopts vn: opt; do
        case $opt in
        v) verbose=1 ;;
        n) count=$OPTARG ;;
        *) usage; return ;;
        esac
    done
    shift $((OPTIND - 1))
    [ $# -eq 1 ] || { usage; return; }
    echo "verbose=$verbose count=$count file=$1"
}
tool -v -n 3 data.txt
tool data.txt extra
echo "tool status: $?"
