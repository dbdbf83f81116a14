"""The calls, built once (``_Call``) and sent by a synchronous or an asyncio transport."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Callable, Generic, Mapping, Optional, Sequence, TypeVar

import httpx

MAX_BATCH = 1000
"""The most items one bulk request takes; the ``*_many`` helpers send more in chunks."""

T = TypeVar("T")


class TransportError(Exception):
    """The cell could not be reached, or answered something that is not its API."""


class ApiError(Exception):
    """The cell refused or failed a request (or one item of a bulk request)."""

    def __init__(self, status: int, code: str, message: str, order: Optional[str] = None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.order = order
        """The regulator's order behind the refusal, if one."""

    @classmethod
    def _from(cls, status: int, body: Any) -> "ApiError":
        body = body if isinstance(body, dict) else {}
        return cls(
            status,
            str(body.get("code", "")),
            str(body.get("message", "")),
            body.get("order") if isinstance(body.get("order"), str) else None,
        )


@dataclass(frozen=True)
class Token:
    """A stored value's token."""

    field: str
    token: str
    undeclared_pi: Sequence[str] = ()
    """PI types found in free text that its field does not declare."""


@dataclass(frozen=True)
class Value:
    """A value read back through its token."""

    token: str
    field: str
    subject: str
    value: str
    masked: bool


@dataclass(frozen=True)
class NewSubject:
    """A subject to register."""

    jurisdiction: str
    role: Optional[str] = None
    minor: bool = False
    idempotency_key: Optional[str] = None


@dataclass(frozen=True)
class ConsentGrant:
    """A consent to record."""

    subject: str
    purpose: str
    separate: bool = False
    by_guardian: bool = False
    idempotency_key: Optional[str] = None


@dataclass(frozen=True)
class CollectItem:
    """One subject's values (PI) to collect for a purpose."""

    subject: str
    purpose: str
    values: Mapping[str, str]
    idempotency_key: Optional[str] = None


@dataclass(frozen=True)
class OnboardConsent:
    """A consent given while onboarding."""

    purpose: str
    separate: bool = False
    by_guardian: bool = False


@dataclass(frozen=True)
class OnboardCollect:
    """Values (PI) collected while onboarding, for one purpose."""

    purpose: str
    values: Mapping[str, str]


@dataclass(frozen=True)
class Onboard:
    """A subject to register with its consents and first values, in one act: the consents are
    given in order, then the values collected (each collect sees the consents before it)."""

    jurisdiction: str
    role: Optional[str] = None
    minor: bool = False
    consents: Sequence[OnboardConsent] = ()
    collects: Sequence[OnboardCollect] = ()
    idempotency_key: Optional[str] = None


@dataclass(frozen=True)
class ItemResult(Generic[T]):
    """One item's outcome in a bulk call: its value, or the error the single route gives."""

    value: Optional[T] = None
    error: Optional[ApiError] = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def unwrap(self) -> T:
        """The value, or the item's error raised."""
        if self.error is not None:
            raise self.error
        assert self.value is not None
        return self.value


@dataclass(frozen=True)
class Onboarded:
    """What onboarding one subject did: its id, and each consent's and each collect's result
    in the order asked (a refused one beside those carried out)."""

    subject: str
    consents: list[ItemResult[None]]
    collects: list[ItemResult[list[Token]]]


@dataclass(frozen=True)
class Retry:
    """How requests are retried: ``attempts`` in all, waits doubling from ``backoff`` seconds
    (with jitter) up to ``max_backoff``."""

    attempts: int = 5
    backoff: float = 0.2
    max_backoff: float = 10.0

    def wait(self, attempt: int) -> float:
        base: float = min(self.max_backoff, self.backoff * (2 ** (attempt - 1)))
        return base * (0.5 + random.random() / 2)


@dataclass
class _Call(Generic[T]):
    method: str
    path: str
    body: Any
    parse: Callable[[Any], T]
    idempotent: bool
    """Safe to send again after a lost answer (a read, or items with idempotency keys)."""
    params: Mapping[str, str] = field(default_factory=dict)


def _plain(v: Any) -> Any:
    """A field's value as JSON takes it: a mapping as a dict, a sequence as a list, a dataclass
    as an object of its set fields."""
    if isinstance(v, Mapping):
        return dict(v)
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if is_dataclass(v) and not isinstance(v, type):
        return _drop_none({f.name: _plain(getattr(v, f.name)) for f in fields(v)})
    return v


