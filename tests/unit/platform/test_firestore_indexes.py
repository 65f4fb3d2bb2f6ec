"""Every Firestore query in the code that needs a declared index has it, for deployment.

Firestore answers FAILED_PRECONDITION to a query without its index, and the emulator does
not: the tests cannot see a missing one. So the code is read here (its syntax tree): a
`collection_group("X")` query needs its filtered fields indexed at the COLLECTION_GROUP
scope; a `collection("X")` query that filters or orders on a second field after an
equality needs a composite index (equality fields first). Both must be declared in
Terraform (`infra/*.tf`) and in `infra/firestore.indexes.json` (the same indexes for
`gcloud firestore indexes` / the Firebase CLI).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

Index = tuple[str, str, tuple[str, ...]]  # (scope, collection, fields in index order)


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _chain(call: ast.Call) -> tuple[str, str, list[tuple[str, str]]] | None:
    """(scope, collection, [(field, op)...]) of a query built in one expression, or None."""
    steps: list[tuple[str, str]] = []
    node: ast.AST = call
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        name = node.func.attr
        if name in ("collection", "collection_group") and node.args:
            collection = _string(node.args[0])
            if collection is None:
                return None
            scope = "COLLECTION_GROUP" if name == "collection_group" else "COLLECTION"
            return scope, collection, list(reversed(steps))
        if name == "where":
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "filter" and isinstance(value, ast.Call) and value.args:
                    field, op = _string(value.args[0]), _string(value.args[1])
                    if field and op:
                        steps.append((field, op))
        elif name == "order_by" and node.args and _string(node.args[0]):
            steps.append((_string(node.args[0]), "order"))  # type: ignore[arg-type]
        node = node.func.value
    return None


def _needed(scope: str, collection: str, steps: list[tuple[str, str]]) -> Index | None:
    fields: list[str] = []
    for field, _ in steps:
        if field not in fields and field != "__name__":
            fields.append(field)
    if scope == "COLLECTION_GROUP":
        return (scope, collection, tuple(fields)) if fields else None
    ranged = [f for f, op in steps if op != "=="]
    if len(fields) < 2 or not ranged:
        return None  # single-field indexes are automatic; equalities alone merge
    equal = [f for f in fields if f not in ranged]
    return scope, collection, tuple(equal + [f for f in fields if f in ranged])


def code_needs() -> set[Index]:
    needs = set()
    for path in (ROOT / "shared").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                query = _chain(node)
                index = _needed(*query) if query else None
                if index:
                    needs.add(index)
    # A chain is seen at each of its calls: keep the longest of each prefix family.
    return {
        i
        for i in needs
        if not any(j != i and j[:2] == i[:2] and j[2][: len(i[2])] == i[2] for j in needs)
    }


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


def _attr(block: str, name: str) -> str | None:
    found = re.search(rf'\b{name}\s*=\s*"(\w+)"', block)
    return found.group(1) if found else None  # None: not a literal (e.g. a TTL for_each)


def terraform_indexes() -> set[Index]:
    declared = set()
    for block in _blocks("google_firestore_field"):
        collection, field = _attr(block, "collection"), _attr(block, "field")
        if collection is None or field is None:
            continue
        for scope in set(re.findall(r'query_scope\s*=\s*"(\w+)"', block)) | {"COLLECTION"}:
            declared.add((scope, collection, (field,)))
    for block in _blocks("google_firestore_index"):
        collection = _attr(block, "collection")
        if collection is None:
            continue
        fields = tuple(re.findall(r'field_path\s*=\s*"(\w+)"', block))
        declared.add((_attr(block, "query_scope") or "COLLECTION", collection, fields))
    return declared


def json_indexes() -> set[Index]:
    spec = json.loads((ROOT / "infra" / "firestore.indexes.json").read_text())
    declared = {
        (i.get("queryScope", "COLLECTION"), o["collectionGroup"], (o["fieldPath"],))
        for o in spec["fieldOverrides"]
        for i in o["indexes"]
    }
    declared |= {
        (i["queryScope"], i["collectionGroup"], tuple(f["fieldPath"] for f in i["fields"]))
        for i in spec["indexes"]
    }
    return declared


def test_the_reader_finds_the_queries_that_need_an_index():
    needs = code_needs()
    assert ("COLLECTION_GROUP", "members", ("phone",)) in needs
    assert ("COLLECTION_GROUP", "integrations", ("kind", "status")) in needs
    assert ("COLLECTION", "partner_deliveries", ("state", "next_attempt_at")) in needs


def test_every_query_that_needs_an_index_has_it_in_terraform():
    assert code_needs() - terraform_indexes() == set()


def test_every_query_that_needs_an_index_has_it_in_the_index_file():
    assert code_needs() - json_indexes() == set()
