"""`netvault serve` over a real socket: pages, live-reload injection, status, events, refusals."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from editing import DEADLINE, save, wait_for
from netvault.serve import LiveServer, inject, is_loopback, live_csp, resolve

TODAY = date(2026, 11, 20)
SECRET = "top secret: outside the site"
NOTES = {
    "contacts/Ada Lovelace.md": "---\norg: Analytical Engines\ncircle: inner\n---\nLikes tea.\n",
    "contacts/Grace Hopper.md": "---\norg: Navy\n---\nCompilers.\n",
}
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
BROKEN = "{% extends 'default:index.html' %}{% block title %}{{ nope( }}"


def fetch(port: int, target: str, method: str = "GET"):
    """(status, headers, body) of one request, sent through http.client."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE)
    try:
        conn.request(method, target)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def raw_get(port: int, target: bytes) -> tuple[int, bytes]:
    """(status, response) of a request line sent byte for byte, untidied by any client."""
    with socket.create_connection(("127.0.0.1", port), timeout=DEADLINE) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    data = b"".join(chunks)
    return int(data.split(b" ", 2)[1]), data


def status_of(port: int) -> dict:
    code, _, body = fetch(port, "/__netvault__/status")
    assert code == 200
    return json.loads(body)


@pytest.fixture
def served(vault, tmp_path):
    """A LiveServer on a free port for a vault written from `files`; always stopped after."""
    servers: list[LiveServer] = []

    def start(files: dict[str, str] = NOTES, wait_ok: bool = True) -> tuple[Path, LiveServer]:
        root = vault(files)
        server = LiveServer(root, root / "site", lambda: TODAY, port=0, quiet=0.02)
        servers.append(server)
        server.start()
        wait_for(lambda: server.state.status()["builds"] >= 1, "the first build")
        if wait_ok:
            assert server.state.status()["ok"], server.state.status()["error"]
        return root, server

    yield start
    for server in servers:
        server.stop()


def port_of(server: LiveServer) -> int:
    return server.httpd.server_address[1]


def test_pages_get_the_reload_script_only_as_served(served):
    root, server = served()
    assert server.url == f"http://127.0.0.1:{port_of(server)}/"
    on_disk = root / "site" / "index.html"
    before = hashlib.sha256(on_disk.read_bytes()).hexdigest()
    code, headers, body = fetch(port_of(server), "/")
    assert code == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    page = body.decode()
    version = server.state.status()["version"]
    assert page.count('<script src="/__netvault__/reload.js"') == 1
    assert f'data-version="{version}" defer></script>\n</body>' in page
    assert '<link rel="stylesheet" href="/__netvault__/reload.css">' in page
    assert "connect-src 'self'" in page
    assert "default-src 'none'" in page and "script-src 'self'" in page
    # The built file is untouched: no script, no widened policy.
    text = on_disk.read_text()
    assert hashlib.sha256(on_disk.read_bytes()).hexdigest() == before
    assert "__netvault__" not in text and "connect-src" not in text
    assert fetch(port_of(server), "/index.html")[2] == body

    code, headers, body = fetch(port_of(server), "/contacts/ada-lovelace.html")
    assert code == 200 and b"Likes tea." in body and b"/__netvault__/reload.js" in body


def test_live_endpoints(served):
    _, server = served()
    port = port_of(server)
    code, headers, body = fetch(port, "/__netvault__/reload.js")
    assert code == 200 and headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert b"EventSource" in body and b"/__netvault__/events" in body
    code, headers, body = fetch(port, "/__netvault__/reload.css")
    assert code == 200 and headers["Content-Type"] == "text/css; charset=utf-8"
    status = status_of(port)
    assert status["ok"] is True and status["error"] is None and status["builds"] == 1
    assert fetch(port, "/__netvault__/nothing")[0] == 404
    code, headers, body = fetch(port, "/", method="HEAD")
    assert code == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_an_edit_changes_the_version_and_is_pushed_to_the_event_stream(served):
    root, server = served()
    port = port_of(server)
    first = status_of(port)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE)
    try:
        conn.request("GET", "/__netvault__/events")
        stream = conn.getresponse()
        assert stream.status == 200
        assert stream.getheader("Content-Type").startswith("text/event-stream")

        def next_event() -> dict:
            while True:
                line = stream.readline()
                assert line, "the event stream ended"
                if line.startswith(b"data: "):
                    return json.loads(line[6:])

        assert next_event()["version"] == first["version"]
        note = root / "contacts" / "Ada Lovelace.md"
        save(note, note.read_text().replace("Likes tea.", "Likes coffee."))
        pushed = next_event()
        assert pushed["version"] != first["version"]
        assert pushed["changed"] == ["contacts/Ada Lovelace.md"]
    finally:
        conn.close()
    assert status_of(port)["version"] == pushed["version"]
    assert b"Likes coffee." in fetch(port, "/contacts/ada-lovelace.html")[2]


