"""Load: concurrent analysts reviewing through gunicorn while a Celery worker extracts a 1,000-article import.

What runs, all on this machine, all through the real code paths:

* PostgreSQL: the database named by --database-url (default ``vigie_load``; its name must contain
  "load"), dropped, created and migrated at every run. Redis: db 9 and a queue of our own
  (--redis-url, --queue), emptied before and after the run.
* Seed, before the window: ``manage.py import_articles SEED.jsonl --sync`` with --seed-articles (100)
  WiNER-fr texts, so the analysts have extracted articles with suggestions to review; then the
  --analysts users (``load-analyst-NN``, group Analystes) created by a ``manage.py shell -c`` snippet.
* gunicorn ``config.wsgi`` (default 4 workers × 4 threads, gthread: see below) with DEBUG off, and
  ``celery -A config worker --concurrency 1``.
* The window (--duration, 60 s) opens with ``manage.py import_articles IMPORT.jsonl`` (no --sync:
  ingest in that process, extraction through Redis by the worker) of --import-articles (1,000)
  WiNER-fr texts read from ../shared/corpus/winer-fr (2016 and 2017 hold 964 texts; the import is
  topped up from 2018, and the seed comes from the end of 2018, as bench/link_bench.py does). The
  texts go to a temporary JSONL, never into the repository.

Each simulated analyst is a thread with its own ``requests`` session (cookies, keep-alive). It
logs in through the login form (CSRF cookie + token), then loops: GET the review queue (home page,
a third of the time with a filter: status, entity type, event type, full-text search, sort,
confidence), then either « Relire le suivant » (POST review:next, as the queue's form: claims the
oldest unclaimed article of the filtered queue, or gives back the analyst's own live claim) or, one
time in six, opens an article from the queue's rows (often one another analyst holds). On the
review page it accepts (70 %) or rejects pending mention and event suggestions with the page's own
forms (CSRF token, ``version``, ``queue``; sent as htmx sends them, so the answer is the re-rendered
workspace with the new version), and one time in three marks the article reviewed (« Marquer relu ·
suivant », which claims the next article). Between two requests it waits uniform(0, 2 × --think)
seconds: a fast keyboard-first analyst, far busier than a person, so 20 of them are a heavy load.

Outcomes. The app never answers 409: a decision on a stale version is refused with a message in
the re-rendered page (« L'article a changé depuis l'affichage de votre page »). Such a refusal is a
*conflict*, legitimate only if another analyst changed the article since that version (checked in
the audit log after the window). « Cet article est relu » after another analyst marked it reviewed
and « Un autre analyste relit déjà cet article » on a claim are legitimate refusals too, counted
apart. Any 5xx, connection error, unexpected status, unexpected refusal, or a decision the answer
does not show as made is an *error*.

After the window the script checks in PostgreSQL (psycopg) that every decision an analyst believes
it made is there: the audit row (actor, action, object) and the mention's or event's status, which
must be that decision's unless a later audited decision on the same object superseded it; an
article it marked reviewed must be reviewed by it, with its audit row. Audit rows no analyst
believes it made (a refused decision applied anyway) are counted too. Every figure must be 0 in
"errors", "decisions.lost", "decisions.unexpected_in_db", "conflicts.unexplained".

Why gthread: part of an analyst's request is spent waiting on PostgreSQL (queries, the article
row lock a decision takes, the locks the worker's extraction batch holds); a sync worker sits idle
through that wait while the other analysts queue in the backlog, a gthread worker serves another
request meanwhile, and keeps connections alive as a browser does. 4 processes already cover the 2
cores (the GIL bounds a process to one): threads add overlap of waits, not CPU, at no memory cost.
--worker-class sync --threads 1 measures the other choice: on this machine 4 sync workers served
18.7 requests/s at p50 749 ms, 4 × 4 gthread 29–31 requests/s at p50 310–350 ms (two runs). The
price: the web then takes a larger share of the 2 cores, so the extraction worker gets less (948
articles extracted in the window behind sync workers, 600–640 behind gthread).

    .venv/bin/python bench/load_bench.py [--analysts 20] [--duration 60] [--workers 4] [--threads 4] [--drain]

--drain then waits for the worker to finish the import (no more analysts) and reports when it did.

Prints the figures and writes bench/results/load_bench.json; the processes' logs go to
bench/results/load_bench_logs/. gunicorn, the worker and the import are stopped on exit, Ctrl-C or
failure included. gunicorn serves plain HTTP on 127.0.0.1: the session and CSRF cookies are sent
without the Secure flag (SESSION_COOKIE_SECURE=0, CSRF_COOKIE_SECURE=0), as behind a TLS proxy.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import math
import os
import platform
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
import redis
import requests

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "winer-fr"
VENV_BIN = Path(sys.executable).parent
LOG_DIR = ROOT / "bench" / "results" / "load_bench_logs"
USER_PREFIX = "load-analyst-"
PASSWORD = "load-bench-analyst"  # a throwaway account in a throwaway database

STALE = "L'article a changé depuis l'affichage de votre page"
REVIEWED = "Cet article est relu"
CLAIM_TAKEN = "Un autre analyste relit déjà cet article"

# Queue filters an analyst picks from (a third of the time): every one is a filter of the queue's form.
FILTERS = [
    {"status": "extracted"},
    {"status": "in_review"},
    {"label": "PER"},
    {"label": "ORG"},
    {"event_type": "MEETING"},
    {"event_type": "ATTACK"},
    {"q": "président"},
    {"q": "gouvernement"},
    {"q": "élection"},
    {"o": "-published_at"},
    {"assigned": "none"},
    {"below": "0.6"},
    {"page": "2"},
]


# --- texts ----------------------------------------------------------------------------------------


def winer_rows() -> dict[str, list[dict]]:
    """Every WiNER-fr 2016, 2017 and 2018 text as an import row, per year, in file order."""
    rows: dict[str, list[dict]] = {}
    for year in ("2016", "2017", "2018"):
        urls: dict[str, str] = {}
        for listing in (CORPUS / year).glob("*-urls.txt"):
            for line in listing.read_text(encoding="utf-8").splitlines():
                stem, _, url = line.partition("\t")
                urls[stem.strip()] = url.strip()
        rows[year] = []
        for path in sorted(p for p in (CORPUS / year).rglob("*.txt") if not p.name.endswith("-urls.txt")):
            text = path.read_text(encoding="utf-8")
            if not text.strip():
                continue
            day = path.stem.split("-")[0].replace("_", "-")  # 2016_01_16-001 -> 2016-01-16
            rows[year].append(
                {
                    "external_id": f"winer-{path.stem}",
                    "text": text,
                    "published_at": day,
                    "source": "Wikinews",
                    "url": urls.get(path.stem, ""),
                }
            )
    return rows


def split_texts(n_import: int, n_seed: int) -> tuple[list[dict], list[dict], dict, dict]:
    """The import (2016, 2017, then the start of 2018), the seed (the end of 2018) and the worker's
    warm-up text (just before the seed), never overlapping."""
    rows = winer_rows()
    first = rows["2016"] + rows["2017"]
    top_up = max(0, n_import - len(first))
    late = rows["2018"]
    if top_up + n_seed + 1 > len(late):
        sys.exit(f"WiNER-fr holds {len(first) + len(late)} texts: fewer than {n_import} + {n_seed} + 1 asked")
    imported = first[:n_import] + late[:top_up]
    seed = late[len(late) - n_seed :] if n_seed else []
    warm = late[len(late) - n_seed - 1]
    origin = {
        "import_2016_2017": min(n_import, len(first)),
        "import_2018": top_up,
        "seed_2018": n_seed,
        "worker_warm_up_2018": 1,
    }
    return imported, seed, warm, origin


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


# --- processes ------------------------------------------------------------------------------------


class Proc:
    """A child process in a process group of its own, so that it and its children stop together."""

    def __init__(self, name: str, cmd: list[str], env: dict, log_path: Path):
        self.name = name
        self.log_path = log_path
        self.log = log_path.open("wb")
        self.popen = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.pid = self.popen.pid

    def running(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout: float = 15) -> None:
        # TERM to the leader only: gunicorn's master and celery's main process stop their own children
        # (a TERM to a pool process would be logged as a lost worker). Whatever is left is then killed.
        if self.running():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(self.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(5)
        self.log.close()


def manage(env: dict, *args: str, log: Path | None = None, timeout: float = 1800) -> str:
    """Run manage.py to completion; its output, or exit with it on failure."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    output = done.stdout + done.stderr
    if log is not None:
        log.write_text(output)
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{output[-3000:]}")
    return output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what: str, timeout: float, proc: Proc | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if proc is not None and not proc.running():
            sys.exit(f"{what}: {proc.name} exited; see {proc.log_path}")
        time.sleep(0.3)
    sys.exit(f"{what}: not ready after {timeout:.0f} s")


