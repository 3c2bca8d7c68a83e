#!/usr/bin/env python3
# cut-proxy.py: a loopback TCP proxy that cuts its connections.
#
#   cut-proxy.py --target 127.0.0.1:4096 [--port 0] [--cut-after 1.0]
#                [--match /event] [--reset]
#
# Every accepted connection is forwarded to --target and closed, in both
# directions, --cut-after seconds after it was accepted (0 = never).  With
# --match, only connections whose first request bytes contain that text are
# cut (e.g. "/event"), the others are forwarded untouched.  --reset closes
# with a TCP RST instead of a FIN.  --port 0 picks a free port; the port is
# printed as PORT=<n> on the first stdout line.  Cuts are logged on stderr.
#
# Python 3 standard library only.

import argparse
import socket
import struct
import sys
import threading
import time


def parse_target(text):
    host, _, port = text.rpartition(":")
    if host not in ("127.0.0.1", "localhost", "::1", "[::1]"):
        raise SystemExit("cut-proxy: the target must be on loopback")
    return host.strip("[]"), int(port)


class Connection:
    def __init__(self, args, client):
        self.args = args
        self.client = client
        self.upstream = None
        self.lock = threading.Lock()
        self.closed = False

    def close(self, reason):
        with self.lock:
            if self.closed:
                return
            self.closed = True
        for s in (self.client, self.upstream):
            if s is None:
                continue
            try:
                if self.args.reset:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                 struct.pack("ii", 1, 0))
                else:
                    s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                s.close()
            except OSError:
                pass
        if reason and not self.args.quiet:
            sys.stderr.write("cut-proxy: %s\n" % reason)
            sys.stderr.flush()

    def pump(self, src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        self.close(None)

    def run(self):
        try:
            self.upstream = socket.create_connection(self.args.target_addr,
                                                     timeout=10)
            self.upstream.settimeout(None)
        except OSError as e:
            self.close("cannot reach target: %s" % e)
            return
        first = b""
        cut = self.args.cut_after > 0
        if self.args.match:
            try:
                self.client.settimeout(10)
                first = self.client.recv(65536)
                self.client.settimeout(None)
            except OSError:
                self.close(None)
                return
            cut = cut and self.args.match.encode() in first
            if first:
                try:
                    self.upstream.sendall(first)
                except OSError:
                    self.close(None)
                    return
        line = first.split(b"\r\n", 1)[0].decode("latin-1")
        threading.Thread(target=self.pump, args=(self.client, self.upstream),
                         daemon=True).start()
        threading.Thread(target=self.pump, args=(self.upstream, self.client),
                         daemon=True).start()
        if cut:
            time.sleep(self.args.cut_after)
            self.close("cut %s after %.2fs" % (line or "connection",
                                                self.args.cut_after))


def main():
    ap = argparse.ArgumentParser(description="Loopback proxy that cuts "
                                             "connections.")
    ap.add_argument("--target", required=True, help="HOST:PORT on loopback")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--cut-after", type=float, default=1.0,
                    help="seconds before a connection is cut (0: never)")
    ap.add_argument("--match", help="cut only connections whose first "
                                    "request bytes contain this")
    ap.add_argument("--reset", action="store_true",
                    help="close with RST instead of FIN")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    args.target_addr = parse_target(args.target)

    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", args.port))
    srv.listen(64)
    print("PORT=%d" % srv.getsockname()[1], flush=True)
    try:
        while True:
            client, _ = srv.accept()
            conn = Connection(args, client)
            threading.Thread(target=conn.run, daemon=True).start()
    except KeyboardInterrupt:
        pass
    finally:
        srv.close()


if __name__ == "__main__":
    main()
