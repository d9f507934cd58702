"""Refresh the vendored browser code from the npm registry, exactly as `web/vendor.lock.json` pins it.

    python -m web.vendor_refresh                 # every package and bundle in the lock file
    python -m web.vendor_refresh leaflet idb     # only these
    python -m web.vendor_refresh --check         # offline: are the committed files the ones the lock records?

A package's tarball comes from the registry over HTTPS and must match the sha512 the registry
publishes for that version, and the one the lock recorded the first time. Only the files the lock
names are written under the package's folder, with the package's licence file(s) beside them; the
licence the package declares must be the one the lock expects. A bundle is code that does not load in
a browser as published (bpmnlint is CommonJS): it is built with the machine's Node.js from the
`package-lock.json` committed beside its entry file (`npm ci` checks every tarball's sha512), and the
licences of the packages that ended up in it are written beside it. Every file written is recorded
with its sha256 under `written`, and each vendor folder gets a LICENSES.md.

The committed files need neither Node.js nor the network: only refreshing does.
To move a package to another version, change `version`, delete `integrity`, run this script and
review the diff. To move a bundle, edit its package.json, delete its package-lock.json, run this.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parent.parent
LOCK_FILE = ROOT / "web" / "vendor.lock.json"
LICENCE_NAME = re.compile(r"^(licen[cs]e|copying)", re.IGNORECASE)
SUMMARY = "LICENSES.md"


class VendorError(RuntimeError):
    """The registry, a tarball or the lock file is not what it should be; nothing of that package is written."""


@dataclass
class Refresh:
    """One run: the lock being refreshed and where files go."""

    lock: dict
    root: Path = ROOT
    http: requests.Session = field(default_factory=requests.Session)

    @property
    def registry(self) -> str:
        return self.lock["registry"].rstrip("/")


def sri_sha512(data: bytes) -> str:
    """Subresource-integrity form of a sha512, as the npm registry publishes it."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def inside(base: Path, relative: str) -> Path:
    """`base/relative`, refusing anything that would land outside `base`."""
    target = (base / relative).resolve()
    if relative.startswith("/") or not target.is_relative_to(base.resolve()):
        raise VendorError(f"{relative!r} would be written outside {base}")
    return target


def fetch_package(run: Refresh, entry: dict) -> bytes:
    """The package's tarball, checked against the registry's sha512 and the lock's."""
    name, version = entry["name"], entry["version"]
    url = f"{run.registry}/{quote(name, safe='@')}/{quote(version)}"
    reply = run.http.get(url, timeout=60)
    if reply.status_code != 200:
        raise VendorError(f"{name}@{version}: the registry answered {reply.status_code} for {url}")
    dist = reply.json().get("dist") or {}
    published = dist.get("integrity")
    if not published or not published.startswith("sha512-"):
        raise VendorError(f"{name}@{version}: the registry publishes no sha512 integrity")
    if entry.get("integrity") and entry["integrity"] != published:
        raise VendorError(f"{name}@{version}: the registry now publishes {published}, "
                          f"the lock recorded {entry['integrity']}; refusing a changed tarball")
    tarball = run.http.get(dist["tarball"], timeout=120)
    if tarball.status_code != 200:
        raise VendorError(f"{name}@{version}: {tarball.status_code} for {dist['tarball']}")
    if sri_sha512(tarball.content) != published:
        raise VendorError(f"{name}@{version}: the tarball does not match its sha512 {published}")
    entry["integrity"] = published
    return tarball.content


def package_members(tarball: bytes) -> dict[str, bytes]:
    """Regular files of an npm tarball by their path inside the package (its top folder stripped)."""
    members = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in archive.getmembers():
            if member.isfile() and "/" in member.name:
                members[member.name.split("/", 1)[1]] = archive.extractfile(member).read()
    return members


def check_licence(entry: dict, declared: str | None, where: str) -> None:
    expected = entry.get("license")
    if expected and declared != expected:
        raise VendorError(f"{where} declares the licence {declared!r}, the lock expects {expected!r}: "
                          "review the new licence, then update `license` in the lock")
    entry["license"] = declared


