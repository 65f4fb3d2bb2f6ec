"""Who is calling, and may they call this route. Checked before any handler runs.

The function is private (infra: its `run.invoker`s are the bank backend's service account
and the billing service account only), so Cloud Run has already refused any request
without a valid Google-signed ID token of one of those accounts before our code runs.
Two kinds of caller remain:

- **The bank backend, acting for a member.** The backend authenticated the end user and
  states who acts in the `X-Acting-Member-Id` header (a user id of
  `organizations/{org}/members`). We trust that statement because only invokers reach us;
  what the member may do comes from their role stored in Firestore, never from the request.
  A member of company A acting on company B is not a member of B: 403.
- **Billing**, for `PUT /organizations/{org}/plan` only. Billing is a separate identity:
  the `email` claim of the caller's ID token must equal the configured
  `API_BILLING_SERVICE_ACCOUNT`. Reading the claim without re-checking the signature is
  safe because Cloud Run checked that same token (signature, expiry, audience, invoker
  role) before forwarding the request; the backend's own token carries the backend's
  email, so a member (or anyone the backend relays) cannot pass as billing. As defence in
  depth, setting `API_ID_TOKEN_AUDIENCE` makes us verify the token's signature and
  audience against Google's keys as well. No billing account configured: the plan route
  refuses every caller (fail closed).
- **Ops**, for the `/ops/...` routes only (the operator's tools: pause the schedules,
  re-run an integration or a day's statements, replay dead letters), checked the same way
  against `API_OPS_SERVICE_ACCOUNT`.

A service identity (billing, ops) never acts as a member, and a member never reaches a
service route.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import flask

from functions.api.errors import Forbidden, Unauthenticated
from functions.api.ids import is_valid_id
from shared.config import settings
from shared.domain.entities import Member, Role

ACTING_MEMBER_HEADER = "X-Acting-Member-Id"
BILLING_ACCOUNT_ENV = "API_BILLING_SERVICE_ACCOUNT"
AUDIENCE_ENV = "API_ID_TOKEN_AUDIENCE"


@dataclass(frozen=True)
class Access:
    """A route's access rule: `invoker` (Cloud Run's check is the whole rule), `member`
    (an acting member of the path's organization, with one of `roles` if given), or
    `billing`."""

    kind: str
    roles: frozenset[Role] | None = None

    def describe(self) -> str:
        if self.kind == "member" and self.roles:
            return "member (" + ", ".join(sorted(r.value for r in self.roles)) + ")"
        return self.kind


INVOKER = Access("invoker")
BILLING = Access("billing")
OPS = Access("ops")
ANY_MEMBER = Access("member")


def member(*roles: Role) -> Access:
    return Access("member", frozenset(roles))


def _bearer_token(request: flask.Request) -> str | None:
    # Cloud Run forwards X-Serverless-Authorization (preferred when present) or Authorization.
    for header in ("X-Serverless-Authorization", "Authorization"):
        value = request.headers.get(header, "")
        if value.lower().startswith("bearer "):
            return value[7:].strip() or None
    return None


def _claims(token: str) -> dict[str, Any]:
    audience = settings().api_id_token_audience  # AUDIENCE_ENV
    if audience:
        from google.auth.transport import requests as google_requests
        from google.oauth2 import id_token

        try:
            return dict(id_token.verify_oauth2_token(token, google_requests.Request(), audience))
        except ValueError as exc:
            raise Unauthenticated(f"the ID token does not verify: {exc}") from None
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (IndexError, ValueError):
        raise Unauthenticated("the bearer token is not a JWT") from None
    if not isinstance(claims, dict):
        raise Unauthenticated("the bearer token is not a JWT")
    return claims


def caller_email(request: flask.Request) -> str | None:
    token = _bearer_token(request)
    if token is None:
        return None
    email = _claims(token).get("email")
    return email if isinstance(email, str) else None


def _service_accounts() -> dict[str, str]:
    """Service identity kind -> its configured account email (lower case); unset ones omitted."""
    configured = {
        "billing": settings().api_billing_service_account,
        "ops": settings().api_ops_service_account,
    }
    return {kind: email.strip().lower() for kind, email in configured.items() if email}


def require_service(request: flask.Request, kind: str) -> None:
    """The caller is the `kind` service identity (billing, ops); Forbidden otherwise."""
    configured = _service_accounts().get(kind)
    if not configured:
        raise Forbidden(f"no {kind} identity is configured: these routes are refused")
    email = caller_email(request)  # a malformed token: 401
    if email is None or email.strip().lower() != configured:
        raise Forbidden(f"only the {kind} service account may call this route")


def _service_identity(request: flask.Request) -> str | None:
    try:
        email = caller_email(request)
    except Unauthenticated:
        return None
    if email is None:
        return None
    email = email.strip().lower()
    return next((kind for kind, known in _service_accounts().items() if known == email), None)


def acting_member_id(request: flask.Request) -> str:
    member_id = request.headers.get(ACTING_MEMBER_HEADER, "").strip()
    if not member_id:
        raise Forbidden(f"the {ACTING_MEMBER_HEADER} header is missing")
    if not is_valid_id(member_id):
        raise Forbidden(f"the {ACTING_MEMBER_HEADER} header is not a member id")
    return member_id


def require_member(request: flask.Request, org_id: str, access: Access, store: Any) -> Member:
    """The acting member of `org_id`, allowed by `access`; Forbidden otherwise."""
    service = _service_identity(request)
    if service is not None:
        raise Forbidden(f"the {service} identity cannot act as a member")
    member_id = acting_member_id(request)
    found = store.get_member(org_id, member_id)
    if found is None:
        raise Forbidden(f"{member_id} is not a member of {org_id}")
    if access.roles is not None and found.role not in access.roles:
        allowed = ", ".join(sorted(r.value for r in access.roles))
        raise Forbidden(f"a {found.role.value} cannot do this ({allowed} only)")
    return found
