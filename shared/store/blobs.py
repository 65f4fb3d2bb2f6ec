"""Cloud Storage for document bytes, content-addressed.

Object names carry the tenant and the sha256 of the bytes, so a retried
upload writes the same object again instead of a duplicate, without relying
on storage preconditions (the local emulator does not enforce them).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from google.auth.credentials import AnonymousCredentials
from google.cloud import storage  # type: ignore[attr-defined]


@lru_cache(maxsize=4)
def storage_client(project: str) -> storage.Client:
    from shared.config import settings

    if settings().storage_emulator_host:
        return storage.Client(project=project, credentials=AnonymousCredentials())
    return storage.Client(project=project)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BlobStore:
    def __init__(self, client: storage.Client, bucket_name: str) -> None:
        self.client = client
        self.bucket_name = bucket_name
        self.bucket = client.bucket(bucket_name)

    def ensure_bucket(self) -> None:
        """Local runs and tests only: production buckets come from Terraform."""
        if self.client.lookup_bucket(self.bucket_name) is None:
            self.client.create_bucket(self.bucket_name)

    def put_document(self, org_id: str, data: bytes, content_type: str) -> tuple[str, str]:
        """Store bytes under the tenant's prefix; returns (gs:// uri, sha256)."""
        checksum = sha256_hex(data)
        name = f"organizations/{org_id}/documents/{checksum}"
        blob = self.bucket.blob(name)
        blob.upload_from_string(data, content_type=content_type)
        return f"gs://{self.bucket_name}/{name}", checksum

    def get(self, uri: str) -> bytes:
        prefix = f"gs://{self.bucket_name}/"
        if not uri.startswith(prefix):
            raise ValueError(f"{uri} is not in bucket {self.bucket_name}")
        return self.bucket.blob(uri[len(prefix) :]).download_as_bytes()