def refresh_package(run: Refresh, entry: dict) -> dict[str, str]:
    """Download, check and write one package; returns {written path: sha256}."""
    members = package_members(fetch_package(run, entry))
    where = f"{entry['name']}@{entry['version']}"
    manifest = json.loads(members.get("package.json", b"{}"))
    if manifest.get("version") != entry["version"]:
        raise VendorError(f"{where}: its package.json says version {manifest.get('version')!r}")
    check_licence(entry, manifest.get("license"), where)
    chosen = {dest: members.get(source) for source, dest in entry["files"].items()}
    missing = [source for source, dest in entry["files"].items() if chosen[dest] is None]
    if missing:
        raise VendorError(f"{where} has no {', '.join(missing)}")
    licences = {path: data for path, data in members.items() if "/" not in path and LICENCE_NAME.match(path)}
    if not licences:
        raise VendorError(f"{where} ships no licence file")
    return write_folder(run, entry["into"], {**chosen, **licences})


def write_folder(run: Refresh, into: str, files: dict[str, bytes]) -> dict[str, str]:
    """Replace the folder `into` with exactly `files`; returns {path from the root: sha256}."""
    folder = inside(run.root, into)
    targets = {inside(folder, relative): data for relative, data in files.items()}
    if folder.exists():
        shutil.rmtree(folder)
    written = {}
    for target, data in sorted(targets.items()):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written[target.relative_to(run.root.resolve()).as_posix()] = sha256(target)
    return written


