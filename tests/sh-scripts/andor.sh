# && || ! and their statuses
true && echo "and runs after success"
false && echo "never"
false || echo "or runs after failure"
true || echo "never"
false || false || echo "chain"
true && false || echo "mixed"
! true
echo "not true: $?"
! false
echo "not false: $?"
true && { echo group1; echo group2; }