def test_a_build_error_is_reported_until_fixed_and_the_old_site_stays(served):
    root, server = served()
    port = port_of(server)
    template = root / "themes" / "default" / "templates" / "index.html"
    save(template, BROKEN)
    wait_for(lambda: status_of(port)["error"], "the build error")
    failed = status_of(port)
    assert failed["ok"] is False and "index.html" in failed["error"]
    code, _, body = fetch(port, "/")
    assert code == 200 and b"My network" in body

    # Failed builds leave the version alone: the site did not change, no tab reloads.
    save(template, BROKEN.replace("nope(", "nope(("))
    wait_for(lambda: status_of(port)["builds"] > failed["builds"], "the second failed build")
    again = status_of(port)
    assert again["ok"] is False and again["version"] == failed["version"]

    save(template, "{% extends 'default:index.html' %}{% block title %}Fixed{% endblock %}")
    wait_for(lambda: status_of(port)["ok"], "a good build again")
    fixed = status_of(port)
    assert fixed["error"] is None and fixed["version"] != failed["version"]
    assert b"<title>Fixed</title>" in fetch(port, "/")[2]


def test_no_site_yet_serves_a_placeholder_with_the_error(served):
    _, server = served({**NOTES, "themes/default/templates/index.html": BROKEN}, wait_ok=False)
    port = port_of(server)
    assert status_of(port)["ok"] is False
    code, headers, body = fetch(port, "/")
    assert code == 200 and headers["Content-Type"].startswith("text/html")
    assert b"index.html" in body and b"/__netvault__/reload.js" in body
    assert b"connect-src 'self'" in body
    assert fetch(port, "/contacts/ada-lovelace.html")[0] == 404


