"""`opsta face …`: model status, outbox sweep, selfie purge and the list of failed verifications."""
import json

import click


@click.group("face")
def face() -> None:
    """Face verification: models, verification jobs and selfie retention."""


@face.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def status(obj, as_json: bool) -> None:
    """Show the configured model, where its weights are, and whether they load."""
    from engine.face_checks.config import face_config, prepare_face_runtime
    from face.status import face_status

    prepare_face_runtime(obj.settings)
    report = face_status(face_config(obj.settings))
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for key in ("model", "detector", "distance_metric", "threshold", "deepface_home", "weights_dir"):
            click.echo(f"{key}: {report[key]}")
        for item in report["weights"]:
            mark = "ok" if item["present"] else "MISSING"
            link = f" -> {item['links_to']}" if item["links_to"] else ""
            click.echo(f"  [{mark}] {item['file']} ({item['bytes']} bytes){link}")
        click.echo(f"loads: {'yes' if report['loads'] else 'no'} ({report['load_seconds']} s)")
        if report["error"]:
            click.echo(f"error: {report['error']}")
    if not report["loads"]:
        raise SystemExit(1)


@face.command("sweep")
@click.pass_obj
def sweep(obj) -> None:
    """Re-send verification jobs that were never sent (broker down) or never finished."""
    from engine.face_checks.scheduled import sweep_verification_outbox

    result = sweep_verification_outbox(obj.session_factory, obj.settings)
    click.echo(f"due: {result['due']}, sent: {result['sent']}")
    if result["failed"]:
        raise SystemExit(1)


@face.command("purge-selfies")
@click.pass_obj
def purge(obj) -> None:
    """Delete selfies older than OPSTA_SELFIE_RETENTION_DAYS (verdicts and fingerprints stay)."""
    from engine.face_checks.scheduled import purge_selfies

    deleted = purge_selfies(obj.session_factory, obj.settings)
    click.echo(f"deleted {deleted} selfies older than {obj.settings.selfie_retention_days} days")


COMMANDS = [face]
