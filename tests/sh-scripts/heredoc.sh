# here-documents: expanded, quoted, with tab stripping, several on a line
name=world
cat <<EOF
hello $name
sum $((1 + 1))
escaped \$name
EOF
cat <<'EOF'
literal $name $(echo no)
EOF
cat <<-EOF
	tabs stripped $name
		two tabs
	EOF
cat <<A; cat <<B
first A
A
second B
B
while read line; do echo "read: $line"; done <<EOF
one
two
EOF
