"""Review queue and review page server time on a large database: 100,000 articles, 3,000,000 mentions.

Seeds PostgreSQL in bulk (COPY through ``articles.bulk.insert_rows``, no model
instances) with synthetic French-like security news and their extraction
results: 20 sources, 50 import jobs, N articles of 1,500–3,000 characters
published 2020–2026 (mostly "extracted", some "reviewed", "in_review", "queued",
"failed"; a few near-duplicates), 0.6 × N entities, and per article one
extraction run, 30 non-overlapping mentions, about 4 events with 2 arguments
each, 3 dates and the dateline's header entity. It seeds only when the database
has no article (or with --reseed), so a rerun goes straight to the measurement.

Then it measures server time: each request is handled in-process by
``django.test.Client`` (logged in as a superuser), timed from the call to the
response, so middleware, view, queries and template rendering are all counted
and no network or browser. For each scenario (the queue without filter, with
each kind of filter, sorted, and the review page of extracted articles), the
example URL is warmed up 3 times, then --requests requests vary the page, the
search word, the entity or the article (stopping early if a scenario exceeds
--max-seconds); one more request counts the SQL queries. Opening the review page
writes nothing (claims come from "review next" or a first decision), so reruns
measure the same database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vigie_ui_bench SECRET_KEY=bench \\
        .venv/bin/python bench/ui_bench.py [--articles 100000] [--mentions-per-article 30] [--requests 60] [--reseed]

The database is created if missing and migrated. Prints a table and writes the
figures to bench/results/ui_bench.json. Target on the 2-core machine,
PostgreSQL: p95 ≤ 150 ms for every scenario. A URL that fails (404 while its
view does not exist yet, 500) is counted as an error, not a crash.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import itertools
import json
import logging
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# With DEBUG off the pages use the manifest static storage: collectstatic into a
# scratch folder (gitignored) so that {% static %} works as in production.
os.environ.setdefault("STATIC_ROOT", str(ROOT / "bench" / "results" / "ui_bench_static"))

TARGET_P95_MS = 150
BATCH_ARTICLES = 5_000
NOW = datetime(2026, 12, 1, tzinfo=UTC)
FIRST_DAY = date(2020, 1, 1)
LAST_DAY = date(2026, 11, 30)

# --- synthetic vocabulary --------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return text.split()


FUNCTION_WORDS = words(
    "le la les de des du et à en un une pour sur dans avec par au aux a est ont qui que ce cette son sa ses "
    "leur lors selon après contre entre depuis sans"
)
# Content words in decreasing frequency (Zipf weights by rank): early words are in most
# articles, late ones in few, so the full-text scenario searches words of every frequency.
CONTENT_WORDS = words(
    "sécurité ministre coopération gouvernement forces police président accord réunion frontière "
    "terrorisme autorités opération armée délégation renseignement sommet région lutte communiqué "
    "militaires conseil frontières surveillance visite menace déclaration soutien partenariat gendarmerie "
    "stratégie mission crise conflit homologue capitale enquête attaque groupe réseau plan programme "
    "dialogue négociations trafic migrants commandant formation exercice patrouille équipement budget "
    "justice tribunal arrestation suspects cellule otages drone frégate douane passeurs réfugiés "
    "cessez-le-feu mémorandum protocole convention ratification commission parlement ambassadeur consul "
    "général colonel officier soldats troupes unité base province nord sud ouest sahel littoral désert "
    "montagne port aéroport route poste zone territoire risque alerte vigilance prévention radicalisation "
    "financement blanchiment cybersécurité piraterie enlèvement embuscade explosion victimes blessés bilan "
    "conférence annonce aide assistance contingent observateurs paix stabilité souveraineté intégrité "
    "régional international national conjoint bilatéral multilatéral frontalier maritime aérien terrestre "
    "renforcé nouveau important récent prochain dernier officiel interministériel semaine mois année jours "
    "heures matin soir porte-parole diplomatie coordination échange information données analyse rapport "
    "audition témoins procès condamnation peine détention évasion prison extradition mandat interpol "
    "europol frontex satellite radar hélicoptère blindés munitions explosifs kalachnikov carburant "
    "contrebande orpaillage bétail pâturage sécheresse inondation famine épidémie vaccination hôpital "
    "écoles enseignants élèves villages hameau campement caravane convoi escorte checkpoint barrage "
    "couvre-feu manifestation émeute dispersion gaz lacrymogène médiation réconciliation désarmement "
    "démobilisation réinsertion amnistie transition élections scrutin constitution referendum junte putsch"
)
SEARCH_WORDS = ["frontière", "terrorisme", "gendarmerie", "otages", "radicalisation", "orpaillage", "amnistie"]

FIRST_NAMES = words(
    "Mohamed Amadou Fatoumata Aïssata Jean Marie Pierre Sophie Ahmed Youssef Karim Nadia Leïla Ousmane Moussa "
    "Ibrahim Aminata Mariam Abdoulaye Cheikh Hassan Fatima Khadija Omar Ali Mamadou Seydou Boubacar Awa Salif "
    "Claire Isabelle Laurent Nicolas François Catherine Antoine Julien Élodie Hélène Rachid Samir Yasmina Driss "
    "Nour Zineb Issa Adama Souleymane Hamid Tarik Bilal Mehdi Inès Camille Thomas Lucas Manon Sarah Hugo"
)
PARTICLES = ["", "", "", "", "", "Ould ", "Ben ", "de ", "Al-", "Ag "]
SYLLABLES = words(
    "ba bé di dou fa ga ka ké kou la li lo ma mé mou na ni no ou ra ri ro sa sé si sou ta té ti tou va ya za zi "
    "cha dja kha gui mar tal"
)
ORG_PATTERNS = [
    "Agence nationale de sécurité de {p}",
    "Direction générale de la police de {p}",
    "Garde nationale de {p}",
    "Conseil de sécurité de {p}",
    "Front de libération de {p}",
    "Mouvement pour la justice de {p}",
    "Brigade d'intervention de {p}",
    "Office de lutte contre le terrorisme de {p}",
    "Ministère de l'Intérieur de {p}",
    "Université de {p}",
    "Groupe {s}",
    "Fondation {s}",
    "{a}",
]
GPE_PATTERNS = ["{p}", "{p}", "{p}", "République de {p}", "Province de {p}", "Région de {p}"]
LOC_PATTERNS = ["Mont {p}", "Lac {p}", "Golfe de {p}", "Vallée de {p}", "Fleuve {p}", "Désert de {p}", "Îles {p}"]
LABEL_SHARES = {"PER": 0.4, "ORG": 0.3, "GPE": 0.2, "LOC": 0.1}
TRIGGERS = {
    "MEETING": ["réunion", "rencontre", "entretien"],
    "VISIT": ["visite", "s'est rendu"],
    "MEMBERSHIP": ["adhésion", "a rejoint"],
    "AGREEMENT": ["accord", "a signé", "mémorandum d'entente"],
    "COOPERATION": ["coopération", "partenariat"],
    "FOUNDING": ["création", "a fondé"],
    "LAUNCH": ["lancement", "a lancé"],
    "EXERCISE": ["exercice", "manœuvres conjointes"],
    "ATTACK": ["attaque", "attentat", "embuscade"],
    "CONDEMNATION": ["a condamné", "condamnation"],
    "PRAISE": ["a salué", "a félicité"],
    "ARREST": ["arrestation", "a interpellé"],
}
MONTHS_FR = words("janvier février mars avril mai juin juillet août septembre octobre novembre décembre")
SOURCES = [
    "Le Quotidien du Sahel",
    "L'Observateur de Rabat",
    "La Voix du Littoral",
    "Sécurité Afrique Hebdo",
    "Le Courrier de Dakar",
    "Nouvelles de Niamey",
    "L'Écho de Tunis",
    "Défense & Territoires",
    "Le Journal de Bamako",
    "Agence Maghreb Presse",
    "Horizons stratégiques",
    "La Tribune d'Alger",
    "Le Messager de Nouakchott",
    "Frontières Info",
    "Le Républicain de Ouagadougou",
    "Méditerranée Matin",
    "L'Indépendant du Tchad",
    "Veille Sécurité",
    "Le Phare de Conakry",
    "Diplomatie Aujourd'hui",
]
# Article status mix: (status, share).
ARTICLE_STATUSES = [("extracted", 0.70), ("reviewed", 0.12), ("in_review", 0.08), ("queued", 0.05), ("failed", 0.05)]


def _syllables(rng: random.Random, low: int = 2, high: int = 3) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(low, high))).capitalize()


def entity_name(rng: random.Random, label: str) -> str:
    if label == "PER":
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(PARTICLES)}{_syllables(rng)}"
    if label == "ORG":
        acronym = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVZ") for _ in range(rng.randint(3, 5)))
        return rng.choice(ORG_PATTERNS).format(p=_syllables(rng), s=_syllables(rng), a=acronym)
    return rng.choice(GPE_PATTERNS if label == "GPE" else LOC_PATTERNS).format(p=_syllables(rng, 2, 4))


def decided_status(rng: random.Random, article_status: str) -> str:
    """A suggestion's status given its article's: decided ones only on articles under review or reviewed."""
    if article_status == "reviewed" or (article_status == "in_review" and rng.random() < 0.4):
        roll = rng.random()
        return "accepted" if roll < 0.85 else "rejected" if roll < 0.97 else "corrected"
    return "suggested"


@dataclass
class Generated:
    title: str
    text: str
    # (start, end, text, label, entity_id)
    mentions: list[tuple] = field(default_factory=list)
    # (start, end, text, value)
    dates: list[tuple] = field(default_factory=list)
    # (type, trigger_start, trigger_end, trigger_text, sentence_start, sentence_end, [mention indexes])
    events: list[tuple] = field(default_factory=list)


class TextMaker:
    """Synthetic French-like articles with their facts at exact offsets of the text."""

    def __init__(self, rng: random.Random, pools: dict[str, list[tuple[int, str]]], event_types: list[str]):
        self.rng = rng
        self.pools = pools
        self.labels = [label for label in LABEL_SHARES if pools.get(label)]
        self.label_cum = list(itertools.accumulate(LABEL_SHARES[label] for label in self.labels))
        self.event_types = event_types
        self.words = FUNCTION_WORDS + CONTENT_WORDS
        # Function words take about 40% of the draws, content words share the rest by Zipf rank.
        zipf = [1 / (rank + 3) ** 0.9 for rank in range(len(CONTENT_WORDS))]
        scale = 0.6 / sum(zipf)
        weights = [0.4 / len(FUNCTION_WORDS)] * len(FUNCTION_WORDS) + [w * scale for w in zipf]
        self.word_cum = list(itertools.accumulate(weights))

    def entity(self) -> tuple[str, int, str]:
        rng = self.rng
        label = rng.choices(self.labels, cum_weights=self.label_cum)[0]
        pool = self.pools[label]
        # Skewed popularity: a few entities are in many articles, most in a handful.
        entity_id, name = pool[int(len(pool) * rng.random() ** 2.5)]
        return label, entity_id, name

    def article(self, n_mentions: int, published: date) -> Generated:
        rng = self.rng
        target = rng.randint(1500, 3000)
        n_sent = max(6, target // 110)
        per_sentence = [n_mentions // n_sent] * n_sent
        for i in rng.sample(range(n_sent), n_mentions % n_sent):
            per_sentence[i] += 1
        eligible = [i for i in range(n_sent) if per_sentence[i] >= 2] or [i for i in range(n_sent) if per_sentence[i]]
        event_sentences = set(rng.sample(eligible, min(rng.choice((3, 4, 4, 5)), len(eligible))))
        date_sentences = set(rng.sample(range(n_sent), min(3, n_sent)))
        draws = iter(rng.choices(self.words, cum_weights=self.word_cum, k=n_sent * 40))
        goal = target / n_sent

        out = Generated(title="", text="")
        pieces: list[str] = []
        pos = 0
        for s in range(n_sent):
            # Slots, their text last: ("m", label, entity_id, name), ("t", type, trigger), ("d", value, text).
            slots: list[tuple] = [("m", *self.entity()) for _ in range(per_sentence[s])]
            if s in event_sentences:
                event_type = rng.choice(self.event_types)
                slots.append(("t", event_type, rng.choice(TRIGGERS.get(event_type, [event_type.lower()]))))
            if s in date_sentences:
                day = published - timedelta(days=rng.randint(0, 20))
                slots.append(("d", day.isoformat(), f"{day.day} {MONTHS_FR[day.month - 1]} {day.year}"))
            slot_chars = sum(len(slot[-1]) + 1 for slot in slots)
            tokens: list[tuple] = [("w", next(draws)) for _ in range(max(4, int((goal - slot_chars) / 6.5)))]
            for slot in slots:
                tokens.insert(rng.randint(1, len(tokens)), slot)
            if s:
                sep = "\n\n" if s % 4 == 0 else " "
                pieces.append(sep)
                pos += len(sep)
            sentence_start = pos
            trigger = None
            sentence_mentions = []
            for j, token in enumerate(tokens):
                if j:
                    pieces.append(" ")
                    pos += 1
                kind = token[0]
                piece = token[-1] if j or kind != "w" else token[1].capitalize()
                start = pos
                pieces.append(piece)
                pos += len(piece)
                if kind == "m":
                    sentence_mentions.append(len(out.mentions))
                    out.mentions.append((start, pos, piece, token[1], token[2]))
                elif kind == "t":
                    trigger = (token[1], start, pos, piece)
                elif kind == "d":
                    out.dates.append((start, pos, piece, token[1]))
            pieces.append(".")
            pos += 1
            if trigger:
                out.events.append((*trigger, sentence_start, pos, sentence_mentions))
        out.text = "".join(pieces)
        names = [m[2] for m in out.mentions[:2]]
        head = rng.choice(CONTENT_WORDS[:80]).capitalize()
        out.title = f"{head} : {' et '.join(names)} {rng.choice(CONTENT_WORDS)}" if names else head
        return out


# --- database --------------------------------------------------------------------------------------


def ensure_database() -> None:
    """Create the PostgreSQL database named in DATABASE_URL if it does not exist yet."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("ui_bench measures PostgreSQL: set DATABASE_URL=postgres://...")
    import dj_database_url
    import psycopg

    db = dj_database_url.parse(url)
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"], "dbname": "postgres"}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    with psycopg.connect(**params, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def has_field(model, name: str) -> bool:
    return any(f.attname == name for f in model._meta.concrete_fields)


