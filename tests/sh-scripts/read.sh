# read: fields, the rest of the line, -r, IFS, end of file
printf 'a b c d\n' | { read x y z; echo "x=$x y=$y z=$z"; }
printf '  lead  trail  \n' | { read l; echo "[$l]"; }
printf 'back\\slash\n' | { read r; echo "no -r: $r"; }
printf 'back\\slash\n' | { read -r r; echo "with -r: $r"; }
printf 'one:two:three\n' | { IFS=: read a b c; echo "$a|$b|$c"; }
printf 'last' | { read v; echo "status $? v=$v"; }
: | { read v; echo "empty status $?"; }
