"""The Python client against a real cell: single and bulk calls, partial success, retries that
change nothing, refusals as ApiError, the asyncio client, and backoff over a failing link."""

from __future__ import annotations

import asyncio
import itertools
import pathlib
import uuid

import httpx
import pytest

from custodian_client import (
    ApiError,
    AsyncClient,
    Client,
    CollectItem,
    ConsentGrant,
    NewSubject,
    Onboard,
    OnboardCollect,
    OnboardConsent,
    Onboarded,
    Retry,
    TransportError,
)

from conftest import Cell, start_cell


def phone(i: int) -> str:
    return f"139{10_000_000 + i:08d}"


def test_single_calls_and_refusals(cell: Cell) -> None:
    with Client(cell.url, cell.service) as c:
        s = c.register("CN")
        assert s.startswith("sub_")
        c.grant_consent(s, "safety", separate=True)
        [t] = c.collect(s, "dispatch", {"phone": phone(1)})
        assert t.field == "phone" and t.token != phone(1)
        [masked] = c.detokenize("dispatch", [t.token])
        assert masked.masked and masked.value != phone(1)
        [clear] = c.detokenize("dispatch", [t.token], reveal="clear")
        assert clear.value == phone(1) and clear.subject == s
        with pytest.raises(ApiError) as e:
            c.collect(s, "dispatch", {"no_such_field": "x"})
        assert 400 <= e.value.status < 500 and e.value.code
        with pytest.raises(ApiError) as e:
            c.collect(s, "undeclared", {"phone": phone(2)})
        assert phone(2) not in str(e.value), "an error never quotes a value"
    with Client(cell.url, cell.dpo) as dpo:
        note = dpo.checkpoint()
        assert note.splitlines()[0].endswith("/ledger") and "\n\u2014 " in note, note
    with Client(cell.url, "cst_not_a_key") as bad, pytest.raises(ApiError) as e:
        bad.register("CN")
    assert e.value.status == 401


def test_bulk_calls_partial_success_and_retries(cell: Cell) -> None:
    run = uuid.uuid4().hex[:8]
    with Client(cell.url, cell.service) as c:
        subjects = c.register_many(
            [NewSubject("CN", idempotency_key=f"{run}-{i}") for i in range(1500)]
            + [NewSubject("ZZ")],
            chunk=700,
        )
        assert len(subjects) == 1501
        assert all(r.ok for r in subjects[:1500])
        assert not subjects[1500].ok and subjects[1500].error is not None
        assert subjects[1500].error.code == "wrong_jurisdiction"
        ids = [r.unwrap() for r in subjects[:1500]]
        assert len(set(ids)) == 1500
        again = c.register_many([NewSubject("CN", idempotency_key=f"{run}-{i}") for i in range(1500)])
        assert [r.unwrap() for r in again] == ids, "a retried registration answers the same"

        consents = c.consent_many([ConsentGrant(s, "safety", separate=True) for s in ids[:10]])
        assert all(r.ok for r in consents)
        items = [
            CollectItem(s, "dispatch", {"phone": phone(i)}, idempotency_key=f"{run}-v{i}")
            for i, s in enumerate(ids)
        ]
        items[3] = CollectItem(ids[3], "dispatch", {"phone": "not a phone"})
        got = c.collect_many(items)
        assert [r.ok for r in got].count(False) == 1 and not got[3].ok
        assert got[3].error is not None and "not a phone" not in got[3].error.message
        twice = c.collect_many(items[:3])
        assert [r.unwrap() for r in twice] == [r.unwrap() for r in got[:3]]
        reused = c.collect_batch([CollectItem(ids[0], "dispatch", {"phone": phone(99)}, idempotency_key=f"{run}-v0")])
        assert reused[0].error is not None and reused[0].error.status == 409
        with pytest.raises(ValueError):
            c.collect_batch(items[:1001])


def test_onboarding_in_one_act_a_subject(cell: Cell) -> None:
    run = uuid.uuid4().hex[:8]
    items = [
        Onboard(
            "CN",
            consents=[OnboardConsent("safety", separate=True)] if i % 2 == 0 else [],
            collects=[
                OnboardCollect("dispatch", {"phone": phone(i)}),
                OnboardCollect("safety", {"emergency_contact": phone(5000 + i)}),
            ],
            idempotency_key=f"{run}-o{i}",
        )
        for i in range(1200)
    ] + [Onboard("ZZ", idempotency_key=f"{run}-bad")]
    with Client(cell.url, cell.service) as c:
        before = ledger_size(cell)
        got = c.onboard_many(items, chunk=500)
        assert len(got) == 1201
        assert got[1200].error is not None and got[1200].error.code == "wrong_jurisdiction"
        done = [r.unwrap() for r in got[:1200]]
        assert len({o.subject for o in done}) == 1200
        # Even rows consented: both values in; odd rows' safety contact refused, phone in.
        assert all(o.consents[0].ok and all(p.ok for p in o.collects) for o in done[::2])
        for o in done[1::2]:
            assert o.collects[0].ok
            err = o.collects[1].error
            assert err is not None and err.code == "consent_missing"
            assert phone(5001) not in err.message
        # One entry a part: register, (consent), two collects; and the refused registration.
        after = before + 600 * 4 + 600 * 3 + 1
        assert ledger_size(cell) == after
        # Sent again: the same subjects and tokens, nothing done twice but the refusal.
        def shown(os: list[Onboarded]) -> list[object]:
            return [(o.subject, [(p.value, p.error and p.error.code) for p in o.collects]) for o in os]

        again = c.onboard_many(items[:1200], chunk=1000)
        assert shown([r.unwrap() for r in again]) == shown(done)
        assert ledger_size(cell) == after
        [t] = done[0].collects[0].unwrap()
        [v] = c.detokenize("dispatch", [t.token], reveal="clear")
        assert v.value == phone(0) and v.subject == done[0].subject