def truncate_all() -> None:
    from django.apps import apps
    from django.db import connection

    tables = [m._meta.db_table for app in ("articles", "entities") for m in apps.get_app_config(app).get_models()]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def seed(args, user_id: int) -> dict:
    """Fill the database; returns the counts and the time taken."""
    from django.db import connection, transaction

    from articles.bulk import insert_rows
    from articles.models import Article, ImportJob, Source
    from entities.models import (
        DateMention,
        Entity,
        Event,
        EventArgument,
        ExtractionRun,
        HeaderEntity,
        Mention,
    )

    rng = random.Random(args.seed)
    started = time.perf_counter()
    counts = dict.fromkeys(
        ["sources", "import_jobs", "articles", "entities", "runs", "mentions", "events", "event_arguments", "dates"], 0
    )

    with transaction.atomic():
        source_ids = insert_rows(
            Source,
            ["name", "domain"],
            [(name, f"www.source{i}.example") for i, name in enumerate(SOURCES)],
            with_ids=True,
        )
        domains = {sid: f"www.source{i}.example" for i, sid in enumerate(source_ids)}
        job_rows = []
        per_job = args.articles // 50 or 1
        for i in range(50):
            at = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=i * 2500 // 50, hours=rng.randint(0, 23))
            job_rows.append(
                (
                    f"lot-{i:02d}.jsonl",
                    "jsonl",
                    "done",
                    per_job,
                    per_job,
                    per_job,
                    user_id,
                    at,
                    at,
                    at + timedelta(minutes=9),
                )
            )
        job_ids = insert_rows(
            ImportJob,
            [
                "original_filename",
                "format",
                "status",
                "total",
                "processed",
                "created_count",
                "created_by_id",
                "created_at",
                "started_at",
                "finished_at",
            ],
            job_rows,
            with_ids=True,
        )
        counts["sources"], counts["import_jobs"] = len(source_ids), len(job_ids)

        n_entities = args.entities if args.entities is not None else max(1000, round(args.articles * 0.6))
        seen: set[str] = set()
        entity_rows = []
        for label, share in LABEL_SHARES.items():
            for _ in range(round(n_entities * share)):
                name = entity_name(rng, label)
                while name.lower() in seen:
                    name = entity_name(rng, label)
                seen.add(name.lower())
                entity_rows.append((name, label, name.lower()))
        entity_ids = insert_rows(Entity, ["name", "label", "key"], entity_rows, with_ids=True)
        pools: dict[str, list[tuple[int, str]]] = {label: [] for label in LABEL_SHARES}
        for entity_id, (name, label, _) in zip(entity_ids, entity_rows, strict=True):
            pools[label].append((entity_id, name))
        counts["entities"] = len(entity_ids)
    print(f"  sources, import jobs, {counts['entities']:,} entities: {time.perf_counter() - started:.1f} s", flush=True)

    maker = TextMaker(rng, pools, [t.value for t in Event.Type])
    statuses = [s for s, _ in ARTICLE_STATUSES]
    status_cum = list(itertools.accumulate(share for _, share in ARTICLE_STATUSES))
    span_days = (LAST_DAY - FIRST_DAY).days
    optional = [name for name in ("assigned_at", "reviewed_at") if has_field(Article, name)]
    article_columns = [
        "title",
        "text",
        "raw_text",
        "origin",
        "published_at",
        "published_precision",
        "language",
        "source_id",
        "url",
        "external_id",
        "dateline_place",
        "content_hash",
        "status",
        "status_reason",
        "status_changed_at",
        "extraction_attempts",
        "import_job_id",
        "created_by_id",
        "assigned_to_id",
        "reviewed_by_id",
        "version",
        "created_at",
        "updated_at",
        *optional,
    ]
    mention_columns = [
        "article_id",
        "start",
        "end",
        "text",
        "label",
        "entity_id",
        "confidence",
        "origin",
        "status",
        "run_id",
        "decided_by_id",
        "decided_at",
    ]
    event_columns = [
        "article_id",
        "type",
        "trigger_start",
        "trigger_end",
        "trigger_text",
        "sentence_start",
        "sentence_end",
        "date_value",
        "date_precision",
        "date_id",
        "confidence",
        "origin",
        "status",
        "run_id",
        "decided_by_id",
        "decided_at",
    ]
    date_columns = [
        "article_id",
        "start",
        "end",
        "text",
        "value",
        "precision",
        "confidence",
        "origin",
        "status",
        "run_id",
    ]
    run_columns = [
        "article_id",
        "pipeline_version",
        "started_at",
        "finished_at",
        "duration_ms",
        "mention_count",
        "event_count",
    ]
    gpe_pool = pools["GPE"] or pools["PER"]
    all_article_ids: list[int] = []

    for batch_start in range(0, args.articles, BATCH_ARTICLES):
        batch_end = min(args.articles, batch_start + BATCH_ARTICLES)
        generated: list[Generated] = []
        meta: list[tuple] = []  # (status, created_at, decided_at)
        article_rows = []
        headers = []
        for index in range(batch_start, batch_end):
            published = FIRST_DAY + timedelta(days=rng.randrange(span_days + 1))
            published_at = datetime(published.year, published.month, published.day, tzinfo=UTC)
            created_at = min(NOW, published_at + timedelta(hours=rng.randint(1, 72), minutes=rng.randint(0, 59)))
            changed_at = created_at + timedelta(minutes=rng.randint(1, 30))
            status = rng.choices(statuses, cum_weights=status_cum)[0]
            decided_at = changed_at + timedelta(hours=rng.randint(1, 48))
            g = maker.article(args.mentions_per_article, published)
            generated.append(g)
            meta.append((status, created_at, decided_at))
            dateline_id, dateline = rng.choice(gpe_pool)
            headers.append((dateline_id, dateline))
            source_id = rng.choice(source_ids)
            imported = rng.random() < 0.85
            row = [
                g.title[:500],
                g.text,
                f"{dateline.upper()} (AFP) - {g.text}",
                "import" if imported else "paste",
                published_at,
                "day",
                "fr",
                source_id,
                f"https://{domains[source_id]}/{published.year}/{index}",
                f"bench-{index}",
                dateline,
                hashlib.sha256(f"{index}\n{g.text}".encode()).hexdigest(),
                status,
                "bench : échec simulé de l'extraction" if status == "failed" else "",
                changed_at if status in ("queued", "failed") else decided_at,
                0 if status == "queued" else 1,
                rng.choice(job_ids) if imported else None,
                user_id,
                user_id if status in ("in_review", "reviewed") else None,
                user_id if status == "reviewed" else None,
                {"reviewed": 3, "in_review": 2}.get(status, 1),
                created_at,
                decided_at,
            ]
            later = {
                "assigned_at": decided_at if status in ("in_review", "reviewed") else None,
                "reviewed_at": decided_at if status == "reviewed" else None,
            }
            row.extend(later[name] for name in optional)
            article_rows.append(row)

        with transaction.atomic():
            article_ids = insert_rows(Article, article_columns, article_rows, with_ids=True)
            run_rows = [
                (aid, "bench", created_at, created_at + timedelta(seconds=2), 2000, len(g.mentions), len(g.events))
                for aid, g, (_, created_at, _) in zip(article_ids, generated, meta, strict=True)
            ]
            run_ids = insert_rows(ExtractionRun, run_columns, run_rows, with_ids=True)
            insert_rows(
                HeaderEntity,
                ["article_id", "field", "text", "entity_id", "run_id"],
                [
                    (aid, "dateline", name, eid, rid)
                    for aid, rid, (eid, name) in zip(article_ids, run_ids, headers, strict=True)
                ],
            )

            mention_rows = []
            for aid, rid, g, (status, _, decided_at) in zip(article_ids, run_ids, generated, meta, strict=True):
                for start, end, text, label, entity_id in g.mentions:
                    mstatus = decided_status(rng, status)
                    decided = mstatus != "suggested"
                    mention_rows.append(
                        (
                            aid,
                            start,
                            end,
                            text,
                            label,
                            entity_id,
                            round(rng.uniform(0.3, 1.0), 3),
                            "model",
                            mstatus,
                            rid,
                            user_id if decided else None,
                            decided_at if decided else None,
                        )
                    )
            mention_ids = iter(insert_rows(Mention, mention_columns, mention_rows, with_ids=True))

            date_rows = [
                (aid, start, end, text, value, "day", round(rng.uniform(0.6, 1.0), 3), "model", "suggested", rid)
                for aid, rid, g in zip(article_ids, run_ids, generated, strict=True)
                for start, end, text, value in g.dates
            ]
            date_ids = iter(insert_rows(DateMention, date_columns, date_rows, with_ids=True))

            event_rows = []
            event_mentions = []  # per event: [(mention_id, entity_id)] of its sentence
            for aid, rid, g, (status, _, decided_at) in zip(article_ids, run_ids, generated, meta, strict=True):
                ids = [next(mention_ids) for _ in g.mentions]
                dates = [(next(date_ids), value) for *_, value in g.dates]
                for event_type, t_start, t_end, trigger, s_start, s_end, mention_indexes in g.events:
                    dated = dates and rng.random() < 0.6
                    date_id, date_value = rng.choice(dates) if dated else (None, "")
                    estatus = decided_status(rng, status)
                    decided = estatus != "suggested"
                    event_rows.append(
                        (
                            aid,
                            event_type,
                            t_start,
                            t_end,
                            trigger,
                            s_start,
                            s_end,
                            date_value,
                            "day" if dated else "",
                            date_id,
                            round(rng.uniform(0.3, 1.0), 3),
                            "model",
                            estatus,
                            rid,
                            user_id if decided else None,
                            decided_at if decided else None,
                        )
                    )
                    event_mentions.append([(ids[i], g.mentions[i][4]) for i in mention_indexes])
            event_ids = insert_rows(Event, event_columns, event_rows, with_ids=True)

            argument_rows = []
            for event_id, candidates in zip(event_ids, event_mentions, strict=True):
                for role, (mention_id, entity_id) in zip(("actor", "participant"), candidates[:2], strict=False):
                    argument_rows.append((event_id, role, entity_id, mention_id))
            insert_rows(EventArgument, ["event_id", "role", "entity_id", "mention_id"], argument_rows)

        all_article_ids.extend(article_ids)
        counts["articles"] += len(article_ids)
        counts["runs"] += len(run_ids)
        counts["mentions"] += len(mention_rows)
        counts["dates"] += len(date_rows)
        counts["events"] += len(event_rows)
        counts["event_arguments"] += len(argument_rows)
        print(
            f"  {counts['articles']:>7,} articles, {counts['mentions']:>9,} mentions: "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )

    # Republications: 3% of the articles point at an earlier one.
    duplicates = [
        (rng.choice(all_article_ids[:k]), round(rng.uniform(0.8, 0.99), 3), article_id)
        for k, article_id in enumerate(all_article_ids)
        if k and rng.random() < 0.03
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {Article._meta.db_table} SET near_duplicate_of_id = %s, near_duplicate_score = %s WHERE id = %s",
            duplicates,
        )

    analyze_started = time.perf_counter()
    # VACUUM as well as ANALYZE: sets the visibility map (index-only scans) and flushes the
    # full-text GIN index's pending list, as autovacuum would on a database in service.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    counts["vacuum_analyze_seconds"] = round(time.perf_counter() - analyze_started, 1)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def current_counts() -> dict:
    from articles.models import Article, ImportJob, Source
    from entities.models import DateMention, Entity, Event, EventArgument, ExtractionRun, Mention

    models = {
        "sources": Source,
        "import_jobs": ImportJob,
        "articles": Article,
        "entities": Entity,
        "runs": ExtractionRun,
        "mentions": Mention,
        "events": Event,
        "event_arguments": EventArgument,
        "dates": DateMention,
    }
    return {name: model.objects.count() for name, model in models.items()}


