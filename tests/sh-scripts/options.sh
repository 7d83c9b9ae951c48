# the shell's own options: -c with $0 and $1, -e, -x, -s, -f, -u, --
sh -c 'echo "zero=$0 one=$1 count=$#"' name first second
sh -e -c 'false; echo "not reached"'
echo "sh -e: $?"
sh -ec 'true; echo "-ec runs"'
sh -x -c 'echo traced' 2>&1
sh -f -c 'echo /*'
sh -u -c 'echo $undefined_var' 2>/dev/null
echo "sh -u: $?"
echo 'echo "from stdin: $1 $2"' | sh -s alpha beta
printf 'echo piped\nexit 4\necho never\n' | sh
echo "piped script status: $?"
sh -c 'exit 9'; echo "sh -c exit: $?"
sh -c 'echo "$@"' -- a b c
echo 'echo interactive-ok' | sh -i 2>/dev/null
sh -Q -c 'echo no' 2>/dev/null
echo "bad option: $?"
sh -c 'set -o errexit; false; echo "not reached"'
echo "set -o errexit: $?"
sh -c 'set -o nounset; echo $undefined_var' 2>/dev/null
echo "set -o nounset: $?"
sh -c 'set -o xtrace; echo t; set +o xtrace; echo u' 2>&1
sh -c 'set -o no_such_option; echo "not reached"' 2>/dev/null
echo "set -o bad: $?"
