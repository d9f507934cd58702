"""`opsta run`: the embedded all-in-one server used by `make run`."""
from pathlib import Path

import click


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--demo/--no-demo", default=False, help="Seed the demo organisation on first start.")
@click.pass_obj
def run(obj, host: str, port: int, demo: bool) -> None:
    """Serve the app with everything in one process (SQLite by default, in-process broker)."""
    from werkzeug.serving import run_simple

    from api.app import create_app
    from engine.cli.demo_commands import ensure_demo
    from engine.migrate import upgrade_database

    Path(obj.settings.data_dir).mkdir(parents=True, exist_ok=True)
    if demo:
        ensure_demo(obj)
    else:
        upgrade_database(obj.settings.database_url)
    app = create_app(obj.settings)
    click.echo(f"OPS-TA on http://{host}:{port}  (API docs: http://{host}:{port}/api/docs)")
    run_simple(host, port, app, threaded=True, use_reloader=False)


COMMANDS = [run]
