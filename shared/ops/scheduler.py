"""Cloud Scheduler jobs: list, pause and resume (the only module that talks to it)."""

from __future__ import annotations

from dataclasses import dataclass

from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import scheduler_v1

JOB_PREFIXES = (
    "exports-",
    "dropzone-",
    "ebics-",
    "documents-",
    "phone-",
    "receipt-",
)
"""Names of this product's jobs (infra/scheduler.tf); other jobs of the project are left alone."""


@dataclass(frozen=True)
class ScheduledJob:
    name: str  # short name, e.g. "exports-nightly"
    schedule: str
    time_zone: str
    state: str  # ENABLED, PAUSED, DISABLED...


class SchedulerJobs:
    """The Scheduler jobs of one project and region.

    `api_endpoint` is for a local server ("http://127.0.0.1:PORT"): the client then sends
    no credentials. In production the client uses the caller's default credentials.
    """

    def __init__(self, project: str, region: str, api_endpoint: str | None = None) -> None:
        self.parent = f"projects/{project}/locations/{region}"
        if api_endpoint:
            self._client = scheduler_v1.CloudSchedulerClient(
                transport="rest",
                client_options=ClientOptions(api_endpoint=api_endpoint),
                credentials=AnonymousCredentials(),
            )
        else:
            self._client = scheduler_v1.CloudSchedulerClient()

    def list(self) -> list[ScheduledJob]:
        jobs = self._client.list_jobs(parent=self.parent)
        found = [_job(job) for job in jobs]
        return [job for job in found if job.name.startswith(JOB_PREFIXES)]

    def pause(self, name: str) -> ScheduledJob:
        return _job(self._client.pause_job(name=f"{self.parent}/jobs/{name}"))

    def resume(self, name: str) -> ScheduledJob:
        return _job(self._client.resume_job(name=f"{self.parent}/jobs/{name}"))


def _job(job: scheduler_v1.Job) -> ScheduledJob:
    return ScheduledJob(
        name=job.name.rsplit("/", 1)[-1],
        schedule=job.schedule,
        time_zone=job.time_zone,
        state=scheduler_v1.Job.State(job.state).name,
    )
