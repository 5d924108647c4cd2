"""The integration part of the suite: real PostgreSQL, real Redis, a real Celery worker process.

When the services are unreachable these tests are skipped on a developer's
machine, and fail the run loudly when CI=true: CI never silently skips them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def _reachable(url: str, default_port: int) -> str | None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or default_port
    try:
        with socket.create_connection((host, port), timeout=3):
            return None
    except OSError as exc:
        return f"{parts.scheme}://{host}:{port} unreachable ({exc})"


def _services_problem() -> str | None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "DATABASE_URL does not point to PostgreSQL (run `make test-integration`)"
    if not settings.REDIS_URL or settings.CELERY_TASK_ALWAYS_EAGER:
        return "REDIS_URL is not set, tasks would run in-process (run `make test-integration`)"
    return _reachable(settings.DATABASE_URL, 5432) or _reachable(settings.REDIS_URL, 6379)


@pytest.hookimpl(trylast=True)  # after -m has deselected what this run does not include
def pytest_collection_modifyitems(config, items):
    integration = [item for item in items if item.get_closest_marker("integration")]
    if not integration:
        return
    problem = _services_problem()
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"CI=true and the integration services are not usable: {problem}")
    skip = pytest.mark.skip(reason=f"integration services not usable: {problem}")
    for item in integration:
        item.add_marker(skip)


def _wait_for_line(log: Path, needle: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if needle in log.read_text(errors="replace"):
            return
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    raise RuntimeError(f"celery worker did not become ready:\n{log.read_text(errors='replace')[-4000:]}")


class Worker:
    """One `celery -A config worker` process (the main process and its prefork child)."""

    def __init__(self, proc: subprocess.Popen, log: Path):
        self.proc, self.log = proc, log

    def read_log(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.wait()


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_factory(transactional_db, tmp_path):
    """Start workers on the test database and a queue of this test's own; ``start(name, **env)``.

    Every worker of the test consumes the same queue, which the app publishes to
    for the length of the test. Workers still running at the end are stopped.
    """
    queue = f"vigie-test-{uuid.uuid4().hex[:8]}"
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    started: list[Worker] = []

    def start(name: str = "w1", *, concurrency: int = 1, **extra_env: str) -> Worker:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "CELERY_QUEUE": queue,
            "DB_CONN_MAX_AGE": "0",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # uploaded import files are shared with the worker
            **extra_env,
        }
        log = tmp_path / f"worker-{name}.log"
        with log.open("w") as out:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-Q",
                    queue,
                    "--concurrency",
                    str(concurrency),
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel",
                    "INFO",
                    "--hostname",
                    f"{name}-{queue}@%h",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        worker = Worker(proc, log)
        started.append(worker)
        _wait_for_line(log, "ready.", proc, timeout=90)
        return worker

    start.queue = queue
    try:
        yield start
    finally:
        celery_app.conf.task_default_queue = previous_queue
        for worker in started:
            worker.stop()


@pytest.fixture
def celery_worker(worker_factory):
    """One worker: (process, log path)."""
    worker = worker_factory()
    return worker.proc, worker.log


def wait_until(predicate, timeout: float = 60, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
