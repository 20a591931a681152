"""`netvault serve`: the site on a local HTTP server, rebuilt on every save, reloaded in the tab.

A `LiveServer` is a `Watcher` plus a `ThreadingHTTPServer` that serves the
output folder. The folder is swapped in whole by every build and each request
resolves its path anew, so a tab never sees a half-built site.

Live reload lives only here, never in the built files: HTML responses get a
`<script src="/__netvault__/reload.js">` (and its stylesheet) before `</body>`,
and their Content-Security-Policy gains `connect-src 'self'` so that the script
may open `/__netvault__/events`, a stream of Server-Sent Events carrying the
build status (also at `/__netvault__/status` as JSON). The script reloads the
tab when the site's version changes and shows a failed build's message in an
overlay until a build succeeds again.

Requests are answered only with files inside the output folder: dot-dot
segments (plain, percent-encoded or double-encoded), backslashes, NUL bytes,
hidden entries and symlinks that lead out of the folder are refused.
"""

from __future__ import annotations

import html
import ipaddress
import json
import logging
import re
import secrets
import shutil
import socket
import threading
from collections.abc import Callable
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .problems import count
from .watch import QUIET, Rebuild, Watcher, failure_message

if TYPE_CHECKING:
    from .build import Progress

log = logging.getLogger(__name__)

PREFIX = "/__netvault__/"
HEARTBEAT = 15.0  # seconds between keep-alive comments on an idle event stream
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".ics": "text/calendar; charset=utf-8",
    ".vcf": "text/vcard; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".pdf": "application/pdf",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
}
# What the tab needs to reload itself, and nothing else: the pages' own policy,
# plus connect-src 'self' for the event stream.
LIVE_SOURCES = ("connect-src", "script-src", "style-src")
_CSP_META = re.compile(
    r"<meta\b[^>]*\bhttp-equiv\s*=\s*[\"']?content-security-policy[\"']?[^>]*>", re.IGNORECASE
)
_CONTENT_ATTR = re.compile(r"(\bcontent\s*=\s*)([\"'])(.*?)\2", re.IGNORECASE | re.DOTALL)
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)
_PLACEHOLDER_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'"
)

RELOAD_JS = """\
// netvault serve: reload this tab after each rebuild; show a failed build's error.
// Served only by `netvault serve`; the built site never contains it.
(function () {
  "use strict";

  var script = document.currentScript;
  var shown = script ? script.getAttribute("data-version") : null;
  var overlay = null;

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function show(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "netvault-live-error";
      overlay.setAttribute("role", "alert");
      var title = document.createElement("h2");
      title.textContent = "The last build failed";
      var text = document.createElement("pre");
      var hint = document.createElement("p");
      hint.textContent =
        "This page is the last good build. Fix the problem and save: the tab reloads by itself.";
      overlay.append(title, text, hint);
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = message;
  }

  var source = new EventSource("/__netvault__/events");
  source.onmessage = function (event) {
    var status = JSON.parse(event.data);
    if (status.version !== shown) {
      source.close();
      window.location.reload();
    } else if (status.error) {
      show(status.error);
    } else {
      hide();
    }
  };
})();
"""

RELOAD_CSS = """\
/* netvault serve: the overlay that shows a failed build. */
#netvault-live-error {
  position: fixed;
  inset: auto 1rem 1rem 1rem;
  z-index: 2147483647;
  max-height: 60vh;
  overflow: auto;
  padding: 1rem 1.25rem;
  border: 2px solid #b3261e;
  border-radius: 6px;
  background: #fff4f3;
  color: #3b0d0a;
  box-shadow: 0 4px 24px rgba(0, 0, 0, 0.25);
  font: 15px/1.4 system-ui, sans-serif;
}
#netvault-live-error h2 {
  margin: 0 0 0.5rem;
  font-size: 1.1rem;
  color: #b3261e;
}
#netvault-live-error pre {
  margin: 0 0 0.5rem;
  white-space: pre-wrap;
  word-break: break-word;
  font: 14px/1.4 ui-monospace, monospace;
}
#netvault-live-error p {
  margin: 0;
}
"""


