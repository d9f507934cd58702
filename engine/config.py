"""Settings read once from the environment, then passed down explicitly.

Every variable is documented in README.md ("Configuration") and `.env.example`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "var"
INSECURE_DEFAULT_SECRET = "dev-insecure-change-me"
# Secrets anyone can read (our defaults, .env.example, docs' placeholders): a token or cookie signed with
# one of them opens any account, so outside the embedded mode the app refuses to start with one.
PUBLISHED_SECRETS = frozenset({
    INSECURE_DEFAULT_SECRET, "change-me-to-a-long-random-string", "change-me", "changeme", "secret",
    "your-secret-key", "please-change-me",
})
MIN_SECRET_BYTES = 32
PHONE_PUNCH_SELFIE_POLICIES = ("required", "optional")


def secret_problem(key: str) -> str | None:
    """Why `key` cannot sign anything outside the embedded mode, or None."""
    if not key.strip():
        return "is empty"
    if key.strip().lower() in PUBLISHED_SECRETS or "change-me" in key.lower() or "changeme" in key.lower():
        return "is a published placeholder"
    if len(key.encode()) < MIN_SECRET_BYTES:
        return f"is shorter than {MIN_SECRET_BYTES} bytes"
    return None


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Every tunable of OPS-TA. Build with `Settings.from_env()`."""

    # Empty: the embedded SQLite database `<data_dir>/opsta.db`.
    database_url: str = ""
    # Connections each process keeps open; give it at least the threads per process (gunicorn --threads),
    # or under load the extra connections are opened and closed again for every request.
    database_pool_size: int = 10
    # "memory://" runs Dramatiq in-process (embedded mode); "redis://host:port/db" uses Redis.
    broker_url: str = "memory://"
    secret_key: str = INSECURE_DEFAULT_SECRET
    # Keys retired from signing but still accepted (comma-separated), so a rotation keeps sessions,
    # tokens and cookies signed with them valid until they expire; drop a key here to retire it.
    previous_secret_keys: str = ""
    timezone: str = "Asia/Bangkok"
    data_dir: str = str(DEFAULT_DATA_DIR)
    public_url: str = "http://127.0.0.1:8000"

    # OIDC single sign-on. Empty discovery URL = OIDC off.
    oidc_discovery_url: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_audience: str = ""  # expected `aud` of API bearer tokens; defaults to the client id
    # When set (e.g. "at+jwt", RFC 9068), API bearer tokens must carry this JWT `typ` header.
    oidc_access_token_type: str = ""
    oidc_scopes: str = "openid email profile"
    oidc_employee_code_claim: str = "employee_code"
    oidc_jwks_cache_seconds: int = 3600
    oidc_http_timeout_seconds: float = 5.0
    # Match people by an email the provider has not marked `email_verified` (only for a provider
    # whose emails are all managed by the organisation).
    oidc_trust_email: bool = False

    # Local (argon2) accounts: embedded/demo mode and break-glass admin.
    local_login: str = "auto"  # auto = on unless OIDC is configured; "true"/"false" force it
    token_ttl_seconds: int = 3600
    # Failed password checks are throttled per account (for browsers that never signed in to it)
    # and per client address: after the free failures each further one doubles the wait before the
    # next check, from the base delay up to the maximum. Failures are forgotten after a quiet window.
    login_free_failures: int = 5
    login_address_free_failures: int = 20
    login_base_delay_seconds: float = 1.0
    login_max_delay_seconds: float = 300.0
    login_failure_window_seconds: int = 3600

    # Browser sessions (server side): ended after this long without a request, and after this long in any case.
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    # "auto": cookies are Secure (and HSTS is sent) outside the embedded SQLite mode; "true"/"false" force it.
    cookie_secure: str = "auto"
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (0: none).
    trusted_proxy_count: int = 0
    # Largest request body under /api (413 before it is read); /iclock has its own limit.
    api_max_body_bytes: int = 10_000_000

    demo_password: str = "demo"

    # The web app (issue 13): the sign-in page's single sign-on button, as the organisation names its accounts.
    sso_button_label: str = "เข้าสู่ระบบด้วย MOC Account"

    # Attendance rules.
    # Phone punches: "required" (the training material's mobile punch: a selfie with every punch) or
    # "optional" (a JSON punch without a selfie counts without a face check).
    phone_punch_selfie: str = "required"
    late_grace_minutes: int = 0
    # An OUT before this local time can still close the previous day's open IN.
    day_boundary: str = "04:00"
    late_out_window_minutes: int = 240
    offline_window_hours: int = 72
    clock_skew_seconds: int = 300
    low_accuracy_m: float = 100.0
    max_travel_kmh: float = 200.0
    note_max_length: int = 500
    site_default_tolerance_m: float = 30.0
    # How often a process checks whether another process changed the sites (its own changes apply at once).
    site_index_recheck_seconds: float = 2.0
    # A move of less than this between two punches is GPS noise, never "impossible travel".
    travel_min_distance_m: float = 1000.0
    geocoder_url: str = ""
    geocoder_timeout_seconds: float = 3.0
    # The punch detail's map tiles, a Leaflet URL template such as https://tiles.example.go.th/{z}/{x}/{y}.png
    # (pages may then load images from its origin). Empty: no tiles; the map draws the outlines and the point.
    map_tile_url: str = ""
    map_tile_attribution: str = ""

    # Approval workflows (overtime, off-site, missed punch; issue 5).
    # A missed-punch request for a day further back than this is refused at submit time.
    missed_punch_max_days_back: int = 7
    # How often `opsta scheduler` (and the embedded scheduler thread) looks for due BPMN timers.
    scheduler_interval_seconds: float = 30.0
    # The analyst-owned BPMN/DMN folder; published automatically when no version exists yet.
    bpmn_dir: str = str(PROJECT_ROOT / "bpmn")
    workflow_auto_publish: bool = True
    # Analysts' scripts and expressions run in warm worker processes under these limits (issue 11): wall
    # time per evaluation, the worker's address space, and the warm workers each app process keeps.
    workflow_script_timeout_s: float = 2.0
    workflow_script_memory_mb: int = 256
    workflow_script_workers: int = 2
    # Engine tasks one step may run before it is stopped (a loop in the diagram without a person in it).
    workflow_max_steps: int = 1000

    # Face terminals (devices): ZKTeco push (iclock) endpoints, command queue, silence alerts; issue 6.
    # Seconds between a terminal's getrequest polls (handshake `Delay`) and before it retries after an error.
    device_poll_delay_seconds: int = 10
    device_error_delay_seconds: int = 30
    # A command handed out without a result is sent again after this long, at most this many times.
    device_command_resend_seconds: int = 300
    device_command_max_sends: int = 3
    # A device silent for longer than this makes one admin notification (`opsta device check-silent`).
    device_silence_minutes: int = 30
    # Terminals cannot sign their requests, so where a call comes from is checked against the terminal's
    # allowed networks. That address is the socket peer, unless the peer is one of these proxies (CIDR,
    # comma-separated): then it is the nearest X-Forwarded-For address that is not one of them.
    device_trusted_proxies: str = ""
    # A punch older than this (or ahead of the server by more than clock_skew_seconds) is flagged clock_skew.
    device_offline_window_hours: int = 72
    # A terminal upload (any /iclock body) over this many bytes is refused with 413, chunked or not.
    device_max_upload_bytes: int = 16 * 1024 * 1024
    # Refused /iclock calls without a quiet spell of this many minutes are one flood; admins hear of a
    # flood once, when it reaches this many refusals.
    device_flood_attempts: int = 100
    device_flood_quiet_minutes: int = 10

    # Face verification (profile photos, selfie punches checked by the `face` Dramatiq queue; issue 4).
    # Recognition model, face detector, distance metric and match threshold (in the metric's unit).
    # The offline default is dlib's; other DeepFace models need their weights in <data_dir>/deepface.
    face_model: str = "Dlib"
    face_detector: str = "dlib"
    face_distance_metric: str = "cosine"
    face_threshold: float = 0.07
    # Uploads (profile photos and selfies): bytes, and decoded width × height against decompression bombs.
    face_max_upload_bytes: int = 8_000_000
    face_max_pixels: int = 52_000_000
    # Pixels decoded at full size (a JPEG is decoded at a reduced scale first; a PNG or WebP is not).
    face_max_decoded_pixels: int = 16_000_000
    # Photo checks (profile photos, selfie intake) one process runs at once; further ones wait up to the
    # wait below for a turn, then get 503 with Retry-After.
    face_max_concurrent_checks: int = 2
    face_check_wait_seconds: float = 10.0
    # Selfies are stored shrunk to this longest side (JPEG) and deleted after this many days.
    selfie_store_max_side: int = 800
    selfie_retention_days: int = 90
    # A verification job is tried at most this many times (a crash counts), with exponential backoff
    # between these bounds; then the punch's verification ends as `error` (listed for hr).
    face_job_max_attempts: int = 5
    face_job_min_backoff_ms: int = 5_000
    face_job_max_backoff_ms: int = 300_000
    face_job_time_limit_ms: int = 120_000
    # The sweeper re-sends outbox jobs never sent (broker down) or sent longer ago than this and not finished.
    face_sweep_interval_seconds: float = 60.0
    face_job_resend_after_seconds: float = 300.0
    # Prefix of every Dramatiq key in Redis; workers and the app must agree.
    broker_namespace: str = "opsta"
    # Fault injection for tests only: a worker sleeps this long after claiming a job. Keep 0.
    face_job_start_delay_seconds: float = 0.0

    # Web Push (VAPID; issue 13). Off while the key pair is empty: `opsta push generate-keys` makes one.
    # The public key is the browser's applicationServerKey (base64url, uncompressed P-256 point), the
    # private key its 32-byte scalar (base64url); the subject is a mailto: or https: contact for push services.
    push_vapid_public_key: str = ""
    push_vapid_private_key: str = ""
    push_vapid_subject: str = ""
    # Hosts a subscription's endpoint may name (https only), comma-separated; "*.example.com" matches
    # sub-domains, "*" any public https host. A loopback host listed by name or address may use plain
    # http (tests). The default is the browsers' push services.
    push_allowed_hosts: str = ("fcm.googleapis.com,updates.push.services.mozilla.com,*.push.services.mozilla.com,"
                               "*.notify.windows.com,web.push.apple.com,*.push.apple.com")
    # How long a push service keeps a push for a browser that is offline, and the POST's timeout.
    push_ttl_seconds: int = 86_400
    push_timeout_seconds: float = 10.0
    # A push is tried at most this many times (retrying on 429, 5xx and network errors), with exponential
    # backoff between these bounds; the sweeper re-sends rows never sent or sent this long ago and open.
    push_job_max_attempts: int = 5
    push_job_min_backoff_ms: int = 2_000
    push_job_max_backoff_ms: int = 300_000
    push_sweep_interval_seconds: float = 30.0
    push_resend_after_seconds: float = 120.0

    # Reports (issue 15): the organisation named in report headers.
    organisation_name: str = "สำนักงานปลัดกระทรวงพาณิชย์"
    # Overtime pay, per day and person, from the Ministry of Finance regulation on overtime pay of B.E. 2550
    # (ระเบียบกระทรวงการคลังว่าด้วยการเบิกจ่ายเงินตอบแทนการปฏิบัติงานนอกเวลาราชการ พ.ศ. 2550) as commonly
    # applied: 50 baht an hour up to 4 hours on a working day, 60 baht an hour up to 7 hours on a day off
    # (weekend or public holiday), and a part of an hour is not paid. Check them against the regulation
    # and your agency's own rules before paying from the claim form.
    overtime_rate_workday: float = 50.0
    overtime_cap_workday_hours: int = 4
    overtime_rate_holiday: float = 60.0
    overtime_cap_holiday_hours: int = 7
    overtime_whole_hours: bool = True
    # Report files (issue 15). A download estimated to take longer than this is built by the `reports`
    # Dramatiq queue (`dramatiq engine.reports.worker --queues reports`) with its progress shown; the file is
    # kept under <data_dir>/report-files for this many hours, then the scheduler deletes it.
    report_background_seconds: float = 3.0
    # The scheduler judges the days of this month and the last in the background (engine/reports/day_upkeep.py),
    # every this many seconds, for at most the budget each time (a month of 10,000 people takes about a minute).
    attendance_upkeep_interval_seconds: float = 300.0
    attendance_upkeep_budget_seconds: float = 20.0
    report_file_hours: float = 24.0
    # A PDF of more cells (rows × columns) is refused with advice: WeasyPrint holds it all in memory (~17 KB a cell).
    report_pdf_max_cells: int = 60_000
    # A PDF of 200 rows or more is laid out in parts by this many processes at once (0: one per CPU; 1: in the
    # process that asks, as one document).
    report_pdf_processes: int = 0
    report_job_time_limit_seconds: int = 900
    report_job_max_attempts: int = 3
    # The sweeper re-sends a job never handed to the broker, or queued this long ago and not started.
    report_job_resend_after_seconds: float = 300.0

    def __post_init__(self) -> None:
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{Path(self.data_dir).resolve() / 'opsta.db'}")
        if self.phone_punch_selfie not in PHONE_PUNCH_SELFIE_POLICIES:
            raise ValueError(f"OPSTA_PHONE_PUNCH_SELFIE must be one of {', '.join(PHONE_PUNCH_SELFIE_POLICIES)}, "
                             f"not {self.phone_punch_selfie!r}")

    @property
    def selfie_required(self) -> bool:
        return self.phone_punch_selfie == "required"

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_discovery_url)

    @property
    def local_login_enabled(self) -> bool:
        if self.local_login == "auto":
            return not self.oidc_enabled
        return _bool(self.local_login)

    @property
    def embedded(self) -> bool:
        """The all-in-one demo mode (`make run`): an SQLite database on this machine."""
        return self.database_url.startswith("sqlite")

    @property
    def secure_cookies(self) -> bool:
        if self.cookie_secure == "auto":
            return not self.embedded
        return _bool(self.cookie_secure)

    @property
    def verifying_secret_keys(self) -> tuple[str, ...]:
        """The current secret first, then the previous ones still accepted when verifying."""
        previous = [key.strip() for key in self.previous_secret_keys.split(",") if key.strip()]
        return (self.secret_key, *[key for key in previous if key != self.secret_key])

    def startup_problems(self) -> list[str]:
        """Settings the app must not start with, in words an operator can act on."""
        problems = []
        if not self.embedded:
            for name, key in [("OPSTA_SECRET_KEY", self.secret_key)] + [
                    ("OPSTA_PREVIOUS_SECRET_KEYS", key) for key in self.verifying_secret_keys[1:]]:
                problem = secret_problem(key)
                if problem:
                    problems.append(f"{name} {problem}. It signs access tokens and session cookies, so anyone "
                                    f"who knows it can sign in as anyone; set a random value of at least "
                                    f"{MIN_SECRET_BYTES} bytes (e.g. `python -c 'import secrets; "
                                    f"print(secrets.token_urlsafe(48))'`) before serving a real database.")
        if self.oidc_enabled and not (self.oidc_audience or self.oidc_access_token_type):
            problems.append("OIDC is on but neither OPSTA_OIDC_AUDIENCE nor OPSTA_OIDC_ACCESS_TOKEN_TYPE is set, "
                            "so an ID token could pass as an API bearer token. Register an API audience at the "
                            "provider and set OPSTA_OIDC_AUDIENCE (and OPSTA_OIDC_ACCESS_TOKEN_TYPE=at+jwt if "
                            "its access tokens carry that typ).")
        return problems

    @property
    def push_enabled(self) -> bool:
        """Web Push is on when a VAPID key pair is set."""
        return bool(self.push_vapid_public_key and self.push_vapid_private_key)

    @property
    def embedded_broker(self) -> bool:
        return self.broker_url.startswith("memory://")

    @property
    def expected_audience(self) -> str:
        return self.oidc_audience or self.oidc_client_id

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Settings":
        """Read `OPSTA_<FIELD>` variables over the defaults, then apply `overrides`."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        known = {f.name: f for f in fields(cls)}
        for name, spec in known.items():
            raw = env.get(f"OPSTA_{name.upper()}")
            if raw is None:
                continue
            default = spec.default
            if isinstance(default, bool):
                values[name] = _bool(raw)
            elif isinstance(default, int):
                values[name] = int(raw)
            elif isinstance(default, float):
                values[name] = float(raw)
            else:
                values[name] = raw
        values.update(overrides)
        return cls(**values)
