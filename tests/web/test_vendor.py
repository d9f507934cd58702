"""The vendored browser code: the committed files are exactly what the lock records, and the refresh
script takes only checked tarballs (against a registry on loopback that speaks npm's protocol)."""
from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from flask import Flask, abort, jsonify

from tests.support.live_server import LiveServer
from web.vendor_refresh import ROOT, Refresh, VendorError, check, load_lock, main, refresh


def test_the_committed_vendor_files_are_the_ones_the_lock_records():
    lock = load_lock()
    assert check(lock) == []
    names = {entry["name"] for entry in lock["packages"] + lock["bundles"]}
    assert {"htmx.org", "leaflet", "idb", "axe-core", "bpmn-js", "dmn-js", "bpmnlint"} <= names


def test_the_test_only_axe_core_is_not_under_the_served_folder():
    lock = load_lock()
    axe = next(entry for entry in lock["packages"] if entry["name"] == "axe-core")
    assert axe["into"].startswith("tests/")
    assert not list((ROOT / "web" / "static").rglob("axe*.js"))


def test_every_vendored_folder_has_its_licence_beside_it():
    lock = load_lock()
    summary = (ROOT / "web/static/vendor/LICENSES.md").read_text(encoding="utf-8")
    for entry in lock["packages"] + lock["bundles"]:
        folder = ROOT / entry["into"]
        licences = [p for p in folder.rglob("*") if p.is_file() and p.name.lower().startswith("licen")]
        assert licences or (folder / "licenses").is_dir(), entry["name"]
        if entry["into"].startswith("web/static/vendor/"):
            assert f"| {entry['name']}" in summary


# --- the refresh script against a registry on loopback ------------------------------------------

def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


class FakeRegistry:
    """Serves `/<name>/<version>` metadata and the tarball; `served` may differ from what it publishes."""

    def __init__(self) -> None:
        self.tarballs: dict[tuple[str, str], bytes] = {}
        self.published: dict[tuple[str, str], str] = {}
        app = Flask(__name__)
        app.add_url_rule("/<name>/<version>", view_func=self.metadata)
        app.add_url_rule("/<name>/-/<file>", view_func=self.tarball)
        self.server = LiveServer(lambda url: app).start()
        self.url = self.server.url

    def publish(self, name: str, version: str, files: dict[str, bytes], *, license: str = "MIT") -> bytes:
        manifest = {"name": name, "version": version, "license": license}
        data = _tarball({"package.json": json.dumps(manifest).encode(), **files})
        self.tarballs[(name, version)] = data
        self.published[(name, version)] = _sri(data)
        return data

    def metadata(self, name, version):
        if (name, version) not in self.tarballs:
            abort(404)
        return jsonify({"name": name, "version": version, "dist": {
            "integrity": self.published[(name, version)], "tarball": f"{self.url}/{name}/-/{name}-{version}.tgz"}})

    def tarball(self, name, file):
        version = file.removeprefix(f"{name}-").removesuffix(".tgz")
        return self.tarballs[(name, version)], 200, {"content-type": "application/octet-stream"}


@pytest.fixture
def registry():
    fake = FakeRegistry()
    yield fake
    fake.server.stop()


def _lock(registry, **entry) -> dict:
    package = {"name": "tiny-lib", "version": "1.2.3", "license": "MIT", "use": "a test",
               "into": "web/static/vendor/tiny-lib", "files": {"dist/tiny.min.js": "tiny.min.js"}, **entry}
    return {"registry": registry.url, "packages": [package], "bundles": []}


def test_refresh_writes_the_chosen_files_and_licence_and_records_them(registry, tmp_path):
    registry.publish("tiny-lib", "1.2.3", {"dist/tiny.min.js": b"window.tiny=1", "dist/tiny.js": b"// big",
                                           "LICENSE": b"MIT Licence text", "README.md": b"readme"})
    lock = _lock(registry)
    assert refresh(Refresh(lock=lock, root=tmp_path)) == ["tiny-lib@1.2.3"]
    folder = tmp_path / "web/static/vendor/tiny-lib"
    assert sorted(p.name for p in folder.iterdir()) == ["LICENSE", "tiny.min.js"]
    assert (folder / "tiny.min.js").read_bytes() == b"window.tiny=1"
    assert lock["packages"][0]["integrity"] == registry.published[("tiny-lib", "1.2.3")]
    assert set(lock["written"]) == {"web/static/vendor/tiny-lib/tiny.min.js", "web/static/vendor/tiny-lib/LICENSE",
                                    "web/static/vendor/LICENSES.md"}
    assert "| tiny-lib | 1.2.3 | MIT |" in (tmp_path / "web/static/vendor/LICENSES.md").read_text()
    assert check(lock, tmp_path) == []