def test_async_client(cell: Cell) -> None:
    async def main() -> None:
        async with AsyncClient(cell.url, cell.service, concurrency=3) as c:
            s = await c.register("CN")
            [t] = await c.collect(s, "dispatch", {"phone": phone(7)})
            [v] = await c.detokenize("dispatch", [t.token], reveal="clear")
            assert v.value == phone(7)
            subjects = await c.register_many([NewSubject("CN") for _ in range(2500)], chunk=500)
            assert len({r.unwrap() for r in subjects}) == 2500
            got = await c.collect_many(
                [CollectItem(r.unwrap(), "dispatch", {"phone": phone(i)}) for i, r in enumerate(subjects)],
                chunk=400,
            )
            assert all(r.ok for r in got)
            with pytest.raises(ApiError):
                await c.collect(s, "undeclared", {"phone": phone(8)})

    asyncio.run(main())


class Flaky(httpx.BaseTransport):
    """A link that loses the answer to the first `fail` requests after sending them."""

    def __init__(self, fail: int):
        self.inner = httpx.HTTPTransport()
        self.left = itertools.count(fail, -1)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if next(self.left) > 0:
            response.read()
            raise httpx.ReadError("the answer was lost")
        return response


def ledger_size(cell: Cell) -> int:
    with Client(cell.url, cell.dpo) as dpo:
        return int(dpo.checkpoint().splitlines()[1])


def test_lost_answers_are_retried_only_when_safe(cell: Cell) -> None:
    fast = Retry(attempts=4, backoff=0.01)
    with Client(cell.url, cell.service) as plain:
        s = plain.register("CN")
    before = ledger_size(cell)
    # Keyed items: the first two answers are lost, the third attempt answers what was done once.
    run = uuid.uuid4().hex[:8]
    with Client(cell.url, cell.service, retry=fast, transport=Flaky(2)) as c:
        [r] = c.collect_batch([CollectItem(s, "dispatch", {"phone": phone(3)}, idempotency_key=run)])
        token = r.unwrap()[0].token
    assert ledger_size(cell) == before + 1, "three attempts, one collect"
    with Client(cell.url, cell.service) as plain:
        [again] = plain.collect_batch([CollectItem(s, "dispatch", {"phone": phone(3)}, idempotency_key=run)])
        assert again.unwrap()[0].token == token
    assert ledger_size(cell) == before + 1
    # An unkeyed collect is not sent again after a lost answer: the error reaches the caller,
    # and the collect was done once.
    with Client(cell.url, cell.service, retry=fast, transport=Flaky(1)) as c, pytest.raises(TransportError):
        c.collect(s, "dispatch", {"phone": phone(4)})
    assert ledger_size(cell) == before + 2
    # A refused connection is retried, then reported.
    with Client("http://127.0.0.1:9", cell.service, retry=fast) as c, pytest.raises(TransportError):
        c.register("CN")


def test_an_unknown_outcome_is_not_resent(tmp_path: pathlib.Path) -> None:
    # A cell whose disk syncs fail once the trigger file exists (a debug-build switch): the
    # collect committed and its sync failed, so whether it took effect is unknown (504
    # `outcome_unknown`). An unkeyed collect is not resent — a resend would meet the cell
    # refusing writes (503) — and the caller learns the outcome is unknown.
    trigger = tmp_path / "fail-syncs"
    with start_cell({"CUSTODIAN_TEST_FAULT": f"sync-fails-when:{trigger}"}) as broken:
        with Client(broken.url, broken.service, retry=Retry(attempts=4, backoff=0.01)) as c:
            s = c.register("CN")
            c.grant_consent(s, "dispatch", separate=True)
            trigger.touch()
            with pytest.raises(ApiError) as e:
                c.collect(s, "dispatch", {"phone": phone(5)})
            assert (e.value.status, e.value.code) == (504, "outcome_unknown")
            assert phone(5) not in str(e.value)
