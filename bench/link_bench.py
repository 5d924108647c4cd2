"""Cross-article linking at extraction: what it costs against a database already holding 100,000 entities.

The issue's target: extracting 1,000 new articles with linking (``VIGIE_CROSS_LINKING``, and event
clustering when ``VIGIE_EVENT_CLUSTERING`` is on and entities/clustering.py exists) keeps ≥ 0.90 of
the throughput of the same extraction without it (every name a new entity, no lookup).

Database (PostgreSQL only; its name must contain "bench"; created if missing, migrated). Seeded
once, in bulk (COPY through ``articles.bulk.insert_rows``), and reused by later runs made with the
same arguments (``--reseed`` to start again):

* the new articles: WiNER-fr 2016–2017 texts read from ../shared (964 texts: topped up from 2018
  when ``--articles`` asks for more), stored as queued articles through ``articles_ingest``;
* ``--entities`` entities with exactly the ``EntityKey`` rows the app writes
  (``entities.nlp.matching.entity_keys``). About half of the distinct names the pipeline finds in
  the new articles are already there (as an earlier extraction would have left them), some more
  as near misses (a homonym with another first name, an initial for the first name, a one-letter
  typo), so that every branch of the linker runs: exact keys, fuzzy matching inside blocks, new
  entities, merge suggestions. The rest are synthetic: persons from French, Maghreb and Sahel first
  names and surnames (surnames Zipf-distributed, so that some blocks exceed the linker's cap, as
  « Diallo » would), organisations (« Direction générale de la sûreté de Kidal », some with their
  acronym as an alias) and places (GPE and LOC);
* one earlier article per new text naming two or more already-known entities, with a mention of each,
  so that the rule linking a lone surname by the article's other names has something to read.

Measure. The NLP pipeline runs once (timed), on chunks of ``VIGIE_EXTRACTION_CHUNK`` articles as a
worker takes them; its results are then stored through the real store path
(``articles.tasks._store_batch`` -> ``extraction_store_many``, batches of the worker's size) with
linking on and with linking off, ``--rounds`` times, alternating which side goes first. Before
each side the database is put back in its seeded state: the new articles' runs, mentions, dates,
roles, events, header entities are deleted, so are every entity, key, merge suggestion and event
cluster created since the seeding; the aliases linking taught to seeded entities are restored;
the articles are queued again and claimed as a worker claims them (neither timed), then VACUUM
ANALYZE. So both sides store the very same results into the same database state, and the store
figure isolates the database side. End to end (the issue's figure) is pipeline + store: with the
default chunk of 16 a worker flushes its writes once, after the chunk's pipeline, so its time is
that sum. ``--worker-rounds`` (default 1) also times the whole worker path
(``extract_articles_now`` per chunk: claim, pipeline, store) on each side, as a check.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vigie_link_bench SECRET_KEY=bench \\
        .venv/bin/python bench/link_bench.py [--articles 1000] [--entities 100000] [--rounds 3]

Prints the figures and writes bench/results/link_bench.json. On this machine the same work takes
±15% more or less from one run to the next: the median round is reported with every round.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import itertools
import json
import os
import random
import resource
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
CORPUS = ROOT.parent / "shared" / "corpus" / "winer-fr"
EXTERNAL_PREFIX = "link-bench-new-"
TARGET_RATIO = 0.90
STATE_TABLE = "link_bench_state"
ALIASES_TABLE = "link_bench_seed_aliases"


def words(text: str) -> list[str]:
    return text.split()


# --- synthetic vocabulary --------------------------------------------------------------------------

FIRST_NAMES = words(
    "Mohamed Ahmed Mahmoud Abdelkader Abdellah Abdelaziz Youssef Karim Rachid Samir Hassan Hussein Omar Ali "
    "Khaled Nabil Saïd Mustapha Driss Hamid Tarik Bilal Mehdi Amine Nadia Leïla Fatima Khadija Amina Yasmina "
    "Zineb Salma Nour Samira Malika Aïcha Mariam Fatoumata Aminata Awa Mamadou Amadou Ousmane Moussa Ibrahim "
    "Issa Adama Souleymane Boubacar Seydou Abdoulaye Cheikh Modibo Idriss Mahamat Sidi Hamadi Brahim Lamine "
    "Jean Pierre Jacques Michel Philippe Alain Bernard François Nicolas Laurent Christophe Stéphane Olivier "
    "Thierry Patrick Éric Julien Antoine Thomas Marie Sophie Catherine Isabelle Nathalie Christine Anne Hélène "
    "Claire Élodie Camille Manon Sarah Julie Valérie Sylvie Luc Marc Paul Yves Gérard Hervé Didier"
)
SECOND_NAMES = words("Lamine Salem Ahmed Ali Mahmoud Abdallahi Moustapha Habib Cheikh Marie Pierre Louis Baba")
PARTICLES = ["", "", "", "", "", "", "Ould ", "Ben ", "Ag ", "El ", "Al-", "Ibn "]
SURNAMES = words(
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefebvre Leroy Roux "
    "David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Faure Mercier "
    "Blanc Guérin Boyer Garnier Chevalier Legrand Gauthier Garcia Perrin Robin Clément Morin Henry Roussel "
    "Mathieu Masson Marchand Duval Denis Dumont Lemaire Noël Meyer Dufour Meunier Brun Blanchard Giraud Joly "
    "Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Roche Renard Schmitt Leroux Colin Vidal Caron "
    "Picard Fabre Aubert Lemoine Renaud Dumas Lacroix Bourgeois Benoît Leclerc Rolland Guillaume Lecomte "
    "Lopez Dupuy Guillot Hubert Berger Carpentier Sanchez Dupuis Moulin Deschamps Huet Vasseur Perez Boucher "
    "Fleury Royer Klein Jacquet Poirier Marty Aubry Guyot Renault Charpentier Ménard Maillard Baron Bertin "
    "Bailly Schneider Fernandez Collet Léger Bouvier Prévost Millet Perrot Cousin Germain Breton Besson "
    "Langlois Pelletier Leblanc Lebrun Marchal Weber Hamon Boulanger Monnier Michaud Rodriguez Gillet "
    "Benali Bensaïd Benmoussa Bennani Alaoui Idrissi Tazi Fassi Berrada Chraïbi Amrani Lahlou Benjelloun "
    "Ouazzani Sefrioui Bouzid Belkacem Haddad Mansouri Saïdi Brahimi Hamdi Trabelsi Jebali Gharbi Mejri "
    "Khelifi Zitouni Chérif Benaïssa Meziane Slimani Messaoudi Ziani Kaddouri Rahmani Belhadj Aouad Naceri "
    "Bouazza Cherkaoui Tahiri Ghali Laroussi Bakkali Hajji Rami Sebti Ammar Hachemi Ferhat Zerrouki Bouchama "
    "Traoré Diallo Keïta Coulibaly Konaté Camara Cissé Touré Sissoko Diarra Dembélé Sangaré Kanté Sidibé "
    "Doumbia Koné Ouattara Sawadogo Ouédraogo Kaboré Zongo Compaoré Diop Ndiaye Fall Sow Gueye Faye Mbaye "
    "Seck Niang Sarr Kane Maïga Cissoko Issoufou Mahamadou Abdou Oumarou Hamani Tandja Mahamat Goukouni "
    "Lemine Boilil Vall Abdallahi Taya Bah Barry Bangoura Sylla Soumah Condé Kourouma Yattara Tounkara "
    "Djibo Hama Moumouni Ibrahim Abdoulaye Souley Harouna Garba Bello Yaro Tchiani Bazoum Assoumane Kountché"
)
SYLLABLES = words(
    "ba bé di dou fa ga ka ké kou la li lo ma mé mou na ni no ou ra ri ro sa sé si sou ta té ti tou va ya za zi "
    "cha dja kha gui mar tal bou der ken sam"
)
ORG_HEADS = [
    "Direction générale de {d}",
    "Agence nationale de {d}",
    "Office national de {d}",
    "Conseil supérieur de {d}",
    "Commission nationale de {d}",
    "Institut national de {d}",
    "Centre de coordination de {d}",
    "Brigade de {d}",
    "Service central de {d}",
    "Ministère de {d}",
    "Observatoire de {d}",
    "Syndicat national de {d}",
    "Fédération de {d}",
    "Association pour {d}",
    "Comité de {d}",
    "Fondation pour {d}",
    "Groupement de {d}",
    "Unité spéciale de {d}",
    "Cellule de {d}",
    "Haut commissariat à {d}",
]
ORG_DOMAINS = [
    "la sécurité",
    "la sûreté",
    "la police judiciaire",
    "la gendarmerie",
    "la protection civile",
    "la lutte contre le terrorisme",
    "la lutte contre la drogue",
    "la surveillance du territoire",
    "la documentation",
    "l'Intérieur",
    "la défense",
    "la justice",
    "la santé publique",
    "l'environnement",
    "l'hydraulique",
    "la communication",
    "l'énergie",
    "les transports",
    "la migration",
    "les douanes",
    "la sécurité alimentaire",
    "la cybersécurité",
    "la recherche scientifique",
    "la réconciliation",
    "la statistique",
]
COMPANY_HEADS = ["Groupe {s}", "Société {s}", "Banque {s}", "Compagnie {s}", "Mouvement {s}", "Front {s}"]
GPE_PATTERNS = ["{p}", "{p}", "Province de {p}", "Région de {p}", "Commune de {p}", "Wilaya de {p}", "Cercle de {p}"]
LOC_PATTERNS = ["Mont {p}", "Lac {p}", "Oued {p}", "Vallée de {p}", "Forêt de {p}", "Désert de {p}", "Massif {p}"]
SYNTHETIC_SHARES = {"PER": 0.45, "ORG": 0.30, "GPE": 0.15, "LOC": 0.10}


def _syllables(rng: random.Random, low: int = 2, high: int = 3) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(low, high))).capitalize()


class NameMaker:
    """Synthetic entity names; persons share first names and (Zipf-distributed) surnames, as in the news."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surname_cum = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(SURNAMES))))
        self.places = [_syllables(rng, 2, 3) for _ in range(300)]
        self.acronyms: set[str] = set()

    def person(self) -> tuple[str, list[str]]:
        rng = self.rng
        first = rng.choice(FIRST_NAMES)
        if rng.random() < 0.15:
            first += " " + rng.choice(SECOND_NAMES)
        # Most surnames from the shared list (big blocks), the others rare (blocks of one or two).
        last = rng.choices(SURNAMES, cum_weights=self.surname_cum)[0] if rng.random() < 0.6 else _syllables(rng)
        return f"{first} {rng.choice(PARTICLES)}{last}", []

    def organisation(self) -> tuple[str, list[str]]:
        rng = self.rng
        if rng.random() < 0.15:
            return rng.choice(COMPANY_HEADS).format(s=_syllables(rng, 2, 4)), []
        place = rng.choice(self.places) if rng.random() < 0.7 else _syllables(rng, 2, 4)
        name = f"{rng.choice(ORG_HEADS).format(d=rng.choice(ORG_DOMAINS))} de {place}"
        aliases = []
        if rng.random() < 0.3:
            from entities.nlp.matching import initials

            acronym = initials(name).upper()
            if 2 <= len(acronym) <= 8 and acronym not in self.acronyms:  # an acronym a text defined once
                self.acronyms.add(acronym)
                aliases.append(acronym)
        return name, aliases

    def place(self, label: str) -> tuple[str, list[str]]:
        patterns = GPE_PATTERNS if label == "GPE" else LOC_PATTERNS
        return self.rng.choice(patterns).format(p=_syllables(self.rng, 2, 4)), []

    def make(self, label: str) -> tuple[str, list[str]]:
        if label == "PER":
            return self.person()
        if label == "ORG":
            return self.organisation()
        return self.place(label)


