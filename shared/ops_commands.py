"""`python -m shared.cli ops ...`: the operator's commands (docs/RUNBOOK.md).

    ops schedules [--pause|--resume] [JOB ...]
    ops rerun-integration ORG INTEGRATION --kind {export,drive_dropzone}
    ops rerun-statements YYYY-MM-DD
    ops rotate-secret SECRET_ID --from-file FILE|-      (the value is never printed)
    ops retire-secret SECRET_ID
    ops replay-document ORG DOCUMENT   (a dead-lettered, `failed` document, after the fix)

`python -m shared.cli dead-letters ...`: the messages that failed every delivery.

    dead-letters list --topic TOPIC [--max N]     (what waits in TOPIC.dead-letter.hold)
    dead-letters replay --topic TOPIC [--max N]   (publish each once on TOPIC, then acknowledge)

Project and region come from --project/--region or GOOGLE_CLOUD_PROJECT/FUNCTION_REGION.
SCHEDULER_API_ENDPOINT, SECRET_MANAGER_API_ENDPOINT and PUBSUB_EMULATOR_HOST point the
clients at local servers (tests, the local run).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime

from shared.config import Settings
from shared.usecases import ops


def _schedules(args: argparse.Namespace):
    from shared.ops.scheduler import SchedulerJobs

    return SchedulerJobs(args.project, args.region, Settings.from_env().scheduler_api_endpoint)


def _secrets(args: argparse.Namespace):
    from shared.ops.secrets import SecretVersions

    return SecretVersions(args.project, Settings.from_env().secret_manager_api_endpoint)


def _publish(args: argparse.Namespace) -> ops.Publish:
    from shared.events.pubsub import publish

    return lambda topic, payload: publish(args.project, topic, payload)


def _parser() -> argparse.ArgumentParser:
    env = Settings.from_env()  # read when the command runs (a CLI process, not cached)
    parser = argparse.ArgumentParser(prog="python -m shared.cli ops")
    parser.add_argument("--project", default=env.project)
    parser.add_argument("--region", default=env.function_region)
    sub = parser.add_subparsers(dest="command", required=True)
    schedules = sub.add_parser("schedules", help="list, pause or resume the Scheduler jobs")
    state = schedules.add_mutually_exclusive_group()
    state.add_argument("--pause", action="store_true")
    state.add_argument("--resume", action="store_true")
    schedules.add_argument("jobs", nargs="*")
    rerun = sub.add_parser("rerun-integration", help="run one export or Dropzone now")
    rerun.add_argument("organization_id")
    rerun.add_argument("integration_id")
    rerun.add_argument("--kind", required=True, choices=sorted(ops.RERUN_TOPICS))
    statements = sub.add_parser("rerun-statements", help="(re)write one day's statements")
    statements.add_argument("day", type=date.fromisoformat)
    rotate = sub.add_parser("rotate-secret", help="add a new version, keep the previous one")
    rotate.add_argument("secret_id")
    rotate.add_argument("--from-file", required=True, help="file holding the value, or -")
    retire = sub.add_parser("retire-secret", help="disable every version but the latest")
    retire.add_argument("secret_id")
    replay = sub.add_parser(
        "replay-document", help="publish a failed document to documents.received again"
    )
    replay.add_argument("organization_id")
    replay.add_argument("document_id")
    return parser


def ops_main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if not args.project:
        print("ops: set --project or GOOGLE_CLOUD_PROJECT", file=sys.stderr)
        return 2
    try:
        return _run(args)
    except (ops.UnknownJob, ValueError) as error:
        print(f"ops: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "schedules":
        if args.pause or args.resume:
            jobs = ops.set_schedules(_schedules(args), paused=args.pause, names=args.jobs)
        else:
            jobs = _schedules(args).list()
        for job in jobs:
            print(f"{job.name}\t{job.state}\t{job.schedule} ({job.time_zone})")
    elif args.command == "rerun-integration":
        now = datetime.now(UTC)
        message_id = ops.rerun_integration(
            _publish(args), args.kind, args.organization_id, args.integration_id, now
        )
        print(f"published run of {args.organization_id}/{args.integration_id}: {message_id}")
    elif args.command == "rerun-statements":
        print(
            f"published statements of {args.day}: {ops.rerun_statements(_publish(args), args.day)}"
        )
    elif args.command == "rotate-secret":
        source = sys.stdin.buffer if args.from_file == "-" else open(args.from_file, "rb")
        with source:
            value = source.read().rstrip(b"\r\n")
        rotation = ops.rotate_secret(_secrets(args), args.secret_id, value)
        print(_rotation_text(rotation))
    elif args.command == "retire-secret":
        print(_rotation_text(ops.retire_secret_versions(_secrets(args), args.secret_id)))
    elif args.command == "replay-document":
        # The processor starts a `failed` document again from the start; one that was
        # settled meanwhile is left as it is (its idempotency makes a replay harmless).
        payload = {"organization_id": args.organization_id, "document_id": args.document_id}
        message_id = _publish(args)("documents.received", payload)
        print(f"published {args.organization_id}/{args.document_id}: {message_id}")
    return 0


def _rotation_text(rotation: ops.Rotation) -> str:
    return (
        f"{rotation.secret_id}: latest version {rotation.new_version}; still enabled "
        f"{rotation.kept_enabled or 'none'}; disabled {rotation.disabled or 'none'}"
    )


def _dead_letters_parser() -> argparse.ArgumentParser:
    env = Settings.from_env()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--project", default=env.project)
    parser = argparse.ArgumentParser(prog="python -m shared.cli dead-letters")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in [
        ("list", "show the held dead letters of a topic (they stay held)"),
        ("replay", "publish each held dead letter of a topic again, once, then acknowledge it"),
    ]:
        command = sub.add_parser(name, help=text, parents=[common])
        command.add_argument(
            "--topic", required=True, help="the source topic, e.g. documents.received"
        )
        command.add_argument("--max", type=int, default=None, dest="max_messages")
    return parser


def dead_letters_main(argv: list[str]) -> int:
    from shared.ops.dead_letter_hold import DeadLetterHold

    args = _dead_letters_parser().parse_args(argv)
    if not args.project:
        print("dead-letters: set --project or GOOGLE_CLOUD_PROJECT", file=sys.stderr)
        return 2
    if args.max_messages is not None and args.max_messages < 1:
        print("dead-letters: --max must be at least 1", file=sys.stderr)
        return 2
    topic = args.topic.rsplit("/", 1)[-1].removesuffix(".dead-letter")
    hold = DeadLetterHold(args.project, topic)
    try:
        if args.command == "list":
            held = hold.pull(args.max_messages or 100)
            hold.release(held)  # listing takes nothing away
            for message in held:
                count = message.attributes.get("CloudPubSubDeadLetterSourceDeliveryCount", "?")
                print(f"{message.message_id}\tdeliveries {count}\t{len(message.data)} bytes")
            print(f"{topic}: {len(held)} held" + (" (or more)" if args.max_messages else ""))
            return 0
        replay = ops.replay_dead_letters(hold, topic, args.max_messages)
    finally:
        hold.close()
    for held_id, new_id in replay.replayed:
        print(f"replayed {held_id} as {new_id}")
    for held_id, error in replay.failed:
        print(f"not replayed {held_id} (kept in the hold): {error}", file=sys.stderr)
    print(f"{topic}: {len(replay.replayed)} replayed, {len(replay.failed)} kept")
    return 1 if replay.failed else 0