class LiveState:
    """The site's version and the last build's outcome, shared with every open tab.

    The version changes with every successful build (and differs between two
    runs of the server, so a restart reloads open tabs too); a failed build
    leaves it and sets `error` instead.
    """

    def __init__(self) -> None:
        self._token = secrets.token_hex(4)
        self._cond = threading.Condition()
        self._serial = 0  # changes with every build, failed or not
        self._good = 0  # successful builds
        self._status: dict[str, Any] = self._make_status(None)
        self._closed = False

    def _make_status(self, rebuild: Rebuild | None) -> dict[str, Any]:
        problems = rebuild.result.problems if rebuild and rebuild.result else ()
        return {
            "version": f"{self._token}-{self._good}",
            "builds": rebuild.number if rebuild else 0,
            "ok": rebuild is None or rebuild.ok,
            "error": failure_message(rebuild.error) if rebuild and rebuild.error else None,
            "errors": count(problems, "error"),
            "warnings": count(problems, "warning"),
            "changed": list(rebuild.changed) if rebuild else [],
        }

    def record(self, rebuild: Rebuild) -> None:
        """Take in the outcome of a build and wake every waiting tab."""
        with self._cond:
            if rebuild.ok:
                self._good += 1
            self._status = self._make_status(rebuild)
            self._serial += 1
            self._cond.notify_all()

    def status(self) -> dict[str, Any]:
        """The current status, as `/__netvault__/status` gives it."""
        with self._cond:
            return dict(self._status)

    @property
    def version(self) -> str:
        with self._cond:
            return str(self._status["version"])

    def wait(self, seen: int, timeout: float) -> tuple[int, dict[str, Any]] | None:
        """Wait until the status changes after `seen`; (serial, status), or None once closed."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed or self._serial != seen, timeout)
            if self._closed:
                return None
            return self._serial, dict(self._status)

    def close(self) -> None:
        """End every event stream."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()


def resolve(root: Path, target: str) -> Path | None:
    """The file inside `root` that the request target `target` names, or None to refuse it.

    `root` is resolved now, so a site swapped in since the last request is the
    one served. A folder gives its index.html; nothing else is ever listed.
    """
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        return None
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    # Percent-decode until nothing changes, so that `%252e%252e%252f` is caught too;
    # every layer must be free of the ways out.
    layers = [path, decoded]
    while len(layers) < 6 and "%" in layers[-1]:
        again = unquote(layers[-1])
        if again == layers[-1]:
            break
        layers.append(again)
    for layer in layers:
        if "\\" in layer or "\x00" in layer:
            return None
        if any(part.startswith(".") for part in layer.split("/")):
            return None  # `..`, `.`, and hidden entries such as a `.git` kept in the site
    parts = [part for part in decoded.split("/") if part]
    if any(":" in part for part in parts):
        return None  # a drive or a stream name on Windows; never a page of the site
    try:
        base = root.resolve(strict=True)
        found = base.joinpath(*parts).resolve()
    except (OSError, RuntimeError):
        return None
    if not found.is_relative_to(base):
        return None  # a symlink inside the site that leads out of it
    if found.is_dir():
        found = (found / "index.html").resolve()
        if not found.is_relative_to(base):
            return None
    return found if found.is_file() else None


def live_csp(policy: str) -> str:
    """`policy` with 'self' allowed for connections, scripts and styles, for the reload script."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    names = [d.split()[0].lower() for d in directives]
    default = directives[names.index("default-src")].split()[1:] if "default-src" in names else []
    for name in LIVE_SOURCES:
        if name in names:
            index = names.index(name)
            sources = directives[index].split()[1:]
            if "'self'" not in sources and "*" not in sources:
                sources = [s for s in sources if s != "'none'"] + ["'self'"]
                directives[index] = " ".join([name, *sources])
        elif "default-src" in names and "'self'" not in default and "*" not in default:
            directives.append(f"{name} 'self'")
    return "; ".join(directives)


def inject(page: bytes, version: str) -> bytes:
    """A served page: the reload script and stylesheet added, its CSP opened to them."""
    markup = (
        f'<link rel="stylesheet" href="{PREFIX}reload.css">'
        f'<script src="{PREFIX}reload.js" data-version="{html.escape(version)}" defer></script>\n'
    ).encode()
    text = page.decode("utf-8", errors="surrogateescape")

    def widen(meta: re.Match[str]) -> str:
        def content(attr: re.Match[str]) -> str:
            quote = attr.group(2)
            policy = live_csp(html.unescape(attr.group(3)))
            value = policy.replace("&", "&amp;").replace(
                quote, "&quot;" if quote == '"' else "&#39;"
            )
            return f"{attr.group(1)}{quote}{value}{quote}"

        return _CONTENT_ATTR.sub(content, meta.group(0), count=1)

    page = _CSP_META.sub(widen, text).encode("utf-8", errors="surrogateescape")
    ends = list(_BODY_END.finditer(page))
    at = ends[-1].start() if ends else len(page)
    return page[:at] + markup + page[at:]


def placeholder(message: str) -> bytes:
    """The page served at / while there is no site yet (its first build failed or is running)."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_PLACEHOLDER_CSP}">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        "<title>netvault</title>\n</head>\n<body>\n"
        f"<h1>netvault</h1>\n<p>{html.escape(message)}</p>\n</body>\n</html>\n"
    ).encode()