# --- texts and the database ------------------------------------------------------------------------


def load_texts(limit: int) -> tuple[list[str], dict[str, int]]:
    """WiNER-fr articles (not the per-month URL lists), 2016 and 2017 first, then 2018 if more are asked."""
    texts: list[str] = []
    per_year: dict[str, int] = {}
    for year in ("2016", "2017", "2018"):
        if len(texts) >= limit:
            break
        files = sorted(p for p in (CORPUS / year).rglob("*.txt") if not p.name.endswith("-urls.txt"))
        found = [t for t in (p.read_text(encoding="utf-8") for p in files) if t.strip()][: limit - len(texts)]
        texts += found
        per_year[year] = len(found)
    return texts, per_year


def check_database_url() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("link_bench measures PostgreSQL: set DATABASE_URL=postgres://...")
    import dj_database_url

    if "bench" not in dj_database_url.parse(url)["NAME"]:
        sys.exit('link_bench empties its database: its name must contain "bench"')


def store_articles(texts: list[str]) -> list[int]:
    """The texts as new queued articles (not timed)."""
    from articles import services

    inputs = [
        services.ArticleInput(text=t, external_id=f"{EXTERNAL_PREFIX}{i}", title=f"bench {i}")
        for i, t in enumerate(texts)
    ]
    ids: list[int] = []
    for start in range(0, len(inputs), 200):
        outcomes = services.articles_ingest(actor=None, inputs=inputs[start : start + 200], enqueue_extraction=False)
        ids += [o.article.pk for o in outcomes if o.created]
    if len(ids) != len(texts):
        raise SystemExit(f"{len(texts) - len(ids)} of {len(texts)} texts were not stored as new articles")
    return ids


