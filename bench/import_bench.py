"""Import throughput: N synthetic ~3 KB articles through the admin's import service.

Generates a JSONL file, then runs the same path as an admin upload
(import_job_create + import_job_run: streaming read, cleaning, dedup, batched
writes, extraction tasks published to the broker). Extraction itself is not
run: the tasks go to a queue of their own that no worker consumes, purged at the end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vigie_bench REDIS_URL=redis://127.0.0.1:6379/14 \
        SECRET_KEY=bench .venv/bin/python bench/import_bench.py --articles 10000

Prints the figures and writes them to bench/results/import_bench.json.
Target on the 2-core machine, PostgreSQL: 10,000 articles in < 30 s, peak RSS < 400 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CELERY_QUEUE", "vigie-bench-unconsumed")

SUBJECTS = [
    "Le ministre de l'Intérieur",
    "La ministre des Armées",
    "Le président de la commission",
    "Les chefs d'état-major",
    "La délégation",
    "Le secrétaire général",
    "Le porte-parole du gouvernement",
    "Les services de renseignement",
    "Le directeur de la police",
    "La représentante spéciale",
    "Les gardes-côtes",
    "Le chef de la diplomatie",
]
VERBS = [
    "a reçu",
    "a rencontré",
    "s'est entretenu avec",
    "a signé un accord avec",
    "a condamné l'attaque contre",
    "a salué le travail de",
    "a présidé une réunion avec",
    "a annoncé une opération conjointe avec",
    "a proposé un plan d'action à",
    "a fait le point avec",
]
OBJECTS = [
    "son homologue {nat}",
    "les représentants de {org}",
    "une délégation venue de {place}",
    "le gouverneur de {place}",
    "les experts de {org}",
    "les autorités de {place}",
    "le commandant des forces {nat}es",
]
TAILS = [
    "pour évoquer la coopération sécuritaire",
    "dans le cadre de la lutte contre le terrorisme",
    "lors d'une réunion tenue à {place}",
    "selon un communiqué publié {day}",
    "afin de renforcer la surveillance des frontières",
    "après l'arrestation de {n} suspects",
    "en marge du sommet de {org}",
    "au terme de {n} jours de discussions",
    "pour préparer l'exercice prévu en {month}",
    "alors que {n} personnes ont été interpellées depuis janvier",
]
NATS = ["espagnol", "marocain", "français", "malien", "nigérien", "sénégalais", "italien", "algérien", "tunisien"]
ORGS = ["l'Union africaine", "l'OTAN", "Europol", "Interpol", "la CEDEAO", "l'ONU", "Frontex", "l'Union européenne"]
PLACES = ["Rabat", "Madrid", "Paris", "Bamako", "Niamey", "Dakar", "Alger", "Tunis", "Bruxelles", "Rome", "Abuja"]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "septembre", "octobre", "novembre"]


def sentence(rng: random.Random) -> str:
    fill = {
        "nat": rng.choice(NATS),
        "org": rng.choice(ORGS),
        "place": rng.choice(PLACES),
        "day": rng.choice(DAYS),
        "n": rng.randint(2, 400),
        "month": rng.choice(MONTHS),
    }
    parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(TAILS)]
    if rng.random() < 0.5:
        parts.append(rng.choice(TAILS))
    return " ".join(parts).format(**fill) + "."


def make_article(rng: random.Random, index: int, size: int = 3000) -> dict:
    """A synthetic French news article of about `size` characters, built from news-like sentences."""
    paragraphs, length = [], 0
    while length < size:
        paragraph = " ".join(sentence(rng) for _ in range(3))
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    body = f"{rng.choice(PLACES)} – " + "\n\n".join(paragraphs)
    return {
        "external_id": f"bench-{index}",
        "title": f"Article de test {index}",
        "text": body,
        "published_at": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "source": f"Source {index % 20}",
        "url": f"https://example.org/{index}",
    }


def ensure_database() -> None:
    """Create the PostgreSQL database named in DATABASE_URL if it does not exist yet."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import dj_database_url
    import psycopg

    db = dj_database_url.parse(url)
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"], "dbname": "postgres"}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    with psycopg.connect(**params, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "import_bench.json"))
    parser.add_argument("--keep", action="store_true", help="keep the imported rows (default: deleted before the run)")
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from articles import services
    from articles.models import Article, AuditEntry, ImportJob, ImportProblem, MinHashBand, Source
    from config.celery import app as celery_app

    call_command("migrate", verbosity=0)
    if not args.keep:
        # TRUNCATE on PostgreSQL: a cascading ORM delete would load every row (and skew peak memory).
        if connection.vendor == "postgresql":
            tables = ", ".join(
                m._meta.db_table for m in (Article, ImportJob, Source, MinHashBand, ImportProblem, AuditEntry)
            )
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        else:
            for model in (MinHashBand, ImportProblem, Article, ImportJob, Source):
                model.objects.all()._raw_delete(model.objects.db)

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for i in range(args.articles):
                out.write(json.dumps(make_article(rng, i), ensure_ascii=False) + "\n")
        file_bytes = path.stat().st_size

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        job = services.import_job_create(actor=None, path=str(path), format="jsonl", enqueue=False)
        job = services.import_job_run(job.pk)
        elapsed = time.perf_counter() - started
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    if not settings.CELERY_TASK_ALWAYS_EAGER:
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)

    figures = {
        "benchmark": "import_bench",
        "articles": args.articles,
        "file_mb": round(file_bytes / 1_048_576, 1),
        "mean_article_bytes": round(file_bytes / args.articles),
        "database": connection.vendor,
        "broker": "redis" if not settings.CELERY_TASK_ALWAYS_EAGER else "none (eager; extraction ran in-process)",
        "batch_size": settings.VIGIE_IMPORT_BATCH_SIZE,
        "status": job.status,
        "created": job.created_count,
        "duplicates": job.duplicate_count,
        "rejected": job.rejected_count,
        "seconds": round(elapsed, 2),
        "articles_per_second": round(args.articles / elapsed, 1),
        "peak_rss_mb": round(peak_rss, 1),
        "rss_before_import_mb": round(rss_before, 1),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "targets": {"seconds_lt": 30, "peak_rss_mb_lt": 400},
    }
    print(json.dumps(figures, indent=2))
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
