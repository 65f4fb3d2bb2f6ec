"""Firestore records of the OAuth connect flows.

- `oauth_states/{sha256(state)}`: a pending authorization, bound to the organization,
  the member who started it and the integration kind: `organization_id`, `member_id`,
  `kind`, `options` (e.g. `sync_from`), `code_verifier` (sealed), `created_at`,
  `expire_at` (Firestore TTL; 15 minutes). Taken once, in a transaction: a replayed
  state finds nothing.
- `organizations/{org}/integrations/{id}/private/oauth`: the connection's credentials:
  `refresh_token_sealed` (envelope-encrypted, see shared/store/token_vault.py, with
  context `"{org}/{id}"`), `provider`, `account`, `connected_by`, `connected_at`. The
  Dropzone worker reads the same document (`DropzoneRepository.get_oauth`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from google.cloud import firestore

from shared.oauth.base import state_key
from shared.store.token_vault import TokenVault

STATE_TTL = timedelta(minutes=15)


def credentials_context(org_id: str, integration_id: str) -> str:
    return f"{org_id}/{integration_id}"


@dataclass(frozen=True)
class PendingState:
    organization_id: str
    member_id: str
    kind: str
    options: dict[str, Any]
    code_verifier: str
    created_at: datetime


class ConnectionStore:
    def __init__(self, db: firestore.Client, vault: TokenVault) -> None:
        self.db = db
        self.vault = vault

    def _integration(self, org_id: str, integration_id: str) -> firestore.DocumentReference:
        return (
            self.db.collection("organizations")
            .document(org_id)
            .collection("integrations")
            .document(integration_id)
        )

    # -- pending states ------------------------------------------------------
    def put_state(self, state: str, pending: PendingState) -> None:
        self.db.collection("oauth_states").document(state_key(state)).create(
            {
                "organization_id": pending.organization_id,
                "member_id": pending.member_id,
                "kind": pending.kind,
                "options": pending.options,
                "code_verifier": self.vault.seal(
                    pending.code_verifier, "oauth_state/" + state_key(state)
                ),
                "created_at": pending.created_at,
                "expire_at": pending.created_at + STATE_TTL,
            }
        )

    def peek_state(self, state: str) -> PendingState | None:
        snap = self.db.collection("oauth_states").document(state_key(state)).get()
        return self._pending(state, snap.to_dict() or {}) if snap.exists else None

    def take_state(self, state: str, now: datetime) -> PendingState | None:
        """The pending state, deleted in the same transaction (one use); None if unknown,
        already used or expired."""
        ref = self.db.collection("oauth_states").document(state_key(state))

        @firestore.transactional
        def take(transaction: firestore.Transaction) -> dict[str, Any] | None:
            snap = ref.get(transaction=transaction)
            if not snap.exists:
                return None
            transaction.delete(ref)
            return snap.to_dict()

        data = take(self.db.transaction())
        if data is None or _utc(data["expire_at"]) < now:
            return None
        return self._pending(state, data)

    def _pending(self, state: str, data: dict[str, Any]) -> PendingState:
        return PendingState(
            organization_id=data["organization_id"],
            member_id=data["member_id"],
            kind=data["kind"],
            options=dict(data.get("options") or {}),
            code_verifier=self.vault.open(data["code_verifier"], "oauth_state/" + state_key(state)),
            created_at=_utc(data["created_at"]),
        )

    # -- credentials ---------------------------------------------------------
    def put_credentials(
        self,
        org_id: str,
        integration_id: str,
        provider: str,
        refresh_token: str,
        account: str,
        member_id: str,
        now: datetime,
    ) -> None:
        sealed = self.vault.seal(refresh_token, credentials_context(org_id, integration_id))
        self._integration(org_id, integration_id).collection("private").document("oauth").set(
            {
                "refresh_token_sealed": sealed,
                "provider": provider,
                "account": account,
                "connected_by": member_id,
                "connected_at": now,
            }
        )

    def rotate_refresh_token(self, org_id: str, integration_id: str, refresh_token: str) -> None:
        """The provider rotated the refresh token: store the new one where the old one was,
        sealed as the connect flow seals it (`private/oauth`), or as it was kept without the
        vault (local runs and tests; export settings in `private/credentials`), so the next
        run does not present a token the provider has retired."""
        private = self._integration(org_id, integration_id).collection("private")
        oauth = private.document("oauth").get()
        stored = (oauth.to_dict() or {}) if oauth.exists else {}
        if stored.get("refresh_token_sealed"):
            sealed = self.vault.seal(refresh_token, credentials_context(org_id, integration_id))
            private.document("oauth").update({"refresh_token_sealed": sealed})
        elif stored.get("refresh_token"):
            private.document("oauth").update({"refresh_token": refresh_token})
        else:
            credentials = private.document("credentials").get()
            if credentials.exists and (credentials.to_dict() or {}).get("refresh_token"):
                private.document("credentials").update({"refresh_token": refresh_token})

    def refresh_token(self, org_id: str, integration_id: str) -> str | None:
        snap = (
            self._integration(org_id, integration_id).collection("private").document("oauth").get()
        )
        data = snap.to_dict() if snap.exists else None
        if not data or not data.get("refresh_token_sealed"):
            return None
        return self.vault.open(
            data["refresh_token_sealed"], credentials_context(org_id, integration_id)
        )

    def delete_credentials(self, org_id: str, integration_id: str) -> None:
        ref = self._integration(org_id, integration_id).collection("private")
        for name in ("oauth", "credentials"):
            ref.document(name).delete()

    def integration(self, org_id: str, integration_id: str) -> dict[str, Any] | None:
        snap = self._integration(org_id, integration_id).get()
        return snap.to_dict() if snap.exists else None

    def update_integration(self, org_id: str, integration_id: str, fields: dict[str, Any]) -> None:
        self._integration(org_id, integration_id).set(fields, merge=True)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def keep_rotated_refresh_token(
    db: firestore.Client, org_id: str, integration_id: str, refresh_token: str
) -> None:
    """For the workers (no vault at hand): `ConnectionStore.rotate_refresh_token` with the
    deployment's vault."""
    from shared.store.token_vault import vault_from_env

    ConnectionStore(db, vault_from_env()).rotate_refresh_token(
        org_id, integration_id, refresh_token
    )


def unsealed(
    private_oauth: dict[str, Any] | None, org_id: str, integration_id: str
) -> dict[str, Any]:
    """For the workers: the connection's stored credentials with `refresh_token` opened
    (the export's destination config and the Dropzone's Drive client take it in clear,
    in memory only)."""
    data = dict(private_oauth or {})
    sealed = data.pop("refresh_token_sealed", None)
    if sealed:
        from shared.store.token_vault import vault_from_env

        data["refresh_token"] = vault_from_env().open(
            sealed, credentials_context(org_id, integration_id)
        )
    for key in ("provider", "account", "connected_by", "connected_at"):
        data.pop(key, None)
    return data