def bench_article_ids() -> list[int]:
    from articles.models import Article

    return list(
        Article.objects.filter(external_id__startswith=EXTERNAL_PREFIX).order_by("pk").values_list("pk", flat=True)
    )


def read_state() -> dict | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [STATE_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT state FROM {STATE_TABLE}")
        row = cursor.fetchone()
    return json.loads(row[0]) if row and isinstance(row[0], str) else (row[0] if row else None)


def write_state(state: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STATE_TABLE}")
        cursor.execute(f"CREATE TABLE {STATE_TABLE} (state jsonb NOT NULL)")
        cursor.execute(f"INSERT INTO {STATE_TABLE} (state) VALUES (%s::jsonb)", [json.dumps(state)])


def truncate_all() -> None:
    from django.apps import apps
    from django.db import connection

    tables = [m._meta.db_table for app in ("articles", "entities") for m in apps.get_app_config(app).get_models()]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STATE_TABLE}, {ALIASES_TABLE}")
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def max_ids() -> dict[str, int]:
    from django.db.models import Max

    from entities.models import Entity, EntityCandidate, EntityKey, EventCluster

    models = {"entity": Entity, "key": EntityKey, "candidate": EntityCandidate, "cluster": EventCluster}
    return {name: model.objects.aggregate(m=Max("pk"))["m"] or 0 for name, model in models.items()}


