"""The web console in a real browser against a real cell: each role's pages, an order from the
browser, the ledger verified in the page (and failing when a proxy tampers), a DPO confined to
its tenant, keyboard use and accessibility (axe-core)."""

import http.server
import json
import re
import threading
import urllib.error
import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe

PAGES = {
    "admin": ["overview", "tenants", "orders", "ledger", "findings"],
    "regulator": ["overview", "tenants", "orders", "ledger", "findings"],
    "dpo": ["overview", "tenants", "subjects", "orders", "ledger", "findings"],
}
AXE = Axe()


def key_of(cell, role):
    return {"admin": cell.admin, "regulator": cell.keys["regulator"], "dpo": cell.keys["ride_dpo"]}[role]


def no_violations(page, where):
    """axe-core's WCAG 2 A/AA rules (labels, contrast, names, landmarks): none may fail."""
    res = AXE.run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in res.response["violations"]
    ]
    assert not bad, f"{where}: {bad}"
    assert res.response["passes"], f"{where}: axe checked nothing"


def test_sign_in_refuses_a_wrong_key_and_a_service_key(console, cell):
    c = console()
    c.page.goto(cell.url + "/console/")
    assert c.page.title().startswith("Sign in")
    no_violations(c.page, "sign-in")
    c.shot("sign-in")
    # It asks for an API key and nothing else: never a key file (a regulator's order key must
    # never meet code the operator serves).
    assert c.page.locator("input").count() == 1 and c.page.locator("input[type=file]").count() == 0
    c.page.fill("#key", "cst_" + "0" * 64)
    c.page.click("button[type=submit]")
    c.page.wait_for_selector("#signin-result .notice.error")
    assert "not accepted" in c.page.inner_text("#signin-result")
    assert c.page.evaluate("sessionStorage.length") == 0, "a refused key is kept"
    assert c.page.locator("nav a").count() == 0
    c.page.fill("#key", cell.keys["ride_svc"])
    c.page.click("button[type=submit]")
    c.page.wait_for_selector("#signin-result .notice.error:has-text('no console')")
    assert c.page.evaluate("sessionStorage.length") == 0
    # The key lives in this tab's session storage only: never in local storage or a cookie.
    c.sign_in(cell.keys["ride_dpo"])
    assert c.page.evaluate("localStorage.getItem('custodian.key')") is None
    assert c.ctx.cookies() == []
    c.page.get_by_role("button", name="Sign out", exact=True).click()
    c.page.wait_for_selector("#key")
    assert c.page.evaluate("sessionStorage.length") == 0


@pytest.mark.parametrize("role", ["admin", "regulator", "dpo"])
def test_each_role_sees_its_pages_and_no_value_in_clear(console, cell, role):
    c = console()
    c.sign_in(key_of(cell, role))
    nav = [a.inner_text() for a in c.page.locator("nav a").all()]
    assert [n.lower() for n in nav] == PAGES[role]
    assert c.page.inner_text("#who .role") == role
    for name in PAGES[role]:
        c.go(name)
        main = c.page.inner_text("main")
        assert not c.page.locator("main .notice.error").count(), f"{role} {name}: {main[:400]}"
        expect = {
            "overview": ["orders in force", "ledger entries", "Latest checkpoint"],
            "tenants": ["Fields against the necessary scope", "online_car_hailing"]
            if role == "dpo"
            else ["ride", "jobs", "online_car_hailing", "job_recruitment"],
            "subjects": ["Subject id or token"],
            "orders": ["Orders"],
            "ledger": ["Verify in this browser", "Entries"],
            "findings": ["Or paste text", "Scan"],
        }[name]
        for e in expect:
            assert e in main, f"{role} {name}: {e!r} missing in {main[:600]}"
        if name == "ledger":
            rows = c.page.inner_text("#entries tbody")
            assert ("collect" if role == "dpo" else "config_change") in rows, rows[:300]
        no_violations(c.page, f"{role} {name}")
        c.shot(f"{role}-{name}")
        # No stored value is rendered anywhere on these pages (only a DPO's export shows any).
        page_text = c.text()
        for v in cell.values["ride"] + cell.values["jobs"]:
            assert v not in page_text, f"{role} {name} shows a value in clear"
    if role != "dpo":
        c.go("tenants/ride")
        assert "Fields against the necessary scope" in c.page.inner_text("main")
        no_violations(c.page, f"{role} tenant")
        c.shot(f"{role}-tenant")
    # Only a regulator is offered to submit an order; only an administrator to load a manifest.
    c.go("orders")
    assert (c.page.locator("text=Submit a signed order").count() == 1) == (role == "regulator")
    c.go("tenants")
    assert (c.page.locator("#m-text").count() == 1) == (role == "admin")
    # Every API call carried the key as a bearer header, and the key was never in a URL or in
    # anything the browser keeps beyond the tab.
    key = key_of(cell, role)
    api_calls = [(u, auth) for u, auth, _ in c.sent if "/v1/" in u]
    assert api_calls and all(auth == f"Bearer {key}" for _, auth in api_calls), api_calls[:3]
    assert not any(key in u for u in c.requests)
    kept = c.page.evaluate("JSON.stringify(Object.entries(localStorage))")
    assert key not in kept and c.ctx.cookies() == []
    # Every request the pages made went to the cell, none elsewhere (nothing from a CDN).
    assert all(u.startswith(cell.url) or u.startswith("data:") for u in c.requests), c.requests
    assert not c.errors, c.errors


