"""Google-style ID tokens for the local stack, where no Cloud Run sits in front of the API.

In production Cloud Run verifies the caller's ID token before forwarding the request; the
local stack plays that part, so these tokens are well-formed RS256 JWTs signed with a
throwaway key that nothing verifies (see functions/api/auth.py for why the API reads the
`email` claim of a token Cloud Run already checked).
"""

from __future__ import annotations

import time
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import crypt, jwt

BILLING_ACCOUNT = "billing@demo-local.iam.gserviceaccount.com"
BACKEND_ACCOUNT = "bank-backend@demo-local.iam.gserviceaccount.com"


@lru_cache(maxsize=1)
def _signer() -> crypt.RSASigner:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return crypt.RSASigner.from_string(pem, key_id="local")


def id_token(email: str, audience: str = "integrations_api") -> str:
    now = int(time.time())
    claims = {
        "iss": "https://accounts.google.com",
        "aud": audience,
        "sub": email,
        "email": email,
        "email_verified": True,
        "iat": now,
        "exp": now + 3600,
    }
    return jwt.encode(_signer(), claims).decode()


def bearer(email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {id_token(email)}"}