def vacuum_analyze() -> None:
    from django.db import connection

    # VACUUM as well as ANALYZE: the deleted rows of a reset are gone and the planner sees the
    # same tables before each side.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- seeding -------------------------------------------------------------------------------------


@dataclass
class TextName:
    """One distinct (label, name key) of the new articles, grouped as the store groups them."""

    label: str
    name: str
    aliases: set[str] = field(default_factory=set)
    articles: set[int] = field(default_factory=set)


def text_names(results: list) -> dict[tuple[str, str], TextName]:
    """The names the store will link, per (label, name key): each within-article group's canonical name."""
    from entities.nlp.normalize import name_key

    names: dict[tuple[str, str], TextName] = {}
    for index, result in enumerate(results):
        groups: dict[int, tuple[str, str, set[str]]] = {}
        for span in result.entities:
            name, label, aliases = groups.get(span.group, (span.canonical, span.label, set()))
            aliases |= {span.text, *span.aliases}
            groups[span.group] = (name, label, aliases)
        for name, label, aliases in groups.values():
            if key := name_key(name):
                known = names.setdefault((label, key), TextName(label, name))
                known.aliases |= aliases
                known.articles.add(index)
    return names


def _typo(rng: random.Random, name: str) -> str | None:
    """The name with one interior letter changed (« Grande-Marlaska » -> « Grande-Marlasca »)."""
    positions = [i for i in range(2, len(name) - 1) if name[i].isalpha() and name[i].islower()]
    if len(name) < 8 or not positions:
        return None
    i = rng.choice(positions)
    letter = rng.choice([c for c in "aeioulnrst" if c != name[i]])
    return name[:i] + letter + name[i + 1 :]