def test_keyboard_alone_signs_in_and_moves_between_pages(console, cell):
    c = console()
    c.page.goto(cell.url + "/console/")
    c.page.wait_for_selector("#key")
    # The key field has focus on arrival; before it comes only the skip link.
    assert c.page.evaluate("document.activeElement.id") == "key"
    c.page.keyboard.press("Shift+Tab")
    assert c.page.evaluate("document.activeElement.className") == "skip"
    # The skip link takes focus to the content and leaves the page where it is.
    c.page.keyboard.press("Enter")
    assert c.page.evaluate("document.activeElement.id") == "main"
    assert c.page.locator("#key").count() == 1
    c.page.focus("#key")
    c.page.keyboard.type(cell.keys["regulator"])
    c.page.keyboard.press("Enter")
    c.page.wait_for_selector("#who .role")
    c.settle()
    # Focus is on the page's content; the navigation is reached from there by keyboard.
    assert c.page.evaluate("document.activeElement.id") == "main"
    seen = []
    for _ in range(12):
        c.page.keyboard.press("Shift+Tab")
        seen.append(c.page.evaluate("document.activeElement.textContent"))
        if seen[-1] == "Ledger":
            break
    assert seen[-1] == "Ledger", seen
    assert "Sign out" in seen, seen
    # The focused element is visibly marked.
    outline = c.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), outline
    c.page.keyboard.press("Enter")
    # The ledger page itself: the page signed in on also matches a bare settle until the
    # navigation starts.
    c.settle("ledger")
    assert c.page.title().startswith("Ledger")
    assert c.page.evaluate("document.activeElement.id") == "main", "focus moves to the new page"


def test_an_order_submitted_from_the_browser_refuses_registration(console, cell):
    svc = cell.keys["haul_svc"]
    status, _ = cell.call("POST", "/v1/subjects", svc, {"jurisdiction": "CN"})
    assert status == 201, "registration works before the order"
    doc = cell.work / "freeze.json"
    cell.cli("order", "new", "--kind", "suspend_registration", "--issuer", "cac.example", "--tenant", "haul",
             "--reason", "investigation", "--legal-basis", "PIPL Art. 64", "--out", str(doc))
    cell.cli("order", "sign", "--key", "reg.key", str(doc), "--out", str(cell.work / "freeze.note"))
    c = console()
    c.sign_in(cell.keys["regulator"])
    c.go("orders")
    # A file that is not a signed order: refused, and said why.
    (cell.work / "junk.note").write_text("not an order\n")
    c.page.set_input_files("#o-file", str(cell.work / "junk.note"))
    c.page.get_by_role("button", name="Submit order", exact=True).click()
    c.page.wait_for_selector("main .result .notice.error")
    c.page.set_input_files("#o-file", str(cell.work / "freeze.note"))
    c.page.get_by_role("button", name="Submit order", exact=True).click()
    c.page.wait_for_selector("main .result .notice.ok")
    ok = c.page.inner_text("main .result")
    assert "accepted" in ok and "suspend registration" in ok, ok
    c.shot("regulator-order-submitted")
    status, v = cell.call("POST", "/v1/subjects", svc, {"jurisdiction": "CN"})
    assert status >= 400 and v.get("order"), f"registration after the order: {status} {v}"
    order_id = v["order"]
    c.page.click(f"text={order_id}")
    # The detail stays on the orders page: settle() alone can match the list before the
    # hash change re-renders it. Wait for the detail's own line first.
    c.page.wait_for_selector("main[data-page='orders']:not([aria-busy]) >> text=— cac.example/orders")
    c.settle("orders")
    main = c.page.inner_text("main")
    assert "in force" in main and "cac.example/orders+" in main and "— cac.example/orders" in main, main
    assert "registration_suspended" in main, "the refused registration shows in the order's history"
    no_violations(c.page, "order page")
    c.shot("regulator-order")


