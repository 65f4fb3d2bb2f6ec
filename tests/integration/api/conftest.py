"""Fixtures of the API tests: two companies on the emulators and a contract-checking client
over real HTTP (the functions server of the local stack)."""

from __future__ import annotations

from typing import Any

import pytest

from functions.api.auth import BILLING_ACCOUNT_ENV
from shared.domain.entities import Member, Organization, Plan, Role
from tests.api_client import ApiClient
from tests.fakes.id_tokens import BILLING_ACCOUNT

ORG_A = "org-a"
ORG_B = "org-b"
ROLES = (Role.OWNER, Role.ADMIN, Role.ACCOUNTANT, Role.MANAGER, Role.EMPLOYEE)


def member_id(org: str, role: Role) -> str:
    return f"{org}-{role.value}"


@pytest.fixture
def client(stack: Any, set_env: Any) -> ApiClient:
    set_env(BILLING_ACCOUNT_ENV, BILLING_ACCOUNT)
    return ApiClient(stack.functions_url + "/integrations_api")


@pytest.fixture
def companies(store: Any) -> tuple[str, str]:
    """Two French Business companies, each with one member of every role."""
    for org, name in ((ORG_A, "Atelier A SAS"), (ORG_B, "Boulangerie B SARL")):
        store.put_organization(Organization(org, name, "FR", Plan.BUSINESS))
        for role in ROLES:
            store.put_member(Member(member_id(org, role), org, role, can_transfer=True))
    return ORG_A, ORG_B
