"""Selfie verification speed: the project's path against a naive DeepFace.verify, in one run.

Run from the repo root: .venv/bin/python bench/face_verify.py [--rounds N] [--naive-rounds N]
Profile photo obama.jpg; selfies: other photos of the same man and of Joe Biden, full size
(900–2300 px tall, like phone photos) from the face_recognition 1.3.0 sdist, fetched once
with pip into tests/fixtures/faces/.cache/ (falls back to the 640 px test copies offline).
  * project: the profile embedding is computed once; each selfie costs one `verify_selfie`
    (intake with downscaled decode, dlib detection + landmarks, quality, one embedding of
    the face's neighbourhood, replay check against the profile fingerprint);
  * naive:   DeepFace.verify(selfie_path, profile_path) on the raw files, per selfie;
  * both must reach the same verified/not-verified decision on every pair that the project
    judged on identity (else exit 1). A selfie that the project refuses on quality before
    matching (obama_partial_face2.jpg: half the face is outside the picture → not_frontal)
    is listed, but naive has no such rule, so it is not counted as a disagreement;
  * latency (median, p95) is measured in this process pinned to one CPU core;
  * throughput with 1 and 2 worker processes (multiprocessing, spawn, models loaded before
    the clock starts).
Targets: project ≥ 8× faster than naive (median), and median < 0.4 s per selfie on one core.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # the repo root replaces bench/, whose calendar.py shadows the stdlib
os.environ.setdefault("OMP_NUM_THREADS", "1")

from face.config import FaceConfig  # noqa: E402
from face.weights import prepare_deepface_home  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "faces"
CACHE = FIXTURES / ".cache"
SDIST = "face_recognition==1.3.0"
INSIDE_SDIST = "face_recognition-1.3.0/tests/test_images/"
PROFILE = "obama.jpg"
SELFIES = ["obama2.jpg", "obama3.jpg", "obama_partial_face.jpg", "obama_partial_face2.jpg", "biden.jpg"]


def photo_folder() -> Path:
    """Full-size originals if they can be had, else the small committed copies."""
    if all((CACHE / name).is_file() for name in [PROFILE, *SELFIES]):
        return CACHE
    with tempfile.TemporaryDirectory() as tmp:
        fetched = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--no-binary", ":all:", SDIST, "-d", tmp],
            capture_output=True, text=True,
        )
        archives = list(Path(tmp).glob("face_recognition-1.3.0.tar.gz"))
        if fetched.returncode != 0 or not archives:
            print("note: could not fetch the sdist; using the 640 px copies in", FIXTURES)
            return FIXTURES
        CACHE.mkdir(exist_ok=True)
        with tarfile.open(archives[0]) as archive:
            for name in [PROFILE, *SELFIES]:
                with archive.extractfile(INSIDE_SDIST + name) as source, open(CACHE / name, "wb") as out:
                    shutil.copyfileobj(source, out)
    return CACHE


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# ---- worker processes -------------------------------------------------------------------
_worker: dict = {}


def _start_worker(data_dir, folder, names, profile_embedding, profile_fingerprint, barrier, counter):
    import cv2

    with counter.get_lock():
        slot = counter.value
        counter.value += 1
    cores = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cores[slot % len(cores)]})
    cv2.setNumThreads(1)
    prepare_deepface_home(data_dir)
    from face.model import face_models
    from face.verification import verify_selfie

    config = FaceConfig()
    _worker.update(
        config=config,
        models=face_models(config),
        selfies=[(Path(folder) / name).read_bytes() for name in names],
        embedding=profile_embedding,
        prior=[profile_fingerprint],
        verify=verify_selfie,
    )
    _verify_in_worker(0)  # warm caches before the clock starts
    barrier.wait()


def _verify_in_worker(index: int) -> str:
    w = _worker
    verdict = w["verify"](
        selfie=w["selfies"][index % len(w["selfies"])],
        profile_embedding=w["embedding"],
        prior=w["prior"],
        config=w["config"],
        models=w["models"],
    )
    return verdict.status


def throughput(workers: int, tasks: int, data_dir: str, folder: Path, names, profile) -> float:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers + 1)
    counter = context.Value("i", 0)
    args = (data_dir, str(folder), names, profile.embedding, profile.fingerprint, barrier, counter)
    with context.Pool(workers, initializer=_start_worker, initargs=args) as pool:
        barrier.wait()  # every worker has loaded its models
        started = time.perf_counter()
        pool.map(_verify_in_worker, range(tasks), chunksize=1)
        elapsed = time.perf_counter() - started
    return tasks / elapsed


# ---- main -------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6, help="project verifications per selfie")
    parser.add_argument("--naive-rounds", type=int, default=2, help="naive verifies per selfie")
    parser.add_argument("--tasks", type=int, default=30, help="selfies per throughput run")
    parser.add_argument("--data-dir", default=str(ROOT / "var"))
    args = parser.parse_args()

    folder = photo_folder()
    prepare_deepface_home(args.data_dir)
    import cv2
    from deepface import DeepFace

    from face.model import face_models
    from face.profile_photo import check_profile_photo
    from face.verification import verify_selfie

    cv2.setNumThreads(1)
    all_cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(all_cores)})
    config = FaceConfig()
    started = time.perf_counter()
    models = face_models(config)
    print(f"photos: {folder}  ({os.cpu_count()} CPUs; latency pinned to 1 core)")
    print("load average before the run: " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    print(f"model load: {time.perf_counter() - started:.2f} s  ({config.model_name} + {config.detector_backend})")

    profile_path = folder / PROFILE
    started = time.perf_counter()
    profile = check_profile_photo(photo=profile_path.read_bytes(), config=config, models=models)
    print(f"profile photo check (once per employee): {time.perf_counter() - started:.2f} s, accepted={profile.accepted}")
    if not profile.accepted:
        print("profile photo rejected:", [c.name for c in profile.failed])
        return 1

    ours: dict[str, list] = {name: [] for name in SELFIES}
    ours_times: dict[str, list[float]] = {name: [] for name in SELFIES}
    for _ in range(args.rounds):
        for name in SELFIES:
            data = (folder / name).read_bytes()  # as an upload arrives: bytes
            started = time.perf_counter()
            verdict = verify_selfie(
                selfie=data, profile_embedding=profile.embedding, prior=[profile.fingerprint],
                config=config, models=models,
            )
            ours_times[name].append(time.perf_counter() - started)
            ours[name].append(verdict)

    naive: dict[str, dict] = {}
    naive_times: dict[str, list[float]] = {name: [] for name in SELFIES}
    for _ in range(args.naive_rounds):
        for name in SELFIES:
            started = time.perf_counter()
            naive[name] = DeepFace.verify(
                str(folder / name), str(profile_path), model_name=config.model_name,
                detector_backend=config.detector_backend, distance_metric=config.distance_metric,
                threshold=config.threshold, silent=True,
            )
            naive_times[name].append(time.perf_counter() - started)

    print(f"\n{'selfie':26} {'project':>29} {'naive DeepFace.verify':>24}")
    same = True
    compared = []
    for name in SELFIES:
        verdict = ours[name][-1]
        mine = verdict.status == "verified"
        theirs = bool(naive[name]["verified"])
        on_identity = mine or verdict.reason_codes == ["mismatch"]
        if on_identity:
            same &= mine == theirs
            compared.append(name)
        label = verdict.status + ("" if mine else f" {','.join(verdict.reason_codes)}")
        distance = "-" if verdict.distance is None else f"{verdict.distance:.3f}"
        note = "" if on_identity else "  (refused on quality, not compared)"
        print(f"{name:26} {label:>22} {distance:>6} {('verified' if theirs else 'rejected'):>16} "
              f"{naive[name]['distance']:7.3f}{note}")
    print("identity decisions:", "the same on every pair" if same else "DIFFERENT")
    for name in SELFIES:
        print(f"  median {name:26} project {statistics.median(ours_times[name]):.3f} s"
              f"   naive {statistics.median(naive_times[name]):.3f} s")

    # Like with like: the headline counts only selfies both paths took to a match decision.
    mine = [t for name in compared for t in ours_times[name]]
    theirs = [t for name in compared for t in naive_times[name]]
    ours_median, naive_median = statistics.median(mine), statistics.median(theirs)
    print(f"\nlatency per selfie, 1 core, {len(compared)} compared selfies   median    p95     (n)")
    print(f"  project verify_selfie                  {ours_median:7.3f} s {percentile(mine, 0.95):6.3f} s  ({len(mine)})")
    print(f"  naive DeepFace.verify                  {naive_median:7.3f} s {percentile(theirs, 0.95):6.3f} s  ({len(theirs)})")
    ratio = naive_median / ours_median
    print(f"  speed-up (median)                      {ratio:7.1f}×   target ≥ 8×: {'met' if ratio >= 8 else 'NOT met'};"
          f" median < 0.4 s: {'met' if ours_median < 0.4 else 'NOT met'}")

    os.sched_setaffinity(0, all_cores)
    print("\nthroughput (project path, compared selfies, worker processes, one thread each)")
    rates = {}
    for workers in (1, 2):
        rates[workers] = throughput(workers, args.tasks, args.data_dir, folder, compared, profile)
        print(f"  {workers} worker{'s' if workers > 1 else ' '}: {rates[workers]:6.2f} selfies/s")
    print(f"  scaling 2 vs 1: {rates[2] / rates[1]:.2f}×")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
