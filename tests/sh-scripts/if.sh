# if / then / elif / else / fi, and the status of an if
x=2
if [ $x -eq 1 ]; then echo one; elif [ $x -eq 2 ]; then echo two; else echo other; fi
if false; then echo no; fi
echo "status after untaken if: $?"
if true
then
    echo multi-line then
fi
if ! false; then echo negated; fi
if [ a = b ] || [ b = b ]; then echo or-list; fi
if test -n "" ; then echo nonempty; else echo empty; fi
