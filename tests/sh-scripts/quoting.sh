# quoting: single, double, backslash, mixing, empty arguments
v="two  spaces"
echo $v
echo "$v"
echo '$v'
echo \$v
echo "a\"b" 'c"d' "e'f"
echo "back\\slash"
printf '[%s]\n' "" x ''
printf '[%s]\n' a\ b
printf '[%s]\n' "mixed"'quotes'unquoted
echo "dollar at end $"
empty=
printf '[%s]\n' $empty "$empty"