def seed(args, results: list) -> dict:
    """Entities with their keys, and earlier articles mentioning the known ones (see the module docstring)."""
    from django.db import connection, transaction

    from articles.bulk import insert_rows
    from articles.models import Article
    from entities.models import Entity, EntityKey, Mention
    from entities.nlp.matching import entity_keys
    from entities.nlp.normalize import name_key, person_name_tokens

    rng = random.Random(args.seed)
    started = time.perf_counter()
    seen: set[tuple[str, str]] = set()
    # (name, label, aliases, kind of seeding, indexes of the new articles naming it)
    rows: list[tuple[str, str, list[str], str, set[int]]] = []

    def add(name: str, label: str, aliases: list[str], kind: str, articles: Iterable[int] = ()) -> bool:
        key = name_key(name)
        if not key or (label, key) in seen:
            return False
        seen.add((label, key))
        rows.append((name[:300], label, sorted({a for a in aliases if a != name}), kind, set(articles)))
        return True

    names = text_names(results)
    for (label, _), tn in sorted(names.items()):
        roll = rng.random()
        tokens = person_name_tokens(tn.name) if label == "PER" else ()
        words_ = tn.name.split()
        if roll < 0.5:
            add(tn.name, label, sorted(tn.aliases), "known", tn.articles)
        elif roll < 0.6 and len(tokens) >= 2 and len(words_) >= 2:
            # A homonym: same surname, another first name (two people until an analyst says otherwise).
            add(f"{rng.choice(FIRST_NAMES)} {words_[-1]}", label, [], "homonym")
        elif roll < 0.65 and len(tokens) >= 2 and len(words_) == 2 and words_[0][0].isalpha() and words_[0][0] != "M":
            add(f"{words_[0][0]}. {words_[1]}", label, [], "initial")  # « A. Laftit » for « Abdelouafi Laftit »
        elif roll < 0.7 and (typo := _typo(rng, tn.name)):
            add(typo, label, [], "typo")
    kinds = defaultdict(int)
    for row in rows:
        kinds[row[3]] += 1

    maker = NameMaker(rng)
    labels = list(SYNTHETIC_SHARES)
    cum = list(itertools.accumulate(SYNTHETIC_SHARES.values()))
    attempts = 0
    while len(rows) < args.entities:
        label = rng.choices(labels, cum_weights=cum)[0]
        name, aliases = maker.make(label)
        kinds["synthetic"] += add(name, label, aliases, "synthetic")
        attempts += 1
        if attempts > args.entities * 20:
            raise SystemExit("could not make enough distinct synthetic names")

    with transaction.atomic():
        entity_ids = insert_rows(
            Entity,
            ["name", "label", "key", "aliases"],
            [(name, label, name_key(name)[:300], aliases) for name, label, aliases, _, _ in rows],
            with_ids=True,
        )
        key_rows = [
            (pk, label, kind, key)
            for pk, (name, label, aliases, _, _) in zip(entity_ids, rows, strict=True)
            for kind, key in sorted(entity_keys(name, label, aliases))
        ]
        for start in range(0, len(key_rows), 50_000):
            insert_rows(EntityKey, ["entity_id", "label", "kind", "key"], key_rows[start : start + 50_000])

        # An earlier article per new text, naming that text's known entities: the evidence a lone
        # surname links by.
        known_by_article: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
        for pk, (name, label, _, kind, articles) in zip(entity_ids, rows, strict=True):
            if kind == "known":
                for index in articles:
                    known_by_article[index].append((pk, name, label))
        earlier = sorted(index for index, known in known_by_article.items() if len(known) >= 2)
        article_rows = []
        for index in earlier:
            text = " ; ".join(name for _, name, _ in known_by_article[index]) + "."
            digest = hashlib.sha256(f"link-bench-earlier-{index}".encode()).hexdigest()
            article_rows.append((f"earlier {index}", text, text, digest, "extracted", f"link-bench-earlier-{index}"))
        article_ids = insert_rows(
            Article,
            ["title", "text", "raw_text", "content_hash", "status", "external_id"],
            article_rows,
            with_ids=True,
        )
        mention_rows = []
        for article_id, index in zip(article_ids, earlier, strict=True):
            position = 0
            for pk, name, label in known_by_article[index]:
                mention_rows.append((article_id, position, position + len(name), name[:500], label, pk, "accepted"))
                position += len(name) + 3
        insert_rows(Mention, ["article_id", "start", "end", "text", "label", "entity_id", "status"], mention_rows)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {ALIASES_TABLE}")
            cursor.execute(f"CREATE TABLE {ALIASES_TABLE} AS SELECT id, aliases FROM {Entity._meta.db_table}")
            cursor.execute(f"ALTER TABLE {ALIASES_TABLE} ADD PRIMARY KEY (id)")
    seeded_seconds = time.perf_counter() - started
    vacuum_analyze()

    per_label = defaultdict(int)
    for _, label, _, _, _ in rows:
        per_label[label] += 1
    surname_blocks = defaultdict(int)
    for _, label, kind, key in key_rows:
        if kind == "token":
            surname_blocks[(label, key)] += 1
    return {
        "entities": len(entity_ids),
        "entity_keys": len(key_rows),
        "per_label": dict(sorted(per_label.items())),
        "per_kind": dict(sorted(kinds.items())),
        "distinct_names_in_new_articles": len(names),
        "earlier_articles": len(article_ids),
        "earlier_mentions": len(mention_rows),
        "token_blocks": len(surname_blocks),
        "token_blocks_over_cap": sum(n > 200 for n in surname_blocks.values()),
        "largest_token_block": max(surname_blocks.values(), default=0),
        "seconds": round(seeded_seconds, 1),
        "seconds_with_vacuum_analyze": round(time.perf_counter() - started, 1),
    }


