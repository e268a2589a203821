#!/bin/sh
# The web monitor on a live hub with two endpoints: headless Chromium
# renders the page with both users, /endpoints matches vlanctl -j show
# endpoints, /metrics passes promtool, and 100 malformed requests leave
# the daemon up.
set -u
TESTNAME=web
. "$(dirname "$0")/lib.sh"

vl_standard "ip6: fd00:7b::1/64
web:
  enable: true
  listen: 127.0.0.1
  port: 8123"
vl_start a "$T/etc/a.yaml" "$T/a.log"
vl_start b "$T/etc/b.yaml" "$T/b.log"
wait_for 15 has_addr a vl0
wait_for 15 has_addr b vl0
B=$(ep_ip b)
ip netns exec "$NS-a" ping -c 3 -i 0.2 "$B" >/dev/null
inhub() { ip netns exec "$NS-hub" "$@"; }

inhub curl -sf http://127.0.0.1:8123/endpoints >"$T/web.json"
hubctl -j show endpoints >"$T/ctl.json"
cat "$T/web.json"
check "/endpoints is JSON with the original field names" python3 -c '
import json, sys
e = json.load(open(sys.argv[1]))
assert len(e) == 2
for x in e:
    for k in ("User", "Addr", "Iface", "IP", "TX_PKT", "RX_PKT", "TX", "RX", "Login", "TX_BYTES", "RX_BYTES"):
        assert k in x, k' "$T/web.json"
check "/endpoints matches vlanctl -j show endpoints" python3 -c '
import json, sys
web = {x["User"]: x for x in json.load(open(sys.argv[1]))}
ctl = {x["user"]: x for x in json.load(open(sys.argv[2]))}
assert web.keys() == ctl.keys(), (web.keys(), ctl.keys())
for u, c in ctl.items():
    w = web[u]
    assert w["Addr"] == c["remote"] and w["Iface"] == c["interface"]
    assert c["address"].startswith(w["IP"] + "/")
    assert w["Login"].startswith(c["login"].replace("T", " ").rstrip("Z"))
    # counters move; the web answer came first, so it is not ahead
    assert 0 < w["RX_PKT"] <= c["rx_packets"] and 0 < w["TX_PKT"] <= c["tx_packets"]
    assert w["RX_BYTES"] <= c["rx_bytes"] and w["TX_BYTES"] <= c["tx_bytes"]
' "$T/web.json" "$T/ctl.json"

inhub curl -sf http://127.0.0.1:8123/metrics >"$T/metrics.txt"
check "/metrics passes promtool check metrics" sh -c "promtool check metrics <$T/metrics.txt"
check "/metrics has per-endpoint counters labelled by user" \
    grep -q 'vland_endpoint_rx_bytes_total{user="alice"}' "$T/metrics.txt"
check "/metrics counts handshakes" grep -q '^vland_handshakes_total [1-9]' "$T/metrics.txt"
check "/metrics counts cookie replies (none here)" grep -q '^vland_cookie_replies_total 0$' "$T/metrics.txt"

inhub timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$T/chrome" --dump-dom \
    http://127.0.0.1:8123/ >"$T/page.html" 2>"$T/chrome.log"
check "Chromium renders the page with alice and bob" sh -c \
    "grep -q '<td>alice</td>' $T/page.html && grep -q '<td>bob</td>' $T/page.html"
PUB=$("$VLANCTL" pubkey "$T/etc/hub.key")
check "the page names the hub: host, public key, version, uptime" sh -c \
    "grep -q '<td id=\"hubname\">' $T/page.html &&
     grep -q '<td id=\"hubkey\"><code>$PUB</code>' $T/page.html &&
     grep -q '<td id=\"version\">vland [0-9]' $T/page.html &&
     grep -q '<td id=\"uptime\">[0-9]* s' $T/page.html"
check "it says whose view the counters are" sh -c \
    "grep -q 'Traffic is counted as the endpoint sees it' $T/page.html &&
     grep -q '<th>Received (RX) packets</th>' $T/page.html"

