"""Local Cloud Scheduler and Secret Manager REST servers (v1), for the ops commands.

They follow the REST mappings of the public APIs that the official clients use with
`transport="rest"`: the same paths, JSON field names (camelCase), enum names, and error
shape (`{"error": {"code", "message", "status"}}`), so `google-cloud-scheduler` and
`google-cloud-secret-manager` run unmodified against them. Faults: `fail_next` answers the
next N requests with 503 UNAVAILABLE (the clients retry those).
"""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

import google_crc32c
from flask import Flask, jsonify, request


def _error(code: int, status: str, message: str):
    return jsonify({"error": {"code": code, "message": message, "status": status}}), code


@dataclass
class GoogleOpsState:
    jobs: dict[str, dict] = field(default_factory=dict)  # full name -> Job JSON
    secrets: dict[str, list[dict]] = field(default_factory=dict)  # secret name -> versions
    fail_next: int = 0
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_job(self, parent: str, short_name: str, schedule: str, time_zone: str) -> None:
        name = f"{parent}/jobs/{short_name}"
        self.jobs[name] = {
            "name": name,
            "schedule": schedule,
            "timeZone": time_zone,
            "state": "ENABLED",
        }

    def add_secret(self, project: str, secret_id: str) -> None:
        self.secrets[f"projects/{project}/secrets/{secret_id}"] = []

    def payload(self, secret_name: str, number: int) -> bytes:
        return self.secrets[secret_name][number - 1]["_data"]


def create_app(state: GoogleOpsState | None = None) -> Flask:  # noqa: C901 - predates the complexity check; split when next changed
    app = Flask(__name__)
    app.config["state"] = state = state or GoogleOpsState()

    @app.before_request
    def faults():
        state.requests.append(f"{request.method} {request.path}")
        with state.lock:
            if state.fail_next > 0:
                state.fail_next -= 1
                return _error(503, "UNAVAILABLE", "injected fault")
        return None

    # -- Cloud Scheduler ---------------------------------------------------------------
    @app.get("/v1/projects/<project>/locations/<location>/jobs")
    def list_jobs(project: str, location: str):
        parent = f"projects/{project}/locations/{location}"
        jobs = [job for name, job in sorted(state.jobs.items()) if name.startswith(parent + "/")]
        return jsonify({"jobs": jobs})

    @app.post("/v1/projects/<project>/locations/<location>/jobs/<path:job_action>")
    def job_action(project: str, location: str, job_action: str):
        job_id, _, action = job_action.partition(":")
        name = f"projects/{project}/locations/{location}/jobs/{job_id}"
        job = state.jobs.get(name)
        if job is None:
            return _error(404, "NOT_FOUND", f"Job not found: {name}")
        if action == "pause":
            job["state"] = "PAUSED"
        elif action == "resume":
            job["state"] = "ENABLED"
        else:
            return _error(400, "INVALID_ARGUMENT", f"unknown method {action}")
        return jsonify(job)

    # -- Secret Manager ----------------------------------------------------------------
    @app.post("/v1/projects/<project>/secrets/<path:secret_action>")
    def secret_post(project: str, secret_action: str):
        secret_path, _, action = secret_action.partition(":")
        if action == "addVersion":
            return add_version(f"projects/{project}/secrets/{secret_path}")
        if action == "disable" and "/versions/" in secret_path:
            secret_id, _, number = secret_path.partition("/versions/")
            return disable(f"projects/{project}/secrets/{secret_id}", int(number))
        return _error(400, "INVALID_ARGUMENT", f"unknown method {action}")

    def add_version(secret: str):
        if secret not in state.secrets:
            return _error(404, "NOT_FOUND", f"Secret [{secret}] not found or has no versions.")
        body = request.get_json(force=True) or {}
        payload = body.get("payload") or {}
        data = base64.b64decode(payload.get("data", ""))
        if "dataCrc32c" in payload and int(payload["dataCrc32c"]) != google_crc32c.value(data):
            return _error(400, "INVALID_ARGUMENT", "Checksum mismatch: data_crc32c")
        with state.lock:
            versions = state.secrets[secret]
            version = {
                "name": f"{secret}/versions/{len(versions) + 1}",
                "createTime": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                "state": "ENABLED",
                "_data": data,
            }
            versions.append(version)
        return jsonify(_public(version))

    @app.get("/v1/projects/<project>/secrets/<secret_id>/versions")
    def list_versions(project: str, secret_id: str):
        secret = f"projects/{project}/secrets/{secret_id}"
        if secret not in state.secrets:
            return _error(404, "NOT_FOUND", f"Secret [{secret}] not found.")
        versions = [_public(v) for v in reversed(state.secrets[secret])]
        return jsonify({"versions": versions, "totalSize": len(versions)})

    def disable(secret: str, number: int):
        versions = state.secrets.get(secret) or []
        if not 1 <= number <= len(versions):
            return _error(
                404, "NOT_FOUND", f"Secret Version [{secret}/versions/{number}] not found."
            )
        version = versions[number - 1]
        if version["state"] == "DESTROYED":
            return _error(400, "FAILED_PRECONDITION", "destroyed versions cannot be disabled")
        version["state"] = "DISABLED"
        return jsonify(_public(version))

    return app


def _public(version: dict) -> dict:
    return {key: value for key, value in version.items() if not key.startswith("_")}
