/*
 * coredump.h - writing a core file when a signal kills a process.
 *
 * SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGQUIT (and SIGTRAP, SIGSYS,
 * SIGXCPU, SIGXFSZ) end a process "with a core dump": the kernel writes the
 * process's memory and registers to a file named `core` in its working
 * directory, an ELF file of type ET_CORE that gdb reads together with the
 * program:  gdb prog core  ->  bt, info registers, x/4xg $rsp ...
 *
 *   ELF header (ET_CORE)
 *   program headers: PT_NOTE, then one PT_LOAD per memory region (VMA)
 *   notes: NT_PRSTATUS (signal, pid, the user registers), NT_PRPSINFO
 *          (name, arguments), NT_SIGINFO, NT_AUXV, NT_FPREGSET
 *   the regions' bytes, page-aligned; pages never touched stay holes
 *
 * The wait status carries WCOREDUMP (0x80) only if the file was written, so
 * the shell's "(core dumped)" is true.
 */
#ifndef PROC_COREDUMP_H
#define PROC_COREDUMP_H

#include "kernel/interrupts.h"
#include "kernel/types.h"

struct pending_info;

#define CORE_FILE_NAME "core" /* in the working directory; a new crash replaces it */
#define CORE_FILE_MODE 0600   /* as Linux: a core holds the process's secrets */

/*
 * Write the current process's core file: it is dying from `sig` (whose
 * siginfo is `info`), with its user registers in `frame`.  Called from
 * signal_deliver() in process context, interrupts on, before proc_exit()
 * gives the memory back; may sleep.  Writes nothing when RLIMIT_CORE is
 * below one page.  Returns true if a core file was written, even one that
 * RLIMIT_CORE cut short (as Linux); false when the directory refuses a new
 * file (/proc, /dev, a removed directory, a directory named `core`), memory
 * ran out (the partial file is emptied), or SIGKILL arrived while writing.
 */
bool coredump_write(int sig, const struct pending_info *info, const struct trap_frame *frame);

#endif
