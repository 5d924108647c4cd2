"""Document-level entities and events, through the path the held-out evaluation uses.

    .venv/bin/python bench/eval_documents.py                 # temporary SQLite database
    .venv/bin/python bench/eval_documents.py --errors        # also every miss and false alarm, per article
    .venv/bin/python bench/eval_documents.py --database-url postgres://postgres@127.0.0.1:5432/vigie_eval_docs

The extraction issue's acceptance test imports held-out French articles with
``import_articles --sync`` (text only: no title, no date) and scores ``export_facts`` at
document level. We do not have those articles; this is the closest honest stand-in:
tests/data/security_articles.jsonl holds 16 articles written for this purpose (not taken from
any corpus), pasted the way analysts paste them (headline, rubric, date line, dateline,
« Lire aussi » line, copyright footer; 7 of them give no publication date), with gold written
before Vigie was ever run on them.

What runs: a fresh database (a temporary SQLite file, or the PostgreSQL database named by
``--database-url``, created if missing and, as its name must contain "eval", emptied by
dropping it first), ``manage.py migrate``, then ``manage.py import_articles FILE --format
jsonl --sync`` on a file holding only ``text`` and ``external_id``, then ``manage.py
export_facts OUT.jsonl``, each as a subprocess (no REDIS_URL, SECRET_KEY set, DEBUG unset).
The export is then scored against the gold.

Gold conventions:

- Entities: every person (PER), organisation (ORG), country or city (GPE) and region, sea,
  island or continent (LOC) named anywhere in the pasted text, headline, dateline, agency
  credit, « Lire aussi » line and copyright footer included. One entry per real-world entity
  per article, with the other surface forms found in the text as aliases (acronym, surname
  alone, long form). Nationality adjectives (« espagnol ») and roles (« le ministre de
  l'Intérieur ») are not entities; a ministry named as a body is an ORG. A name nested in a
  longer name (« Yaoundé » in « Centre interrégional de coordination de Yaoundé ») is not a
  separate entity unless it also stands alone somewhere. Exercise names and buildings are not
  entities.
- Events: one per real-world event in the article, not per trigger word (a meeting in the
  headline and the body is one event), typed with DESIGN.md's 12 types, for events that took
  place (announced plans, provisions of an agreement and foiled projects are not events).
  Events reported only in a « Lire aussi » line are not events of the article. A joint
  operation and the arrests it led to are two events (COOPERATION, ARREST); a visit and the
  talks held during it are two (VISIT, MEETING) when the text reports both.
- Participants: the entities taking part (actor, counterpart, target, the organisation in
  whose frame it happens, the country visited); the city where it happens is not one.
- Date: the date a careful reader gets from the text, at the precision the text gives
  (« 2024-03-12 », « 2019-03 », « 2017 »): an explicit or relative date tied to the event,
  resolved against the publication date the text gives; a statement or act tied to an occasion
  takes the occasion's date. A relative date (« jeudi ») in an article that gives no
  publication date (or gives no year) is null. A multi-day event takes its first day.
  Background events in the past are ``historical``.

Scoring (document level, micro-averaged over the articles):

- Surface forms are normalised: casefold, accents stripped, apostrophes and hyphens unified,
  spaces collapsed, a leading « le / la / les / l' » dropped.
- Entity: an exported entity (name, aliases, and the text of its mentions in this article)
  matches a gold entity (name and aliases) when the labels agree and a normalised form is
  shared; one-to-one (maximum bipartite matching). ``strict`` keeps GPE and LOC apart,
  ``place`` merges them. Only PER/ORG/GPE/LOC exports are scored (MISC is counted aside).
- Event: an exported event matches a gold event of the same article when the types agree and
  at least one gold participant shares a normalised form with an exported participant
  (labels ignored; the exported location is not a participant), or, for a gold event without
  participants, when one normalised trigger contains the other; one-to-one, greedy by number
  of participants shared, then trigger agreement.
- Date accuracy: over matched gold events that have a gold date, the exported ``date`` equals
  the gold string (so the precision must agree too).
- Cross-article identity (issue 5): every matched gold entity is keyed by its label and normalised
  name across articles (two names are one entity when an article lists one as the other's alias);
  ``recall`` is the share of pairs of its occurrences in two articles exported with one entity id,
  ``precision`` the share of pairs of occurrences with one id that are one gold entity,
  ``shared_ids`` the exported ids standing for two gold entities or more. Events likewise with
  ``cluster_id``, two gold events of two articles being one real-world event when their type and
  dated day agree and they share a participant (the gold has no event ids across articles).
- Diagnostics, not part of the headline figures: a ``lenient`` variant in which an exported
  entity or event that would match an already-matched gold one is not a false alarm (the
  same thing split in two), events matched on type and trigger alone (found, but without
  the right participants), recall of entities by where they are named (body, or only in the
  headline / dateline / boilerplate lines), null dates on matched events without a gold date,
  the publication date that cleaning inferred (the export's UTC instant read in TIME_ZONE).

Prints a table and writes JSON (default bench/results/eval_documents.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "security_articles.jsonl"
SCORED_LABELS = ("PER", "ORG", "GPE", "LOC")
PLACE = {"GPE": "PLACE", "LOC": "PLACE"}

# --- normalisation and matching (pure functions; tests/test_eval_documents.py) ----------

_APOSTROPHES = dict.fromkeys(map(ord, "’‘ʼ´`′"), "'")
_HYPHENS = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
_ARTICLE_RE = re.compile(r"^(?:l'|le |la |les )")
_EDGE_PUNCT = " \t\n«»\"'“”.,;:()[]"


def normalize(text: str) -> str:
    """Key for comparing surface forms: « L’Union  Européenne » and « union europeenne » agree."""
    text = text.translate(_APOSTROPHES).translate(_HYPHENS)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = " ".join(text.replace("' ", "'").split()).strip(_EDGE_PUNCT)
    return _ARTICLE_RE.sub("", text).strip(_EDGE_PUNCT)


def label_key(label: str, merge_places: bool) -> str:
    return PLACE.get(label, label) if merge_places else label


@dataclass
class Ent:
    """An entity of one article (gold or exported) as the scorer sees it."""

    name: str
    label: str
    forms: frozenset[str]
    key: Any = None  # gold name or exported entity id

    @classmethod
    def of(cls, name: str, label: str, surfaces: Iterable[str], key: Any = None) -> Ent:
        forms = frozenset(f for f in (normalize(s) for s in [name, *surfaces]) if f)
        return cls(name=name, label=label, forms=forms, key=key if key is not None else name)


def entity_compatible(gold: Ent, pred: Ent, merge_places: bool) -> bool:
    return label_key(gold.label, merge_places) == label_key(pred.label, merge_places) and bool(gold.forms & pred.forms)


def match_entities(gold: Sequence[Ent], pred: Sequence[Ent], merge_places: bool = False) -> dict[int, int]:
    """Maximum one-to-one matching, gold index -> predicted index (augmenting paths: the sets are small)."""
    edges = [[j for j, p in enumerate(pred) if entity_compatible(g, p, merge_places)] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


@dataclass
class Ev:
    """An event of one article: participants as sets of normalised forms (one set per entity)."""

    type: str
    trigger: str
    participants: list[frozenset[str]] = field(default_factory=list)
    date: str | None = None
    historical: bool = False
    names: list[str] = field(default_factory=list)  # for the error listing
    cluster: Any = None  # the exported cluster_id


def trigger_agrees(gold: str, pred: str) -> bool:
    g, p = normalize(gold), normalize(pred)
    return bool(g and p) and (g in p or p in g)


def participant_overlap(gold: Ev, pred: Ev) -> int:
    return sum(1 for forms in gold.participants if any(forms & other for other in pred.participants))


def event_score(gold: Ev, pred: Ev) -> tuple[int, int] | None:
    """(participants shared, trigger agrees) when the pair may match, else None."""
    if gold.type != pred.type:
        return None
    agrees = int(trigger_agrees(gold.trigger, pred.trigger))
    if gold.participants:
        shared = participant_overlap(gold, pred)
        return (shared, agrees) if shared else None
    return (0, 1) if agrees else None


def trigger_only_score(gold: Ev, pred: Ev) -> tuple[int, int] | None:
    """Diagnostic rule: same type and agreeing triggers, participants ignored."""
    return (0, 1) if gold.type == pred.type and trigger_agrees(gold.trigger, pred.trigger) else None


def match_events(gold: Sequence[Ev], pred: Sequence[Ev], rule: Any = event_score) -> dict[int, int]:
    """Greedy one-to-one matching by best overlap, gold index -> predicted index."""
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            score = rule(g, p)
            if score is not None:
                candidates.append((score, -i, -j))
    candidates.sort(reverse=True)
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _score, neg_i, neg_j in candidates:
        i, j = -neg_i, -neg_j
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    return pairs


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "tp": tp, "pred": n_pred, "gold": n_gold}


# --- reading gold and export --------------------------------------------------------------


def gold_entities(record: dict) -> list[Ent]:
    return [Ent.of(e["name"], e["label"], e.get("aliases", [])) for e in record["entities"]]


def gold_events(record: dict) -> list[Ev]:
    forms = {e.name: e.forms for e in gold_entities(record)}
    return [
        Ev(
            type=e["type"],
            trigger=e["trigger"],
            participants=[forms[p] for p in e["participants"]],
            date=e.get("date"),
            historical=bool(e.get("historical")),
            names=list(e["participants"]),
        )
        for e in record["events"]
    ]


def exported_entities(facts: dict) -> list[Ent]:
    """Every exported entity of the article, with its mention texts in this article as extra forms."""
    mention_texts: dict[Any, set[str]] = defaultdict(set)
    for m in facts.get("mentions", []):
        if m.get("entity_id") is not None:
            mention_texts[m["entity_id"]].add(m["text"])
    return [
        Ent.of(e["name"], e["label"], [*(e.get("aliases") or []), *mention_texts[e["id"]]], key=e["id"])
        for e in facts.get("entities", [])
    ]


def exported_events(facts: dict, entities: Sequence[Ent]) -> list[Ev]:
    by_id = {e.key: e for e in entities}
    events = []
    for e in facts.get("events", []):
        parts = [by_id[a["entity_id"]] for a in e.get("participants", []) if a.get("entity_id") in by_id]
        events.append(
            Ev(
                type=e["type"],
                trigger=(e.get("trigger") or {}).get("text") or "",
                participants=[p.forms for p in parts],
                date=e.get("date"),
                historical=bool(e.get("historical")),
                names=[p.name for p in parts],
                cluster=e.get("cluster_id"),
            )
        )
    return events


# --- where a gold entity is named (for the error analysis only) ----------------------------

_DATELINE_RE = re.compile(r"^(.{2,80}?)\s[-–—]\s")


def zones(text: str) -> list[tuple[int, int, str]]:
    """(start, end, zone) over the raw text: headline (lines before the body), dateline, boilerplate, body."""
    spans, offset, in_body = [], 0, False
    for line in text.split("\n"):
        start, end, stripped = offset, offset + len(line), line.strip()
        offset = end + 1
        if not stripped:
            continue
        if stripped.startswith(("Lire aussi", "©")):
            spans.append((start, end, "boilerplate"))
            continue
        if not in_body and not (stripped.endswith(".") or len(stripped) > 200):
            spans.append((start, end, "headline"))
            continue
        if not in_body:
            in_body = True
            m = _DATELINE_RE.match(line)
            if m:
                spans.append((start, start + m.end(), "dateline"))
                start += m.end()
        spans.append((start, end, "body"))
    return spans


def entity_zones(text: str, surfaces: Iterable[str]) -> set[str]:
    found = set()
    layout = zones(text)
    for surface in surfaces:
        for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text):
            found.update(zone for start, end, zone in layout if start <= m.start() < end)
    return found


def zone_class(found: set[str]) -> str:
    if "body" in found:
        return "body"
    return "only " + "+".join(sorted(found)) if found else "unlocated"


def local_day(instant: str | None) -> str | None:
    """The export writes published_at as a UTC instant: a day-precision date is midnight in TIME_ZONE."""
    if not instant:
        return None
    zone = ZoneInfo(os.environ.get("TIME_ZONE", "Europe/Paris"))
    return dt.datetime.fromisoformat(instant).astimezone(zone).date().isoformat()


# --- scoring ---------------------------------------------------------------------------------


def cross_article(occurrences: Sequence[tuple[Any, str, Any]]) -> dict[str, Any]:
    """Cross-article identity from (gold key, article, exported id) occurrences, one per matched gold item.

    ``recall``: of the pairs of occurrences of one gold item in two articles, the share that have one
    exported id. ``precision``: of the pairs of occurrences in two articles that have one exported id,
    the share that are one gold item. ``shared_ids``: exported ids standing for two gold items or more.
    """
    pairs_same_gold = pairs_linked = pairs_same_id = 0
    golds_by_id: dict[Any, set] = defaultdict(set)
    items = [o for o in occurrences if o[2] is not None]
    for gold, _, pred in items:
        golds_by_id[pred].add(gold)
    for i, (g1, a1, p1) in enumerate(items):
        for g2, a2, p2 in items[i + 1 :]:
            if a1 == a2:
                continue
            pairs_same_gold += g1 == g2
            pairs_linked += g1 == g2 and p1 == p2
            pairs_same_id += p1 == p2
    in_several = Counter(g for g, _ in {(g, a) for g, a, _ in items})
    ids_by_gold: dict[Any, set] = defaultdict(set)
    where: dict[Any, set] = defaultdict(set)
    for gold, article, pred in items:
        ids_by_gold[gold].add(pred)
        where[gold].add(f"{article}:{pred}")
    return {
        "gold_items_in_several_articles": sum(1 for n in in_several.values() if n > 1),
        "pairs": pairs_same_gold,
        "recall": round(pairs_linked / pairs_same_gold, 3) if pairs_same_gold else None,
        "precision": round(pairs_linked / pairs_same_id, 3) if pairs_same_id else None,
        "shared_ids": sum(1 for golds in golds_by_id.values() if len(golds) > 1),
        # for --errors: gold items exported under several ids, and ids standing for several gold items
        "split": [
            [str(g), sorted(where[g])]
            for g, ids in ids_by_gold.items()
            if len(ids) > 1 and len({w.split(":")[0] for w in where[g]}) > 1
        ],
        "joined": [[str(p), sorted(map(str, golds))] for p, golds in golds_by_id.items() if len(golds) > 1],
    }


def gold_identities(records: Sequence[dict]) -> dict[tuple[str, str], tuple[str, str]]:
    """Cross-article key of every gold entity: (label, normalised name), two names being one entity
    when an article gives one as an alias of the other (« Abdulaziz bin Saud bin Nayef » listed under
    « Abdelaziz Ben Saoud Ben Nayef »). A shared alias that is no entity's name (« Ould Ahmed ») joins nothing."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(k: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(k, k)
        while parent[k] != k:
            k = parent[k]
        return k

    names = {(e["label"], normalize(e["name"])) for r in records for e in r["entities"]}
    for record in records:
        for e in record["entities"]:
            key = (e["label"], normalize(e["name"]))
            for alias in e.get("aliases", []):
                other = (e["label"], normalize(alias))
                if other in names and other != key and root(other) != root(key):
                    parent[root(other)] = root(key)
    return {k: root(k) for k in names}


