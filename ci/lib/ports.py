"""Loopback ports for the servers a tier starts, in the network namespace this runs in.

  ports.py free N      prints N distinct ports that are free now, picked from 20000-29999
  ports.py check P...  fails, naming each bad port and why, unless every P is free and outside
                       the ephemeral range

Why not any free port: a client's connect() takes its local port from the namespace's
net.ipv4.ip_local_port_range (32768-60999 by default). A server on a port in that range fails
with "address already in use" whenever a connection on the same loopback holds it at that
moment, and a cluster's namespace makes thousands (kubelet, controllers, etcd clients). Binding
port 0 only moves the race: the kernel hands out a port of that same range. 20000-29999 is below
it and below Kubernetes' NodePort range (30000-32767), which kube-proxy redirects.
Run it inside a namespace with `ip netns exec NS python3 ci/lib/ports.py ...`; Python checks
import free() from it.
"""

import random
import socket
import sys

POOL = range(20000, 30000)


def ephemeral_range():
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        low, high = (int(n) for n in f.read().split())
    return low, high


def bindable(port):
    # SO_REUSEADDR as the servers set it: a connection in TIME_WAIT does not hold the port for them
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def problem(port, ephemeral):
    """Why a server should not take port (ephemeral: the namespace's range), or None."""
    low, high = ephemeral
    if low <= port <= high:
        return f"port {port} is in the ephemeral range {low}-{high}: an outgoing connection can hold it; use one of {POOL.start}-{POOL.stop - 1}"
    if not bindable(port):
        return f"port {port} on 127.0.0.1 is in use"
    return None


def free(wanted):
    """wanted distinct ports from POOL that can be bound now (fewer when the pool runs out)."""
    low, _ = ephemeral_range()
    pool = [p for p in POOL if p < low]
    random.shuffle(pool)
    picked = []
    for port in pool:
        if len(picked) == wanted:
            break
        if bindable(port):
            picked.append(port)
    return picked


def main(argv):
    if len(argv) == 2 and argv[0] == "free" and argv[1].isdigit():
        wanted = int(argv[1])
        picked = free(wanted)
        if len(picked) < wanted:
            print(f"ports.py: only {len(picked)} of {wanted} ports free in {POOL.start}-{POOL.stop - 1}", file=sys.stderr)
            return 1
        print(" ".join(map(str, picked)))
        return 0
    if len(argv) >= 2 and argv[0] == "check" and all(a.isdigit() for a in argv[1:]):
        ephemeral = ephemeral_range()
        found = [why for why in (problem(int(a), ephemeral) for a in argv[1:]) if why]
        for line in found:
            print(f"ports.py: {line}", file=sys.stderr)
        return 1 if found else 0
    print("usage: ports.py free N | ports.py check PORT...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
