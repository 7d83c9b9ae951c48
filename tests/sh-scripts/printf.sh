# printf: conversions, widths, reuse of the format, escapes
printf '%s-%s\n' a b c d
printf '%5s|%-5s|\n' ab cd
printf '%d %i %x %o %X\n' 42 -7 255 8 255
printf '%03d %.2s %c\n' 7 abcdef xyz
printf 'percent %% tab\there\n'
printf '%b\n' 'with\nnewline'
printf 'no newline'
printf '\n'
printf '%s\n'
printf '%d\n' "'A"
