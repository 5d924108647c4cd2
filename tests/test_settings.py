"""Settings refuse to start in production mode without a real SECRET_KEY."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_the_development_key_when_debug_is_off():
    result = load_settings(DEBUG="0", SECRET_KEY="vigie-insecure-development-key")
    assert result.returncode != 0
    assert "development default" in result.stderr


@pytest.mark.parametrize(
    "env", [{"DEBUG": "1"}, {"DEBUG": "0", "SECRET_KEY": "a-real-secret-for-this-test-0123456789"}]
)
def test_it_starts_with_debug_or_a_real_key(env):
    assert load_settings(**env).returncode == 0


def test_it_uses_sqlite_and_in_process_tasks_by_default():
    from django.conf import settings

    if os.environ.get("DATABASE_URL"):
        pytest.skip("DATABASE_URL is set for this run")
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.CELERY_TASK_ALWAYS_EAGER
