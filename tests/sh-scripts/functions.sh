# functions: arguments, $#, return, recursion, redefinition
greet() {
    echo "hello $1, you gave $# arguments"
}
greet world a b
add() { return $(($1 + $2)); }
add 2 3
echo "add returned $?"
fact() {
    if [ $1 -le 1 ]; then echo 1; return; fi
    echo $(( $1 * $(fact $(($1 - 1))) ))
}
echo "5! = $(fact 5)"
set -- outer1 outer2
show() { echo "inside: $*"; }
show inner
echo "outside: $*"
greet() { echo "redefined"; }
greet
early() { echo before; return 7; echo after; }
early
echo "early: $?"
