"""The Terraform in infra/ covers every function that main.py exports.

Read with an HCL parser (python-hcl2): `terraform validate` needs provider downloads,
which this machine cannot make (README), so these checks are what CI can prove here:
each function has its module, its own service account, a dead letter when it is
asynchronous, a Scheduler job when it runs on a schedule, and no secret in plain
environment variables.
"""

from __future__ import annotations

import re
from pathlib import Path

import hcl2
import pytest

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"

# What the product promises its users (ARCHITECTURE.md, the issues): the topic each
# scheduled job publishes, with its cron and time zone.
REQUIRED_SCHEDULES = {
    "exports.nightly": ("30 23 * * *", "Europe/Paris"),
    "dropzone.run": ("0 */3 * * *", "Etc/UTC"),
    "directory.sync": ("0 9 * * *", "Europe/Paris"),
    "ebics.statements": ("0 6 * * 2-6", "Europe/Paris"),
    "documents.rematch": ("17 * * * *", "Europe/Paris"),
    "reminders.run": ("5 * * * *", "Europe/Paris"),
}
SECRET_NAME = re.compile(r"(TOKEN|SECRET|PASSWORD|PRIVATE_KEY|API_KEY|SIGNING_KEY)$")


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def _clean(node):
    """python-hcl2 keeps HCL's quotes around literal strings and block labels: drop them."""
    if isinstance(node, dict):
        return {_unquote(k): _clean(v) for k, v in node.items() if not k.startswith("__")}
    if isinstance(node, list):
        return [_clean(item) for item in node]
    return _unquote(node) if isinstance(node, str) else node


def _load(path: Path) -> dict:
    return _clean(hcl2.loads(path.read_text()))


@pytest.fixture(scope="module")
def terraform() -> dict[str, list]:
    merged: dict[str, list] = {}
    for path in sorted(INFRA.glob("*.tf")):
        for kind, blocks in _load(path).items():
            merged.setdefault(kind, []).extend(blocks)
    return merged


@pytest.fixture(scope="module")
def function_modules(terraform) -> dict[str, dict]:
    modules = {}
    for block in terraform.get("module", []):
        for name, body in block.items():
            if body.get("source") == "./modules/function":
                modules[body["entry_point"]] = {"module": name, **body}
    return modules


@pytest.fixture(scope="module")
def exported_functions() -> dict[str, str]:
    """main.py's functions -> their functions-framework signature (http or cloudevent)."""
    import functions_framework._function_registry as registry

    import main

    return {name: registry.get_func_signature_type(name, None) for name in main.__all__}


@pytest.fixture(scope="module")
def schedules(terraform) -> dict[str, dict]:
    for block in terraform.get("locals", []):
        if "schedules" in block:
            return block["schedules"]
    raise AssertionError("infra/scheduler.tf defines no `schedules`")


def _topic_of(expression: str) -> str | None:
    found = re.search(r'module\.topics\["([^"]+)"\]', expression or "")
    return found.group(1) if found else None


def test_every_exported_function_has_its_module(exported_functions, function_modules):
    missing = sorted(set(exported_functions) - set(function_modules))
    assert not missing, f"functions without a Terraform module: {missing}"
    stale = sorted(set(function_modules) - set(exported_functions))
    assert not stale, f"Terraform modules for functions main.py no longer exports: {stale}"


def test_each_function_runs_as_its_own_least_privileged_service_account(
    terraform, function_modules
):
    module_source = (INFRA / "modules/function/main.tf").read_text()
    module = _load(INFRA / "modules/function/main.tf")
    accounts = [r for r in module["resource"] if "google_service_account" in r]
    assert accounts, "modules/function must create the function's own service account"
    assert "service_account_email            = google_service_account.this.email" in module_source
    for body in function_modules.values():
        assert "service_account" not in body, f"{body['module']} overrides its identity"
    broad = {"roles/editor", "roles/owner", "roles/datastore.owner", "roles/pubsub.admin"}
    for body in function_modules.values():
        roles = set(re.findall(r"roles/[\w.]+", str(body.get("project_roles", ""))))
        assert not roles & broad, f"{body['module']} has a broad role: {roles & broad}"