def _drop_none(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _tokens(v: Any) -> list[Token]:
    return [
        Token(t["field"], t["token"], tuple(t.get("undeclared_pi", ()))) for t in v["tokens"]
    ]


def _items(v: Any, n: int, ok: Callable[[Any], T]) -> list[ItemResult[T]]:
    results = v.get("results") if isinstance(v, dict) else None
    if not isinstance(results, list) or len(results) != n:
        raise TransportError("a bulk answer without one result per item")
    return [_result(r, ok) for r in results]


def _result(r: Any, ok: Callable[[Any], T]) -> ItemResult[T]:
    if isinstance(r, dict) and r.get("ok") is True:
        return ItemResult(value=ok(r))
    if not isinstance(r, dict):
        raise TransportError("a bulk answer with an item that is not an object")
    return ItemResult(error=ApiError._from(int(r.get("status", 0)), r.get("error")))


def _onboarded(r: Any) -> Onboarded:
    return Onboarded(
        str(r["subject"]),
        [_result(c, lambda v: None) for c in r["consents"]],
        [_result(c, _tokens) for c in r["collects"]],
    )


def _check(n: int) -> None:
    if n > MAX_BATCH:
        raise ValueError(f"a batch takes at most {MAX_BATCH} items; this one has {n}")


class _Calls:
    """Each call's request and how its answer reads."""

    @staticmethod
    def register(jurisdiction: str, role: Optional[str], minor: bool) -> _Call[str]:
        body = _drop_none({"jurisdiction": jurisdiction, "role": role, "minor": minor})
        return _Call("POST", "/v1/subjects", body, lambda v: str(v["subject"]), False)

    @staticmethod
    def grant_consent(subject: str, purpose: str, separate: bool, by_guardian: bool) -> _Call[None]:
        body = {"purpose": purpose, "separate": separate, "by_guardian": by_guardian}
        return _Call("POST", f"/v1/subjects/{subject}/consents", body, lambda v: None, False)

    @staticmethod
    def collect(subject: str, purpose: str, values: Mapping[str, str]) -> _Call[list[Token]]:
        body = {"subject": subject, "purpose": purpose, "values": dict(values)}
        return _Call("POST", "/v1/collect", body, _tokens, False)

    @staticmethod
    def detokenize(purpose: str, tokens: Sequence[str], reveal: str) -> _Call[list[Value]]:
        body = {"purpose": purpose, "tokens": list(tokens), "reveal": reveal}

        def parse(v: Any) -> list[Value]:
            return [
                Value(x["token"], x["field"], x["subject"], x["value"], bool(x["masked"]))
                for x in v["values"]
            ]

        # A read: sent again, it reads again (and is recorded again), nothing more.
        return _Call("POST", "/v1/detokenize", body, parse, True)

    @staticmethod
    def _batch(
        path: str, items: Sequence[Any], ok: Callable[[Any], T]
    ) -> _Call[list[ItemResult[T]]]:
        """A bulk call: each item's dataclass fields as its JSON object (unset ones left out),
        safe to resend when every item carries an idempotency key."""
        _check(len(items))
        body = {"items": [_plain(i) for i in items]}
        n = len(items)
        keyed = all(i.idempotency_key for i in items)
        return _Call("POST", path, body, lambda v: _items(v, n, ok), keyed)

    @staticmethod
    def register_batch(items: Sequence[NewSubject]) -> _Call[list[ItemResult[str]]]:
        return _Calls._batch("/v1/subjects:batch", items, lambda r: str(r["subject"]))

    @staticmethod
    def consent_batch(items: Sequence[ConsentGrant]) -> _Call[list[ItemResult[None]]]:
        return _Calls._batch("/v1/consents:batch", items, lambda r: None)

    @staticmethod
    def collect_batch(items: Sequence[CollectItem]) -> _Call[list[ItemResult[list[Token]]]]:
        return _Calls._batch("/v1/collect:batch", items, _tokens)

    @staticmethod
    def onboard_batch(items: Sequence[Onboard]) -> _Call[list[ItemResult[Onboarded]]]:
        return _Calls._batch("/v1/subjects:onboard", items, _onboarded)

    @staticmethod
    def checkpoint() -> _Call[str]:
        return _Call("GET", "/v1/ledger/checkpoint", None, lambda v: str(v), True)


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    if not 1 <= size <= MAX_BATCH:
        raise ValueError(f"chunk must be 1 to {MAX_BATCH}")
    return [items[i : i + size] for i in range(0, len(items), size)]


def _answer(call: _Call[T], r: httpx.Response) -> T:
    try:
        body: Any = r.json()
    except ValueError:
        body = r.text
    if r.status_code >= 400:
        raise ApiError._from(r.status_code, body)
    try:
        return call.parse(body)
    except (KeyError, TypeError) as e:
        raise TransportError(f"{call.path} answered something unexpected: {e!r}") from None


def _retryable(call: _Call[Any], error: Optional[BaseException], status: int) -> bool:
    """Whether a failed attempt may be sent again: never reached (a refused connection) or
    turned away before it was carried out (429, 503) always; otherwise only an idempotent
    call."""
    if isinstance(error, httpx.ConnectError) or status in (429, 503):
        return True
    if isinstance(error, httpx.TransportError) or status in (502, 504):
        return call.idempotent
    return False


def _headers(api_key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {api_key}", "user-agent": "custodian-client-python/0.1"}


class Client:
    """A synchronous client of one cell."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 30.0,
        retry: Retry = Retry(),
        transport: Optional[httpx.BaseTransport] = None,
    ):
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers=_headers(api_key),
            timeout=timeout,
            transport=transport,
        )
        self.retry = retry

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _run(self, call: _Call[T]) -> T:
        attempt = 1
        while True:
            error: Optional[httpx.HTTPError] = None
            status = 0
            try:
                r = self._http.request(call.method, call.path, json=call.body, params=call.params)
                status = r.status_code
            except httpx.HTTPError as e:
                error = e
            if attempt < self.retry.attempts and _retryable(call, error, status):
                time.sleep(self.retry.wait(attempt))
                attempt += 1
                continue
            if error is not None:
                raise TransportError(f"{call.method} {call.path}: {error}") from None
            return _answer(call, r)

    def register(self, jurisdiction: str, role: Optional[str] = None, minor: bool = False) -> str:
        """Registers a subject (a service): its id."""
        return self._run(_Calls.register(jurisdiction, role, minor))

    def grant_consent(
        self, subject: str, purpose: str, *, separate: bool = False, by_guardian: bool = False
    ) -> None:
        """Records a subject's consent to a declared purpose."""
        self._run(_Calls.grant_consent(subject, purpose, separate, by_guardian))

    def collect(self, subject: str, purpose: str, values: Mapping[str, str]) -> list[Token]:
        """Collects a subject's values for a purpose (a service): their tokens."""
        return self._run(_Calls.collect(subject, purpose, values))

    def detokenize(
        self, purpose: str, tokens: Sequence[str], reveal: str = "default"
    ) -> list[Value]:
        """Reads values back through their tokens (``reveal``: default, masked or clear)."""
        return self._run(_Calls.detokenize(purpose, tokens, reveal))

    def checkpoint(self) -> str:
        """A fresh signed checkpoint of the cell's ledger."""
        return self._run(_Calls.checkpoint())

    def register_batch(self, items: Sequence[NewSubject]) -> list[ItemResult[str]]:
        """Registers up to 1,000 subjects in one request."""
        return self._run(_Calls.register_batch(items))

    def consent_batch(self, items: Sequence[ConsentGrant]) -> list[ItemResult[None]]:
        """Records up to 1,000 consents in one request."""
        return self._run(_Calls.consent_batch(items))

    def collect_batch(self, items: Sequence[CollectItem]) -> list[ItemResult[list[Token]]]:
        """Collects up to 1,000 items in one request."""
        return self._run(_Calls.collect_batch(items))

    def onboard_batch(self, items: Sequence[Onboard]) -> list[ItemResult[Onboarded]]:
        """Registers up to 1,000 subjects with their consents and values, one act each."""
        return self._run(_Calls.onboard_batch(items))

    def onboard_many(
        self, items: Sequence[Onboard], chunk: int = MAX_BATCH
    ) -> list[ItemResult[Onboarded]]:
        """Onboards any number of subjects, ``chunk`` a request, results in order."""
        return [r for c in _chunks(items, chunk) for r in self.onboard_batch(c)]

    def register_many(
        self, items: Sequence[NewSubject], chunk: int = MAX_BATCH
    ) -> list[ItemResult[str]]:
        """Registers any number of subjects, ``chunk`` a request, results in order."""
        return [r for c in _chunks(items, chunk) for r in self.register_batch(c)]

    def consent_many(
        self, items: Sequence[ConsentGrant], chunk: int = MAX_BATCH
    ) -> list[ItemResult[None]]:
        """Records any number of consents, ``chunk`` a request, results in order."""
        return [r for c in _chunks(items, chunk) for r in self.consent_batch(c)]

    def collect_many(
        self, items: Sequence[CollectItem], chunk: int = MAX_BATCH
    ) -> list[ItemResult[list[Token]]]:
        """Collects any number of items, ``chunk`` a request, results in order."""
        return [r for c in _chunks(items, chunk) for r in self.collect_batch(c)]


class AsyncClient:
    """An asyncio client of one cell: the calls of :class:`Client`, to be awaited. The
    ``*_many`` helpers keep up to ``concurrency`` requests in flight."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 30.0,
        retry: Retry = Retry(),
        concurrency: int = 4,
        transport: Optional[httpx.AsyncBaseTransport] = None,
    ):
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers=_headers(api_key),
            timeout=timeout,
            transport=transport,
        )
        self.retry = retry
        self.concurrency = max(1, concurrency)

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _run(self, call: _Call[T]) -> T:
        attempt = 1
        while True:
            error: Optional[httpx.HTTPError] = None
            status = 0
            try:
                r = await self._http.request(
                    call.method, call.path, json=call.body, params=call.params
                )
                status = r.status_code
            except httpx.HTTPError as e:
                error = e
            if attempt < self.retry.attempts and _retryable(call, error, status):
                await asyncio.sleep(self.retry.wait(attempt))
                attempt += 1
                continue
            if error is not None:
                raise TransportError(f"{call.method} {call.path}: {error}") from None
            return _answer(call, r)

    async def _many(self, calls: Sequence[_Call[list[ItemResult[T]]]]) -> list[ItemResult[T]]:
        gate = asyncio.Semaphore(self.concurrency)

        async def one(c: _Call[list[ItemResult[T]]]) -> list[ItemResult[T]]:
            async with gate:
                return await self._run(c)

        done = await asyncio.gather(*(one(c) for c in calls))
        return [r for chunk in done for r in chunk]

    async def register(
        self, jurisdiction: str, role: Optional[str] = None, minor: bool = False
    ) -> str:
        return await self._run(_Calls.register(jurisdiction, role, minor))

    async def grant_consent(
        self, subject: str, purpose: str, *, separate: bool = False, by_guardian: bool = False
    ) -> None:
        await self._run(_Calls.grant_consent(subject, purpose, separate, by_guardian))

    async def collect(self, subject: str, purpose: str, values: Mapping[str, str]) -> list[Token]:
        return await self._run(_Calls.collect(subject, purpose, values))

    async def detokenize(
        self, purpose: str, tokens: Sequence[str], reveal: str = "default"
    ) -> list[Value]:
        return await self._run(_Calls.detokenize(purpose, tokens, reveal))

    async def checkpoint(self) -> str:
        return await self._run(_Calls.checkpoint())

    async def register_batch(self, items: Sequence[NewSubject]) -> list[ItemResult[str]]:
        return await self._run(_Calls.register_batch(items))

    async def consent_batch(self, items: Sequence[ConsentGrant]) -> list[ItemResult[None]]:
        return await self._run(_Calls.consent_batch(items))

    async def collect_batch(
        self, items: Sequence[CollectItem]
    ) -> list[ItemResult[list[Token]]]:
        return await self._run(_Calls.collect_batch(items))

    async def register_many(
        self, items: Sequence[NewSubject], chunk: int = MAX_BATCH
    ) -> list[ItemResult[str]]:
        return await self._many([_Calls.register_batch(c) for c in _chunks(items, chunk)])

    async def consent_many(
        self, items: Sequence[ConsentGrant], chunk: int = MAX_BATCH
    ) -> list[ItemResult[None]]:
        return await self._many([_Calls.consent_batch(c) for c in _chunks(items, chunk)])

    async def collect_many(
        self, items: Sequence[CollectItem], chunk: int = MAX_BATCH
    ) -> list[ItemResult[list[Token]]]:
        return await self._many([_Calls.collect_batch(c) for c in _chunks(items, chunk)])

    async def onboard_batch(self, items: Sequence[Onboard]) -> list[ItemResult[Onboarded]]:
        return await self._run(_Calls.onboard_batch(items))

    async def onboard_many(
        self, items: Sequence[Onboard], chunk: int = MAX_BATCH
    ) -> list[ItemResult[Onboarded]]:
        return await self._many([_Calls.onboard_batch(c) for c in _chunks(items, chunk)])
