# umask: shown in octal and symbolically, set, bad numbers refused (status
# 2), long ones cut to their low nine bits; a subshell's umask stays there
umask 022
umask
umask -S
umask 027
umask
umask -S
umask 999 2> /dev/null
echo "bad status $?"
umask 0
umask -S
umask 777
umask -S
umask 1234567
echo "long status $?"
umask
umask 077
(umask 000)
umask
umask 022