def reset(article_ids: list[int], baseline: dict[str, int]) -> None:
    """The database as seeded: no extraction of the new articles, nothing linking created or taught.

    ORM deletes, so that every model pointing at an article or an entity (those added after this
    script too) is emptied or set to NULL as the app declares it.
    """
    from django.apps import apps
    from django.db import connection, transaction

    from articles.models import Article
    from entities.models import Entity, EntityCandidate, EntityKey, EventCluster

    ids = list(article_ids)
    with transaction.atomic():
        for model in apps.get_app_config("entities").get_models():
            for f in model._meta.concrete_fields:
                if f.is_relation and f.related_model is Article:
                    model.objects.filter(**{f"{f.name}__in": ids}).delete()
        EntityCandidate.objects.filter(pk__gt=baseline["candidate"]).delete()
        EventCluster.objects.filter(pk__gt=baseline["cluster"]).delete()
        EntityKey.objects.filter(pk__gt=baseline["key"]).delete()
        Entity.objects.filter(pk__gt=baseline["entity"]).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Entity._meta.db_table} e SET aliases = s.aliases FROM {ALIASES_TABLE} s "
                "WHERE e.id = s.id AND e.aliases <> s.aliases"
            )
        Article.objects.filter(pk__in=ids).update(
            status=Article.Status.QUEUED, status_reason="", claim_token="", extraction_attempts=0
        )
    vacuum_analyze()
    now = max_ids()
    if any(now[name] > baseline[name] for name in now):
        raise SystemExit(f"reset left rows behind: {now} > {baseline}")


# --- measurement -----------------------------------------------------------------------------------


class Counter:
    """SQL statements sent through Django (COPY streams are not counted) and seconds in the linker."""

    def __init__(self) -> None:
        self.active = False
        self.queries = 0
        self.resolve_seconds = 0.0
        self.cluster_seconds = 0.0
        self.names = 0
        self.created = 0
        self.suggestions = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += self.active
        return execute(sql, params, many, context)


@contextlib.contextmanager
def side_settings(linking: bool):
    """Linking on: the settings as configured (clustering included); off: neither."""
    from django.conf import settings
    from django.test import override_settings

    clustering = bool(getattr(settings, "VIGIE_EVENT_CLUSTERING", False)) and linking
    with override_settings(VIGIE_CROSS_LINKING=linking, VIGIE_EVENT_CLUSTERING=clustering):
        yield {"cross_linking": linking, "event_clustering": clustering}


def code_version() -> dict:
    """The commit measured, and the application files then changed but not committed (a shared tree)."""
    import subprocess

    def git(*command: str) -> str:
        run = subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True, check=False)
        return run.stdout.strip()

    changed = git("status", "--porcelain", "--", "articles", "entities", "config").splitlines()
    return {"commit": git("rev-parse", "--short", "HEAD"), "uncommitted": [line[3:] for line in changed]}


