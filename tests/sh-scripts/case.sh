# case with patterns, alternatives, character classes and quoting
for w in apple banana cherry 42 x.c "a b" '*' Z; do
    case $w in
    apple | banana) echo "$w: fruit A or B" ;;
    c*) echo "$w: starts with c" ;;
    [0-9][0-9]) echo "$w: two digits" ;;
    *.c) echo "$w: C file" ;;
    "a b") echo "$w: quoted space" ;;
    '*') echo "$w: a literal star" ;;
    [!a-z]) echo "$w: not lower case" ;;
    esac
done
case x in
(x) echo "parenthesised pattern"
esac
case nothing in a) echo a;; esac
echo "no match status $?"
