# pathname expansion: *, ?, [...], [!...], no match, quoting, hidden files
d=/tmp/sh-glob.$$
mkdir $d
cd $d
touch a.c b.c c.h abc .hidden d1 d2 d3
mkdir sub
touch sub/x.txt sub/y.txt
echo *.c
echo ?.?
echo d[12]
echo d[!1]
echo [a-b]*
echo *.none
echo "*.c"
echo '*'.c
echo sub/*.txt
echo */
echo .h*
x='*.h'
echo $x
echo "$x"
set -f
echo *.c
set +f
cd /
rm -r $d