def chunks(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def run_pipeline(article_ids: list[int], chunk: int) -> tuple[list, float, list[int]]:
    """Vigie's pipeline over the articles, a worker's chunk at a time; (results, seconds, ms per article)."""
    from articles.models import Article
    from entities.nlp import iter_extract
    from entities.nlp.pipeline import BATCH_SIZE, get_nlp

    articles = {a.pk: a for a in Article.objects.filter(pk__in=article_ids).only("id", "text", "published_at")}
    ordered = [articles[pk] for pk in article_ids]
    list(get_nlp().pipe([a.text for a in ordered[:20]], batch_size=BATCH_SIZE))  # warm-up
    results, durations = [], []
    started = time.perf_counter()
    for part in chunks(ordered, chunk):
        clock = time.perf_counter()
        part_results = list(iter_extract((a.text, a.published_day) for a in part))
        results += part_results
        durations += [round((time.perf_counter() - clock) * 1000 / len(part))] * len(part)
    return results, time.perf_counter() - started, durations


def store_side(linking: bool, article_ids: list[int], results: list, durations: list[int], args, baseline) -> dict:
    """Store the pipeline's results with linking on or off, from the seeded state; the store is timed."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from articles import tasks
    from articles.models import Article
    from articles.services import articles_claim_for_extraction
    from entities import services
    from entities.models import Entity, EntityCandidate, EventCluster, Mention

    reset(article_ids, baseline)
    counter = Counter()
    resolve = services.entities_resolve

    def timed_resolve(wanted):
        started = time.perf_counter()
        resolution = resolve(wanted)
        counter.resolve_seconds += time.perf_counter() - started
        counter.names += len(resolution.entity_ids)
        counter.created += len(resolution.created)
        counter.suggestions += resolution.suggestions
        return resolution

    cluster = getattr(services, "cluster_reports", None)

    def timed_cluster(*a, **kw):
        started = time.perf_counter()
        try:
            return cluster(*a, **kw)
        finally:
            counter.cluster_seconds += time.perf_counter() - started

    items_by_id = dict(zip(article_ids, zip(results, durations, strict=True), strict=True))
    batch_size = min(args.chunk, settings.VIGIE_STORE_BATCH)
    batches = 0
    store_seconds = 0.0
    services.entities_resolve = timed_resolve
    if cluster is not None:
        services.cluster_reports = timed_cluster
    try:
        with side_settings(linking) as flags, connection.execute_wrapper(counter):
            for chunk in chunks(article_ids, args.chunk):
                claimed = articles_claim_for_extraction(chunk, "link-bench")  # as the task does (not timed)
                started_at = timezone.now()
                items = [
                    services.ExtractionToStore(pk, items_by_id[pk][0], started_at, items_by_id[pk][1]) for pk in claimed
                ]
                for batch in chunks(items, batch_size):
                    counter.active = True
                    started = time.perf_counter()
                    tasks._store_batch(batch)
                    store_seconds += time.perf_counter() - started
                    counter.active = False
                    batches += 1
    finally:
        services.entities_resolve = resolve
        if cluster is not None:
            services.cluster_reports = cluster
    return {
        "settings": flags,
        "store_seconds": round(store_seconds, 2),
        "linker_seconds": round(counter.resolve_seconds, 2),
        "clustering_seconds": round(counter.cluster_seconds, 2),
        "store_batches": batches,
        "queries_per_batch": round(counter.queries / batches, 1) if batches else None,
        "extracted": Article.objects.filter(pk__in=article_ids, status=Article.Status.EXTRACTED).count(),
        "names_resolved": counter.names,
        "entities_created": Entity.objects.filter(pk__gt=baseline["entity"]).count(),
        "names_linked_to_an_existing_entity": counter.names - counter.created,
        "merge_suggestions": EntityCandidate.objects.filter(pk__gt=baseline["candidate"]).count(),
        "event_clusters_created": EventCluster.objects.filter(pk__gt=baseline["cluster"]).count(),
        "mentions": Mention.objects.filter(article_id__in=article_ids).count(),
        "mentions_of_seeded_entities": Mention.objects.filter(
            article_id__in=article_ids, entity_id__lte=baseline["entity"]
        ).count(),
    }


def worker_side(linking: bool, article_ids: list[int], args, baseline) -> float:
    """The whole worker path (claim, pipeline, store) per chunk, from the seeded state; seconds."""
    from articles.tasks import extract_articles_now

    reset(article_ids, baseline)
    with side_settings(linking):
        started = time.perf_counter()
        for chunk in chunks(article_ids, args.chunk):
            extract_articles_now(chunk)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="times both sides' stores are measured (median)")
    parser.add_argument("--worker-rounds", type=int, default=1, help="times the whole worker path runs per side")
    parser.add_argument("--database-url", help="default: DATABASE_URL")
    parser.add_argument("--chunk", type=int, default=None, help="articles per task (default VIGIE_EXTRACTION_CHUNK)")
    parser.add_argument("--reseed", action="store_true", help="empty the database and seed it again")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--profile", action="store_true", help="profile one store with linking (cProfile, top 25)")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "link_bench.json"))
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    check_database_url()

    from import_bench import ensure_database

    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from ui_bench import machine_info

    from entities.linking import BLOCK_CAP
    from entities.models import Entity, EntityKey
    from entities.nlp import PIPELINE_VERSION

    args.chunk = args.chunk or settings.VIGIE_EXTRACTION_CHUNK
    call_command("migrate", verbosity=0)
    texts, per_year = load_texts(args.articles)
    params = {
        "articles": len(texts),
        "texts_sha256": hashlib.sha256("\x00".join(texts).encode()).hexdigest(),
        "entities": args.entities,
        "seed": args.seed,
        "pipeline_version": PIPELINE_VERSION,
        "seeder": hashlib.sha256(Path(__file__).read_bytes().split(b"# --- measurement")[0]).hexdigest()[:16],
    }
    state = read_state()
    fresh = args.reseed or not state or state.get("params") != params
    if fresh:
        print(f"Storing {len(texts)} articles (queued) ...", flush=True)
        truncate_all()
        article_ids = store_articles(texts)
    else:
        article_ids = bench_article_ids()
        if len(article_ids) != len(texts):
            raise SystemExit(f"{len(article_ids)} bench articles in the database, not {len(texts)}: use --reseed")
        reset(article_ids, state["baseline"])

    print(f"Pipeline over {len(article_ids)} articles, chunks of {args.chunk} ...", flush=True)
    results, pipeline_seconds, durations = run_pipeline(article_ids, args.chunk)
    print(f"  {pipeline_seconds:.1f} s", flush=True)

    if fresh:
        print(f"Seeding {args.entities:,} entities ...", flush=True)
        seeding = seed(args, results)
        state = {"params": params, "baseline": max_ids(), "seeding": seeding}
        write_state(state)
        print(f"  {json.dumps(seeding)}", flush=True)
    else:
        print("Database already seeded (use --reseed to start again).", flush=True)
    baseline, seeding = state["baseline"], {**state["seeding"], "this_run": fresh}

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        figures = store_side(True, article_ids, results, durations, args, baseline)
        profiler.disable()
        print(json.dumps(figures))
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        reset(article_ids, baseline)
        return

    rounds = []
    for i in range(args.rounds):
        order = (True, False) if i % 2 == 0 else (False, True)
        sides = {linking: store_side(linking, article_ids, results, durations, args, baseline) for linking in order}
        with_, without = sides[True], sides[False]
        rounds.append(
            {
                "first": "with linking" if order[0] else "without linking",
                "store_seconds_with_linking": with_["store_seconds"],
                "store_seconds_without_linking": without["store_seconds"],
                "linker_seconds": with_["linker_seconds"],
                "clustering_seconds": with_["clustering_seconds"],
                "end_to_end_seconds_with_linking": round(pipeline_seconds + with_["store_seconds"], 2),
                "end_to_end_seconds_without_linking": round(pipeline_seconds + without["store_seconds"], 2),
                "ratio_end_to_end": round(
                    (pipeline_seconds + without["store_seconds"]) / (pipeline_seconds + with_["store_seconds"]), 3
                ),
                "ratio_store": round(without["store_seconds"] / with_["store_seconds"], 3),
            }
        )
        print(json.dumps(rounds[-1]), file=sys.stderr, flush=True)

    worker_rounds = []
    for i in range(args.worker_rounds):
        order = (True, False) if i % 2 == 0 else (False, True)
        seconds = {linking: worker_side(linking, article_ids, args, baseline) for linking in order}
        worker_rounds.append(
            {
                "seconds_with_linking": round(seconds[True], 2),
                "seconds_without_linking": round(seconds[False], 2),
                "ratio": round(seconds[False] / seconds[True], 3),
            }
        )
        print(json.dumps({"worker_path": worker_rounds[-1]}), file=sys.stderr, flush=True)
    reset(article_ids, baseline)

    n = len(article_ids)

    def median(key: str) -> float:
        return round(statistics.median(r[key] for r in rounds), 2)

    e2e_with, e2e_without = median("end_to_end_seconds_with_linking"), median("end_to_end_seconds_without_linking")
    figures = {
        "benchmark": "link_bench",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "code": code_version(),
        "pipeline_version": PIPELINE_VERSION,
        "articles": n,
        "articles_per_year": per_year,
        "chunk": args.chunk,
        "entities_in_database": Entity.objects.count(),
        "entity_keys_in_database": EntityKey.objects.count(),
        "block_cap": BLOCK_CAP,
        "event_clustering_module": importlib.util.find_spec("entities.clustering") is not None,
        "seeding": seeding,
        "rounds": len(rounds),
        "pipeline_seconds": round(pipeline_seconds, 2),
        "pipeline_articles_per_second": round(n / pipeline_seconds, 1),
        "store_seconds_with_linking": median("store_seconds_with_linking"),
        "store_seconds_without_linking": median("store_seconds_without_linking"),
        "linker_seconds": median("linker_seconds"),
        "clustering_seconds": median("clustering_seconds"),
        "end_to_end_seconds_with_linking": e2e_with,
        "end_to_end_seconds_without_linking": e2e_without,
        "end_to_end_articles_per_second_with_linking": round(n / e2e_with, 1),
        "end_to_end_articles_per_second_without_linking": round(n / e2e_without, 1),
        "store_articles_per_second_with_linking": round(n / median("store_seconds_with_linking"), 1),
        "store_articles_per_second_without_linking": round(n / median("store_seconds_without_linking"), 1),
        # throughput with linking / without, same results stored from the same state; median round
        "ratio_end_to_end": statistics.median(r["ratio_end_to_end"] for r in rounds),
        "ratio_store": statistics.median(r["ratio_store"] for r in rounds),
        "per_round": rounds,
        "worker_path_per_round": worker_rounds,
        "last_round_with_linking": with_,
        "last_round_without_linking": without,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "target": {"ratio_end_to_end_gte": TARGET_RATIO},
        "target_met": statistics.median(r["ratio_end_to_end"] for r in rounds) >= TARGET_RATIO,
    }
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWritten to {output}")


if __name__ == "__main__":
    main()