def client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def machine_cpu() -> tuple[float, float]:
    """Busy and total CPU seconds of the whole machine so far (every process, other engineers' too)."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - ticks[3] - ticks[4]) / hz, sum(ticks) / hz


class Sampler(threading.Thread):
    """Every second, one pass over /proc: resident memory (peak per process) and CPU time of the
    processes of each role: gunicorn's workers, the celery pool process, their main processes, the
    import command, and the PostgreSQL backends serving our database."""

    def __init__(self, roles: dict[str, Proc], database: str):
        super().__init__(daemon=True)
        self.roles = roles
        self.backend_title = f" {database} ".encode()
        self.stop_event = threading.Event()
        self.peak: dict[tuple[str, int], int] = {}  # (role, pid) -> peak kB
        self.peak_sum: dict[str, int] = defaultdict(int)  # role -> peak of the summed RSS of its processes
        self.cpu: dict[tuple[str, int], float] = {}
        self.hz = os.sysconf("SC_CLK_TCK")
        self.lock = threading.Lock()

    def role_of(self, pid: int, ppid: int) -> str | None:
        for role, proc in self.roles.items():
            if pid == proc.pid:
                return f"{role}_main"
            if ppid == proc.pid:
                return role
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return None
        return "postgres" if title.startswith(b"postgres: ") and self.backend_title in title else None

    def sample(self) -> None:
        totals: dict[str, int] = defaultdict(int)
        with self.lock:
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                    pid = int(stat.parent.name)
                    role = self.role_of(pid, int(fields[1]))
                    if role is None:
                        continue
                    rss = hwm = 0
                    for line in (stat.parent / "status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            rss = int(line.split()[1])
                        elif line.startswith("VmHWM:"):
                            hwm = int(line.split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                key = (role, pid)
                self.peak[key] = max(self.peak.get(key, 0), hwm, rss)
                self.cpu[key] = (int(fields[11]) + int(fields[12])) / self.hz
                totals[role] += rss
            for role, total in totals.items():
                self.peak_sum[role] = max(self.peak_sum[role], total)

    def run(self) -> None:
        while not self.stop_event.wait(1.0):
            self.sample()

    def cpu_seconds(self) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        with self.lock:
            for (role, _), seconds in self.cpu.items():
                out[role] += seconds
        return dict(out)

    def peak_mb(self, role: str) -> float:
        return round(max((kb for (r, _), kb in self.peak.items() if r == role), default=0) / 1024, 1)


# --- one simulated analyst ------------------------------------------------------------------------


class Stop(Exception):
    """The window is over: start no new request."""


class Failed(Exception):
    """A request failed (already recorded as an error): back to the queue."""


VERSION = re.compile(r'<div id="review" class="review" data-version="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUGGESTION = re.compile(r'<li class="sugg st-(\w+)" data-kind="(mention|event)" data-id="(\d+)"')
MESSAGE_ERROR = re.compile(r'<li class="msg msg-error">(.*?)</li>', re.S)
CLAIMED_BY = re.compile(r'<span class="claim">en relecture par ([^<]+)</span>')
REVIEW_LINK = re.compile(r'href="/articles/(\d+)/review/"')
REVIEW_URL = re.compile(r"^/articles/(\d+)/review/")


@dataclass
class Page:
    """What an analyst reads off a review page (or the re-rendered workspace)."""

    article: int
    version: int
    csrf: str
    statuses: dict[tuple[str, int], str]
    can_act: bool
    can_claim: bool
    claimed_by: str
    errors: list[str]

    @classmethod
    def parse(cls, article: int, body: str, csrf: str) -> Page:
        version = VERSION.search(body)
        token = CSRF.search(body)
        claimed = CLAIMED_BY.search(body)
        return cls(
            article=article,
            version=int(version.group(1)) if version else 0,
            csrf=token.group(1) if token else csrf,
            statuses={(kind, int(pk)): status for status, kind, pk in SUGGESTION.findall(body)},
            can_act=f'action="/articles/{article}/review/done/"' in body,
            can_claim=f'action="/articles/{article}/review/claim/"' in body,
            claimed_by=html.unescape(claimed.group(1)).strip() if claimed else "",
            errors=[html.unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in MESSAGE_ERROR.findall(body)],
        )

    def pending(self) -> list[tuple[str, int]]:
        return [key for key, status in self.statuses.items() if status == "suggested"]


@dataclass
class Record:
    """Everything one analyst saw and believes it did."""

    # kind, start (epoch s), duration (ms), status (None: no answer), path
    requests: list[tuple[str, float, float, int | None, str]] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)
    reviewed: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    refusals: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


class Analyst(threading.Thread):
    def __init__(self, index: int, base: str, stop: threading.Event, think: float, seed: int, delay: float):
        super().__init__(name=f"analyst-{index:02d}", daemon=True)
        self.delay = delay
        self.username = f"{USER_PREFIX}{index:02d}"
        self.base = base
        self.stop_event = stop
        self.think = think
        self.rng = random.Random(seed * 1000 + index)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "vigie-load-bench"
        self.csrf = ""
        self.rec = Record()

    # -- plumbing

    def pause(self) -> None:
        if self.stop_event.wait(self.rng.uniform(0, 2 * self.think)):
            raise Stop

    def call(
        self, kind: str, method: str, path: str, *, data: dict | None = None, htmx: bool = False, expect=(200,)
    ) -> requests.Response:
        if self.stop_event.is_set():
            raise Stop
        headers = {"HX-Request": "true", "HX-Current-URL": self.base + path} if htmx else {}
        started = time.perf_counter()
        wall = time.time()
        try:
            response = self.session.request(
                method, self.base + path, data=data, headers=headers, allow_redirects=False, timeout=120
            )
        except requests.RequestException as exc:
            self.rec.requests.append((kind, wall, (time.perf_counter() - started) * 1000, None, path))
            self.error(kind, path, None, f"{type(exc).__name__}: {exc}")
            raise Failed from exc
        self.rec.requests.append((kind, wall, (time.perf_counter() - started) * 1000, response.status_code, path))
        if response.status_code not in expect:
            self.error(kind, path, response.status_code, response.text[:300])
            raise Failed
        return response

    def error(self, kind: str, path: str, status: int | None, detail: str) -> None:
        self.rec.errors.append(
            {"analyst": self.username, "kind": kind, "path": path, "status": status, "detail": detail, "t": time.time()}
        )

    def page(self, kind: str, path: str) -> Page:
        response = self.call(kind, "GET", path)
        match = REVIEW_URL.match(urlsplit(path).path)
        return Page.parse(int(match.group(1)), response.text, self.csrf)

    # -- the analyst's day

    def run(self) -> None:
        try:
            if self.stop_event.wait(self.delay):  # analysts arrive over the first seconds (--ramp)
                raise Stop
            self.login()
            while True:
                try:
                    self.round()
                except Failed:
                    self.pause()
        except Stop:
            pass
        except Exception:  # a bug of this script, not of the app: reported as an error all the same
            self.error("client", "", None, traceback.format_exc())

    def login(self) -> None:
        body = self.call("login_form", "GET", "/login/").text
        self.csrf = CSRF.search(body).group(1)
        data = {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf, "next": ""}
        response = self.call("login", "POST", "/login/", data=data, expect=(302,))
        if urlsplit(response.headers["Location"]).path != "/":
            self.error("login", "/login/", 302, f"redirected to {response.headers['Location']}")
            raise Failed

    def round(self) -> None:
        """The queue, then one article (or a few, when « Marquer relu · suivant » hands over the next one)."""
        filters = dict(self.rng.choice(FILTERS)) if self.rng.random() < 1 / 3 else {}
        from_rows = self.rng.random() < 1 / 6
        if from_rows and self.rng.random() < 0.7:
            filters = {"status": "in_review"}  # the articles other analysts hold
        query = urlencode(filters)
        body = self.call("queue_filtered" if filters else "queue", "GET", "/" + (f"?{query}" if query else "")).text
        self.csrf = CSRF.search(body).group(1) if CSRF.search(body) else self.csrf
        query = urlencode({k: v for k, v in filters.items() if k != "page"})
        self.pause()
        if from_rows:
            links = REVIEW_LINK.findall(body)
            if not links:
                return
            page = self.page("review_page", f"/articles/{self.rng.choice(links)}/review/")
            self.work(page, query, owner=False)
            return
        response = self.call(
            "next", "POST", "/queue/next/", data={"csrfmiddlewaretoken": self.csrf, "queue": query}, expect=(302,)
        )
        target = response.headers["Location"]
        if not REVIEW_URL.match(urlsplit(target).path):
            return  # nothing left with these filters
        self.pause()
        self.work(self.page("review_page", target), query, owner=True)

    def form(self, page: Page, query: str, **fields) -> dict:
        return {"csrfmiddlewaretoken": page.csrf, "version": page.version, "queue": query, **fields}

    def work(self, page: Page, query: str, *, owner: bool) -> None:
        """Decide a few suggestions on the page; sometimes mark the article reviewed (and go on with the next)."""
        for _ in range(3):  # at most three articles handed over by « Marquer relu · suivant », then the queue
            if not page.can_act:
                return
            if not owner and page.can_claim and self.rng.random() < 0.5:
                self.pause()
                response = self.call(
                    "claim", "POST", f"/articles/{page.article}/review/claim/", data=self.form(page, query), htmx=True
                )
                page = Page.parse(page.article, response.text, page.csrf)
                if page.errors:
                    if not all(CLAIM_TAKEN in e for e in page.errors):
                        self.error("claim", f"/articles/{page.article}/review/claim/", 200, " | ".join(page.errors))
                        return
                    self.rec.refusals.append({"analyst": self.username, "article": page.article, "why": "claim_taken"})
                else:
                    owner = True
            for _ in range(self.rng.randint(1, 4) if owner else self.rng.randint(1, 2)):
                pending = page.pending()
                if not pending:
                    break
                events = [p for p in pending if p[0] == "event"]
                kind, pk = self.rng.choice(events if events and self.rng.random() < 0.3 else pending)
                status = "accepted" if self.rng.random() < 0.7 else "rejected"
                page = self.decide(page, query, kind, pk, status)
                if page is None:
                    return
            if not page.can_act or (page.pending() and self.rng.random() >= (1 / 3 if owner else 1 / 10)):
                return  # back to the queue (an owner's claim stays: « Relire le suivant » gives it back)
            self.pause()
            path = f"/articles/{page.article}/review/done/"
            response = self.call(
                "mark_reviewed", "POST", path, data=self.form(page, query), htmx=True, expect=(200, 204)
            )
            if response.status_code == 200:
                self.refused(Page.parse(page.article, response.text, page.csrf), page, "mark_reviewed", path)
                return
            self.rec.reviewed.append({"analyst": self.username, "article": page.article, "t": time.time()})
            target = response.headers.get("HX-Redirect", "")
            if not REVIEW_URL.match(urlsplit(target).path):
                return
            self.pause()
            page, owner = self.page("review_page", target), True

    def decide(self, page: Page, query: str, kind: str, pk: int, status: str) -> Page | None:
        self.pause()
        path = f"/articles/{page.article}/review/{kind}s/{pk}/decide/"
        response = self.call(f"decide_{kind}", "POST", path, data=self.form(page, query, status=status), htmx=True)
        after = Page.parse(page.article, response.text, page.csrf)
        if after.errors:
            return after if self.refused(after, page, f"decide_{kind}", path) else None
        if after.statuses.get((kind, pk)) != status:
            self.error(f"decide_{kind}", path, 200, f"answer shows {after.statuses.get((kind, pk))!r}, not {status!r}")
            return None
        self.rec.decisions.append(
            {
                "analyst": self.username,
                "kind": kind,
                "id": pk,
                "article": page.article,
                "status": status,
                "version_sent": page.version,
                "t": time.time(),
            }
        )
        return after

    def refused(self, after: Page, before: Page, kind: str, path: str) -> bool:
        """A refusal in the answer: a conflict, a legitimate refusal or an error. True: go on with the fresh page."""
        text = " | ".join(after.errors)
        if STALE in text:
            self.rec.conflicts.append(
                {
                    "analyst": self.username,
                    "article": before.article,
                    "version_sent": before.version,
                    "version_now": after.version,
                    "kind": kind,
                    "t": time.time(),
                }
            )
            return True
        if REVIEWED in text:
            self.rec.refusals.append({"analyst": self.username, "article": before.article, "why": "reviewed"})
            return False
        self.error(kind, path, 200, f"unexpected refusal: {text}")
        return False


# --- figures --------------------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def latency(values: list[float]) -> dict:
    values = sorted(values)
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 50), 1),
        "p95_ms": round(percentile(values, 95), 1),
        "p99_ms": round(percentile(values, 99), 1),
        "max_ms": round(values[-1], 1) if values else None,
    }


def import_progress(conn: psycopg.Connection, job_path: str, until: datetime | None = None) -> dict:
    job = conn.execute(
        "SELECT id, status, total, processed, created_count, duplicate_count, rejected_count, error"
        " FROM articles_importjob WHERE path = %s",
        [job_path],
    ).fetchone()
    if job is None:
        return {"job": None}
    job_id = job[0]
    statuses = dict(
        conn.execute(
            "SELECT status, count(*) FROM articles_article WHERE import_job_id = %s GROUP BY status", [job_id]
        ).fetchall()
    )
    runs_filter = "" if until is None else " AND r.finished_at <= %s"
    extracted = conn.execute(
        "SELECT count(DISTINCT r.article_id) FROM entities_extractionrun r"
        " JOIN articles_article a ON a.id = r.article_id WHERE a.import_job_id = %s" + runs_filter,
        [job_id] if until is None else [job_id, until],
    ).fetchone()[0]
    return {
        "job": job_id,
        "job_status": job[1],
        "rows": job[2],
        "processed": job[3],
        "created": job[4],
        "duplicates": job[5],
        "rejected": job[6],
        "error": job[7],
        "articles_by_status": statuses,
        "extracted": extracted,
        "failed": statuses.get("failed", 0),
    }


def verify(conn: psycopg.Connection, records: list[Record]) -> dict:
    """Every decision an analyst believes it made, looked up in the database."""
    users = dict(
        conn.execute("SELECT username, id FROM auth_user WHERE username LIKE %s", [USER_PREFIX + "%"]).fetchall()
    )
    names = {v: k for k, v in users.items()}
    decisions = [d for r in records for d in r.decisions]
    reviewed = [d for r in records for d in r.reviewed]
    conflicts = [c for r in records for c in r.conflicts]
    refusals = [c for r in records for c in r.refusals]
    articles = sorted({d["article"] for d in decisions + reviewed + conflicts + refusals})

    audit = conn.execute(
        "SELECT id, actor_id, action, article_id, object_type, object_id, version, undone, after"
        " FROM articles_auditentry WHERE article_id = ANY(%s) ORDER BY version NULLS FIRST, id",
        [articles],
    ).fetchall()
    rows = {"mention": {}, "event": {}}
    for kind, table in (("mention", "entities_mention"), ("event", "entities_event")):
        ids = [d["id"] for d in decisions if d["kind"] == kind]
        for pk, status, decided_by, article in conn.execute(
            f"SELECT id, status, decided_by_id, article_id FROM {table} WHERE id = ANY(%s)", [ids]
        ):
            rows[kind][pk] = (status, decided_by, article)
    article_rows = {
        pk: (status, reviewed_by)
        for pk, status, reviewed_by in conn.execute(
            "SELECT id, status, reviewed_by_id FROM articles_article WHERE id = ANY(%s)", [articles]
        )
    }

    # The audit rows of decisions (not claims), per (actor, action, object), and the last one per object.
    pool: dict[tuple, list[int]] = defaultdict(list)
    last: dict[tuple[str, int], tuple] = {}
    decision_rows = []
    for row in audit:
        _, actor, action, article, object_type, object_id, version, undone, after = row
        if object_type in ("mention", "event") and action.startswith(f"{object_type}.") and not undone:
            decision_rows.append(row)
            pool[(names.get(actor), action, object_type, int(object_id))].append(row[0])
            last[(object_type, int(object_id))] = row
        elif action == "article.reviewed":
            decision_rows.append(row)
            pool[(names.get(actor), action, "article", article)].append(row[0])

    found, lost, superseded = 0, [], 0
    used: set[int] = set()
    for d in sorted(decisions, key=lambda d: d["t"]):
        key = (d["analyst"], f"{d['kind']}.{d['status']}", d["kind"], d["id"])
        candidates = [pk for pk in pool.get(key, []) if pk not in used]
        if not candidates:
            lost.append({**d, "why": "no audit row"})
            continue
        used.add(candidates[0])
        if last[(d["kind"], d["id"])][0] != candidates[0]:
            superseded += 1  # a later audited decision on the same object: its status is checked below
            found += 1
            continue
        db_status, decided_by, _ = rows[d["kind"]].get(d["id"], (None, None, None))
        if db_status != d["status"] or decided_by != users.get(d["analyst"]):
            lost.append({**d, "why": f"database shows {db_status!r} decided by user {decided_by}"})
            continue
        found += 1

    # Every object's status must be what its last audited decision says.
    status_mismatch = []
    for (kind, pk), row in last.items():
        current = rows[kind].get(pk)
        if current is not None and (row[8] or {}).get("status") != current[0]:
            status_mismatch.append({"kind": kind, "id": pk, "audit": (row[8] or {}).get("status"), "db": current[0]})

    reviewed_found, reviewed_lost = 0, []
    for d in reviewed:
        key = (d["analyst"], "article.reviewed", "article", d["article"])
        candidates = [pk for pk in pool.get(key, []) if pk not in used]
        status, reviewed_by = article_rows.get(d["article"], (None, None))
        if candidates and status == "reviewed" and reviewed_by == users.get(d["analyst"]):
            used.add(candidates[0])
            reviewed_found += 1
        else:
            reviewed_lost.append({**d, "db_status": status, "reviewed_by": reviewed_by})

    unexpected = [
        {"id": r[0], "actor": names.get(r[1]), "action": r[2], "article": r[3], "object": r[5]}
        for r in decision_rows
        if r[0] not in used and r[1] in names
    ]

    # A conflict is legitimate only if someone else changed the article after the version the page showed.
    unexplained = []
    for c in conflicts:
        uid = users.get(c["analyst"])
        if not any(
            r[3] == c["article"] and r[6] is not None and r[6] > c["version_sent"] and r[1] != uid for r in audit
        ):
            unexplained.append(c)
    refused_unexplained = []
    for c in refusals:
        if c["why"] != "reviewed":
            continue
        uid = users.get(c["analyst"])
        if not any(r[3] == c["article"] and r[2] == "article.reviewed" and r[1] != uid for r in audit):
            refused_unexplained.append(c)

    return {
        "decisions": {
            "made": len(decisions),
            "mentions": sum(d["kind"] == "mention" for d in decisions),
            "events": sum(d["kind"] == "event" for d in decisions),
            "accepted": sum(d["status"] == "accepted" for d in decisions),
            "rejected": sum(d["status"] == "rejected" for d in decisions),
            "found_in_db": found,
            "superseded_by_a_later_decision": superseded,
            "lost": len(lost),
            "lost_samples": lost[:10],
            "status_differs_from_last_audit_row": len(status_mismatch),
            "status_mismatch_samples": status_mismatch[:10],
            "unexpected_in_db": len(unexpected),
            "unexpected_samples": unexpected[:10],
        },
        "marked_reviewed": {
            "made": len(reviewed),
            "found_in_db": reviewed_found,
            "lost": len(reviewed_lost),
            "lost_samples": reviewed_lost[:10],
        },
        "conflicts": {
            "stale_version": len(conflicts),
            "explained_by_another_analyst": len(conflicts) - len(unexplained),
            "unexplained": len(unexplained),
            "unexplained_samples": unexplained[:10],
        },
        "refusals": {
            "article_reviewed_by_another": sum(c["why"] == "reviewed" for c in refusals),
            "reviewed_refusal_unexplained": len(refused_unexplained),
            "claim_taken": sum(c["why"] == "claim_taken" for c in refusals),
        },
    }


def log_problems(path: Path, end: int, limit: int = 3) -> dict:
    """Tracebacks and error lines in a process log (500s are logged by django.request with their traceback)."""
    if not path.exists():
        return {"errors": 0}
    with path.open("rb") as log:
        text = log.read(end).decode(errors="replace")
    lines = text.splitlines()
    # Django's format (" ERROR django.request"), gunicorn's ("[ERROR]", "[CRITICAL] WORKER TIMEOUT"), celery's.
    marks = (" ERROR ", " CRITICAL ", "[ERROR]", "[CRITICAL]", "ERROR/", "CRITICAL/")
    errors = [i for i, line in enumerate(lines) if any(mark in line for mark in marks)]
    samples = ["\n".join(lines[i : i + 40]) for i in errors[:limit]]
    return {
        "errors": len(errors),
        "tracebacks": text.count("Traceback (most recent call last)"),
        "retries": sum("Retry in" in line for line in lines),
        "deadlocks": text.lower().count("deadlock detected"),
        "samples": samples,
    }


# --- the run --------------------------------------------------------------------------------------


def prepare_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "load" not in name:
        sys.exit(f'load_bench drops its database: its name must contain "load" (got {name!r})')
    with psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def clear_queue(redis_url: str, queue: str) -> None:
    # Our queue and the transport's unacknowledged messages (ids of a database dropped since).
    client = redis.Redis.from_url(redis_url)
    client.delete(queue, "unacked", "unacked_index", "unacked_mutex")
    client.close()


def run(args: argparse.Namespace, procs: list[Proc], tmp: Path) -> dict:
    figures: dict = {"benchmark": "load_bench"}
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "CELERY_QUEUE": args.queue,
        "SECRET_KEY": "load-bench-" + secrets.token_urlsafe(32),
        "DEBUG": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)

    print(f"database {args.database_url} (dropped, created, migrated); redis {args.redis_url} queue {args.queue}")
    prepare_database(args.database_url)
    clear_queue(args.redis_url, args.queue)
    manage(env, "migrate", "--noinput", log=LOG_DIR / "migrate.log")
    manage(env, "collectstatic", "--noinput", log=LOG_DIR / "collectstatic.log")

    imported, seed, warm, origin = split_texts(args.import_articles, args.seed_articles)
    import_path, seed_path = tmp / "import.jsonl", tmp / "seed.jsonl"
    write_jsonl(import_path, imported)
    write_jsonl(seed_path, seed)
    figures["texts"] = origin

    if seed:
        print(f"seed: import_articles --sync of {len(seed)} WiNER-fr texts ...", flush=True)
        started = time.perf_counter()
        summary = manage(env, "import_articles", str(seed_path), "--sync", log=LOG_DIR / "seed.log").strip()
        figures["seed"] = {
            "articles": len(seed),
            "seconds": round(time.perf_counter() - started, 1),
            "summary": summary,
        }
        print(f"  {summary} ({figures['seed']['seconds']} s)")
    snippet = (
        "from django.contrib.auth.hashers import make_password\n"
        "from django.contrib.auth.models import Group, User\n"
        "from articles.roles import ANALYST\n"
        f"hashed = make_password({PASSWORD!r})\n"
        f"users = User.objects.bulk_create([User(username=f'{USER_PREFIX}{{i:02d}}', password=hashed)"
        f" for i in range({args.analysts})])\n"
        "Group.objects.get(name=ANALYST).user_set.add(*users)\n"
    )
    manage(env, "shell", "-c", snippet)

    with psycopg.connect(args.database_url, autocommit=True) as conn:
        figures["seed_state"] = dict(
            conn.execute("SELECT status, count(*) FROM articles_article GROUP BY 1").fetchall()
        )
        figures["seed_state"]["pending_mentions"] = conn.execute(
            "SELECT count(*) FROM entities_mention WHERE status = 'suggested'"
        ).fetchone()[0]
        figures["seed_state"]["pending_events"] = conn.execute(
            "SELECT count(*) FROM entities_event WHERE status = 'suggested'"
        ).fetchone()[0]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    threads = 1 if args.worker_class == "sync" else args.threads
    gunicorn = Proc(
        "gunicorn",
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(threads),
            "--timeout",
            "120",
            "--keep-alive",
            "5",
            "--log-level",
            "info",
        ],
        env,
        LOG_DIR / "gunicorn.log",
    )
    procs.append(gunicorn)
    worker = Proc(
        "celery",
        [
            str(VENV_BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "INFO",
            "-n",
            f"load-bench-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env,
        LOG_DIR / "celery.log",
    )
    procs.append(worker)

    def server_up() -> bool:
        try:
            return requests.get(base + "/login/", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    wait_for(server_up, "gunicorn", 60, gunicorn)
    wait_for(lambda: " ready." in worker.log_path.read_text(errors="replace"), "celery worker", 90, worker)
    for _ in range(4 * args.workers):  # each worker process imports its views and templates once
        requests.get(base + "/login/", timeout=10)
    # The worker loads spaCy on its first task: one article through the broker first, so that the
    # window sees a worker already running, as in production.
    warm_path = tmp / "warm.jsonl"
    write_jsonl(warm_path, [warm])
    started = time.perf_counter()
    manage(env, "import_articles", str(warm_path), log=LOG_DIR / "warm.log")
    with psycopg.connect(args.database_url, autocommit=True) as conn:

        def warm_extracted() -> bool:
            return bool(
                conn.execute(
                    "SELECT 1 FROM articles_article a JOIN articles_importjob j ON j.id = a.import_job_id"
                    " WHERE j.path = %s AND a.status IN ('extracted', 'failed')",
                    [str(warm_path)],
                ).fetchone()
            )

        wait_for(warm_extracted, "worker warm-up", 300, worker)
    figures["worker_warm_up_seconds"] = round(time.perf_counter() - started, 1)

    sampler = Sampler({"gunicorn": gunicorn, "celery": worker}, urlsplit(args.database_url).path.lstrip("/"))
    sampler.start()

    print(
        f"window: {args.analysts} analysts × {args.duration:.0f} s against {base} "
        f"(gunicorn {args.workers} × {args.worker_class}/{threads} threads), import of {len(imported)} articles",
        flush=True,
    )
    stop = threading.Event()
    figures["loadavg_1min_before"] = round(os.getloadavg()[0], 2)
    sampler.sample()
    cpu_before, machine_before, client_before = sampler.cpu_seconds(), machine_cpu(), client_cpu()
    started_at = datetime.now(UTC)
    t0 = time.time()
    importer = Proc(
        "import", [sys.executable, "manage.py", "import_articles", str(import_path)], env, LOG_DIR / "import.log"
    )
    procs.append(importer)
    ingest_end: list[float] = []
    threading.Thread(target=lambda: (importer.popen.wait(), ingest_end.append(time.time())), daemon=True).start()
    with sampler.lock:
        sampler.roles["import"] = importer
    analysts = [
        Analyst(i, base, stop, args.think, args.seed, args.ramp * i / args.analysts) for i in range(args.analysts)
    ]
    for a in analysts:
        a.start()
    timeline = []
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        while (elapsed := time.time() - t0) < args.duration:
            time.sleep(min(5.0, args.duration - elapsed))
            progress = import_progress(conn, str(import_path))
            timeline.append({"t": round(time.time() - t0), "extracted": progress.get("extracted", 0)})
            done = sum(len(a.rec.requests) for a in analysts)
            print(f"  t={time.time() - t0:5.1f}s requests {done}, import extracted {progress.get('extracted', 0)}")
        stop.set()
        ended_at = datetime.now(UTC)
        for a in analysts:
            a.join(timeout=130)
        load_end = time.time()
        sampler.sample()
        cpu_after, machine_after, client_after = sampler.cpu_seconds(), machine_cpu(), client_cpu()
        ingest_seconds = round(ingest_end[0] - t0, 1) if ingest_end else None
        window = import_progress(conn, str(import_path), until=ended_at)
        now = import_progress(conn, str(import_path))
        drain_seconds = None
        if args.drain:
            print("draining: waiting for the worker to extract the rest of the import ...", flush=True)
            deadline = time.time() + args.drain_timeout
            while time.time() < deadline:
                now = import_progress(conn, str(import_path))
                if now.get("job_status") in ("done", "failed") and now["extracted"] + now["failed"] >= now["created"]:
                    drain_seconds = round(time.time() - t0, 1)
                    break
                time.sleep(2)
        sampler.stop_event.set()
        sampler.join()
        sampler.sample()
        # The logs as they were before the processes were told to stop (a shutdown logs its own noise).
        log_ends = {name: (LOG_DIR / f"{name}.log").stat().st_size for name in ("gunicorn", "celery", "import")}
        for proc in (importer, worker, gunicorn):
            proc.stop()
        records = [a.rec for a in analysts]
        checks = verify(conn, records)

    # Requests started inside the window (the last ones finish just after it).
    requests_all = [r for rec in records for r in rec.requests]
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, _, ms, *_ in requests_all:
        by_kind[kind].append(ms)
    errors = [e for rec in records for e in rec.errors]
    load_seconds = load_end - t0
    finished = window.get("job_status") == "done" and window["extracted"] + window["failed"] >= (
        window.get("created") or 0
    )
    gunicorn_workers = [kb for (role, _), kb in sampler.peak.items() if role == "gunicorn"]
    busy, total = machine_after[0] - machine_before[0], machine_after[1] - machine_before[1]
    figures.update(
        {
            "analysts": args.analysts,
            "duration_s": args.duration,
            "ramp_s": args.ramp,
            "load_seconds": round(load_seconds, 1),
            "think_s": args.think,
            "server": {
                "gunicorn_workers": args.workers,
                "worker_class": args.worker_class,
                "threads": threads,
                "celery_concurrency": 1,
                "database": "postgresql",
                "broker": "redis",
            },
            "requests": len(requests_all),
            "requests_per_second": round(len(requests_all) / load_seconds, 1),
            "latency": {
                "overall": latency([ms for _, _, ms, *_ in requests_all]),
                "overall_without_login": latency([ms for k, _, ms, *_ in requests_all if not k.startswith("login")]),
            }
            | {kind: latency(values) for kind, values in sorted(by_kind.items())},
            "slowest": [
                {"kind": k, "path": path, "at_s": round(at - t0, 1), "ms": round(ms), "status": status}
                for k, at, ms, status, path in sorted(requests_all, key=lambda r: -r[2])[:10]
            ],
            "status_codes": dict(Counter(str(r[3]) for r in requests_all)),
            "errors": len(errors),
            "error_kinds": dict(Counter(f"{e['kind']}:{e['status']}" for e in errors)),
            "error_samples": errors[:10],
            **checks,
            "import": {
                "articles_in_file": len(imported),
                "ingest_seconds": ingest_seconds,
                "at_window_end": window,
                "extracted_in_window": window.get("extracted", 0),
                "extracted_per_second_in_window": round(window.get("extracted", 0) / args.duration, 2),
                "finished_in_window": finished,
                "after_window": now,
                "drain_seconds_from_window_start": drain_seconds,
                "timeline": timeline,
            },
            "rss_mb": {
                "gunicorn_worker_peak_max": round(max(gunicorn_workers, default=0) / 1024, 1),
                "gunicorn_workers_peak_each": sorted(round(kb / 1024, 1) for kb in gunicorn_workers),
                "gunicorn_workers_peak_sum": round(sampler.peak_sum["gunicorn"] / 1024, 1),
                "gunicorn_master_peak": sampler.peak_mb("gunicorn_main"),
                "celery_pool_process_peak": sampler.peak_mb("celery"),
                "celery_main_process_peak": sampler.peak_mb("celery_main"),
                "import_command_peak": sampler.peak_mb("import_main"),
                "bench_client_peak": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            },
            "cpu_seconds_in_window": {
                **{
                    role: round(cpu_after.get(role, 0) - cpu_before.get(role, 0), 1)
                    for role in sorted(cpu_after)
                    if not role.endswith("_main") or role == "import_main"
                },
                "bench_client": round(client_after - client_before, 1),
                "machine_busy": round(busy, 1),
                # Other processes on the shared machine (other engineers' tests, other databases).
                "machine_busy_not_ours": round(
                    busy
                    - (client_after - client_before)
                    - sum(cpu_after.get(r, 0) - cpu_before.get(r, 0) for r in cpu_after if r != "celery_main"),
                    1,
                ),
                "machine_available": round(total, 1),
            },
            "logs": {
                "gunicorn": log_problems(LOG_DIR / "gunicorn.log", log_ends["gunicorn"]),
                "celery": log_problems(LOG_DIR / "celery.log", log_ends["celery"]),
                "import": log_problems(LOG_DIR / "import.log", log_ends["import"]),
                "dir": str(LOG_DIR.relative_to(ROOT)),
            },
            "cpus": os.cpu_count(),
            "loadavg_1min_at_end": round(os.getloadavg()[0], 2),
            "python": platform.python_version(),
            "when": started_at.isoformat(timespec="seconds"),
        }
    )
    return figures


def summary(f: dict) -> str:
    lat = f["latency"]
    lines = [
        f"{f['analysts']} analysts × {f['duration_s']:.0f} s, gunicorn {f['server']['gunicorn_workers']} × "
        f"{f['server']['worker_class']}/{f['server']['threads']}, think {f['think_s']} s",
        f"requests {f['requests']} in {f['load_seconds']} s = {f['requests_per_second']} req/s; errors {f['errors']}",
        f"{'kind':16} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}",
    ]
    for kind, v in lat.items():
        lines.append(f"{kind:16} {v['n']:>6} {v['p50_ms']:>8} {v['p95_ms']:>8} {v['p99_ms']:>8} {v['max_ms']:>8}")
    d, m, c, r = f["decisions"], f["marked_reviewed"], f["conflicts"], f["refusals"]
    imp = f["import"]
    lines += [
        f"decisions made {d['made']} (mentions {d['mentions']}, events {d['events']}), found in DB "
        f"{d['found_in_db']} ({d['superseded_by_a_later_decision']} superseded later), lost {d['lost']}, "
        f"status≠audit {d['status_differs_from_last_audit_row']}, unexpected in DB {d['unexpected_in_db']}",
        f"marked reviewed {m['made']}, found {m['found_in_db']}, lost {m['lost']}",
        f"conflicts (stale version) {c['stale_version']}, explained {c['explained_by_another_analyst']}, "
        f"unexplained {c['unexplained']}; refusals: article reviewed by another {r['article_reviewed_by_another']}, "
        f"claim taken {r['claim_taken']}",
        f"import: {imp['articles_in_file']} rows, ingest {imp['ingest_seconds']} s, extracted in window "
        f"{imp['extracted_in_window']} ({imp['extracted_per_second_in_window']}/s), finished in window: "
        f"{imp['finished_in_window']}",
        f"peak RSS MB: gunicorn worker {f['rss_mb']['gunicorn_worker_peak_max']} (sum "
        f"{f['rss_mb']['gunicorn_workers_peak_sum']}), celery pool process {f['rss_mb']['celery_pool_process_peak']}, "
        f"celery main {f['rss_mb']['celery_main_process_peak']}",
        f"cpu s in window: {f['cpu_seconds_in_window']}",
        f"log errors: gunicorn {f['logs']['gunicorn']['errors']}, celery {f['logs']['celery']['errors']}",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--analysts", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--ramp", type=float, default=5.0, help="analysts start evenly over this many seconds")
    parser.add_argument("--think", type=float, default=0.2, help="mean pause between an analyst's requests (s)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--import-articles", type=int, default=1000)
    parser.add_argument("--seed-articles", type=int, default=100)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/vigie_load")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--queue", default="vigie-load-bench")
    parser.add_argument("--drain", action="store_true", help="after the window, wait for the import's extraction")
    parser.add_argument("--drain-timeout", type=float, default=1200)
    parser.add_argument("--seed", type=int, default=7, help="random seed of the analysts' choices")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "load_bench.json"))
    args = parser.parse_args()

    def terminate(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    # Ctrl-C stops the run even when the shell started it in the background (which ignores SIGINT).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    procs: list[Proc] = []
    tmp = Path(tempfile.mkdtemp(prefix="vigie-load-"))
    try:
        figures = run(args, procs, tmp)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the cleanup
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for proc in reversed(procs):
            proc.stop()
        try:
            clear_queue(args.redis_url, args.queue)
        except redis.RedisError as exc:
            print(f"could not empty the queue: {exc}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)
    print(summary(figures))
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(figures, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"written {args.output}")


if __name__ == "__main__":
    main()