def _same_gold_events(records: Sequence[dict]) -> dict[tuple[str, int], int]:
    """A cross-article key for every gold event: one real-world event when the type and the dated day
    agree and at least one participant is shared (gold has no event ids across articles)."""
    keys: dict[tuple[str, int], int] = {}
    seen: list[tuple[str, str, frozenset[str], int]] = []
    for record in records:
        for index, e in enumerate(record["events"]):
            if not e.get("date"):
                continue
            names = frozenset(normalize(p) for p in e["participants"])
            key = next((k for t, d, n, k in seen if t == e["type"] and d == e["date"] and n & names), len(seen))
            seen.append((e["type"], e["date"], names, key))
            keys[(record["id"], index)] = key
    return keys


def score(records: Sequence[dict], exports: dict[str, dict]) -> dict:
    """Score every gold record against its exported facts (keyed by external_id)."""
    ent = {v: Counter() for v in ("strict", "place")}
    ent_label = {v: defaultdict(Counter) for v in ("strict", "place")}
    ent_lenient_fp = Counter()
    zone_counts: dict[str, Counter] = defaultdict(Counter)
    misc = 0
    ev, ev_type = Counter(), defaultdict(Counter)
    ev_trigger_only = 0
    ev_lenient_fp = 0
    dates = Counter()
    published = Counter()
    articles = []
    entity_links: list[tuple[Any, str, Any]] = []
    event_links: list[tuple[Any, str, Any]] = []
    same_event = _same_gold_events(records)
    identity = gold_identities(records)

    for record in records:
        facts = exports.get(record["id"], {})
        gold_e = gold_entities(record)
        all_pred = exported_entities(facts)
        pred_e = [e for e in all_pred if e.label in SCORED_LABELS]
        misc += len(all_pred) - len(pred_e)
        report: dict[str, Any] = {"id": record["id"], "start": " ".join(record["text"].split()[:10])}
        for variant, merge in (("strict", False), ("place", True)):
            pairs = match_entities(gold_e, pred_e, merge)
            matched_pred = set(pairs.values())
            ent[variant].update(tp=len(pairs), pred=len(pred_e), gold=len(gold_e))
            for g in gold_e:
                ent_label[variant][label_key(g.label, merge)]["gold"] += 1
            for p in pred_e:
                ent_label[variant][label_key(p.label, merge)]["pred"] += 1
            for i in pairs:
                ent_label[variant][label_key(gold_e[i].label, merge)]["tp"] += 1
            false_alarms = [p for j, p in enumerate(pred_e) if j not in matched_pred]
            split = [p for p in false_alarms if any(entity_compatible(g, p, merge) for g in gold_e)]
            ent_lenient_fp[variant] += len(false_alarms) - len(split)
            if variant == "strict":
                entity_links += [
                    (identity[(gold_e[i].label, normalize(gold_e[i].name))], record["id"], pred_e[j].key)
                    for i, j in pairs.items()
                ]
                report["entity_misses"] = []
                for i, g in enumerate(gold_e):
                    found = entity_zones(record["text"], [g.name, *record["entities"][i].get("aliases", [])])
                    where = zone_class(found)
                    zone_counts[where]["gold"] += 1
                    if i in pairs:
                        zone_counts[where]["tp"] += 1
                    else:
                        near = [f"{p.name}/{p.label}" for p in pred_e if g.forms & p.forms]
                        report["entity_misses"].append({"name": g.name, "label": g.label, "where": where, "near": near})
                report["entity_false_alarms"] = [
                    {"name": p.name, "label": p.label, "split": p in split} for p in false_alarms
                ]

        gold_v = gold_events(record)
        pred_v = exported_events(facts, all_pred)
        ev_trigger_only += len(match_events(gold_v, pred_v, trigger_only_score))
        pairs = match_events(gold_v, pred_v)
        ev.update(tp=len(pairs), pred=len(pred_v), gold=len(gold_v))
        event_links += [
            (same_event[(record["id"], i)], record["id"], pred_v[j].cluster)
            for i, j in pairs.items()
            if (record["id"], i) in same_event
        ]
        for g in gold_v:
            ev_type[g.type]["gold"] += 1
        for p in pred_v:
            ev_type[p.type]["pred"] += 1
        for i in pairs:
            ev_type[gold_v[i].type]["tp"] += 1
        unmatched = [j for j in range(len(pred_v)) if j not in set(pairs.values())]
        split_events = [j for j in unmatched if any(event_score(g, pred_v[j]) for g in gold_v)]
        ev_lenient_fp += len(unmatched) - len(split_events)
        report["event_misses"], report["date_errors"] = [], []
        for i, g in enumerate(gold_v):
            if i not in pairs:
                same_type = [f"{p.trigger}{p.names}" for p in pred_v if p.type == g.type]
                report["event_misses"].append(
                    {"type": g.type, "trigger": g.trigger, "participants": g.names, "same_type_exported": same_type}
                )
                continue
            p = pred_v[pairs[i]]
            if g.date is None:
                dates["null_gold"] += 1
                dates["null_gold_null_pred"] += p.date is None
            else:
                dates["gold"] += 1
                dates["exact"] += p.date == g.date
                if p.date != g.date:
                    report["date_errors"].append(
                        {"type": g.type, "trigger": g.trigger, "gold": g.date, "exported": p.date}
                    )
        report["event_false_alarms"] = [
            {"type": pred_v[j].type, "trigger": pred_v[j].trigger, "participants": pred_v[j].names,
             "date": pred_v[j].date, "split": j in split_events}
            for j in unmatched
        ]  # fmt: skip
        inferred = local_day((facts.get("article") or {}).get("published_at"))
        published["gold_dated" if record["published"] else "gold_undated"] += 1
        if record["published"]:
            published["found"] += inferred == record["published"]
        else:
            published["none_inferred"] += inferred is None
        report["published"] = {"gold": record["published"], "inferred": inferred}
        report["title"] = (facts.get("article") or {}).get("title")
        report["exported"] = facts != {}
        report["status"] = (facts.get("article") or {}).get("status", "missing")
        articles.append(report)

    def table(counts: dict[str, Counter]) -> dict[str, dict]:
        return {k: prf(c["tp"], c["pred"], c["gold"]) for k, c in sorted(counts.items())}

    return {
        "articles": len(records),
        "articles_exported": sum(a["exported"] for a in articles),
        "article_status": dict(Counter(a["status"] for a in articles)),
        "entities": {
            v: {
                "micro": prf(ent[v]["tp"], ent[v]["pred"], ent[v]["gold"]),
                "per_label": table(ent_label[v]),
                "lenient": prf(ent[v]["tp"], ent[v]["tp"] + ent_lenient_fp[v], ent[v]["gold"]),
            }
            for v in ("strict", "place")
        },
        "entities_misc_exported": misc,
        "entity_recall_by_where_named": {k: prf(c["tp"], c["tp"], c["gold"])["r"] for k, c in zone_counts.items()},
        "entity_gold_by_where_named": {k: c["gold"] for k, c in zone_counts.items()},
        "events": {
            "micro": prf(ev["tp"], ev["pred"], ev["gold"]),
            "per_type": table(ev_type),
            "lenient": prf(ev["tp"], ev["tp"] + ev_lenient_fp, ev["gold"]),
            "type_and_trigger_only": prf(ev_trigger_only, ev["pred"], ev["gold"]),
        },
        "event_dates": {
            "accuracy": round(dates["exact"] / dates["gold"], 3) if dates["gold"] else None,
            "exact": dates["exact"],
            "matched_with_gold_date": dates["gold"],
            "matched_without_gold_date": dates["null_gold"],
            "of_which_exported_null": dates["null_gold_null_pred"],
        },
        "publication_date": dict(published),
        "cross_article": {"entities": cross_article(entity_links), "events": cross_article(event_links)},
        "per_article": articles,
    }


