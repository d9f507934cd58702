"""`opsta face status|sweep|purge-selfies` from the command line, on the test database."""
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from cli import main
from engine.db import utcnow
from engine.models import FaceVerification, SelfieImage, VerificationJob
from tests.support.photos import photo_bytes
from tests.support.selfies import selfie_punch, wait_for_verdict

pytestmark = pytest.mark.slow


@pytest.fixture
def run_cli(settings, tmp_path):
    env = {"OPSTA_DATABASE_URL": settings.database_url, "OPSTA_BROKER_URL": "memory://",
           "OPSTA_DATA_DIR": str(tmp_path), "OPSTA_SECRET_KEY": settings.secret_key}

    def run(*args):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return run


def test_status_shows_the_model_its_weights_and_that_they_load(run_cli, tmp_path):
    result = run_cli("face", "status")
    assert result.exit_code == 0, result.output
    assert "model: Dlib" in result.output and "detector: dlib" in result.output
    assert f"weights_dir: {tmp_path.resolve()}/deepface/.deepface/weights" in result.output
    assert "[ok] dlib_face_recognition_resnet_model_v1.dat" in result.output
    assert "loads: yes" in result.output


def test_sweep_in_embedded_mode_checks_unsent_jobs_itself(obama_employee, run_cli, session_factory):
    punch = selfie_punch(obama_employee, photo_bytes("obama2.jpg")).json()
    wait_for_verdict(obama_employee, punch["id"])
    with session_factory() as session:  # as if the app had stopped before the job ran
        session.execute(update(FaceVerification).values(status="pending", attempts=0, fingerprint=None))
        session.execute(update(VerificationJob).values(sent_at=None, done_at=None))
        session.commit()
    result = run_cli("face", "sweep")
    assert result.exit_code == 0, result.output
    assert "due: 1, sent: 1" in result.output
    with session_factory() as session:
        row = session.scalar(select(FaceVerification))
        assert row.status == "verified" and row.attempts == 1
        assert session.scalar(select(VerificationJob.done_at)) is not None
    assert run_cli("face", "sweep").output.strip() == "due: 0, sent: 0"


def test_purge_selfies_keeps_recent_ones(obama_employee, run_cli, session_factory):
    old = selfie_punch(obama_employee, photo_bytes("obama2.jpg")).json()
    recent = selfie_punch(obama_employee, photo_bytes("obama3.jpg"), direction="out").json()
    for punch in (old, recent):
        wait_for_verdict(obama_employee, punch["id"])
    with session_factory() as session:
        session.execute(update(SelfieImage).where(SelfieImage.punch_id == old["id"])
                        .values(created_at=utcnow() - timedelta(days=91)))
        session.commit()
    result = run_cli("face", "purge-selfies")
    assert result.exit_code == 0 and "deleted 1 selfies older than 90 days" in result.output
    with session_factory() as session:
        assert session.scalars(select(SelfieImage.punch_id)).all() == [recent["id"]]
