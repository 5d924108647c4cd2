"""The production settings the README documents pass Django's deployment checklist (issue 6, item 13)."""

from __future__ import annotations

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_production_env() -> dict[str, str]:
    """The `export` lines of the README's "Running with PostgreSQL, Redis and workers" block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running with PostgreSQL, Redis and workers", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    env = {}
    for line in block.splitlines():
        if not line.startswith("export "):
            continue
        line = line.split("  #", 1)[0]
        if "$(" in line:  # a generated secret: generate one
            name = line.split()[1].split("=", 1)[0]
            env[name] = secrets.token_urlsafe(50)
            continue
        for assignment in shlex.split(line)[1:]:
            name, _, value = assignment.partition("=")
            env[name] = value
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    """`manage.py check --deploy --fail-level WARNING` with only ``env`` for settings."""
    # Nothing of the test run's own environment (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, say).
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_settings_pass_check_deploy():
    env = readme_production_env()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"} <= set(env)
    result = check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_https_settings_the_checklist_fails():
    """The check above can fail: the same settings without HSTS and the redirect do not pass."""
    result = check_deploy({k: v for k, v in readme_production_env().items() if not k.startswith("SECURE_")})
    assert result.returncode != 0 and "security.W004" in result.stderr + result.stdout
