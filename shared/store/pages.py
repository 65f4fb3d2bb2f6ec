"""One page of an ordered Firestore query, cut by Firestore (never read whole)."""

from __future__ import annotations

from typing import Any

from google.cloud import firestore


def one_page(
    query: firestore.Query, collection: firestore.CollectionReference, limit: int, after: str | None
) -> tuple[list[Any] | None, str | None]:
    """The snapshots of at most `limit` results of `query` (ordered, the id last) after
    the document `after` of `collection`, and the id to continue after (None at the end);
    (None, None) when `after` is not a document of `collection`."""
    if after is not None:
        cursor = collection.document(after).get()
        if not cursor.exists:
            return None, None
        query = query.start_after(cursor)
    snaps = list(query.limit(limit + 1).stream())
    more = len(snaps) > limit
    return snaps[:limit], (snaps[limit - 1].id if more else None)
