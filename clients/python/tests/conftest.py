"""A real `custodian serve` on a loopback port, with the ride-hailing tenant and a service key.
The binary is `$CUSTODIAN_BIN` (scripts/python-client-test builds it)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator, NamedTuple

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]


class Cell(NamedTuple):
    url: str
    admin: str
    service: str
    dpo: str


@contextlib.contextmanager
def start_cell(env: dict[str, str]) -> Iterator[Cell]:
    """`custodian serve` in a temporary directory, `env` added to its environment."""
    binary = os.environ.get("CUSTODIAN_BIN")
    if not binary:
        raise RuntimeError("CUSTODIAN_BIN is not set: run scripts/python-client-test")
    with tempfile.TemporaryDirectory() as work:
        proc = subprocess.Popen(
            [binary, "serve", "--listen", "127.0.0.1:0", "--data-dir", f"{work}/data"],
            stdout=subprocess.PIPE,
            stderr=open(f"{work}/stderr", "w"),
            text=True,
            env={**os.environ, "CUSTODIAN_ROTATE_EPOCH_HOURS": "0", **env},
        )
        try:
            admin = url = ""
            assert proc.stdout is not None
            for _ in range(5):
                line = proc.stdout.readline()
                if line.startswith("admin key (shown once, keep it secret): "):
                    admin = line.rsplit(" ", 1)[1].strip()
                if "on http://" in line:
                    url = "http://" + line.split("on http://", 1)[1].split()[0]
                    break
            assert admin and url, open(f"{work}/stderr").read()
            h = {"authorization": f"Bearer {admin}"}
            manifest = (ROOT / "examples" / "ride_hailing.toml").read_bytes()
            r = httpx.put(f"{url}/v1/tenants/ride/manifest", content=manifest, headers=h)
            assert r.status_code < 300, r.text

            def key(body: dict[str, str]) -> str:
                r = httpx.post(f"{url}/v1/keys", json=body, headers=h)
                assert r.status_code == 201, r.text
                return str(r.json()["key"])

            yield Cell(
                url,
                admin,
                key({"role": "service", "tenant": "ride", "service": "dispatch-svc"}),
                key({"role": "dpo", "tenant": "ride"}),
            )
        finally:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def cell() -> Iterator[Cell]:
    with start_cell({}) as c:
        yield c