class Tamper(http.server.ThreadingHTTPServer):
    """A proxy in front of the cell that changes what it serves, one way per mode."""

    def __init__(self, target, mode, early=None):
        self.target, self.mode, self.early = target, mode, early
        super().__init__(("127.0.0.1", 0), TamperHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class TamperHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def _go(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")}
        req = urllib.request.Request(self.server.target + self.path, data=body, method=self.command, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, rh, data = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, rh, data = e.code, e.headers, e.read()
        path, mode = self.path.split("?")[0], self.server.mode
        if path == "/v1/ledger/checkpoint" and mode == "checkpoint":
            # One digit of the tree size changed: the signature no longer covers the text.
            lines = data.decode().split("\n")
            lines[1] = str(int(lines[1]) + 1)
            data = "\n".join(lines).encode()
        if path == "/v1/ledger/checkpoint" and mode == "rollback":
            data = self.server.early.encode()
        if path == "/v1/ledger/proofs/inclusion" and mode == "swap":
            # Asked for entry i, the proof of entry i-1 (whose entry the listing shows at i).
            i = int(re.search(r"index=(\d+)", self.path).group(1))
            with urllib.request.urlopen(urllib.request.Request(
                    self.server.target + self.path.replace(f"index={i}", f"index={i - 1}"),
                    headers=headers), timeout=30) as r:
                data = r.read()
        if path == "/v1/ledger/entries" and mode in ("swap", "beyond", "gap"):
            v = json.loads(data)
            rows = v["entries"]
            if mode == "swap" and len(rows) > 1:
                rows[-1]["entry"] = rows[-2]["entry"]
            if mode == "beyond" and rows:
                rows.append({"index": rows[-1]["index"] + 5000, "entry": rows[-1]["entry"]})
            if mode == "gap" and len(rows) > 2:
                del rows[len(rows) // 2]
            data = json.dumps(v).encode()
        if path == "/v1/ledger/entries" and mode == "entries":
            # The newest entry listed a second later than it happened.
            v = json.loads(data)
            if v["entries"]:
                v["entries"][-1]["entry"]["time_ms"] += 1000
            data = json.dumps(v).encode()
        self.send_response(status)
        for k, v in rh.items():
            if k.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _go


def verify(c, vkey):
    c.go("ledger")
    c.page.fill("#vkey", vkey)
    c.page.click("#verify")
    c.page.wait_for_selector("#verify-result .notice.ok, #verify-result .notice.error", timeout=60000)
    return c.page.inner_text("#verify-result")


def test_the_ledger_verifies_in_the_browser_and_fails_when_tampered(console, cell):
    c = console()
    c.sign_in(cell.keys["regulator"])
    out = verify(c, cell.vkey)
    assert out.startswith("Verified"), out
    assert "shown entries are in the signed tree" in out, out
    marks = c.page.locator("#entries td.proof").all_inner_texts()
    assert marks and all(m == "✓" for m in marks), marks
    c.shot("regulator-ledger-verified")
    # A filter redraws the rows: the result, which covered the rows checked, goes with them.
    c.page.select_option("#f-kind", "access")
    assert c.page.inner_text("#verify-result") == ""
    c.page.select_option("#f-kind", "")
    # Again, later: the new checkpoint is checked consistent with the one verified before.
    out = verify(c, cell.vkey)
    assert "Consistent with the checkpoint this browser verified before" in out, out

    # A key that is not the cell's: nothing the cell signed verifies under it.
    other = cell.cli("ledger", "keygen", "--name", cell.vkey.split("+")[0], "--out", str(cell.work / "other-ledger.key")).strip().splitlines()[0]
    out = verify(c, other)
    assert out.startswith("Verification failed"), out

    for mode, expect in [
        ("checkpoint", "does not verify"),
        ("entries", "differs from the entry its inclusion proof carries"),
        ("rollback", "entries were removed"),
        ("swap", "is a proof of entry"),
        ("beyond", "the listing is not the ledger"),
        ("gap", "the listing is not the ledger"),
    ]:
        proxy = Tamper(cell.url, mode, cell.early_checkpoint)
        try:
            p = console(proxy.url)
            p.sign_in(cell.keys["regulator"])
            if mode == "rollback":
                # This browser verified the real ledger once; then the proxy serves an older,
                # genuinely signed checkpoint.
                proxy.mode = None
                assert verify(p, cell.vkey).startswith("Verified")
                proxy.mode = "rollback"
            if mode in ("gap", "beyond"):
                # A listing with an index missing, or one past the range asked, is refused as
                # it loads.
                p.go("ledger")
                out = "Verification failed " + p.page.inner_text("main .notice.error")
                assert expect in out, out
                p.shot(f"ledger-tampered-{mode}")
                continue
            out = verify(p, cell.vkey)
            assert out.startswith("Verification failed") and expect in out, f"{mode}: {out}"
            p.shot(f"ledger-tampered-{mode}")
        finally:
            proxy.shutdown()


def test_a_dpo_of_one_tenant_never_sees_another(console, cell):
    c = console()
    c.sign_in(cell.keys["ride_dpo"])
    for name in PAGES["dpo"] + ["tenants/jobs", f"subjects/{cell.subjects['jobs'][0]}", f"subjects/{cell.subjects['ride'][0]}"]:
        c.go(name)
        if name == "ledger":
            while c.page.locator("text=Load older entries").is_enabled():
                # The load runs after the click returns: wait for the status line to say the
                # page grew before asking the button again (settle() cannot see a fetch).
                status = c.page.inner_text("main p[role=status]")
                c.page.click("text=Load older entries")
                c.page.wait_for_selector(f"main p[role=status]:not(:has-text('{status}'))")
    # Another tenant's page: the API's refusal, shown, and nothing of it.
    c.go("tenants/jobs")
    assert c.page.locator("main .notice.error").count() == 1
    seen = "\n".join(c.bodies) + c.text()
    for secret in cell.subjects["jobs"] + cell.tokens["jobs"] + cell.values["jobs"] + ["91110105MA01J0B00B", "job_recruitment"]:
        assert secret not in seen, f"the ride DPO saw {secret!r}"
    assert cell.subjects["ride"][0] in seen, "positive control: its own subject shows"


def test_a_dpo_finds_a_subject_by_token_and_serves_copy_and_erasure(console, cell):
    c = console()
    c.sign_in(cell.keys["ride_dpo"])
    c.go("subjects")
    subject, token = cell.subjects["ride"][2], cell.tokens["ride"][4]
    c.page.fill("#q", token)
    c.page.press("#q", "Enter")
    c.page.wait_for_url(re.compile(f"#/subjects/{subject}$"))
    c.settle()
    main = c.page.inner_text("main")
    assert "dispatch" in main and "consent_grant" in main and "collect" in main, main
    # A dismissed confirmation does nothing: no request opened, nothing erased.
    before = len(cell.ok("GET", "/v1/requests", cell.keys["ride_dpo"]))
    c.confirm = False
    c.page.get_by_role("button", name="Erase", exact=True).click()
    c.page.wait_for_timeout(300)
    assert c.dialogs and "cannot be undone" in c.dialogs[-1]
    assert len(cell.ok("GET", "/v1/requests", cell.keys["ride_dpo"])) == before
    assert cell.ok("GET", f"/v1/subjects/{subject}/export", cell.keys["ride_dpo"])["values"]
    c.confirm = True
    c.page.get_by_role("button", name="Copy of their data", exact=True).click()
    c.page.wait_for_selector("main .result .notice.ok")
    got = c.page.inner_text("main .result")
    assert cell.values["ride"][4] in got, "the DPO's copy shows the values (the API returns them to it)"
    c.shot("dpo-subject-copy")
    c.page.get_by_role("button", name="Erase", exact=True).click()
    c.page.wait_for_selector("main .result .notice.ok")
    assert "Erased" in c.page.inner_text("main .result")
    v = cell.ok("GET", f"/v1/subjects/{subject}/export", cell.keys["ride_dpo"])
    assert v["subject"]["erased"] is True and v["values"] == [], f"export after erasure: {v}"
    requests = cell.ok("GET", "/v1/requests", cell.keys["ride_dpo"])
    done = [r for r in requests if r["subject"] == subject]
    assert len(done) == 2 and all(r["status"] != "open" for r in done), done


def test_findings_are_highlighted_masked_and_never_shown_as_they_were(console, cell):
    c = console()
    c.sign_in(cell.keys["regulator"])
    c.go("findings")
    text = "请联系张伟，手机13812345678，身份证110101199003074573，邮箱 zhang.wei@example.com。"
    c.page.fill("#f-text", text)
    c.page.click("main button[type=submit]")
    c.page.wait_for_selector("pre.masked mark")
    marks = c.page.locator("pre.masked mark").count()
    assert marks >= 3, marks
    shown = c.text()
    for v in ["13812345678", "110101199003074573", "zhang.wei@example.com"]:
        assert v not in shown.replace(text, ""), f"{v} shown in clear"
        assert v not in c.page.inner_text("main .result")
    # A capture of the app's traffic, inspected against the tenant's manifest.
    har = {"log": {"version": "1.2", "entries": [
        {"startedDateTime": "2026-12-03T08:00:00Z", "request": {"method": "POST",
            "url": "https://api.ride.example/v1/device", "postData": {"mimeType": "application/json",
            "text": json.dumps({"phone": "13812345678"})}}},
        {"startedDateTime": "2026-12-03T08:00:01Z", "request": {"method": "POST",
            "url": "https://api.ride.example/v1/privacy/consent"}},
        {"startedDateTime": "2026-12-03T08:00:03Z", "request": {"method": "GET",
            "url": "https://sdk.ads.example/t?m=13812345678"}}]}}
    (cell.work / "app.har").write_text(json.dumps(har))
    c.page.select_option("#i-tenant", "ride")
    c.page.set_input_files("#i-file", str(cell.work / "app.har"))
    c.page.get_by_role("button", name="Inspect", exact=True).click()
    c.page.wait_for_selector("#inspect-result table")
    got = c.page.inner_text("#inspect-result")
    assert "third party" in got and "before consent" in got and "sdk.ads.example" in got, got
    assert "13812345678" not in got
    no_violations(c.page, "findings")
    c.shot("regulator-findings")


def test_a_manifest_is_checked_inline_before_it_is_applied(console, cell):
    from conftest import ROOT

    c = console()
    c.sign_in(cell.admin)
    c.go("tenants")
    bad = (ROOT / "examples" / "freight.toml").read_text().replace('purposes = ["matching"]', 'purposes = ["nowhere"]', 1)
    c.page.fill("#m-tenant", "freight2")
    c.page.fill("#m-text", bad)
    c.page.get_by_role("button", name="Check", exact=True).click()
    c.page.wait_for_selector("main .result .notice.error")
    result = c.page.inner_text("main .result")
    assert "nowhere" in result and "line" in result, result
    assert c.page.get_by_role("button", name="Apply manifest", exact=True).is_disabled()
    c.shot("admin-manifest-check")
    c.page.fill("#m-text", bad.replace('["nowhere"]', '["matching"]'))
    c.page.get_by_role("button", name="Check", exact=True).click()
    c.page.wait_for_selector("main .result .notice.ok")
    assert c.page.get_by_role("button", name="Apply manifest", exact=True).is_enabled()
    c.page.get_by_role("button", name="Apply manifest", exact=True).click()
    c.page.wait_for_selector("main .result .notice.ok:has-text('Applied')")
    assert any(t["id"] == "freight2" for t in cell.ok("GET", "/v1/tenants"))