def is_loopback(host: str) -> bool:
    """Whether `host` only accepts connections from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SiteServer(ThreadingHTTPServer):
    """An HTTP server for one output folder and its live-reload endpoints."""

    daemon_threads = True

    def __init__(self, out: Path, state: LiveState, host: str, port: int) -> None:
        self.out = Path(out).absolute()
        self.state = state
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host.strip("[]"), port), _Handler)

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        host, port = self.server_address[:2]
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1" if host == "0.0.0.0" else "::1"
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}/"


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer
    server_version = "netvault"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        # One line per request on the terminal would drown the rebuild lines.
        log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        try:
            if self.path.startswith(PREFIX):
                self._live(self.path[len(PREFIX) :].split("?", 1)[0], body)
            else:
                self._file(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab went away; nothing to tell it

    def _live(self, name: str, body: bool) -> None:
        state = self.server.state
        if name == "reload.js":
            self._send(RELOAD_JS.encode(), CONTENT_TYPES[".js"], body)
        elif name == "reload.css":
            self._send(RELOAD_CSS.encode(), CONTENT_TYPES[".css"], body)
        elif name == "status":
            self._send(json.dumps(state.status()).encode(), CONTENT_TYPES[".json"], body)
        elif name == "events":
            self._events(state, body)
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def _events(self, state: LiveState, body: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not body:
            return
        self.wfile.write(b"retry: 1000\n\n")
        seen, status = -1, None
        while True:
            change = state.wait(seen, HEARTBEAT)
            if change is None:
                return
            if change[0] == seen:
                self.wfile.write(b": still here\n\n")
            else:
                seen, status = change
                self.wfile.write(f"data: {json.dumps(status)}\n\n".encode())
            self.wfile.flush()

    def _file(self, body: bool) -> None:
        root = self.server.out
        raw = self.path.split("?", 1)[0]
        # Read the version before the file: a build that lands in between then
        # causes one reload too many, never one too few.
        version = self.server.state.version
        found = resolve(root, self.path)
        if found is None:
            if raw in ("/", "/index.html") and not (root / "index.html").is_file():
                status = self.server.state.status()
                message = (
                    status["error"] or "The site is being built; this page reloads when it is."
                )
                self._send(inject(placeholder(message), version), CONTENT_TYPES[".html"], body)
            else:
                self.send_error(HTTPStatus.NOT_FOUND)
            return
        if found.name == "index.html" and not raw.endswith(("/", "index.html")):
            # A folder's URL without its slash: relative links need the slash.
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", raw + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        kind = CONTENT_TYPES.get(found.suffix.lower(), "application/octet-stream")
        try:
            if kind.startswith("text/html"):
                self._send(inject(found.read_bytes(), version), kind, body)
                return
            with found.open("rb") as stream:
                size = stream.seek(0, 2)
                stream.seek(0)
                self._headers(kind, size)
                if body:
                    shutil.copyfileobj(stream, self.wfile)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            # Swapped away between finding and opening it.
            self.send_error(HTTPStatus.NOT_FOUND)

    def _headers(self, kind: str, size: int) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(size))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()

    def _send(self, data: bytes, kind: str, body: bool) -> None:
        self._headers(kind, len(data))
        if body:
            self.wfile.write(data)


class LiveServer:
    """`netvault serve`: a `Watcher` of `vault` and a `SiteServer` of its output folder.

    The socket is bound when the object is made (so a port in use fails at
    once, and `url` is known); `start()` runs the first build and serves.
    `on_build` gets every build, after the open tabs have been told of it.
    """

    def __init__(
        self,
        vault: Path,
        out: Path,
        today: Callable[[], date],
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        on_build: Callable[[Rebuild], None] | None = None,
        quiet: float = QUIET,
        progress: Progress | None = None,
    ) -> None:
        self.state = LiveState()
        self.on_build = on_build
        self.httpd = SiteServer(out, self.state, host, port)
        self.watcher = Watcher(vault, out, today, self._built, quiet=quiet, progress=progress)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The site's address."""
        return self.httpd.url

    @property
    def loopback(self) -> bool:
        """Whether only this machine can connect."""
        return is_loopback(str(self.httpd.server_address[0]))

    def _built(self, rebuild: Rebuild) -> None:
        self.state.record(rebuild)
        if self.on_build is not None:
            self.on_build(rebuild)

    def start(self) -> LiveServer:
        """Start serving and watching (the first build runs at once), each on its own thread."""
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.2}, name="netvault-serve"
        )
        self._thread.daemon = True
        self._thread.start()
        self.watcher.start()
        return self

    def stop(self) -> None:
        """Stop serving and watching, closing every event stream; waits for a build under way."""
        self.state.close()
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join()
        self.httpd.server_close()
        self.watcher.stop()

    def __enter__(self) -> LiveServer:
        if self._thread is None:
            self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
