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