# --- running Vigie -----------------------------------------------------------------------------


def prepare_postgres(url: str) -> None:
    """Create the database named in the URL, dropping it first: its name must say it is an eval database."""
    import dj_database_url
    import psycopg

    db = dj_database_url.parse(url)
    if "eval" not in db["NAME"]:
        sys.exit(f"refusing to drop and recreate {db['NAME']!r}: use a database whose name contains 'eval'")
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"], "dbname": "postgres"}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def manage(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    if "ERROR" in done.stderr:  # a failed extraction is logged, not raised: show why
        print(done.stderr[-3000:], file=sys.stderr)
    return done.stdout.strip()


def run_vigie(
    records: Sequence[dict], database_url: str | None, tmp: Path, keep_export: str | None = None
) -> tuple[dict[str, dict], dict]:
    if database_url:
        prepare_postgres(database_url)
    else:
        database_url = f"sqlite:///{tmp / 'eval.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DEBUG", "DATABASE_URL")}
    env.update(DATABASE_URL=database_url, MEDIA_ROOT=str(tmp / "media"), PYTHONUNBUFFERED="1")
    env.setdefault("SECRET_KEY", "eval-documents-not-a-secret-" + "x" * 30)

    texts = tmp / "articles.jsonl"
    with texts.open("w", encoding="utf-8") as out:
        for r in records:
            out.write(json.dumps({"external_id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n")
    facts = tmp / "facts.jsonl"
    timings = {}
    started = time.perf_counter()
    manage(["migrate", "--noinput", "-v", "0"], env)
    timings["migrate_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    summary = manage(["import_articles", str(texts), "--format", "jsonl", "--sync"], env)
    timings["import_sync_s"] = round(time.perf_counter() - started, 1)
    manage(["export_facts", str(facts)], env)
    if keep_export:
        shutil.copyfile(facts, keep_export)
    exports = {}
    with facts.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            exports[row["article"]["external_id"]] = row
    return exports, {"import_summary": summary, **timings, "database": database_url.split(":", 1)[0]}


def git_state() -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    return {"commit": git("rev-parse", "--short", "HEAD"), "dirty_nlp": bool(git("status", "--porcelain", "entities"))}


# --- output --------------------------------------------------------------------------------------


def print_table(result: dict) -> None:
    def row(name: str, f: dict) -> str:
        counts = f"({f['tp']}/{f['pred']} pred, {f['gold']} gold)"
        return f"  {name:<24} P {f['p']:.3f}  R {f['r']:.3f}  F1 {f['f1']:.3f}   {counts}"

    print(f"{result['articles']} articles, {result['articles_exported']} exported, status {result['article_status']}")
    if set(result["article_status"]) != {"extracted"}:
        print("WARNING: some articles were not extracted (see the import's log above): the figures below are not valid")
    for variant in ("strict", "place"):
        e = result["entities"][variant]
        print(f"Entities ({variant}{': GPE and LOC kept apart' if variant == 'strict' else ': GPE+LOC as PLACE'})")
        print(row("micro", e["micro"]))
        for label, f in e["per_label"].items():
            print(row(label, f))
        print(row("lenient (splits ok)", e["lenient"]))
    print(f"  MISC entities exported (not scored): {result['entities_misc_exported']}")
    print("  recall by where the entity is named:")
    for where, r in sorted(result["entity_recall_by_where_named"].items()):
        print(f"    {where:<28} {r:.3f}  of {result['entity_gold_by_where_named'][where]}")
    print("Events")
    print(row("micro", result["events"]["micro"]))
    for kind, f in result["events"]["per_type"].items():
        print(row(kind, f))
    print(row("lenient (splits ok)", result["events"]["lenient"]))
    print(row("type+trigger, no args", result["events"]["type_and_trigger_only"]))
    d = result["event_dates"]
    print(
        f"Event dates: {d['exact']}/{d['matched_with_gold_date']} exact"
        f" = {d['accuracy']}; matched events without a gold date: {d['matched_without_gold_date']}"
        f" ({d['of_which_exported_null']} exported null)"
    )
    print(f"Publication date inferred by cleaning: {result['publication_date']}")
    for what, c in result["cross_article"].items():
        print(
            f"Cross-article {what}: {c['gold_items_in_several_articles']} gold {what} in several articles,"
            f" {c['pairs']} pairs; linking recall {c['recall']}, precision {c['precision']};"
            f" exported ids standing for two gold {what} or more: {c['shared_ids']}"
        )


def print_errors(result: dict) -> None:
    for a in result["per_article"]:
        print(f"\n== {a['id']}: {a['start']} …  (title: {a['title']!r}, published {a['published']})")
        for m in a["entity_misses"]:
            near = f"  [exported as {', '.join(m['near'])}]" if m["near"] else ""
            print(f"  entity miss   {m['label']:<4} {m['name']}  ({m['where']}){near}")
        for f in a["entity_false_alarms"]:
            print(f"  entity FA     {f['label']:<4} {f['name']}{'  (split of a matched entity)' if f['split'] else ''}")
        for m in a["event_misses"]:
            same = f"same type exported: {m['same_type_exported']}"
            print(f"  event miss    {m['type']:<12} {m['trigger']!r} {m['participants']}  {same}")
        for f in a["event_false_alarms"]:
            tag = "  (split)" if f["split"] else ""
            print(f"  event FA      {f['type']:<12} {f['trigger']!r} {f['participants']} {f['date']}{tag}")
        for d in a["date_errors"]:
            print(f"  date          {d['type']:<12} {d['trigger']!r} gold {d['gold']} exported {d['exported']}")
    for what, c in result["cross_article"].items():
        for gold, places in c["split"]:
            print(f"  cross-article {what}: {gold} exported under several ids (article:id) {places}")
        for pred, golds in c["joined"]:
            print(f"  cross-article {what}: id {pred} stands for {golds}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", default=str(GOLD))
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a temporary SQLite file)")
    parser.add_argument("--errors", action="store_true", help="print every miss and false alarm per article")
    parser.add_argument("--keep-export", metavar="PATH", help="also copy export_facts' output there")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "eval_documents.json"))
    args = parser.parse_args()

    with open(args.gold, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    with tempfile.TemporaryDirectory(prefix="vigie-eval-docs-") as tmp:
        exports, run = run_vigie(records, args.database_url, Path(tmp), args.keep_export)
    result = {"harness": "eval_documents", "gold": os.path.relpath(args.gold, ROOT), **run, **git_state()}
    result.update(score(records, exports))
    print(run["import_summary"])
    print_table(result)
    if args.errors:
        print_errors(result)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {output}")


if __name__ == "__main__":
    main()
