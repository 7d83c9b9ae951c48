# trap: on a signal, on EXIT, reset and ignore
trap 'echo got USR1' USR1
kill -USR1 $$
echo after-usr1
trap 'echo got TERM' TERM
kill -TERM $$
echo after-term
trap - TERM
trap '' USR2
kill -USR2 $$
echo usr2-ignored
trap 'echo exit trap runs last' EXIT
echo last line