def test_a_tarball_that_does_not_match_its_published_sha512_is_refused(registry, tmp_path):
    registry.publish("tiny-lib", "1.2.3", {"dist/tiny.min.js": b"window.tiny=1", "LICENSE": b"MIT"})
    registry.tarballs[("tiny-lib", "1.2.3")] = _tarball({"package.json": b"{}", "dist/tiny.min.js": b"evil()"})
    with pytest.raises(VendorError, match="does not match its sha512"):
        refresh(Refresh(lock=_lock(registry), root=tmp_path))
    assert not (tmp_path / "web/static/vendor/tiny-lib").exists()


def test_a_republished_version_is_refused_against_the_locked_integrity(registry, tmp_path):
    registry.publish("tiny-lib", "1.2.3", {"dist/tiny.min.js": b"window.tiny=2", "LICENSE": b"MIT"})
    lock = _lock(registry, integrity=_sri(b"what was locked before"))
    with pytest.raises(VendorError, match="refusing a changed tarball"):
        refresh(Refresh(lock=lock, root=tmp_path))


def test_a_changed_licence_and_a_missing_file_are_refused(registry, tmp_path):
    registry.publish("tiny-lib", "1.2.3", {"dist/tiny.min.js": b"x", "LICENSE": b"BUSL"}, license="BUSL-1.1")
    with pytest.raises(VendorError, match="declares the licence 'BUSL-1.1', the lock expects 'MIT'"):
        refresh(Refresh(lock=_lock(registry), root=tmp_path))
    registry.publish("tiny-lib", "1.2.3", {"LICENSE": b"MIT"})
    with pytest.raises(VendorError, match="has no dist/tiny.min.js"):
        refresh(Refresh(lock=_lock(registry), root=tmp_path))


def test_a_destination_outside_the_folder_is_refused(registry, tmp_path):
    registry.publish("tiny-lib", "1.2.3", {"dist/tiny.min.js": b"x", "LICENSE": b"MIT"})
    with pytest.raises(VendorError, match="outside"):
        refresh(Refresh(lock=_lock(registry, files={"dist/tiny.min.js": "../../../../etc/x.js"}), root=tmp_path))


def test_check_reports_changed_missing_and_unrecorded_files(registry, tmp_path):
    registry.publish("tiny-lib", "1.2.3", {"dist/tiny.min.js": b"window.tiny=1", "LICENSE": b"MIT"})
    lock = _lock(registry)
    refresh(Refresh(lock=lock, root=tmp_path))
    folder = tmp_path / "web/static/vendor/tiny-lib"
    (folder / "tiny.min.js").write_bytes(b"window.tiny=1 // patched by hand")
    (folder / "LICENSE").unlink()
    (folder / "extra.js").write_bytes(b"")
    assert sorted(check(lock, tmp_path)) == [
        "web/static/vendor/tiny-lib/LICENSE: missing",
        "web/static/vendor/tiny-lib/extra.js: not written by the refresh script",
        "web/static/vendor/tiny-lib/tiny.min.js: changed since it was vendored",
    ]


def test_the_command_refreshes_one_package_and_saves_the_lock(registry, tmp_path, capsys):
    registry.publish("tiny-lib", "1.2.3", {"dist/tiny.min.js": b"window.tiny=1", "LICENSE": b"MIT"})
    lock_file = tmp_path / "vendor.lock.json"
    lock_file.write_text(json.dumps(_lock(registry)))
    assert main(["tiny-lib", "--lock", str(lock_file), "--root", str(tmp_path)]) == 0
    assert "refreshed tiny-lib@1.2.3" in capsys.readouterr().out
    assert json.loads(lock_file.read_text())["packages"][0]["integrity"].startswith("sha512-")
    assert main(["--check", "--lock", str(lock_file), "--root", str(tmp_path)]) == 0
    assert main(["no-such-lib", "--lock", str(lock_file), "--root", str(tmp_path)]) == 1
    assert "not in the lock file: no-such-lib" in capsys.readouterr().err
    assert Path(lock_file).exists()
