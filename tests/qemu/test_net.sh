#!/usr/bin/env bash
# test_net.sh - the network card from the host's side: boot sprout with
# tools/run-qemu --net HOSTPORT:8080 (QEMU's user network, restrict=on, the
# port forwarded on 127.0.0.1 only), run tests/user/tcp_hello in it, and
# fetch two pages from the host with Python's HTTP client: the body must be
# sprout's, and the server must see the host as 10.0.2.2.  Then boot again
# with /bin/httpd -n 3 and fetch from it: two requests on one keep-alive
# connection and one on a second; it answers three and exits 0.
source "$(dirname "$0")/../lib/check.sh"

dir=$ROOT/build/tests/user
if [ ! -x "$dir/tcp_hello" ]; then
    fail qemu.net.built "no $dir/tcp_hello (make user-tests builds it)"
    summary
    exit
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
out=$scratch/console.txt
# The server's last answer may still be inside QEMU (the card's queue, the
# user network's socket to the host) when the program exits and the machine
# powers off: that answer never reached the host (one run in about forty
# beside busy host processes).  So the machine stays up a little longer.
grace='s=$?; sleep 2; exit $s'
"$ROOT/tools/run-qemu" --timeout 90 --net "$port:8080" --add "$dir" -- /bin/sh -c "/bin/tcp_hello 8080 2; $grace" \
    > "$out" 2>&1 &
qemu=$!

# Until sprout listens, QEMU accepts and at once closes the host's connection: retry.
fetch() {
    python3 - "$port" <<'PY'
import http.client, sys, time
deadline = time.time() + 60
while True:
    try:
        c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
        c.request("GET", "/")
        r = c.getresponse()
        print(r.status, r.read().decode(), end="")
        break
    except (OSError, http.client.HTTPException):
        if time.time() > deadline:
            print("no answer")
            break
        time.sleep(0.5)
PY
}
first=$(fetch)
second=$(fetch)
wait $qemu
status=$?
strip_cr "$out"
if [ "$first" = "200 hello from sprout" ]; then pass qemu.net.host_fetches_page; else
    fail qemu.net.host_fetches_page "got '$first'"; fi
if [ "$second" = "200 hello from sprout" ]; then pass qemu.net.second_connection; else
    fail qemu.net.second_connection "got '$second'"; fi
expect_status qemu.net.server_exits_0 "$status" 0
expect_grep qemu.net.card_found "$out" 'eth0: virtio-net at .* MAC 52:54:00'
expect_grep qemu.net.peer_is_the_host "$out" 'tcp_hello: request from 10\.0\.2\.2: GET / HTTP/1\.1'
# lo's MTU is 65536, but the card keeps Ethernet's: 1500, and TCP's MSS 1460.
expect_grep qemu.net.card_mtu_1500_mss_1460 "$out" 'tcp_hello: eth0 mtu 1500, mss 1460'
if [ "$failed" -gt 0 ]; then
    echo "--- the last lines of the console:"
    tail -20 "$out"
fi

out2=$scratch/console-httpd.txt
"$ROOT/tools/run-qemu" --timeout 90 --net "$port:8080" -- /bin/sh -c "/bin/httpd -m epoll -p 8080 -n 3; $grace" \
    > "$out2" 2>&1 &
qemu=$!
for _ in $(seq 600); do grep -q 'listening on port 8080' "$out2" && break; sleep 0.1; done
pages=$(python3 - "$port" <<'PY'
import http.client, sys, time
deadline = time.time() + 60
attempts = 0
while True:
    attempts += 1
    try:
        c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=20)
        c.request("GET", "/")
        r = c.getresponse()
        first = (r.status, r.getheader("Connection"), r.read().decode())
        break
    except (OSError, http.client.HTTPException):
        if time.time() > deadline:
            print("no answer")
            sys.exit()
        time.sleep(0.5)
try:
    c.request("GET", "/slow?ms=200")  # the same connection: keep-alive
    r = c.getresponse()
    second = (r.status, r.read().decode())
    c2 = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=20)
    c2.request("GET", "/", headers={"Connection": "close"})
    r = c2.getresponse()
    third = (r.status, r.read().decode())
except (OSError, http.client.HTTPException) as e:
    print("failed (the first page took %d attempt(s)):" % attempts, first, e)
    sys.exit()
print(first[0], first[1], first[2].strip(), "|", second[0], second[1].strip(), "|",
      third[0], third[1].strip())
PY
)
wait $qemu
status=$?
strip_cr "$out2"
want="200 keep-alive hello from sprout httpd | 200 slept 200 ms | 200 hello from sprout httpd"
if [ "$pages" = "$want" ]; then pass qemu.net.httpd_pages_keep_alive; else
    fail qemu.net.httpd_pages_keep_alive "got '$pages'"; fi
expect_status qemu.net.httpd_exits_0 "$status" 0
expect_grep qemu.net.httpd_stopped "$out2" 'httpd: stopped; exiting with status 0'
if [ "$failed" -gt 0 ]; then
    echo "--- the last lines of the httpd console:"
    tail -20 "$out2"
fi
summary