# --- measurement -----------------------------------------------------------------------------------


@dataclass
class Context:
    """Values the scenarios draw from, read from the seeded database."""

    entity_ids: list[int]
    review_ids: list[int]
    words: list[str]


def _page(rng: random.Random, i: int) -> str:
    # Half the requests on the first page, the others deeper.
    return "" if i % 2 == 0 else f"&page={rng.randint(2, 50)}"


@dataclass
class Scenario:
    name: str
    # (rng, context, request index) -> URL; index 0 is the example URL (warm-up, query count).
    url: Callable[[random.Random, Context, int], str]
    # Query parameters the page should have a form field for (a hint when a filter is not built yet).
    params: tuple[str, ...] = ()


SCENARIOS = [
    Scenario("queue", lambda rng, ctx, i: "/" if i % 2 == 0 else f"/?page={rng.randint(1, 50)}"),
    Scenario("queue status=extracted", lambda rng, ctx, i: "/?status=extracted" + _page(rng, i), ("status",)),
    Scenario("queue full-text q", lambda rng, ctx, i: f"/?q={quote(ctx.words[i % len(ctx.words)])}", ("q",)),
    Scenario("queue entity", lambda rng, ctx, i: f"/?entity={ctx.entity_ids[i % len(ctx.entity_ids)]}", ("entity",)),
    Scenario(
        "queue below=0.5 label=PER", lambda rng, ctx, i: "/?below=0.5&label=PER" + _page(rng, i), ("below", "label")
    ),
    Scenario(
        "queue event_type + dates",
        lambda rng, ctx, i: (
            "/?event_type=MEETING&published_after=2023-01-01&published_before=2023-12-31" + _page(rng, i)
        ),
        ("event_type", "published_after", "published_before"),
    ),
    Scenario("queue o=-published_at", lambda rng, ctx, i: "/?o=-published_at" + _page(rng, i), ("o",)),
    Scenario("review page", lambda rng, ctx, i: f"/articles/{ctx.review_ids[i % len(ctx.review_ids)]}/review/"),
]


