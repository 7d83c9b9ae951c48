"""sprout.py - gdb commands that show sprout's kernel state.

Loaded by `make gdb` (source tools/gdb/sprout.py).  Commands:

    ps          the process table: PID, PPID, state, name, what it waits for, CPU
                (* the selected CPU's current process, + the other CPUs')
    runq        every CPU's run queue (cpu_queues[]) and what each CPU runs
    frames      physical memory: total, free and used frames
    dmesg       the kernel log (what printk printed)
    sprout-user PROG   load a user program's symbols (build/initrd/bin/PROG),
                       so `break main if $_streq(current->name, "PROG")` stops
                       in that program's main when it runs in sprout

They read kernel variables by name (all_procs, current, cpu_queues...), so they work
whenever the kernel is stopped, in any function.  `p *current` and
`p current->pid` show the running process with gdb's own printing.
"""
import os
import struct

import gdb

STATES = ["CREATED", "READY", "RUNNING", "BLOCKED", "STOPPED", "ZOMBIE"]


# `current` is a C macro (proc/proc.h: this CPU's `struct cpu`, reached through
# GS), which gdb cannot evaluate without running code.  QEMU shows CPU n as gdb
# thread n + 1, so the same name reads the running process of the CPU gdb has
# selected (`info threads`, `thread N`): `p current->pid` works as before.
gdb.execute("macro define current (cpus[$_thread - 1].running)")


def var(name):
    return gdb.parse_and_eval(name)


def member_offset(type_name, member):
    """Byte offset of `member` (may be nested: "sched.run_node") in struct type_name."""
    return int(gdb.parse_and_eval("(unsigned long)&((%s *)0)->%s" % (type_name, member)))


def list_entries(head, type_name, member):
    """Yield every struct linked through `member` on the struct list `head`."""
    offset = member_offset(type_name, member)
    pointer_type = gdb.parse_and_eval("(%s *)0" % type_name).type
    sentinel = int(head["head"].address)
    node = head["head"]["next"]
    for _ in range(100000):
        if int(node) == sentinel:
            return
        yield gdb.Value(int(node) - offset).cast(pointer_type).dereference()
        node = node["next"]


def state_name(p):
    value = int(p["state"])
    return STATES[value] if 0 <= value < len(STATES) else str(value)


def describe(p):
    parent = p["parent"]
    ppid = int(parent["pid"]) if int(parent) != 0 else 0
    channel = p["wait_channel"]
    waiting = channel.string() if int(channel) != 0 else ""
    return int(p["pid"]), ppid, state_name(p), p["name"].string(), waiting


def cpu_count():
    return int(var("cpu_count"))


def cpu_running():
    """{address of a running process: the CPU running it}, for every CPU."""
    cpus = var("cpus")
    return {int(cpus[i]["running"]): i for i in range(cpu_count()) if int(cpus[i]["running"])}


