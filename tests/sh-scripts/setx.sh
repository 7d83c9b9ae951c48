# set -x traces commands on stderr; here stderr goes to stdout to compare
exec 2>&1
set -x
echo traced
x=5
echo "$x"
set +x
echo untraced
