# ${var:-x} ${var:=x} ${var:+x} ${var-x} ${#var} # ## % %%
unset u
e=
v=value
echo "${u:-default} ${e:-default} ${v:-default}"
echo "${u-dash} [${e-dash}] ${v-dash}"
echo "${u:+plus} [${e:+plus}] ${v:+plus}"
echo "${u:=assigned} $u"
echo "${#v} ${#u} ${#e}"
path=/usr/local/lib/file.tar.gz
echo "${path#*/} ${path##*/}"
echo "${path%.*} ${path%%.*}"
echo "${path#/usr} ${path%gz}"
echo "${v:-"quoted default"}"
echo ${nothere:-a   b}
echo "${nothere:-a   b}"
x=abcabc
echo "${x#a*c} ${x##a*c} ${x%b*} ${x%%b*}"
( : ${u2:?is required} ) 2>/dev/null
echo "after :? failure: $?"
