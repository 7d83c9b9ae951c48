# gdb-lib.sh - start QEMU paused with a gdb stub and drive gdb in batch mode (source it).

# A TCP port nobody is listening on.
gdb_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# gdb_start_qemu ISO: boot paused (-S) with a stub on $GDB_PORT; sets $QEMU_PID.
gdb_start_qemu() {
    GDB_PORT=$(gdb_free_port)
    timeout 120 qemu-system-x86_64 -m 256M -cpu qemu64,+smep,+smap,+umip -boot d -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 -display none \
        -serial file:"$scratch/serial.txt" -monitor none -nic none -drive file="$1",if=none,id=cd0,format=raw,readonly=on \
        -device ahci,id=ahci0 -device ide-cd,drive=cd0,bus=ahci0.0 \
        -S -gdb tcp:127.0.0.1:"$GDB_PORT" 2>"$scratch/qemu.err" &
    QEMU_PID=$!
    for _ in $(seq 50); do
        (exec 3<>/dev/tcp/127.0.0.1/"$GDB_PORT") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

gdb_stop_qemu() {
    kill "$QEMU_PID" 2>/dev/null
    wait "$QEMU_PID" 2>/dev/null
}

# gdb_batch OUTFILE -ex CMD...: what `make gdb` does, then the commands.
gdb_batch() {
    local out=$1
    shift
    timeout 120 gdb -q -nx -batch \
        -ex 'set architecture i386:x86-64' \
        -ex "file $ROOT/build/kernel.elf" \
        -ex "source $ROOT/tools/gdb/sprout.py" \
        -ex "target remote 127.0.0.1:$GDB_PORT" \
        -ex 'set pagination off' \
        "$@" > "$out" 2>&1
}