def build_context(rng: random.Random, n: int) -> Context:
    from django.db.models import Max, Min

    from articles.models import Article
    from entities.models import Mention

    # Entities drawn through random mentions: as often as analysts meet them in the articles.
    bounds = Mention.objects.aggregate(low=Min("id"), high=Max("id"))
    entity_ids: list[int] = []
    if bounds["low"] is not None:
        picks = [rng.randint(bounds["low"], bounds["high"]) for _ in range(n * 3)]
        found = Mention.objects.filter(id__in=picks, entity__isnull=False).values_list("entity_id", flat=True)
        entity_ids = list(dict.fromkeys(found))[:n]
    extracted = list(Article.objects.filter(status="extracted").order_by().values_list("id", flat=True))
    review_ids = rng.sample(extracted, min(n, len(extracted)))
    return Context(entity_ids=entity_ids or [0], review_ids=review_ids or [0], words=SEARCH_WORDS)


def percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def run_scenario(client, scenario: Scenario, rng: random.Random, ctx: Context, n: int, budget: float) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    example = scenario.url(rng, ctx, 0)
    urls = [example] + [scenario.url(rng, ctx, i) for i in range(1, n)]
    errors = 0
    examples: list[dict] = []

    def get(url: str):
        try:
            return client.get(url), None
        except Exception as exc:  # a view crashing is a figure, not the end of the benchmark
            return None, f"{type(exc).__name__}: {exc}"[:300]

    for _ in range(3):
        get(example)
    times: list[float] = []
    done = 0
    scenario_started = time.perf_counter()
    for url in urls:
        if time.perf_counter() - scenario_started > budget:
            break
        done += 1
        started = time.perf_counter()
        response, failure = get(url)
        elapsed = (time.perf_counter() - started) * 1000
        status = response.status_code if response is not None else None
        if status == 200:
            times.append(elapsed)
        else:
            errors += 1
            if len(examples) < 3:
                examples.append({"url": url, "status": status, "error": failure})
    with CaptureQueriesContext(connection) as captured:
        response, _ = get(example)
    html = response.content.decode("utf-8", "replace") if response is not None and response.status_code == 200 else ""
    missing = [p for p in scenario.params if html and f'name="{p}"' not in html]
    return {
        "scenario": scenario.name,
        "url": example,
        "n": done,
        "stopped_early": done < len(urls),
        "errors": errors,
        "error_examples": examples,
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(percentile(times, 95), 1) if times else None,
        "max_ms": round(max(times), 1) if times else None,
        "mean_ms": round(statistics.fmean(times), 1) if times else None,
        "queries": len(captured.captured_queries) if html else None,
        "page_lacks_fields": missing,
    }