def refresh_bundle(run: Refresh, entry: dict) -> dict[str, str]:
    """Build one bundle with npm and its bundler in a scratch copy of its source folder."""
    source = inside(run.root, entry["source"])
    if shutil.which("npm") is None or shutil.which("node") is None:
        raise VendorError(f"refreshing the bundle {entry['name']} needs Node.js and npm on this machine "
                          "(the committed files need neither)")
    with tempfile.TemporaryDirectory(prefix=f"vendor-{entry['name']}-") as scratch:
        work = Path(scratch) / "build"
        shutil.copytree(source, work)
        if not (work / "package-lock.json").exists():  # a deliberate re-lock: resolve and keep the result
            npm(["npm", "install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], work)
            shutil.copyfile(work / "package-lock.json", source / "package-lock.json")
        for command in entry["build"]:
            npm(command, work)
        contents = bundled_packages(work, work / entry["metafile"])
        files = {dest: (work / src).read_bytes() for src, dest in entry["files"].items()}
        for package in contents:
            files[f"licenses/{package['name'].replace('/', '__')}.txt"] = package.pop("licence_text")
    entry["contains"] = contents
    return write_folder(run, entry["into"], files)


def npm(command: list[str], cwd: Path) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise VendorError(f"`{' '.join(command)}` failed:\n{done.stdout}{done.stderr}")


def bundled_packages(work: Path, metafile: Path) -> list[dict]:
    """The npm packages whose code the bundler put into the output, with version, licence and its text."""
    names = set()
    for path in json.loads(metafile.read_text())["inputs"]:
        if "node_modules/" in path:
            parts = path.rsplit("node_modules/", 1)[1].split("/")
            names.add("/".join(parts[:2]) if parts[0].startswith("@") else parts[0])
    packages = []
    for name in sorted(names):
        folder = work / "node_modules" / name
        manifest = json.loads((folder / "package.json").read_text())
        texts = [p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and LICENCE_NAME.match(p.name)]
        licence = manifest.get("license")
        if not texts:  # some small packages declare a licence in package.json and ship no text of it
            if not licence:
                raise VendorError(f"{name} is in the bundle and declares no licence")
            texts = [declared_licence_note(manifest).encode()]
            licence = f"{licence} (declared; no licence file shipped)"
        packages.append({"name": name, "version": manifest["version"], "license": licence,
                         "licence_text": b"\n\n".join(texts)})
    return packages


def declared_licence_note(manifest: dict) -> str:
    repository = manifest.get("repository")
    if isinstance(repository, dict):
        repository = repository.get("url")
    author = manifest.get("author")
    if isinstance(author, dict):
        author = author.get("name")
    return (f"{manifest['name']} {manifest['version']} ships no licence file. Its package.json declares the "
            f"licence {manifest['license']}" + (f", author {author}" if author else "")
            + (f", repository {repository}" if repository else "") + ".\n")


def vendor_roots(lock: dict) -> list[str]:
    """The folders holding vendored packages (each gets a LICENSES.md): the parents of the `into` folders."""
    entries = lock["packages"] + lock.get("bundles", [])
    return sorted({Path(entry["into"]).parent.as_posix() for entry in entries})


def licences_summary(lock: dict, root_folder: str) -> str:
    """LICENSES.md of one vendor folder: every package in it, its version, licence and use."""
    lines = ["# Third-party browser code in this folder", "",
             "Written by `python -m web.vendor_refresh` from `web/vendor.lock.json`; do not edit by hand.",
             "Each folder holds the files taken from one npm package at the version below, with that",
             "package's licence file(s).", "",
             "| Package | Version | Licence | Folder | Used for |", "|---|---|---|---|---|"]
    def here(entry: dict) -> bool:
        return Path(entry["into"]).parent.as_posix() == root_folder

    for entry in (e for e in lock["packages"] if here(e)):
        lines.append(f"| {entry['name']} | {entry['version']} | {entry['license']} | "
                     f"`{Path(entry['into']).name}/` | {entry['use']} |")
    for entry in (e for e in lock.get("bundles", []) if here(e)):
        lines.append(f"| {entry['name']} (bundle) | see below | see below | `{Path(entry['into']).name}/` | "
                     f"{entry['use']} |")
    for entry in (e for e in lock.get("bundles", []) if here(e)):
        lines += ["", f"## `{Path(entry['into']).name}/`, built from `{entry['source']}/`", "",
                  "Built from the package-lock.json there by:", "", "```sh"]
        lines += [" ".join(command) for command in entry["build"]]
        lines += ["```", "", "It contains code from these packages (licence texts in "
                  f"`{Path(entry['into']).name}/licenses/`):", "",
                  "| Package | Version | Licence |", "|---|---|---|"]
        lines += [f"| {p['name']} | {p['version']} | {p['license']} |" for p in entry.get("contains", [])]
    return "\n".join(lines) + "\n"


def write_summaries(run: Refresh) -> dict[str, str]:
    written = {}
    for root_folder in vendor_roots(run.lock):
        target = inside(run.root, f"{root_folder}/{SUMMARY}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(licences_summary(run.lock, root_folder), encoding="utf-8")
        written[f"{root_folder}/{SUMMARY}"] = sha256(target)
    return written


def refresh(run: Refresh, names: list[str] | None = None) -> list[str]:
    """Refresh the named packages and bundles (all when none are named); returns what was refreshed."""
    entries = [("package", e) for e in run.lock["packages"]] + [("bundle", e) for e in run.lock.get("bundles", [])]
    known = {entry["name"] for _, entry in entries}
    unknown = sorted(set(names or []) - known)
    if unknown:
        raise VendorError(f"not in the lock file: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    written = run.lock.setdefault("written", {})
    done = []
    try:
        for kind, entry in entries:
            if names and entry["name"] not in names:
                continue
            fresh = refresh_package(run, entry) if kind == "package" else refresh_bundle(run, entry)
            for path in [p for p in written if p.startswith(entry["into"].rstrip("/") + "/")]:
                del written[path]
            written.update(fresh)
            done.append(f"{entry['name']}@{entry.get('version', 'bundle')}")
    finally:  # what was written before a failure stays recorded, so --check tells the truth
        written.update(write_summaries(run))
        run.lock["written"] = dict(sorted(written.items()))
    return done


def check(lock: dict, root: Path = ROOT) -> list[str]:
    """Problems with the committed files: missing, changed, or not recorded in the lock. Offline."""
    problems = []
    written = lock.get("written", {})
    for entry in lock["packages"]:
        if not str(entry.get("integrity", "")).startswith("sha512-"):
            problems.append(f"{entry['name']}: no sha512 integrity in the lock")
    for path, digest in written.items():
        target = root / path
        if not target.is_file():
            problems.append(f"{path}: missing")
        elif sha256(target) != digest:
            problems.append(f"{path}: changed since it was vendored")
    for root_folder in vendor_roots(lock):
        for target in sorted((root / root_folder).rglob("*")):
            relative = target.relative_to(root).as_posix()
            if target.is_file() and relative not in written:
                problems.append(f"{relative}: not written by the refresh script")
    return problems


def load_lock(path: Path = LOCK_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def save_lock(lock: dict, path: Path = LOCK_FILE) -> None:
    path.write_text(json.dumps(lock, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web.vendor_refresh", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="packages or bundles to refresh (default: all)")
    parser.add_argument("--check", action="store_true", help="only verify the committed files, offline")
    parser.add_argument("--lock", type=Path, default=LOCK_FILE, help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    lock = load_lock(args.lock)
    if args.check:
        problems = check(lock, args.root)
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(lock.get('written', {}))} vendored files, {len(problems)} problems")
        return 1 if problems else 0
    try:
        done = refresh(Refresh(lock=lock, root=args.root), args.names)
    except VendorError as exc:
        print(f"vendor refresh failed: {exc}", file=sys.stderr)
        return 1
    finally:
        save_lock(lock, args.lock)
    print("refreshed " + ", ".join(done))
    return 0


if __name__ == "__main__":
    sys.exit(main())
