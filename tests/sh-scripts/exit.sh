# exit N, and $? after programs and builtins
true
echo "true: $?"
false
echo "false: $?"
sh -c 'exit 3'
echo "sh -c exit 3: $?"
sh -c 'exit 300'
echo "exit 300: $?"
(exit 42)
echo "subshell: $?"
nonexistent_command_xyz 2>/dev/null
echo "not found: $?"
exit 9
echo never