class Ps(gdb.Command):
    """List every process and thread (proc/proc.c: all_procs) with its state and CPU.

    * marks `current` (the running process of the CPU gdb has selected:
    `thread N` selects CPU N-1), + the running process of every other CPU.
    CPU is where it runs, is queued (READY) or last ran (p->last_cpu)."""

    def __init__(self):
        super().__init__("ps", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        current = int(var("current"))
        running = cpu_running()
        cpus = var("cpus")
        print("  PID  PPID STATE    NAME             WAITING FOR      CPU")
        # The idle processes (PID 0, one per CPU) are not on all_procs: show
        # those that are running now.
        rows = [cpus[i]["running"].dereference() for i in range(cpu_count())
                if int(cpus[i]["running"]) and int(cpus[i]["running"]["pid"]) == 0]
        rows += list(list_entries(var("all_procs"), "struct proc", "all_node"))
        for p in rows:
            pid, ppid, state, name, waiting = describe(p)
            address = int(p.address)
            mark = "*" if address == current else "+" if address in running else " "
            cpu = running.get(address, int(p["last_cpu"]))
            # A thread other than its process's first says whose it is (proc/thread.h).
            tgid = int(p["tgid"])
            thread = "thread of %d" % tgid if tgid != pid and pid != 0 else ""
            print(("%s%4d %5d %-8s %-16s %-16s %3d %s" % (mark, pid, ppid, state, name, waiting,
                                                          cpu, thread)).rstrip())


class Runq(gdb.Command):
    """Show every CPU's run queue (sched/runqueue.h: cpu_queues[]) and what it runs."""

    def __init__(self):
        super().__init__("runq", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        queues = var("cpu_queues")
        cpus = var("cpus")
        policy = var("'sched/sched.c'::policy")
        n = cpu_count()
        ready = sum(int(queues[i]["rq"]["nr_ready"]) for i in range(n))
        print("policy %s, %d ready, quantum %d ticks, clock %d" % (
            policy["name"].string(), ready, int(queues[0]["rq"]["quantum"]),
            int(queues[0]["rq"]["clock"])))
        for i in range(n):
            q = queues[i]
            cur = cpus[i]["running"]
            runs = "%d %s" % (int(cur["pid"]), cur["name"].string()) if int(cur) else "-"
            lock = int(q["lock"]["cpu"])
            print("cpu %d: running %s; %d ready, %d pulled, lock %s" % (
                i, runs, int(q["rq"]["nr_ready"]), int(q["pulls"]),
                "free" if lock < 0 else "held by CPU %d" % lock))
            # The core's list of the queue's processes, in the order they came
            # (each policy orders them its own way: rq.ready, mlfq's levels...).
            for p in list_entries(q["members"], "struct proc", "sched.queue_node"):
                print("  %4d %-16s slice_left=%d" % (int(p["pid"]), p["name"].string(),
                                                     int(p["sched"]["slice_left"])))
        cur = var("current").dereference()
        print("running: %d %s" % (int(cur["pid"]), cur["name"].string()))


class Frames(gdb.Command):
    """Show the physical frame allocator's counts (mm/frame.c)."""

    def __init__(self):
        super().__init__("frames", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        pool = var("'mm/frame.c'::pool")
        total, free = int(pool["total"]), int(pool["free"])
        print("frames: %d total, %d free, %d in use (%d KiB total, %d KiB free)" % (
            total, free, total - free, total * 4, free * 4))


class Dmesg(gdb.Command):
    """Print the kernel log ring buffer (kernel/printk.c)."""

    def __init__(self):
        super().__init__("dmesg", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        ring = var("'kernel/printk.c'::log_ring")
        written = int(var("'kernel/printk.c'::log_written"))
        size = int(ring.type.sizeof)
        have = min(written, size)
        data = bytes(gdb.selected_inferior().read_memory(ring.address, size))
        start = written - have
        text = bytes(data[(start + i) % size] for i in range(have))
        print(text.decode("utf-8", "replace"), end="")


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Where user programs are built: the initrd's /bin, and the user tests (run-qemu --add).
USER_PROGRAM_DIRS = [os.path.join(ROOT, "build", "initrd", "bin"),
                     os.path.join(ROOT, "build", "tests", "user")]
ELF_DYN_LOAD_BIAS = 0x555555554000  # proc/elf.h: where exec puts a static-PIE program


def find_user_program(name):
    """The host file of user program `name` (a path, or a name in /bin)."""
    if os.path.sep in name and os.path.isfile(name):
        return os.path.abspath(name)
    for directory in USER_PROGRAM_DIRS:
        path = os.path.join(directory, os.path.basename(name))
        if os.path.isfile(path):
            return path
    raise gdb.GdbError("sprout-user: no program %r in %s" % (name, ", ".join(USER_PROGRAM_DIRS)))


def load_bias(path):
    """0 for a normal static program (ET_EXEC, at 0x400000), the PIE bias for ET_DYN."""
    with open(path, "rb") as f:
        header = f.read(18)
    if len(header) < 18 or header[:4] != b"\x7fELF":
        raise gdb.GdbError("sprout-user: %s is not an ELF file" % path)
    elf_type = struct.unpack_from("<H", header, 16)[0]
    return ELF_DYN_LOAD_BIAS if elf_type == 3 else 0


class SproutUser(gdb.Command):
    """Load the symbols of a user program: sprout-user PROG

PROG is a program of sprout's /bin (build/initrd/bin/PROG) or a path to one.
Its symbols are added beside the kernel's, at the addresses exec gives them
(0x400000 for musl-gcc -static programs), so `break main`, `list`, `bt` and
`p` work in its code.  A user address means something only in one process:
every program's code starts at 0x400000, so make the breakpoint conditional
on the process that runs:

    break main if $_streq(current->name, "PROG")

(current->name is at most 15 characters of the program's file name.)
A second sprout-user replaces the first program's symbols; forget them with
`remove-symbol-file -a main`."""

    def __init__(self):
        super().__init__("sprout-user", gdb.COMMAND_USER, gdb.COMPLETE_FILENAME)
        self.loaded = []  # what the last sprout-user added

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if len(argv) != 1:
            raise gdb.GdbError("usage: sprout-user PROG")
        path = find_user_program(argv[0])
        bias = load_bias(path)
        # Every program sits at 0x400000: the previous one's symbols (or this
        # one's, loaded before) would give each address two names.
        loaded = [o.filename for o in gdb.objfiles()]
        for previous in self.loaded:
            if previous in loaded:
                gdb.execute("remove-symbol-file %s" % previous, to_string=True)
        self.loaded = [path]
        command = "add-symbol-file %s" % path + (" -o %#x" % bias if bias else "")
        gdb.execute(command, from_tty=False, to_string=True)  # (from_tty=False: no y/n question)
        name = os.path.basename(path)[:15]
        print("sprout-user: symbols of %s loaded%s; to stop in its main when it runs:" % (
            path, " at offset %#x" % bias if bias else ""))
        print('    break main if $_streq(current->name, "%s")' % name)


Ps()
Runq()
Frames()
Dmesg()
SproutUser()
print("sprout gdb helpers loaded: ps, runq, frames, dmesg, sprout-user")
