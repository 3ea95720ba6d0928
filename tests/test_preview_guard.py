"""``generator.preview.guard``: which Host headers the preview answers (in-process; the served behaviour is
tested over HTTP in ``test_serve.py``)."""

from __future__ import annotations

import socket

import pytest

from generator.preview.guard import AllowedHosts, host_name

CASES = [
    # (bound address, Host header, answered?)
    ("127.0.0.1", "127.0.0.1:8000", True),
    ("127.0.0.1", "localhost:8000", True),
    ("127.0.0.1", "LocalHost", True),
    ("127.0.0.1", "[::1]:8000", True),
    ("127.0.0.1", "evil.example:8000", False),
    ("127.0.0.1", "localhost.evil.example", False),
    ("127.0.0.1", "127.0.0.1.nip.io:8000", False),
    ("127.0.0.1", "10.0.0.5:8000", False),
    ("127.0.0.1", "", False),
    ("127.0.0.1", None, False),
    ("127.0.0.1", "[::1", False),
    ("::1", "[::1]:8000", True),
    ("::1", "localhost:8000", True),
    ("localhost", "localhost:8000", True),
    ("192.168.1.20", "192.168.1.20:8000", True),
    ("192.168.1.20", "localhost:8000", False),
    ("192.168.1.20", "evil.example", False),
    ("0.0.0.0", "192.168.1.20:8000", True),
    ("0.0.0.0", "[fe80::1]:8000", True),
    ("0.0.0.0", "localhost:8000", True),
    ("0.0.0.0", "evil.example:8000", False),
]


@pytest.mark.parametrize(("bound", "header", "answered"), CASES)
def test_only_printed_names_and_their_loopback_equivalents(bound: str, header: str | None, answered: bool) -> None:
    assert AllowedHosts(bound).allows(header) is answered


def test_on_every_interface_the_machine_name_is_answered() -> None:
    assert AllowedHosts("0.0.0.0").allows(socket.gethostname() + ":8000")


@pytest.mark.parametrize(("header", "name"), [("a.b:80", "a.b"), ("[::1]:80", "::1"), ("::1", "::1"), ("A.B", "a.b")])
def test_host_name_drops_the_port(header: str, name: str) -> None:
    assert host_name(header) == name