def test_asynchronous_functions_have_a_push_subscription_and_a_dead_letter(
    exported_functions, function_modules
):
    for name, signature in exported_functions.items():
        body = function_modules[name]
        if signature == "http":
            assert "pubsub_topic" not in body, f"{name} is HTTP but subscribed to a topic"
            continue
        topic = _topic_of(body.get("pubsub_topic", ""))
        assert topic, f"{name} is asynchronous but has no pubsub_topic"
        if body["pubsub_topic"].endswith(".dead_letter_id}"):
            # The dead-letter handler consumes dead letters: none of its own (nobody to answer).
            assert not body.get("dead_letter_topic"), f"{name}: a dead letter of dead letters"
            continue
        dead_letter = body.get("dead_letter_topic", "")
        assert f'module.topics["{topic}"].dead_letter_id' in dead_letter, (
            f"{name}: no dead letter for {topic}"
        )


def test_scheduled_jobs_exist_with_their_times_and_reach_a_function(schedules, function_modules):
    consumed = {_topic_of(body.get("pubsub_topic", "")) for body in function_modules.values()}
    for topic, (cron, time_zone) in REQUIRED_SCHEDULES.items():
        assert topic in schedules, f"no Scheduler job publishes {topic}"
        assert schedules[topic]["cron"] == cron and schedules[topic]["time_zone"] == time_zone
        assert topic in consumed, f"Scheduler publishes {topic} but no function consumes it"


def test_scheduler_jobs_authenticate_as_their_own_account(terraform):
    jobs = [
        r["google_cloud_scheduler_job"]
        for r in terraform["resource"]
        if "google_cloud_scheduler_job" in r
    ]
    assert jobs
    for job in jobs:
        body = next(iter(job.values()))
        target = body["http_target"][0]
        token = target["oauth_token"][0]
        assert "google_service_account.scheduler.email" in token["service_account_email"]


def _locals(terraform) -> dict:
    merged: dict = {}
    for block in terraform.get("locals", []):
        merged.update(block)
    return merged


def _environment_keys(terraform) -> dict[str, set[str]]:
    """Every plain environment variable set anywhere (locals and module arguments)."""
    keys: dict[str, set[str]] = {}
    for block in terraform.get("locals", []):
        for name, value in block.items():
            if name.endswith("_env"):
                keys[f"local.{name}"] = set(
                    re.findall(r"\b([A-Z][A-Z0-9_]+)\b\s*[=:'\"]", str(value))
                )
    for block in terraform.get("module", []):
        for name, body in block.items():
            env = body.get("environment")
            if isinstance(env, dict):
                keys[f"module.{name}"] = set(env)
    return keys


def test_no_secret_is_a_plain_environment_variable(terraform, function_modules):
    for where, keys in _environment_keys(terraform).items():
        secret_like = sorted(key for key in keys if SECRET_NAME.search(key))
        assert not secret_like, f"{where} passes secrets as plain variables: {secret_like}"
    mounted = set()
    for body in function_modules.values():
        secrets = body.get("secrets") or {}
        if isinstance(secrets, str) and secrets.startswith("${local."):
            secrets = _locals(terraform).get(secrets[len("${local.") : -1], secrets)
        assert isinstance(secrets, dict), f"{body['module']}: secrets must be a literal map"
        for key, value in secrets.items():
            assert "google_secret_manager_secret.all[" in value, f"{key} is not a managed secret"
            mounted.add(key)
    # Every secret the code reads is mounted from Secret Manager by some function.
    read_by_code = set()
    for path in list((ROOT / "shared").rglob("*.py")) + list((ROOT / "functions").rglob("*.py")):
        read_by_code |= set(re.findall(r"[\"']([A-Z][A-Z0-9_]*)[\"']", path.read_text()))
    secrets_read = {name for name in read_by_code if SECRET_NAME.search(name)}
    assert secrets_read <= mounted | {"ACCESS_TOKEN"}, (
        f"secrets read by the code but mounted by no function: {sorted(secrets_read - mounted)}"
    )


def test_every_secret_has_a_manager_entry(terraform):
    ids = set()
    for block in terraform.get("locals", []):
        ids |= set(block.get("secret_ids", []))
    referenced = set()
    for path in INFRA.glob("*.tf"):
        referenced |= set(
            re.findall(r'google_secret_manager_secret\.all\["([^"]+)"\]', path.read_text())
        )
    assert referenced <= ids, f"unknown secrets: {sorted(referenced - ids)}"
