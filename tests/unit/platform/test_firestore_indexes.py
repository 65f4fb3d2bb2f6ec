"""Every collection-group query in the code has its index declared for deployment.

Firestore answers FAILED_PRECONDITION to a collection-group query without an index, and the
emulator does not: the tests cannot see a missing one. So the code is read here: each
`collection_group("X")` query's filtered fields must be indexed at the COLLECTION_GROUP
scope, both in Terraform (`infra/*.tf`) and in `infra/firestore.indexes.json` (the same
indexes for `gcloud firestore indexes` / the Firebase CLI).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

_QUERY = re.compile(
    r"collection_group\(\s*\"(?P<group>\w+)\"\s*\)(?P<chain>(?:\s*\.where\([^()]*\([^()]*\)\s*\))+)"
)
_FIELD = re.compile(r"FieldFilter\(\s*\"(?P<field>\w+)\"")


def code_queries() -> set[tuple[str, tuple[str, ...]]]:
    found = set()
    for path in (ROOT / "shared").rglob("*.py"):
        for query in _QUERY.finditer(path.read_text()):
            fields = tuple(_FIELD.findall(query.group("chain")))
            found.add((query.group("group"), fields))
    return found


def _blocks(kind: str) -> list[str]:
    text = "\n".join(p.read_text() for p in (ROOT / "infra").glob("*.tf"))
    out = []
    for start in re.finditer(rf'resource\s+"{kind}"\s+"\w+"\s*\{{', text):
        depth, i = 1, start.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        out.append(text[start.end() : i])
    return out


def terraform_indexes() -> set[tuple[str, tuple[str, ...]]]:
    declared = set()
    for block in _blocks("google_firestore_field"):
        if 'query_scope = "COLLECTION_GROUP"' in block:
            group = re.search(r'collection\s*=\s*"(\w+)"', block).group(1)
            field = re.search(r'field\s*=\s*"(\w+)"', block).group(1)
            declared.add((group, (field,)))
    for block in _blocks("google_firestore_index"):
        if re.search(r'query_scope\s*=\s*"COLLECTION_GROUP"', block):
            group = re.search(r'collection\s*=\s*"(\w+)"', block).group(1)
            fields = tuple(re.findall(r'field_path\s*=\s*"(\w+)"', block))
            declared.add((group, fields))
    return declared


def json_indexes() -> set[tuple[str, tuple[str, ...]]]:
    spec = json.loads((ROOT / "infra" / "firestore.indexes.json").read_text())
    declared = {
        (o["collectionGroup"], (o["fieldPath"],))
        for o in spec["fieldOverrides"]
        if any(i.get("queryScope") == "COLLECTION_GROUP" for i in o["indexes"])
    }
    declared |= {
        (i["collectionGroup"], tuple(f["fieldPath"] for f in i["fields"]))
        for i in spec["indexes"]
        if i["queryScope"] == "COLLECTION_GROUP"
    }
    return declared


def test_the_code_has_collection_group_queries_to_check():
    assert ("members", ("phone",)) in code_queries()
    assert ("integrations", ("kind", "status")) in code_queries()


def test_every_collection_group_query_is_indexed_in_terraform():
    assert code_queries() - terraform_indexes() == set()


def test_every_collection_group_query_is_indexed_in_the_index_file():
    assert code_queries() - json_indexes() == set()
