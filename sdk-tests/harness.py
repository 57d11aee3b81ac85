"""Starting the sandbox binary for the SDK tests, and talking to it without an SDK.

Standard library only (and pytest): this module is shared by both test environments, each
of which has a different package named `lomi`. conftest.py turns it into fixtures.
"""

import hashlib
import hmac
import http.server
import json
import os
import secrets
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0
PAY_TIMEOUT = 15.0

# Phones whose last two digits (not 01, 02 nor 03) make every mobile-money operator accept
# the payment (the README's test numbers), as typed and as stored (E.164), and the billing
# address sessions ask for by default.
PHONE, PHONE_E164 = "0708091011", "+2250708091011"
OTHER_PHONE, OTHER_PHONE_E164 = "05 06 07 08 09", "+2250506070809"
BILLING = {"country": "CI", "city": "Abidjan", "line1": "12 Rue des Jardins"}


def sandbox_binary():
    explicit = os.environ.get("LOMI_SANDBOX_BIN")
    if explicit:
        return Path(explicit).resolve()
    target = os.environ.get("CARGO_TARGET_DIR") or "target"
    return REPO / target / "debug" / "lomi-sandbox"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Reply:
    def __init__(self, status, body):
        self.status = status
        self.text = body.decode("utf-8", "replace")
        try:
            self.json = json.loads(self.text) if self.text else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return f"{self.status} {self.text[:2000]}"


class Sandbox:
    """A running sandbox: `base` (no trailing slash, no /v1), `key`, and raw HTTP helpers."""

    def __init__(self, binary, work, seed_demo):
        self.binary = binary
        self.work = Path(work)
        self.log_path = self.work / "sandbox.log"
        self.key = "lomi_sk_test_" + secrets.token_hex(16)
        self.seed_demo = seed_demo
        self.process = None
        self.base = None
        self._log = None

    # -- life cycle ---------------------------------------------------------------------

    def start(self):
        if not self.binary.is_file():
            pytest.fail(
                f"no sandbox binary at {self.binary}: build it with "
                "`cargo build -p lomi-sandbox` (make test-sdk does), or set LOMI_SANDBOX_BIN",
                pytrace=False,
            )
        # A port free a moment ago may be taken since: a few tries.
        for attempt in range(3):
            port = free_port()
            args = [
                str(self.binary),
                "--db", str(self.work / f"sandbox-{attempt}.db"),
                "--host", "127.0.0.1",
                "--port", str(port),
                # No built page: the API does not need one (page routes answer 503).
                "--dist", str(self.work / "no-page"),
                "--mobile-money-delay-ms", "100",
                # Webhooks go to the tests' own receivers on this machine, retried quickly.
                "--webhook-hosts", "loopback",
                "--webhook-retry-ms", "100",
            ]
            if self.seed_demo:
                args.append("--seed-demo")
            env = dict(os.environ, LOMI_SANDBOX_API_KEY=self.key)
            self._log = open(self.log_path, "ab")
            self.process = subprocess.Popen(
                args, cwd=self.work, env=env, stdin=subprocess.DEVNULL,
                stdout=self._log, stderr=subprocess.STDOUT,
            )
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + START_TIMEOUT
            while time.monotonic() < deadline and self.process.poll() is None:
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                        if r.status == 200:
                            self.base = base
                            return self
                except (urllib.error.URLError, OSError):
                    pass
                time.sleep(0.1)
            self.stop()
            if "binding" not in self.log():
                break
        pytest.fail(
            f"the sandbox did not start (or answer /healthz within {START_TIMEOUT:.0f} s):\n"
            + self.log(),
            pytrace=False,
        )

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def log(self, start=0):
        try:
            with open(self.log_path, "rb") as f:
                f.seek(start)
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def log_size(self):
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    # -- raw HTTP -----------------------------------------------------------------------

    def request(self, method, path, body=None, headers=None, key=True):
        """`path` is appended to the base as is (so `/v1/...` or a bare path)."""
        data = None if body is None else json.dumps(body).encode()
        all_headers = {"Accept": "application/json"}
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        if key:
            all_headers["X-API-KEY"] = self.key
        all_headers.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return Reply(r.status, r.read())
        except urllib.error.HTTPError as e:
            return Reply(e.code, e.read())

    def create(self, path, body):
        """A merchant API POST (bare path) that must answer 201; returns the object."""
        r = self.request("POST", path, body)
        assert r.status == 201, f"POST {path}: {r!r}"
        assert isinstance(r.json, dict) and r.json.get("id"), f"POST {path}: {r!r}"
        return r.json

    def pay(self, kind, checkout_id, name, email, phone, provider="MTN"):
        """Pays a link (`kind` "links") or a session ("sessions") through the public checkout
        API as the page does, then follows the payment until it succeeds; returns it."""
        body = {
            "customer": {"name": name, "email": email, "phone": phone, "phone_country": "CI"},
            "billing": BILLING,
            "provider": provider,
        }
        r = self.request(
            "POST", f"/api/checkout/{kind}/{checkout_id}/pay", body,
            headers={"Idempotency-Key": str(uuid.uuid4())}, key=False,
        )
        assert r.status == 201, f"pay {kind}/{checkout_id}: {r!r}"
        payment = r.json
        deadline = time.monotonic() + PAY_TIMEOUT
        while payment.get("status") == "pending" and time.monotonic() < deadline:
            time.sleep(0.1)
            r = self.request("GET", f"/api/checkout/payments/{payment['id']}", key=False)
            assert r.status == 200, f"payment {payment['id']}: {r!r}"
            payment = r.json
        assert payment.get("status") == "succeeded", f"payment did not succeed: {payment!r}"
        return payment


# -- a merchant's webhook endpoint ----------------------------------------------------------

class WebhookReceiver:
    """A merchant's webhook endpoint on a free local port (`url`), answering 200 and keeping
    every delivery as (headers, raw body). Use as a context manager."""

    def __init__(self):
        self.deliveries = []
        received = self.deliveries

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                # Header names are case-insensitive: kept lower-cased.
                received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks/lomi"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, event, timeout=15.0):
        """The first delivery of `event` (its headers, names lower-cased, and raw body),
        waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for headers, body in list(self.deliveries):
                if headers.get("x-lomi-event") == event:
                    return headers, body
            time.sleep(0.05)
        pytest.fail(f"no {event} delivery within {timeout:.0f} s: {self.deliveries!r}")


def verify_lomi_signature(raw_body, signature, secret):
    """What a merchant's server does (the README's recipe): the hex HMAC-SHA256 of the raw
    body with the endpoint's secret, compared in constant time."""
    expected = hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)
