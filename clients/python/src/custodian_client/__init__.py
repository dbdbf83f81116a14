"""A typed client for Custodian's HTTP API.

``Client`` is synchronous, ``AsyncClient`` the same calls for asyncio. Both authenticate with a
cell's API key (a platform's service, a DPO or the administrator). Refusals raise ``ApiError``
with the HTTP status, the machine-readable code, the message and the order behind a refusal,
if one. Bulk calls answer one ``ItemResult`` per item: partial success is normal.

Requests are retried with exponential backoff when the cell turned them away before carrying
them out (a refused connection, 429, 503). Those that cannot be carried out twice by mistake —
reads, and bulk items that carry an idempotency key — are also retried when the connection
fails under them or the cell answers 502 or 504 (504 ``outcome_unknown``: the database failed
while committing, so whether the act took effect is unknown; anything else is raised).
"""

from ._client import (
    ApiError,
    AsyncClient,
    Client,
    CollectItem,
    ConsentGrant,
    ItemResult,
    NewSubject,
    Onboard,
    OnboardCollect,
    OnboardConsent,
    Onboarded,
    Retry,
    Token,
    TransportError,
    Value,
    MAX_BATCH,
)

__all__ = [
    "ApiError",
    "AsyncClient",
    "Client",
    "CollectItem",
    "ConsentGrant",
    "ItemResult",
    "NewSubject",
    "Onboard",
    "OnboardCollect",
    "OnboardConsent",
    "Onboarded",
    "Retry",
    "Token",
    "TransportError",
    "Value",
    "MAX_BATCH",
]