def test_requests_outside_the_site_are_refused(served, tmp_path):
    root, server = served()
    port = port_of(server)
    site = root / "site"
    (tmp_path / "secret.txt").write_text(SECRET)
    (root / "secret.txt").write_text(SECRET)
    (site / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (site / "leakdir").symlink_to(tmp_path, target_is_directory=True)
    (site / ".git").mkdir()
    (site / ".git" / "config").write_text(SECRET)
    attempts = [
        b"/../secret.txt",
        b"/../../secret.txt",
        b"/contacts/../../secret.txt",
        b"/%2e%2e/secret.txt",
        b"/%2E%2E%2Fsecret.txt",
        b"/%2e%2e%2f%2e%2e%2fsecret.txt",
        b"/%252e%252e%252fsecret.txt",
        b"/%25252e%25252e%25252fsecret.txt",
        b"/..%5csecret.txt",
        b"/static/..%5c..%5csecret.txt",
        b"/static\\..\\..\\secret.txt",
        b"/..%c0%afsecret.txt",
        b"//" + str(tmp_path / "secret.txt").lstrip("/").encode(),
        str(tmp_path / "secret.txt").encode(),
        b"/" + str(tmp_path / "secret.txt").encode(),
        b"http://127.0.0.1/../secret.txt",
        b"/index.html%00.txt",
        b"/index.html\x00.txt",
        b"/leak.txt",
        b"/leakdir/secret.txt",
        b"/.git/config",
        b"/%2egit/config",
        b"/static/",
        b"/static",
        b"/C:/Windows/win.ini",
    ]
    for target in attempts:
        code, data = raw_get(port, target)
        assert code in (400, 403, 404), target
        assert SECRET.encode() not in data, target
    assert raw_get(port, b"/index.html")[0] == 200  # the same raw requests do work


def test_folders_files_and_content_types(served):
    root, server = served()
    port = port_of(server)
    site = root / "site"
    (site / "sub").mkdir()
    (site / "sub" / "index.html").write_text("<html><body><p>sub</p></body></html>")
    samples = {
        "a.png": (PNG, "image/png"),
        "a.svg": (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
        "a.ics": (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar; charset=utf-8"),
        "a.json": (b"{}", "application/json"),
        "a.css": (b"p{}", "text/css; charset=utf-8"),
        "a.js": (b"1;", "text/javascript; charset=utf-8"),
        "a.bin": (b"\0\1", "application/octet-stream"),
        "Café Ü.png": (PNG, "image/png"),
    }
    for name, (data, kind) in samples.items():
        (site / name).write_bytes(data)
        target = "/" + name.replace(" ", "%20").replace("é", "%C3%A9").replace("Ü", "%C3%9C")
        code, headers, body = fetch(port, target)
        assert (code, headers["Content-Type"], body) == (200, kind, data), name
        assert headers["X-Content-Type-Options"] == "nosniff"
    code, headers, body = fetch(port, "/static/netvault.css")
    assert code == 200 and headers["Content-Type"] == "text/css; charset=utf-8"
    assert fetch(port, "/sub/")[0] == 200
    code, headers, _ = fetch(port, "/sub")
    assert code == 301 and headers["Location"] == "/sub/"
    assert fetch(port, "/sub/?q=1")[0] == 200
    assert fetch(port, "/missing.html")[0] == 404


def test_a_swapped_site_is_picked_up_by_the_next_request(served):
    root, server = served()
    port = port_of(server)
    note = root / "contacts" / "Grace Hopper.md"
    for number in range(3):
        note.write_text(f"---\norg: Navy\n---\nVersion {number}.\n")
        wait_for(
            lambda n=number: (
                f"Version {n}.".encode() in fetch(port, "/contacts/grace-hopper.html")[2]
            ),
            f"version {number}",
        )


def test_resolve_stays_inside_the_root(tmp_path):
    site = tmp_path / "site"
    (site / "contacts").mkdir(parents=True)
    (site / "index.html").write_text("x")
    (site / "contacts" / "ada.html").write_text("x")
    assert resolve(site, "/") == (site / "index.html").resolve()
    assert resolve(site, "/contacts/ada.html?x=1#top") == (site / "contacts" / "ada.html").resolve()
    assert resolve(site, "/contacts/") is None  # a folder without an index: never listed
    for bad in ["", "index.html", "/../site/index.html", "/%2e%2e/site/index.html", "/a\\b"]:
        assert resolve(site, bad) is None, bad
    assert resolve(tmp_path / "nothing", "/") is None


def test_live_csp_adds_what_the_script_needs_and_nothing_else():
    policy = "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'"
    assert live_csp(policy) == policy + "; connect-src 'self'"
    assert live_csp("default-src 'self'") == "default-src 'self'"
    assert live_csp("default-src 'none'; connect-src 'none'") == (
        "default-src 'none'; connect-src 'self'; script-src 'self'; style-src 'self'"
    )
    page = b'<head><meta content="default-src \'none\'" http-equiv="content-security-policy">'
    page += b"</head><body></body></html>"
    served = inject(page, "v1")
    assert b"connect-src 'self'" in served
    assert served.endswith(b'data-version="v1" defer></script>\n</body></html>')
    assert inject(b"<p>no body end</p>", "v2").startswith(b"<p>no body end</p><link")


def test_only_loopback_addresses_count_as_private():
    for host in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.10", "example.org"):
        assert not is_loopback(host), host


def test_the_serve_command_stops_cleanly_on_ctrl_c(vault):
    root = vault(NOTES)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "generator")}
    command = [sys.executable, "-c", "from netvault.cli import main; main()", "serve", str(root)]
    process = subprocess.Popen(
        [*command, "--port", "0", "--today", "2026-11-20"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # A shell may start tests with SIGINT ignored; the command must see Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("Serving ") and "http://127.0.0.1:" in line
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        wait_for(lambda: status_of(port)["builds"] >= 1, "the first build")
        assert fetch(port, "/")[0] == 200
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=DEADLINE)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "GET /" not in err  # requests are not logged on the terminal
    assert "Built in " in err and "Stopped." in err
