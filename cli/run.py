"""`opsta run`: the embedded all-in-one server used by `make run`."""
import os
from pathlib import Path

import click

_ANY_ADDRESS = ("", "0.0.0.0", "::")


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int, help="0 picks a free port.")
@click.option("--demo/--no-demo", default=False, help="Seed the demo organisation on first start.")
@click.pass_obj
def run(obj, host: str, port: int, demo: bool) -> None:
    """Serve the app with everything in one process: SQLite in OPSTA_DATA_DIR by default, the in-process
    broker and face worker, and the scheduler (BPMN timers, selfie sweep, silent devices) in a thread."""
    from dataclasses import replace

    from sqlalchemy.engine import make_url
    from werkzeug.serving import make_server

    from api.app import create_app
    from cli.demo import ensure_demo
    from engine.migrate import upgrade_database
    from engine.scheduler import start_scheduler_thread

    Path(obj.settings.data_dir).mkdir(parents=True, exist_ok=True)
    obj.settings = _with_local_secret(obj.settings)
    app = None
    # Bound first, so everything printed names the address really served (also for --port 0).
    server = make_server(host, port, lambda environ, start_response: app(environ, start_response), threaded=True)
    url = f"http://{'127.0.0.1' if host in _ANY_ADDRESS else host}:{server.server_port}"
    if "OPSTA_PUBLIC_URL" not in os.environ:  # the OIDC redirect comes back to where we listen
        obj.settings = replace(obj.settings, public_url=url)
    if demo:
        ensure_demo(obj, url)
    else:
        upgrade_database(obj.settings.database_url)
    app = create_app(obj.settings)
    start_scheduler_thread(settings=obj.settings, session_factory=app.extensions["opsta"].session_factory,
                           face_queue=app.extensions["opsta"].face_queue,
                           push_queue=app.extensions["opsta"].push_queue,
                           report_queue=app.extensions["opsta"].report_queue)
    database = make_url(obj.settings.database_url).render_as_string(hide_password=True)
    click.echo(f"OPS-TA on {url}  (API docs: {url}/api/docs; database: {database})")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


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
