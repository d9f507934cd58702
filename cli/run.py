"""`opsta run`: the embedded all-in-one server used by `make run`."""
from pathlib import Path

import click


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--demo/--no-demo", default=False, help="Seed the demo organisation on first start.")
@click.pass_obj
def run(obj, host: str, port: int, demo: bool) -> None:
    """Serve the app with everything in one process: SQLite by default, the in-process broker and
    face worker, and the scheduler (BPMN timers, selfie sweep, silent devices) in a thread."""
    from werkzeug.serving import run_simple

    from api.app import create_app
    from cli.demo import ensure_demo
    from engine.migrate import upgrade_database
    from engine.scheduler import start_scheduler_thread

    Path(obj.settings.data_dir).mkdir(parents=True, exist_ok=True)
    obj.settings = _with_local_secret(obj.settings)
    if demo:
        ensure_demo(obj)
    else:
        upgrade_database(obj.settings.database_url)
    app = create_app(obj.settings)
    start_scheduler_thread(settings=obj.settings, session_factory=app.extensions["opsta"].session_factory,
                           face_queue=app.extensions["opsta"].face_queue,
                           push_queue=app.extensions["opsta"].push_queue)
    click.echo(f"OPS-TA on http://{host}:{port}  (API docs: http://{host}:{port}/api/docs)")
    run_simple(host, port, app, threaded=True, use_reloader=False)


def _with_local_secret(settings):
    """The embedded server keeps a random secret in the data folder instead of the insecure default."""
    import secrets
    from dataclasses import replace

    from engine.config import INSECURE_DEFAULT_SECRET

    if settings.secret_key != INSECURE_DEFAULT_SECRET:
        return settings
    path = Path(settings.data_dir) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return replace(settings, secret_key=path.read_text().strip())


COMMANDS = [run]
