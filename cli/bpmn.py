"""`opsta bpmn validate|publish`: the analyst's publish cycle."""
from pathlib import Path

import click


def _sources(paths: tuple[str, ...], default_dir: str) -> dict[str, bytes]:
    from engine.workflow.parsing import load_sources

    sources: dict[str, bytes] = {}
    for raw in paths or (default_dir,):
        path = Path(raw)
        if path.is_dir():
            sources.update(load_sources(path))
        elif path.is_file():
            sources[path.name] = path.read_bytes()
        else:
            raise click.ClickException(f"{raw}: no such file or folder")
    return sources


@click.group("bpmn")
def bpmn_group() -> None:
    """Approval processes (BPMN/DMN): validate and publish."""


@bpmn_group.command("validate")
@click.argument("paths", nargs=-1)
@click.pass_obj
def validate(obj, paths: tuple[str, ...]) -> None:
    """Print `file:line: element-id: message` for each problem; exit 1 if there is any."""
    from engine.workflow.script_pool import script_limits
    from engine.workflow.validation import validate_sources

    problems = validate_sources(_sources(paths, obj.settings.bpmn_dir), limits=script_limits(obj.settings))
    for problem in problems:
        click.echo(problem.format())
    click.echo(f"{len(problems)} problem(s)", err=True)
    if problems:
        raise SystemExit(1)


@bpmn_group.command("publish")
@click.argument("paths", nargs=-1)
@click.option("--by", "published_by", default="cli", show_default=True, help="Recorded as the publisher.")
@click.pass_obj
def publish(obj, paths: tuple[str, ...], published_by: str) -> None:
    """Validate, then store a new version of every process whose content changed (default: the bpmn folder)."""
    from engine.workflow.script_pool import script_limits
    from engine.workflow.versions import SourcesInvalid, publish as publish_sources

    sources = _sources(paths, obj.settings.bpmn_dir)
    try:
        with obj.session_factory() as session:
            results = publish_sources(session=session, sources=sources, published_by=published_by,
                                      limits=script_limits(obj.settings))
            lines = [f"{r.process_id}: version {r.version.version} "
                     f"{'published' if r.changed else 'unchanged'} ({r.version.spec_hash[:12]})" for r in results]
    except SourcesInvalid as exc:
        for problem in exc.problems:
            click.echo(problem.format())
        click.echo("nothing was published; the current versions stay in use", err=True)
        raise SystemExit(1)
    for line in lines:
        click.echo(line)


COMMANDS = [bpmn_group]
