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

WORDS = [
    "ministre",
    "intérieur",
    "coopération",
    "sécurité",
    "frontière",
    "réunion",
    "sommet",
    "alliance",
    "accord",
    "terrorisme",
    "renseignement",
    "police",
    "gendarmerie",
    "douane",
    "migration",
    "délégation",
    "visite",
    "officielle",
    "conférence",
    "régionale",
    "armée",
    "défense",
    "exercice",
    "conjoint",
    "opération",
    "démantèlement",
    "réseau",
    "cellule",
    "attaque",
    "condamnation",
    "soutien",
    "partenariat",
    "programme",
    "formation",
    "échange",
    "information",
    "protocole",
    "mémorandum",
    "signature",
    "adhésion",
    "organisation",
    "membre",
    "président",
    "gouvernement",
    "parlement",
    "commission",
    "sahel",
    "méditerranée",
    "europe",
    "afrique",
    "ouest",
    "nord",
    "sud",
    "est",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "le",
    "la",
    "les",
    "un",
    "une",
    "des",
    "du",
    "de",
    "et",
    "à",
    "au",
    "aux",
    "pour",
    "par",
    "avec",
    "dans",
    "sur",
    "entre",
    "contre",
    "selon",
    "après",
    "avant",
]
PLACES = ["Rabat", "Madrid", "Paris", "Bamako", "Niamey", "Dakar", "Alger", "Tunis", "Bruxelles", "Rome"]


def make_article(rng: random.Random, index: int, size: int = 3000) -> dict:
    paragraphs, length = [], 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 28)))
        sentence = sentence[0].upper() + sentence[1:] + "."
        paragraphs.append(sentence)
        length += len(sentence) + 1
    body = f"{rng.choice(PLACES)} – " + "\n\n".join(
        " ".join(paragraphs[i : i + 3]) for i in range(0, len(paragraphs), 3)
    )
    return {
        "external_id": f"bench-{index}",
        "title": f"Article de test {index}",
        "text": body,
        "published_at": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "source": f"Source {index % 20}",
        "url": f"https://example.org/{index}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "import_bench.json"))
    parser.add_argument("--keep", action="store_true", help="keep the imported rows (default: deleted before the run)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from articles import services
    from articles.models import Article, ImportJob, Source
    from config.celery import app as celery_app

    call_command("migrate", verbosity=0)
    if not args.keep:
        Article.objects.all().delete()
        ImportJob.objects.all().delete()
        Source.objects.all().delete()

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
