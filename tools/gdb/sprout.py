"""sprout.py - gdb commands that print sprout's kernel state.

Loaded by `make gdb` (source tools/gdb/sprout.py).  Commands:

    frames      physical memory: total, free and used frames
    dmesg       the kernel log ring (what printk printed)

Each reads kernel variables by name, so they work whenever the kernel is
stopped, in any function.
"""
import gdb


def read_var(name):
    return gdb.parse_and_eval(name)


class Frames(gdb.Command):
    """Show the physical frame allocator's counts (mm/frame.c)."""

    def __init__(self):
        super().__init__("frames", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        pool = read_var("'mm/frame.c'::pool")
        total, free = int(pool["total"]), int(pool["free"])
        print(f"frames: {total} total, {free} free, {total - free} in use "
              f"({total * 4} KiB total, {free * 4} KiB free)")


class Dmesg(gdb.Command):
    """Print the kernel log ring buffer (kernel/printk.c)."""

    def __init__(self):
        super().__init__("dmesg", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        ring = read_var("'kernel/printk.c'::log_ring")
        written = int(read_var("'kernel/printk.c'::log_written"))
        size = int(ring.type.sizeof)
        have = min(written, size)
        inferior = gdb.selected_inferior()
        data = bytes(inferior.read_memory(ring.address, size))
        start = written - have
        text = bytes(data[(start + i) % size] for i in range(have))
        print(text.decode("utf-8", "replace"), end="")


Frames()
Dmesg()
print("sprout gdb helpers loaded: frames, dmesg")
