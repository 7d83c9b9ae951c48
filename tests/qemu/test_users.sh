#!/usr/bin/env bash
# test_users.sh - the user tools in a real boot: id, whoami, su with a right
# and a wrong password (su is set-user-ID root; /etc/shadow is root's alone),
# ls -l and ps aux naming owners, and login at the console (run=/bin/login).
source "$(dirname "$0")/../lib/check.sh"

out=$scratch/users.txt
script='id; whoami; ls -l /bin/su /etc/shadow; su student -c "id; whoami; cat /etc/shadow; echo wrong | su -c id; echo root | su -c id"; su student -c "sleep 10" & sleep 1; ps aux | grep sleep'
# passwd (set-user-ID root too): a wrong current password, the student's own
# change, someone else's refused; then only the new password opens su, the
# shadow file stays root's and private, and root changes it without the old one.
pw_script='su student -c "printf '"'"'wrong\nx\nx\n'"'"' | passwd; printf '"'"'student\nnewpw\nnewpw\n'"'"' | passwd; passwd root; echo student | su student -c '"'"'echo OLD-PASSWORD-WORKS'"'"'; echo newpw | su student -c '"'"'echo NEW-PASSWORD-WORKS'"'"'"; ls -l /bin/passwd /etc/shadow; printf '"'"'p3\np3\n'"'"' | passwd student; su student -c "echo p3 | su student -c '"'"'echo ROOT-SET-PASSWORD-WORKS'"'"'"'
# strace -p: the student may trace a process of their own (PTRACE_ATTACH).
trace_script="su student -c 'sleep 1 & strace -p \$!'"
"$ROOT/tools/run-qemu" --timeout 60 -- /bin/sh -c "$script; $pw_script; $trace_script" > "$out" 2>&1
strip_cr "$out"
expect_grep qemu.users.id_as_root "$out" '^uid=0\(root\) gid=0\(root\)$'
expect_grep qemu.users.whoami "$out" '^root$'
expect_grep qemu.users.su_is_setuid_root "$out" '^-rwsr-xr-x +1 root +root .* /bin/su$'
expect_grep qemu.users.shadow_is_private "$out" '^-rw------- +1 root +root .* /etc/shadow$'
expect_grep qemu.users.id_as_student "$out" '^uid=1000\(student\) gid=1000\(student\) groups=100\(users\)$'
expect_grep qemu.users.whoami_student "$out" '^student$'
expect_grep qemu.users.student_cannot_read_shadow "$out" 'cat: /etc/shadow: Permission denied'
expect_grep qemu.users.wrong_password_refused "$out" 'su: Authentication failure'
# Root's id twice: once at the start, once from su with root's password.
roots=$(grep -Ec '^uid=0\(root\) gid=0\(root\)$' "$out")
if [ "$roots" -eq 2 ]; then pass qemu.users.right_password_accepted; else
    fail qemu.users.right_password_accepted "root's id $roots times, want 2"; fi
expect_grep qemu.users.ps_aux_names_the_user "$out" '^student +[0-9]+ .* sleep 10$'
expect_grep qemu.users.passwd_is_setuid_root "$out" '^-rwsr-xr-x +1 root +root .* /bin/passwd$'
expect_grep qemu.users.passwd_wants_the_current_password "$out" 'passwd: Authentication token manipulation error'
expect_grep qemu.users.passwd_not_for_others "$out" 'passwd: You may not view or modify password information for root'
updated=$(grep -c '^passwd: password updated successfully$' "$out")
if [ "$updated" -eq 2 ]; then pass qemu.users.passwd_updated; else
    fail qemu.users.passwd_updated "'updated' $updated times, want 2 (the student's own, root's)"; fi
expect_no_grep qemu.users.old_password_no_longer_works "$out" '^OLD-PASSWORD-WORKS$'
expect_grep qemu.users.new_password_works "$out" '^NEW-PASSWORD-WORKS$'
expect_grep qemu.users.root_sets_any_password "$out" '^ROOT-SET-PASSWORD-WORKS$'
private=$(grep -Ec '^-rw------- +1 root +root .* /etc/shadow$' "$out")
if [ "$private" -eq 2 ]; then pass qemu.users.passwd_keeps_shadow_private; else
    fail qemu.users.passwd_keeps_shadow_private "root's mode-600 shadow listed $private times, want 2"; fi
expect_grep qemu.users.strace_attaches_to_ones_own "$out" '^strace: Process [0-9]+ attached$'
expect_grep qemu.users.strace_follows_it_to_the_end "$out" '^exit_group\(0\) += \?$'
expect_no_grep qemu.users.no_panic "$out" 'panic|Oops'

login=$scratch/login.txt
printf 'student\nstudent\nid; pwd; echo $0\nexit\n' > "$scratch/login.in"
"$ROOT/tools/run-qemu" --timeout 60 --input "$scratch/login.in" -- /bin/login > "$login" 2>&1
strip_cr "$login"
expect_grep qemu.users.login_prompt "$login" 'sprout login: '
expect_grep qemu.users.login_shell_is_the_students "$login" '^uid=1000\(student\) gid=1000\(student\) groups=100\(users\)$'
expect_grep qemu.users.login_starts_at_home "$login" '^/home/student$'
expect_grep qemu.users.login_shell_is_a_login_shell "$login" '^-sh$'
summary
