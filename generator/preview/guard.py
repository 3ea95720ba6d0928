"""Preview helper: who may talk to ``gloss serve`` and for how long.

* **Host names** (DNS rebinding): a page on ``evil.example`` whose name is re-pointed at 127.0.0.1 reaches
  the preview with ``Host: evil.example``. As webpack-dev-server and Vite do, only the names the preview
  printed are answered: the address it bound, ``localhost`` and the loopback addresses when it bound a
  loopback address, and — when it listens on every interface — any IP address and this machine's name
  (rebinding needs a name that is not ours, and an address is no name). Everything else gets 403.
* **Slow or idle clients**: each connection must send its request line and headers within
  :data:`HEADER_TIMEOUT_S` (a client dribbling one byte at a time is cut off too, not only a silent one),
  and any read or write that stalls for :data:`IDLE_TIMEOUT_S` ends the connection.
* **Connection cap**: at most :data:`MAX_CONNECTIONS` at once; more are closed as soon as they are
  accepted, so a flood of idle sockets cannot use up the process's file descriptors (1,024 by default)
  and stall the preview for everyone.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from http.server import ThreadingHTTPServer
from typing import Any

HEADER_TIMEOUT_S = 5.0
"""Time a connection has to send its request line and headers."""
IDLE_TIMEOUT_S = 10.0
"""Time a single read or write may stall (the socket timeout)."""
MAX_CONNECTIONS = 200
"""Connections served at once: far more than a browser with a few open tabs uses (6 + one stream per tab)."""

_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def _address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def host_name(header: str | None) -> str | None:
    """The host name of a ``Host`` header without its port (brackets of an IPv6 address removed)."""
    if not header:
        return None
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        return header[1:end] if end > 0 else None
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class AllowedHosts:
    """The host names the preview answers to."""

    def __init__(self, bound: str) -> None:
        self.bound = bound.lower()
        address = _address(self.bound)
        self.everywhere = address is not None and address.is_unspecified
        self.names = {self.bound}
        if address is None or address.is_loopback or self.everywhere:
            self.names.update(_LOOPBACK_NAMES)
        if self.everywhere:
            self.names.add(socket.gethostname().lower())

    def allows(self, header: str | None) -> bool:
        name = host_name(header)
        if name is None:
            return False
        return name in self.names or self.everywhere and _address(name) is not None


class GuardedServer(ThreadingHTTPServer):
    """A threading HTTP server with a connection cap and a deadline for request headers."""

    daemon_threads = True  # an idle socket must not delay exit; event streams end on their own

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._guard = threading.Lock()
        self._open = 0
        self._deadlines: dict[socket.socket, float] = {}
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._guard:
            if self._open >= MAX_CONNECTIONS:
                self.shutdown_request(request)  # closed at once: no thread, no descriptor kept
                return
            self._open += 1
            self._deadlines[request] = time.monotonic() + HEADER_TIMEOUT_S
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._guard:
                self._open -= 1
                self._deadlines.pop(request, None)

    def headers_read(self, request: socket.socket) -> None:
        """The handler has the request's headers: the header deadline no longer applies."""
        with self._guard:
            self._deadlines.pop(request, None)

    def service_actions(self) -> None:
        """Run by ``serve_forever`` between polls: cut off connections past their header deadline."""
        now = time.monotonic()
        with self._guard:
            late = [sock for sock, deadline in self._deadlines.items() if deadline <= now]
            for sock in late:
                del self._deadlines[sock]
        for sock in late:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # the handler's read returns, and its thread ends
            except OSError:
                pass

    @property
    def open_connections(self) -> int:
        with self._guard:
            return self._open
