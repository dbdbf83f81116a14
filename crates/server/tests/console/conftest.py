"""Fixtures for the console's browser tests: a real `custodian serve` on loopback with two
tenants' data, its keys, and headless Chromium (Debian's) driven by Playwright.

Run by `scripts/console-test` (from `scripts/test`); the binary is `target/debug/custodian`.
"""

import json
import os
import re
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[4]
BIN = Path(os.environ.get("CUSTODIAN_BIN", ROOT / "target" / "debug" / "custodian"))
SHOTS = ROOT / "target" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Cell:
    """A running cell and what the tests need of it."""

    def __init__(self, url, vkey, admin, work, proc):
        self.url, self.vkey, self.admin, self.work, self.proc = url, vkey, admin, work, proc
        self.keys = {}
        self.subjects = {"ride": [], "jobs": []}
        self.tokens = {"ride": [], "jobs": []}
        self.values = {"ride": [], "jobs": []}
        self.early_checkpoint = None

    def call(self, method, path, key=None, body=None, text=None):
        """(status, parsed JSON or text) of an API call."""
        headers = {"Authorization": f"Bearer {key or self.admin}"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        elif text is not None:
            headers["Content-Type"] = "text/plain"
            data = text.encode()
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                raw, status = r.read().decode(), r.status
        except urllib.error.HTTPError as e:
            raw, status = e.read().decode(), e.code
        try:
            return status, json.loads(raw)
        except json.JSONDecodeError:
            return status, raw

    def ok(self, method, path, key=None, body=None, text=None):
        status, v = self.call(method, path, key, body, text)
        assert 200 <= status < 300, f"{method} {path}: {status} {v}"
        return v

    def cli(self, *args):
        out = subprocess.run([str(BIN), *args], cwd=self.work, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, f"custodian {' '.join(args)}: {out.stderr}"
        return out.stdout


@pytest.fixture(scope="session")
def cell():
    with tempfile.TemporaryDirectory() as d:
        work = Path(d)
        out = subprocess.run(
            [str(BIN), "order", "keygen", "--name", "cac.example/orders", "--out", "reg.key"],
            cwd=work, check=True, capture_output=True, text=True, timeout=60,
        )
        reg_vkey = out.stdout.strip().splitlines()[0]
        (work / "cell.toml").write_text(
            f'listen = "127.0.0.1:0"\ndata_dir = "{work / "data"}"\njurisdiction = "CN"\n'
            f'regulator_keys = ["{reg_vkey}"]\n'
        )
        log = open(work / "serve.out", "w+")
        proc = subprocess.Popen(
            [str(BIN), "serve", "--config", "cell.toml"], cwd=work, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            text = ""
            for _ in range(300):
                text = (work / "serve.out").read_text()
                if "ledger verifier key" in text:
                    break
                assert proc.poll() is None, f"custodian serve stopped: {text}"
                time.sleep(0.1)
            admin = re.search(r"admin key \(shown once, keep it secret\): (\S+)", text).group(1)
            url = re.search(r"on (http://127\.0\.0\.1:\d+)", text).group(1)
            vkey = re.search(r"ledger verifier key (\S+)", text).group(1)
            c = Cell(url, vkey, admin, work, proc)
            populate(c)
            yield c
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            log.close()


def populate(c: Cell):
    examples = ROOT / "examples"
    for t, f in [("ride", "ride_hailing.toml"), ("jobs", "job_board.toml"), ("haul", "freight.toml")]:
        c.ok("PUT", f"/v1/tenants/{t}/manifest", text=(examples / f).read_text())
    # The ledger as it stood early: a real, signed, smaller checkpoint (a rollback to serve).
    c.early_checkpoint = c.call("GET", "/v1/ledger/checkpoint")[1]
    for name, spec in {
        "ride_dpo": {"role": "dpo", "tenant": "ride"},
        "jobs_dpo": {"role": "dpo", "tenant": "jobs"},
        "regulator": {"role": "regulator"},
        "ride_svc": {"role": "service", "tenant": "ride", "service": "dispatch-svc"},
        "jobs_svc": {"role": "service", "tenant": "jobs", "service": "matching-svc"},
        "haul_svc": {"role": "service", "tenant": "haul", "service": "match-svc"},
    }.items():
        c.keys[name] = c.ok("POST", "/v1/keys", body=spec)["key"]
    for i in range(3):
        phone = f"1391234{5670 + i:04d}"
        addr = f"北京市朝阳区建国路{80 + i}号"
        s = c.ok("POST", "/v1/subjects", c.keys["ride_svc"], {"jurisdiction": "CN"})["subject"]
        c.ok("POST", f"/v1/subjects/{s}/consents", c.keys["ride_svc"], {"purpose": "dispatch"})
        got = c.ok("POST", "/v1/collect", c.keys["ride_svc"],
                   {"subject": s, "purpose": "dispatch", "values": {"phone": phone, "pickup": addr}})
        c.subjects["ride"].append(s)
        c.tokens["ride"] += [t["token"] for t in got["tokens"]]
        c.values["ride"] += [phone, addr]
    for i in range(2):
        phone = f"1502345{6780 + i:04d}"
        s = c.ok("POST", "/v1/subjects", c.keys["jobs_svc"], {"jurisdiction": "CN"})["subject"]
        got = c.ok("POST", "/v1/collect", c.keys["jobs_svc"],
                   {"subject": s, "purpose": "job_matching", "values": {"phone": phone}})
        c.subjects["jobs"].append(s)
        c.tokens["jobs"] += [t["token"] for t in got["tokens"]]
        c.values["jobs"].append(phone)
    # A request each, one for the DPO pages to show.
    c.ok("POST", "/v1/requests", c.keys["ride_dpo"], {"subject": c.subjects["ride"][0], "kind": "copy"})
    c.ok("POST", "/v1/requests", c.keys["jobs_dpo"], {"subject": c.subjects["jobs"][0], "kind": "access"})


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


class Console:
    """A page of the console in a fresh browser context, with what it did recorded."""

    def __init__(self, browser, base):
        self.base = base
        self.ctx = browser.new_context(viewport={"width": 1280, "height": 800})
        self.page = self.ctx.new_page()
        self.errors, self.requests, self.bodies, self.sent = [], [], [], []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on(
            "console",
            lambda m: self.errors.append(m.text) if m.type == "error" else None,
        )
        self.page.on("request", self._request)
        self.page.on("response", self._response)
        self.confirm = True  # how confirmation dialogs are answered
        self.dialogs = []
        self.page.on("dialog", self._dialog)

    def _dialog(self, d):
        self.dialogs.append(d.message)
        d.accept() if self.confirm else d.dismiss()

    def _request(self, r):
        self.requests.append(r.url)
        self.sent.append((r.url, r.headers.get("authorization"), r.headers.get("signature")))

    def _response(self, r):
        try:
            self.bodies.append(r.text())
        except Exception:  # a redirect or an aborted load has no body
            pass

    def sign_in(self, key):
        self.page.goto(self.base + "/console/")
        self.page.fill("#key", key)
        self.page.press("#key", "Enter")
        self.page.wait_for_selector("#who .role")

    def go(self, route):
        self.page.goto(f"{self.base}/console/#/{route}")
        self.settle(route.split("/")[0])

    def settle(self, page=None):
        # Selectors, not predicates: the page's policy forbids the eval a predicate needs.
        want = f"[data-page='{page}']" if page else "[data-page]"
        self.page.wait_for_selector(f"main{want}:not([aria-busy])", state="attached")
        self.page.wait_for_load_state("networkidle")

    def shot(self, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"console-{name}.png"))

    def text(self):
        return self.page.inner_text("body")

    def close(self):
        self.ctx.close()


@pytest.fixture
def console(browser, cell):
    made = []

    def open_(base=None):
        c = Console(browser, base or cell.url)
        made.append(c)
        return c

    yield open_
    for c in made:
        assert not [e for e in c.errors if "Content Security Policy" in e], c.errors
        c.close()
