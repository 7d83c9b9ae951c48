# getopts: letters, grouped letters, arguments, --, unknown and missing, silent mode
parse() {
  OPTIND=1
  while getopts "ab:c" opt; do
    case $opt in
      a) echo "a";;
      b) echo "b=$OPTARG";;
      c) echo "c";;
      \?) echo "unknown";;
    esac
  done
  shift $((OPTIND - 1))
  echo "rest: $* (OPTIND=$OPTIND)"
}
parse -a -b val file1 file2
parse -ac -bval -- -x
parse -x -a 2>/dev/null
parse -b 2>/dev/null
parse plain -a
silent() {
  OPTIND=1
  while getopts ":ab:" opt; do
    case $opt in
      :) echo "missing arg for $OPTARG";;
      \?) echo "bad option $OPTARG";;
      *) echo "opt $opt ${OPTARG-}";;
    esac
  done
}
silent -z -b
set -- -a -b x
OPTIND=1
while getopts ab: o; do echo "global $o ${OPTARG:-}"; done
echo "status at end: $?"
