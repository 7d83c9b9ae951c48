/*
 * sh_sources.h - every .c file of the shell but main.c, for the unit tests
 * that #include them to reach their static helpers (test_user_sh*.c).
 */
#ifndef TESTS_UNIT_SH_SOURCES_H
#define TESTS_UNIT_SH_SOURCES_H

#include "user/sh/strbuf.c"
#include "user/sh/output.c"
#include "user/sh/lex.c"
#include "user/sh/parse.c"
#include "user/sh/parse_compound.c"
#include "user/sh/vars.c"
#include "user/sh/expand.c"
#include "user/sh/expand_param.c"
#include "user/sh/arith.c"
#include "user/sh/glob.c"
#include "user/sh/compound.c"
#include "user/sh/trap.c"
#include "user/sh/test.c"
#include "user/sh/printf.c"
#include "user/sh/builtins_script.c"
#include "user/sh/builtins_lookup.c"
#include "user/sh/getopts.c"
#include "user/sh/read.c"
#include "user/sh/redir.c"
#include "user/sh/signals.c"
#include "user/sh/jobs.c"
#include "user/sh/jobctl.c"
#include "user/sh/builtins.c"
#include "user/sh/exec.c"
#include "user/sh/history.c"
#include "user/sh/lineedit.c"
#include "user/sh/lineedit_tty.c"
#include "user/sh/complete.c"
#include "user/sh/input.c"

#endif