check "each row has IPv6, last seen and drops" python3 -c '
import re, sys
page = open(sys.argv[1]).read()
row = re.search(r"<tr><td>alice</td>(.*?)</tr>", page).group(1)
cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
assert len(cells) == 12, cells
assert cells[3].startswith("fd00:7b::"), cells[3]
assert re.fullmatch(r"[0-9]+ s ago", cells[5]), cells[5]
assert re.fullmatch(r"[0-9]+", cells[10]), cells[10]
assert cells[11] == "0", cells[11]
' "$T/page.html"
check "/endpoints has IPv6, LastSeenSeconds and Drops" python3 -c '
import json, sys
for x in json.load(open(sys.argv[1])):
    assert x["IPv6"].startswith("fd00:7b::") and x["LastSeenSeconds"] >= 0 and x["Drops"] >= 0 and x["Peers"] == 0, x
' "$T/web.json"
# A screenshot: Chromium lays the page out and paints it.
inhub timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$T/chrome" --window-size=1400,700 \
    --screenshot="$T/page.png" http://127.0.0.1:8123/ >>"$T/chrome.log" 2>&1
check "Chromium paints the page (a screenshot, not blank)" python3 -c '
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n"
w, h = struct.unpack(">II", d[16:24])
assert (w, h) == (1400, 700), (w, h)
# the painted page has more than one colour: decode the rows
raw, i = b"", 8
while i < len(d):
    n, t = struct.unpack(">I4s", d[i:i + 8])
    if t == b"IDAT":
        raw += d[i + 8:i + 8 + n]
    i += 12 + n
px = zlib.decompress(raw)
assert len(set(px[1:w * 4:4])) > 2, "a blank page"
' "$T/page.png"

# Malformed and unwelcome requests: 4xx, never a crash.
ip netns exec "$NS-hub" python3 - <<'PY' >"$T/bad.log" 2>&1
import os, random, socket
r = random.Random(8123)
codes = {}
reqs = [b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
        b"DELETE /endpoints HTTP/1.1\r\n\r\n", b"GET /nothing HTTP/1.1\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n", b"\x00\x01\x02\r\n\r\n", b"GET\r\n\r\n",
        b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + b"X: " + b"y" * 20000 + b"\r\n\r\n"]
while len(reqs) < 100:
    reqs.append(os.urandom(r.randrange(1, 300)) + b"\r\n\r\n")
for q in reqs:
    s = socket.create_connection(("127.0.0.1", 8123), timeout=5)
    try:
        s.sendall(q)
        a = s.recv(100)
    except OSError:
        a = b""
    s.close()
    code = a.split(b" ")[1] if a.startswith(b"HTTP/") else b"closed"
    codes[code] = codes.get(code, 0) + 1
print(codes)
PY
cat "$T/bad.log"
check "100 malformed requests: the hub is still up" alive "$HUBPID"
check "... and answering" sh -c "ip netns exec $NS-hub curl -sf http://127.0.0.1:8123/endpoints | grep -q alice"
check "... with no 2xx for them" sh -c "! grep -q \"b'2\" $T/bad.log"
check "POST is refused" sh -c \
    "ip netns exec $NS-hub curl -s -o /dev/null -w '%{http_code}' -X POST http://127.0.0.1:8123/ | grep -q '^4'"

# With no endpoint, the list is [] (not null).
hubctl kick alice >/dev/null; hubctl kick bob >/dev/null
kill "$(pgrep -f "$T/etc/a.yaml" | head -1)" "$(pgrep -f "$T/etc/b.yaml" | head -1)" 2>/dev/null
wait_for 5 sh -c "ip netns exec $NS-hub curl -sf http://127.0.0.1:8123/endpoints | python3 -c 'import json,sys; assert json.load(sys.stdin) == []'"
check "no endpoints: /endpoints is []" sh -c "ip netns exec $NS-hub curl -sf http://127.0.0.1:8123/endpoints | tr -d ' \n' | grep -qx '\[\]'"

vl_finish
