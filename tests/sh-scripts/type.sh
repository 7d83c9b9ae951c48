# type and command -v: keywords, functions, builtins, programs, unknown names
PATH=/bin
f() { :; }
type f cd if cat
type no_such_command_xyz
echo "type status: $?"
command -v f
command -v cd
command -v cat
command -v no_such_command_xyz
echo "command -v status: $?"
if command -v printf > /dev/null; then echo "printf is there"; fi
cat() { echo "the function, not the program"; }
echo "through the function:"; cat /dev/null
echo "through command:"; command cat /dev/null; echo "status $?"
pwd() { echo "function pwd"; }
command pwd > /dev/null && echo "command pwd runs the builtin"
