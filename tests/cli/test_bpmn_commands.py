"""`opsta bpmn validate|publish` against the test database."""
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from cli import main
from engine.models import ProcessVersion

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"


def _run(database_url, *args):
    return CliRunner().invoke(main, list(args), env={"OPSTA_DATABASE_URL": database_url})


def test_validate_prints_located_problems_and_exits_non_zero(tmp_path, database_url):
    good = _run(database_url, "bpmn", "validate", str(BPMN_DIR))
    assert good.exit_code == 0, good.output
    broken = tmp_path / "overtime.bpmn"
    broken.write_text((BPMN_DIR / "overtime.bpmn").read_text().replace(
        '<bpmn:lane id="lane_director" name="director">', '<bpmn:lane id="lane_director" name="boss">'))
    for name in ("overtime_chain.dmn",):
        (tmp_path / name).write_bytes((BPMN_DIR / name).read_bytes())
    bad = _run(database_url, "bpmn", "validate", str(tmp_path))
    assert bad.exit_code == 1
    assert "overtime.bpmn:29: lane_director: unknown lane 'boss'" in bad.output


def test_publish_stores_a_version_only_when_content_changed(tmp_path, database_url, session_factory, clean_db):
    first = _run(database_url, "bpmn", "publish", str(BPMN_DIR), "--by", "analyst-1")
    assert first.exit_code == 0, first.output
    assert "overtime_request: version 1 published" in first.output
    again = _run(database_url, "bpmn", "publish", str(BPMN_DIR))
    assert "overtime_request: version 1 unchanged" in again.output

    folder = tmp_path / "edited"
    folder.mkdir()
    for path in BPMN_DIR.iterdir():
        if path.suffix in (".bpmn", ".dmn"):
            (folder / path.name).write_bytes(path.read_bytes())
    dmn = folder / "overtime_chain.dmn"
    dmn.write_text(dmn.read_text().replace("&gt; 4", "&gt; 3"))
    edited = _run(database_url, "bpmn", "publish", str(folder))
    assert "overtime_request: version 2 published" in edited.output
    assert "offsite_request: version 1 unchanged" in edited.output

    (folder / "overtime.bpmn").write_text("<bpmn:definitions")
    refused = _run(database_url, "bpmn", "publish", str(folder))
    assert refused.exit_code == 1 and "overtime.bpmn:1: -: malformed XML" in refused.output
    with session_factory() as session:
        current = session.scalar(select(ProcessVersion).where(ProcessVersion.process_id == "overtime_request",
                                                              ProcessVersion.is_current.is_(True)))
        assert current.version == 2 and current.published_by == "cli"
