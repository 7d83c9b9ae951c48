# test and [: strings, numbers, files, ! -a -o, parentheses
t() { if "$@"; then echo "yes: $*"; else echo "no: $*"; fi; }
t [ abc = abc ]
t [ abc != abc ]
t [ -z "" ]
t [ -n "" ]
t [ 10 -gt 9 ]
t [ 10 -le 9 ]
t [ -d / ]
t [ -f / ]
t [ -e /nonexistent ]
t [ ! -e /nonexistent ]
t [ 1 -eq 1 -a 2 -eq 3 ]
t [ 1 -eq 1 -o 2 -eq 3 ]
t [ \( 1 -eq 2 \) -o 1 -eq 1 ]
t test x
t test ""
t [ ]
t [ = ]
