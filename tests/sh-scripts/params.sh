# positional parameters: $#, $@, $*, "$@", shift, set --
set -- a "b c" d
echo "count: $#"
echo "first: $1 second: $2 third: $3"
for p in "$@"; do echo "at: [$p]"; done
for p in "$*"; do echo "star: [$p]"; done
for p in $@; do echo "unquoted: [$p]"; done
shift
echo "after shift: $# $1"
shift 2
echo "after shift 2: $#"
set -- 1 2 3 4 5 6 7 8 9 10 11
echo "ninth: $9 tenth: ${10}"
set --
echo "empty: $# [$*]"
for p in "$@"; do echo "never"; done
echo "done"
