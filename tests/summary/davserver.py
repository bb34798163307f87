"""A real WebDAV server on 127.0.0.1 for delivery tests: wsgidav + cheroot in a thread, basic auth.

``quota_bytes`` simulates a full account the way Nextcloud reports it: a small WSGI layer in front
of wsgidav answers 507 Insufficient Storage to a PUT that would take the folder past the quota
(the bytes already stored are counted on disk). ``CutProxy`` forwards TCP to the server but drops
both sockets after a set number of request bytes: an upload cut halfway.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cheroot import wsgi
from wsgidav.wsgidav_app import WsgiDAVApp

USER, PASSWORD = "kiosk", "s3cret-pass"


class QuotaLayer:
    """WSGI middleware: 507 for a PUT whose body would exceed the quota."""

    def __init__(self, app: Any, root: Path, quota_bytes: int | None) -> None:
        self.app, self.root, self.quota_bytes = app, root, quota_bytes

    def used(self) -> int:
        return sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file())

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.quota_bytes is not None and environ["REQUEST_METHOD"] == "PUT":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            if self.used() + size > self.quota_bytes:
                start_response("507 Insufficient Storage", [("Content-Type", "text/plain")])
                return [b"quota exceeded"]
        return self.app(environ, start_response)


class DavServer:
    """wsgidav serving ``root`` on a free loopback port until ``stop()``."""

    def __init__(self, root: Path, quota_bytes: int | None = None) -> None:
        self.root = root
        config = {
            "host": "127.0.0.1",
            "port": 0,
            "provider_mapping": {"/": str(root)},
            "http_authenticator": {
                "domain_controller": None,
                "accept_basic": True,
                "accept_digest": False,
                "default_to_digest": False,
            },
            "simple_dc": {"user_mapping": {"*": {USER: {"password": PASSWORD}}}},
            "verbose": 0,
            "logging": {"enable": False},
            "lock_storage": True,
        }
        self.quota = QuotaLayer(WsgiDAVApp(config), root, quota_bytes)
        self.server = wsgi.Server(("127.0.0.1", 0), self.quota, numthreads=4)
        self.server.prepare()
        self.port = self.server.bind_addr[1]
        self.thread = threading.Thread(target=self.server.serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        self.server.stop()
        self.thread.join(timeout=5)


@contextlib.contextmanager
def dav_server(root: Path, quota_bytes: int | None = None) -> Iterator[DavServer]:
    server = DavServer(root, quota_bytes)
    try:
        yield server
    finally:
        server.stop()


class CutProxy:
    """A loopback TCP proxy that drops a connection after ``cut_after`` bytes from the client (None: never)."""

    def __init__(self, upstream_port: int, cut_after: int | None) -> None:
        self.upstream_port, self.cut_after = upstream_port, cut_after
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cuts = 0
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _accept(self) -> None:
        self.listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        sent = 0
        try:
            while chunk := src.recv(8192):
                # Read the limit for every chunk: once the line is good again, a kept-alive
                # connection opened while it was bad is not cut either.
                limit = self.cut_after if from_client else None
                if limit is not None and sent + len(chunk) > limit:
                    dst.sendall(chunk[: limit - sent])
                    self.cuts += 1
                    break
                dst.sendall(chunk)
                sent += len(chunk)
        except OSError:
            pass
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def stop(self) -> None:
        self._stop.set()
        self.listener.close()