def machine_info() -> dict:
    from django.db import connection

    cpu = platform.processor()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "postgresql": server,
        "database": connection.settings_dict["NAME"],
        "database_mb": round(size / 2**20),
    }


def print_table(results: list[dict]) -> None:
    print(f"\nServer time per request (in-process django.test.Client); target p95 ≤ {TARGET_P95_MS} ms")
    header = f"{'scenario':<28} {'n':>4} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>7}  target"
    print(header)
    print("-" * len(header))
    for r in results:

        def ms(value):
            return f"{value:8.1f}" if value is not None else f"{'—':>8}"

        verdict = "—" if r["p95_ms"] is None else ("ok" if r["p95_ms"] <= TARGET_P95_MS else "OVER")
        queries = r["queries"] if r["queries"] is not None else "—"
        print(
            f"{r['scenario']:<28} {r['n']:>4} {r['errors']:>4} {ms(r['p50_ms'])} {ms(r['p95_ms'])} {ms(r['max_ms'])} "
            f"{queries:>7}  {verdict}"
        )
    for r in results:
        print(f"  {r['scenario']}: e.g. {r['url']}")
        for e in r["error_examples"][:1]:
            print(f"    error: {e['url']} -> {e['status'] or e['error']}")
        if r["stopped_early"]:
            print(f"    note: stopped after {r['n']} requests (--max-seconds)")
        if r["page_lacks_fields"]:
            print(f"    note: the page has no field named {', '.join(r['page_lacks_fields'])} (filter not built yet?)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--mentions-per-article", type=int, default=30)
    parser.add_argument("--entities", type=int, default=None, help="default: 0.6 × articles")
    parser.add_argument("--requests", type=int, default=60, help="timed requests per scenario")
    parser.add_argument(
        "--max-seconds", type=float, default=90, help="stop a scenario's timed requests after this long"
    )
    parser.add_argument("--reseed", action="store_true", help="empty the tables and seed again")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "ui_bench.json"))
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from articles.models import Article

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"migrate and collectstatic: {time.perf_counter() - started:.1f} s", flush=True)
    User = get_user_model()
    user, _ = User.objects.get_or_create(username="bench", defaults={"is_staff": True, "is_superuser": True})
    if not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])

    output = Path(args.output)
    previous = json.loads(output.read_text()) if output.exists() else {}
    if args.reseed or not Article.objects.exists():
        print(f"Seeding {args.articles:,} articles × {args.mentions_per_article} mentions ...", flush=True)
        truncate_all()
        seeded = seed(args, user.pk)
        seeding = {"seconds": seeded.pop("seconds"), "vacuum_analyze_seconds": seeded.pop("vacuum_analyze_seconds")}
        print(
            f"Seeding took {seeding['seconds']:.1f} s (VACUUM ANALYZE included: {seeding['vacuum_analyze_seconds']} s)"
        )
        seeding["this_run"] = True
    else:
        seeding = {"this_run": False}
        old = previous.get("seeding", {})
        if previous.get("machine", {}).get("database") == django.db.connection.settings_dict["NAME"] and old:
            seeding.update({k: v for k, v in old.items() if k != "this_run"})
        print("Database already seeded (use --reseed to start again).")
    counts = current_counts()
    if counts["articles"] != args.articles:
        print(f"note: the database holds {counts['articles']:,} articles, not {args.articles:,} (--reseed to change)")

    rng = random.Random(args.seed)
    ctx = build_context(rng, args.requests)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    # Each 404 or 500 would otherwise log a line (and a traceback) per request.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    results = []
    for scenario in SCENARIOS:
        print(f"  measuring {scenario.name} ...", flush=True)
        results.append(run_scenario(client, scenario, rng, ctx, args.requests, args.max_seconds))

    figures = {
        "benchmark": "ui_bench",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "counts": counts,
        "seeding": seeding,
        "requests_per_scenario": args.requests,
        "target_p95_ms": TARGET_P95_MS,
        "scenarios": results,
    }
    print_table(results)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWritten to {output}")


if __name__ == "__main__":
    main()
