"""Writes on articles: ingest (paste, upload, bulk import), import jobs, extraction status.

Every function that a person triggers takes ``actor`` and writes its audit row in
the same transaction; work for the workers is queued with ``transaction.on_commit``
so a worker never sees an id whose row is not committed yet.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles import dedup
from articles.bulk import bulk_insert
from articles.cleaning import clean_article
from articles.dates import parse_published
from articles.importers import (
    ImportRejected,
    Limits,
    RawRecord,
    RecordError,
    count_records,
    iter_records,
    read_document,
)
from articles.language import detect_language
from articles.models import Article, AuditEntry, ImportJob, ImportProblem, MinHashBand, Source, review_claim_expiry

logger = logging.getLogger(__name__)

TITLE_MAX = 500

# Errors of the database connection rather than of the data (server restarted, connection
# dropped, lock timeout): the work is retried with backoff, never marked failed for them.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


class IngestError(Exception):
    """Input that cannot become an article; the message is for the person who sent it."""


def upload_limits() -> Limits:
    return Limits(
        max_file_bytes=settings.VIGIE_MAX_FILE_BYTES,
        max_zip_entries=settings.VIGIE_MAX_ZIP_ENTRIES,
        max_zip_total_bytes=settings.VIGIE_MAX_ZIP_TOTAL_BYTES,
    )


@dataclass
class ArticleInput:
    """One article as given by a person or an import row, before cleaning."""

    text: str
    title: str | None = None
    published_at: str | dt.date | dt.datetime | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    external_id: str | None = None
    location: str = ""
    origin: str = Article.Origin.PASTE
    filename: str | None = None
    original_file: UploadedFile | None = None


@dataclass
class IngestOutcome:
    location: str
    kind: str  # "created" | "duplicate" | "rejected"
    article: Article | None = None
    reason: str = ""
    flags: list[str] = field(default_factory=list)

    @property
    def created(self) -> bool:
        return self.kind == "created"


@dataclass
class _Prepared:
    input: ArticleInput
    article: Article
    signature: object  # numpy array
    bands: list[int]
    flags: list[str]


# ---------------------------------------------------------------------------
# Preparing one article (no database access)


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _safe_url(url: str | None, flags: list[str]) -> str:
    # Import rows are not validated by a form: only web links may become an
    # href (a "javascript:" URL would run in the analyst's browser).
    url = (url or "").strip()
    if not url:
        return ""
    if not url.lower().startswith(("http://", "https://")) or len(url) > 2000:
        flags.append(f"url {url[:60]!r} ignored: not an http(s) link")
        return ""
    return url


def _prepare(item: ArticleInput) -> _Prepared:
    if not item.text or not item.text.strip():
        raise IngestError("empty text")
    cleaned = clean_article(item.text, title=(item.title or None))
    if not cleaned.text.strip():
        raise IngestError("no article text left once boilerplate lines were removed")
    flags: list[str] = []

    published_at, precision, inferred = None, "", False
    try:
        given = parse_published(item.published_at)
    except ValueError as exc:
        given = None
        flags.append(f"{exc}; date ignored")
    if given is not None:
        published_at, precision = _aware(given.at), given.precision
    elif cleaned.published is not None:
        found = cleaned.published
        published_at = _aware(dt.datetime.combine(found.value, found.time or dt.time.min))
        precision, inferred = found.precision, True

    language = (item.language or "").strip().lower()[:12] or detect_language(cleaned.text)
    if language and language != "fr":
        flags.append(f"language is '{language}', not French")

    title = (item.title or "").strip() or cleaned.title
    article = Article(
        title=title[:TITLE_MAX] or "(sans titre)",
        title_inferred=not (item.title or "").strip(),
        text=cleaned.text,
        raw_text=item.text,
        origin=item.origin,
        original_filename=(item.filename or "")[:500],
        published_at=published_at,
        published_precision=precision,
        published_inferred=inferred,
        language=language,
        url=_safe_url(item.url, flags),
        external_id=(item.external_id or "").strip()[:200],
        dateline_place=(cleaned.dateline_place or "")[:200],
        agency=(cleaned.agency or "")[:100],
        rubric=(cleaned.rubric or "")[:200],
        removed_lines=[{"kind": r.kind, "text": r.text} for r in cleaned.removed],
        content_hash=dedup.content_hash(cleaned.text),
    )
    sig = dedup.signature(cleaned.text)
    article.minhash = dedup.signature_to_bytes(sig)
    if item.original_file is not None:
        article.original_file = item.original_file
    return _Prepared(item, article, sig, dedup.band_keys(sig), flags)


# ---------------------------------------------------------------------------
# Writing a batch


def _sources_by_name(names: set[str]) -> dict[str, Source]:
    if not names:
        return {}
    existing = {s.name: s for s in Source.objects.filter(name__in=names)}
    missing = [Source(name=n) for n in names if n not in existing]
    if missing:
        Source.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {s.name: s for s in Source.objects.filter(name__in=names)}
    return existing


def _bands_matching(keys: set[int]) -> list[tuple[int, int]]:
    if connection.vendor == "postgresql":
        # One array parameter instead of thousands of IN placeholders.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id, key FROM {MinHashBand._meta.db_table} WHERE key = ANY(%s)", [list(keys)]
            )
            return cursor.fetchall()
    return list(MinHashBand.objects.filter(key__in=keys).values_list("article_id", "key"))


def _near_duplicates(prepared: list[_Prepared]) -> dict[int, tuple[int | _Prepared, float]]:
    """For each prepared index, the most similar earlier article (id, or a batch sibling) above the threshold."""
    threshold = settings.VIGIE_NEAR_DUPLICATE_THRESHOLD
    all_keys = {k for p in prepared for k in p.bands}
    candidates_by_key: dict[int, set[int]] = {}
    for article_id, key in _bands_matching(all_keys):
        candidates_by_key.setdefault(key, set()).add(article_id)
    candidate_ids = set().union(*candidates_by_key.values()) if candidates_by_key else set()
    signatures = {
        pk: dedup.signature_from_bytes(sig)
        for pk, sig in Article.objects.filter(pk__in=candidate_ids).values_list("pk", "minhash")
    }

    found: dict[int, tuple[int | _Prepared, float]] = {}
    earlier_in_batch: dict[int, list[_Prepared]] = {}
    for index, p in enumerate(prepared):
        best: tuple[int | _Prepared, float] | None = None
        ids = {pk for k in p.bands for pk in candidates_by_key.get(k, ())}
        for pk in ids:
            score = dedup.similarity(p.signature, signatures[pk])
            if score >= threshold and (best is None or score > best[1]):
                best = (pk, score)
        siblings = {id(s): s for k in p.bands for s in earlier_in_batch.get(k, ())}
        for sibling in siblings.values():
            score = dedup.similarity(p.signature, sibling.signature)
            if score >= threshold and (best is None or score > best[1]):
                best = (sibling, score)
        if best is not None:
            found[index] = best
        for k in p.bands:
            earlier_in_batch.setdefault(k, []).append(p)
    return found


def articles_ingest(
    *,
    actor: AbstractBaseUser | None,
    inputs: list[ArticleInput],
    import_job: ImportJob | None = None,
    enqueue_extraction: bool = True,
) -> list[IngestOutcome]:
    """Clean, deduplicate and store a batch of articles in one transaction.

    Returns one outcome per input, in order: created (with flags such as
    "not French" or "near-duplicate of #12"), duplicate (pointing to the
    existing article) or rejected (with the reason). A bad input never stops
    the good ones. New articles are queued for extraction once committed.
    """
    outcomes: list[IngestOutcome | None] = [None] * len(inputs)
    prepared: list[tuple[int, _Prepared]] = []
    for index, item in enumerate(inputs):
        try:
            prepared.append((index, _prepare(item)))
        except IngestError as exc:
            outcomes[index] = IngestOutcome(item.location, "rejected", reason=str(exc))

    with transaction.atomic():
        # Exact duplicates: against stored articles, then within the batch.
        hashes = {p.article.content_hash for _, p in prepared}
        existing = dict(Article.objects.filter(content_hash__in=hashes).values_list("content_hash", "pk"))
        fresh: list[tuple[int, _Prepared]] = []
        first_in_batch: dict[str, _Prepared] = {}
        for index, p in prepared:
            h = p.article.content_hash
            if h in existing:
                outcomes[index] = _duplicate(p, existing[h])
            elif h in first_in_batch:
                outcomes[index] = IngestOutcome(
                    p.input.location, "duplicate", reason="same text as an earlier row of this import"
                )
                outcomes[index].article = first_in_batch[h].article  # id known after the insert
            else:
                first_in_batch[h] = p
                fresh.append((index, p))

        near = _near_duplicates([p for _, p in fresh])
        sources = _sources_by_name(
            {p.input.source.strip()[:200] for _, p in fresh if p.input.source and p.input.source.strip()}
        )
        for _, p in fresh:
            if p.input.source and p.input.source.strip():
                p.article.source = sources.get(p.input.source.strip()[:200])
            p.article.created_by = actor if actor is not None and actor.is_authenticated else None
            p.article.import_job = import_job

        created = _insert(fresh, outcomes)
        _link_near_duplicates(fresh, near, outcomes)
        _insert_bands([(p.article.pk, k) for _, p in created for k in set(p.bands)])
        if import_job is None and actor is not None:
            AuditEntry.objects.bulk_create(
                [
                    AuditEntry(
                        actor=actor,
                        action="article.create",
                        article=p.article,
                        object_type="article",
                        object_id=str(p.article.pk),
                        after={
                            "title": p.article.title,
                            "origin": p.article.origin,
                            "content_hash": p.article.content_hash,
                        },
                    )
                    for _, p in created
                ]
            )
        if enqueue_extraction and created:
            ids = [p.article.pk for _, p in created]
            transaction.on_commit(lambda: enqueue_extractions(ids))

    # Within-batch duplicates point to the article stored for the same text, now that it has an id.
    for outcome in outcomes:
        if outcome is not None and outcome.kind == "duplicate" and outcome.article is not None and outcome.article.pk:
            outcome.reason = f"duplicate of article #{outcome.article.pk}"
    return [o for o in outcomes if o is not None]


def _duplicate(p: _Prepared, existing_id: int) -> IngestOutcome:
    return IngestOutcome(
        p.input.location,
        "duplicate",
        article=Article(pk=existing_id),
        reason=f"duplicate of article #{existing_id}",
    )


def _insert(fresh: list[tuple[int, _Prepared]], outcomes: list) -> list[tuple[int, _Prepared]]:
    """Insert new articles; a concurrent insert of the same text becomes a duplicate, not an error."""
    try:
        with transaction.atomic():
            bulk_insert(Article, [p.article for _, p in fresh])
        created = fresh
    except IntegrityError:
        # Another import stored one of these texts since we looked: fall back
        # to one savepoint per row so only the clashing rows are affected.
        created = []
        for index, p in fresh:
            p.article.pk = None
            try:
                with transaction.atomic():
                    p.article.save(force_insert=True)
                created.append((index, p))
            except IntegrityError:
                winner = (
                    Article.objects.filter(content_hash=p.article.content_hash).values_list("pk", flat=True).first()
                )
                outcomes[index] = _duplicate(p, winner)
    for index, p in created:
        outcomes[index] = IngestOutcome(p.input.location, "created", article=p.article, flags=list(p.flags))
    return created


def _insert_bands(rows: list[tuple[int, int]]) -> None:
    # Twenty rows per article: building a model instance for each costs more
    # than the insert itself, so this one table is written with executemany.
    if not rows:
        return
    table = MinHashBand._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (article_id, key) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} (article_id, key) VALUES (%s, %s)", rows)


def _link_near_duplicates(fresh: list[tuple[int, _Prepared]], near: dict, outcomes: list) -> None:
    changed = []
    for position, (index, p) in enumerate(fresh):
        if position not in near or p.article.pk is None:
            continue
        target, score = near[position]
        target_id = target.article.pk if isinstance(target, _Prepared) else target
        if target_id is None or target_id == p.article.pk:
            continue
        p.article.near_duplicate_of_id = target_id
        p.article.near_duplicate_score = round(score, 3)
        changed.append(p.article)
        outcome = outcomes[index]
        if outcome is not None:
            outcome.flags.append(f"near-duplicate of article #{target_id} (similarity {score:.2f})")
    if changed:
        Article.objects.bulk_update(changed, ["near_duplicate_of", "near_duplicate_score"])


def publish(task, *args) -> bool:
    """Hand a message to the broker; False (logged) when the broker refused or did not answer in time.

    The timeouts and the retry policy are bounded (CELERY_BROKER_TRANSPORT_OPTIONS,
    CELERY_TASK_PUBLISH_RETRY_POLICY), so a dead or hung broker costs a request a
    few seconds, never a hang. The row stays the source of truth either way.
    """
    try:
        task.apply_async(args=args)
    except Exception:
        logger.warning("could not enqueue %s%s: the row stays for the relay", task.name, args, exc_info=True)
        return False
    return True


def enqueue_extractions(article_ids: list[int]) -> int:
    """Publish extraction work in chunks: one message per few articles, processed with nlp.pipe.

    Each chunk the broker accepted is marked ``enqueued_at``; when the broker is
    down the rest stay unmarked (without waiting for a timeout per chunk), and the
    relay publishes them once it is back. Claims stay per article, so a
    redelivered chunk only redoes what no one finished. Returns the articles published.
    """
    # Imported here: tasks import services, not the other way round at module load.
    from articles.tasks import extract_articles

    size = settings.VIGIE_EXTRACTION_CHUNK
    published = 0
    for start in range(0, len(article_ids), size):
        chunk = article_ids[start : start + size]
        if not publish(extract_articles, chunk):
            break
        Article.objects.filter(pk__in=chunk, status=Article.Status.QUEUED, enqueued_at__isnull=True).update(
            enqueued_at=timezone.now()
        )
        published += len(chunk)
    return published


def enqueue_import(job_id: int) -> bool:
    """Publish a job's run; the job is marked ``enqueued_at`` once the broker accepted it."""
    from articles.tasks import run_import

    if not publish(run_import, job_id):
        return False
    ImportJob.objects.filter(pk=job_id, enqueued_at__isnull=True).update(enqueued_at=timezone.now())
    return True


# ---------------------------------------------------------------------------
# Paste and upload (one person, one request)


def article_create_from_paste(
    *,
    actor: AbstractBaseUser,
    text: str,
    title: str = "",
    source: str = "",
    url: str = "",
    published_at: dt.date | dt.datetime | None = None,
) -> IngestOutcome:
    """Store a pasted article; raises IngestError for input that cannot become one."""
    item = ArticleInput(text=text, title=title, source=source, url=url, published_at=published_at, location="paste")
    outcome = articles_ingest(actor=actor, inputs=[item])[0]
    if outcome.kind == "rejected":
        raise IngestError(outcome.reason)
    return outcome


def articles_create_from_uploads(
    *, actor: AbstractBaseUser, files: list[UploadedFile], source: str = ""
) -> list[IngestOutcome]:
    """One article per uploaded file; a bad file is reported and the others are stored."""
    limits = upload_limits()
    inputs: list[ArticleInput] = []
    rejected: list[IngestOutcome] = []
    for upload in files:
        name = os.path.basename(upload.name or "upload")
        location = f"file {name}"
        if upload.size is not None and upload.size > limits.max_file_bytes:
            rejected.append(IngestOutcome(location, "rejected", reason=_too_big(upload.size, limits.max_file_bytes)))
            continue
        try:
            doc = read_document(name, upload.read(), limits=limits)
        except ImportRejected as exc:
            rejected.append(IngestOutcome(location, "rejected", reason=str(exc)))
            continue
        upload.seek(0)
        inputs.append(
            ArticleInput(
                text=doc.text,
                title=doc.title,
                published_at=doc.published,
                source=source,
                location=location,
                origin=Article.Origin.UPLOAD,
                filename=name,
                original_file=upload,
            )
        )
    return rejected + articles_ingest(actor=actor, inputs=inputs)


def _too_big(size: int, limit: int) -> str:
    return f"file is {size / 1_048_576:.1f} MB, over the {limit / 1_048_576:.0f} MB limit"


# ---------------------------------------------------------------------------
# Bulk import jobs


def import_job_create(
    *,
    actor: AbstractBaseUser | None,
    file: UploadedFile | None = None,
    path: str = "",
    format: str = "",
    enqueue: bool = True,
) -> ImportJob:
    """Record a bulk import and (unless the caller runs it itself) queue it.

    The job row is the source of truth; the broker only carries its id.
    """
    if file is not None and file.size is not None and file.size > settings.VIGIE_MAX_IMPORT_BYTES:
        raise IngestError(_too_big(file.size, settings.VIGIE_MAX_IMPORT_BYTES))
    with transaction.atomic():
        job = ImportJob.objects.create(
            file=file or "",
            path=path,
            original_filename=os.path.basename(file.name) if file is not None else os.path.basename(path.rstrip("/")),
            format=format,
            created_by=actor,
        )
        AuditEntry.objects.create(
            actor=actor,
            action="import.create",
            object_type="import_job",
            object_id=str(job.pk),
            after={"file": job.display_name, "format": format},
        )
        if enqueue:
            transaction.on_commit(lambda: enqueue_import(job.pk))
    return job


def _record_path(job: ImportJob) -> str:
    return job.file.path if job.file else job.path


def _input_from_record(record: RawRecord) -> ArticleInput:
    return ArticleInput(
        text=record.text,
        title=record.title,
        published_at=record.published_at,
        source=record.source,
        url=record.url,
        language=record.language,
        external_id=record.external_id,
        location=record.location,
        origin=Article.Origin.IMPORT,
        filename=record.filename,
    )


def _batches(items: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(items, size)):
        yield batch


def import_job_run(
    job_id: int,
    *,
    token: str = "",
    sync_extraction: bool = False,
    on_progress: Callable[[ImportJob], None] | None = None,
) -> ImportJob | None:
    """Import every record of the job's file, batch by batch; None when the job is not ours to run.

    Each batch's articles, problems and the job's counters are written in one
    transaction, so the counts always match what is stored, and a rerun of an
    interrupted job resumes after the records it already processed. A transient
    database error (the server restarted) is raised to the caller, which retries
    with the same ``token`` and so takes the job back; any other error fails the job.
    """
    now = timezone.now()
    # A job is claimed when pending, when running but silent for longer than the
    # lease (its worker died), or when running under this very token (a retry of the
    # same run): two live runs never share a job.
    lease = now - dt.timedelta(seconds=settings.VIGIE_IMPORT_LEASE_SECONDS)
    claimable = Q(status=ImportJob.Status.PENDING) | Q(status=ImportJob.Status.RUNNING, heartbeat_at__lt=lease)
    if token:
        claimable |= Q(status=ImportJob.Status.RUNNING, claim_token=token[:64])
    claimed = (
        ImportJob.objects.filter(pk=job_id)
        .filter(claimable)
        .update(
            status=ImportJob.Status.RUNNING,
            started_at=Coalesce(F("started_at"), now),
            heartbeat_at=now,
            claim_token=token[:64],
        )
    )
    if not claimed:
        return None
    job = ImportJob.objects.get(pk=job_id)
    path = _record_path(job)
    limits = upload_limits()
    try:
        fmt = job.format or None
        if job.total is None:
            total = count_records(path, fmt)
            ImportJob.objects.filter(pk=job.pk).update(total=total)
            job.total = total
        records = iter_records(path, fmt, limits=limits)
        # Resume: records before `processed` were committed by an earlier run.
        records = islice(records, job.processed, None)
        for batch in _batches(records, settings.VIGIE_IMPORT_BATCH_SIZE):
            created_ids = _import_batch(job, batch, enqueue_extraction=not sync_extraction)
            job.refresh_from_db()
            if sync_extraction and created_ids:
                from articles.tasks import extract_articles_now

                extract_articles_now(created_ids, token=token)
            if on_progress:
                on_progress(job)
        if sync_extraction:
            # Articles of a batch whose extraction an interruption cut short.
            from articles.tasks import extract_articles_now

            left = list(
                job.articles.filter(_claimable(token, timezone.now())).order_by("pk").values_list("pk", flat=True)
            )
            if left:
                extract_articles_now(left, token=token)
    except TRANSIENT_DB_ERRORS:
        raise  # not the job's fault: the caller retries with the same token and resumes
    except ImportRejected as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, error=str(exc), finished_at=timezone.now()
        )
    except Exception as exc:
        logger.exception("import job %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, error=f"unexpected error: {exc}", finished_at=timezone.now()
        )
    else:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, finished_at=timezone.now())
    job.refresh_from_db()
    return job


def _import_batch(job: ImportJob, batch: list[RawRecord | RecordError], *, enqueue_extraction: bool) -> list[int]:
    inputs = [_input_from_record(r) for r in batch if isinstance(r, RawRecord)]
    problems: list[ImportProblem] = [
        ImportProblem(job=job, kind=ImportProblem.Kind.REJECTED, location=r.location[:600], reason=r.reason)
        for r in batch
        if isinstance(r, RecordError)
    ]
    with transaction.atomic():
        outcomes = articles_ingest(actor=None, inputs=inputs, import_job=job, enqueue_extraction=enqueue_extraction)
        counts = {"created": 0, "duplicate": 0, "rejected": len(problems), "flagged": 0}
        for o in outcomes:
            counts[o.kind] += 1
            if o.kind != "created":
                problems.append(
                    ImportProblem(job=job, kind=o.kind, location=o.location[:600], reason=o.reason, article=o.article)
                )
            elif o.flags:
                counts["flagged"] += 1
                problems.append(
                    ImportProblem(
                        job=job,
                        kind=ImportProblem.Kind.FLAGGED,
                        location=o.location[:600],
                        reason="; ".join(o.flags),
                        article=o.article,
                    )
                )
        ImportProblem.objects.bulk_create(problems, batch_size=1000)
        ImportJob.objects.filter(pk=job.pk).update(
            processed=F("processed") + len(batch),
            heartbeat_at=timezone.now(),
            created_count=F("created_count") + counts["created"],
            duplicate_count=F("duplicate_count") + counts["duplicate"],
            rejected_count=F("rejected_count") + counts["rejected"],
            flagged_count=F("flagged_count") + counts["flagged"],
        )
    return [o.article.pk for o in outcomes if o.created]


# ---------------------------------------------------------------------------
# Extraction status (called by the worker)


def _claimable(token: str, now: dt.datetime) -> Q:
    """Queued articles, articles whose claim is older than the claim timeout (their worker
    died), and articles already claimed with this token (a retry of the same task)."""
    stale = now - dt.timedelta(seconds=settings.VIGIE_EXTRACTION_CLAIM_SECONDS)
    claimable = Q(status=Article.Status.QUEUED) | Q(status=Article.Status.EXTRACTING, status_changed_at__lt=stale)
    if token:
        claimable |= Q(status=Article.Status.EXTRACTING, claim_token=token)
    return claimable


def article_claim_for_extraction(article_id: int, token: str = "") -> bool:
    """Atomically move an article to "extracting" for the caller; False if someone else has it."""
    return bool(articles_claim_for_extraction([article_id], token))


def articles_claim_for_extraction(article_ids: list[int], token: str = "") -> list[int]:
    """Claim, in one short transaction, those of the articles the caller may take; returns their ids in order.

    See ``_claimable`` for who may take an article; two queries for a whole chunk.
    """
    now = timezone.now()
    with transaction.atomic():
        # The lock makes a concurrent claim of the same rows wait, then see them
        # "extracting" (PostgreSQL re-checks the condition) and skip them.
        claimable = set(
            Article.objects.select_for_update()
            .filter(pk__in=article_ids)
            .filter(_claimable(token, now))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if claimable:
            Article.objects.filter(pk__in=claimable).update(
                status=Article.Status.EXTRACTING,
                status_reason="",
                status_changed_at=now,
                claim_token=token[:64],
                extraction_attempts=F("extraction_attempts") + 1,
            )
    return [pk for pk in dict.fromkeys(article_ids) if pk in claimable]


def articles_mark_extracted(article_ids: list[int]) -> int:
    """Mark extracted those of the articles still in "extracting"; returns how many."""
    return Article.objects.filter(pk__in=article_ids, status=Article.Status.EXTRACTING).update(
        status=Article.Status.EXTRACTED, status_reason="", status_changed_at=timezone.now()
    )


def article_mark_failed(article_id: int, reason: str) -> bool:
    return bool(
        Article.objects.filter(pk=article_id, status=Article.Status.EXTRACTING).update(
            status=Article.Status.FAILED, status_reason=reason[:2000], status_changed_at=timezone.now()
        )
    )


def article_requeue(*, actor: AbstractBaseUser, article: Article) -> bool:
    """Put a failed article back in the extraction queue."""
    with transaction.atomic():
        updated = Article.objects.filter(pk=article.pk, status=Article.Status.FAILED).update(
            status=Article.Status.QUEUED, status_reason="", status_changed_at=timezone.now(), enqueued_at=None
        )
        if updated:
            AuditEntry.objects.create(
                actor=actor,
                action="article.requeue",
                article=article,
                object_type="article",
                object_id=str(article.pk),
                before={"status": Article.Status.FAILED, "reason": article.status_reason},
                after={"status": Article.Status.QUEUED},
            )
            transaction.on_commit(lambda: enqueue_extractions([article.pk]))
    return bool(updated)


REEXTRACTABLE = (Article.Status.EXTRACTED, Article.Status.IN_REVIEW, Article.Status.REVIEWED, Article.Status.FAILED)


def articles_reextract(*, actor: AbstractBaseUser | None, article_ids: list[int]) -> int:
    """Queue articles for a new extraction run; analysts' decisions survive it (see entities.services)."""
    with transaction.atomic():
        ids = list(Article.objects.filter(pk__in=article_ids, status__in=REEXTRACTABLE).values_list("pk", flat=True))
        Article.objects.filter(pk__in=ids).update(
            status=Article.Status.QUEUED, status_reason="", status_changed_at=timezone.now(), enqueued_at=None
        )
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    actor=actor, action="article.reextract", article_id=pk, object_type="article", object_id=str(pk)
                )
                for pk in ids
            ]
        )
        transaction.on_commit(lambda: enqueue_extractions(ids))
    return len(ids)


# ---------------------------------------------------------------------------
# The review queue's claims


def _unclaimed(now: dt.datetime) -> Q:
    return Q(assigned_to__isnull=True) | Q(assigned_at__isnull=True) | Q(assigned_at__lt=review_claim_expiry(now))


REVIEWABLE = (Article.Status.EXTRACTED, Article.Status.IN_REVIEW)


def article_claim_next(*, actor: AbstractBaseUser, queryset: QuerySet[Article]) -> Article | None:
    """Claim for the actor the oldest unclaimed reviewable article of ``queryset`` (the queue's filters).

    The actor's own live claim comes first (an article left half-reviewed). Two
    analysts never get the same article: the candidate row is locked (others skip
    it on PostgreSQL) and the claim is a conditional UPDATE that re-checks it is free.
    """
    now = timezone.now()
    candidates = queryset.filter(status__in=REVIEWABLE).select_related(None).order_by("created_at", "pk")
    mine = candidates.filter(assigned_to=actor, assigned_at__gte=review_claim_expiry(now)).values_list("pk", flat=True)
    pk = mine.first()
    if pk is not None:
        return Article.objects.get(pk=pk)
    for _ in range(5):  # a race lost to another analyst: take the next one
        with transaction.atomic():
            pk = (
                candidates.filter(_unclaimed(now))
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", flat=True)
                .first()
            )
            if pk is None:
                return None
            if _claim(actor, pk, now):
                return Article.objects.get(pk=pk)
    return None


def _claim(actor: AbstractBaseUser, pk: int, now: dt.datetime) -> bool:
    claimed = Article.objects.filter(_unclaimed(now), pk=pk, status__in=REVIEWABLE).update(
        assigned_to=actor, assigned_at=now
    )
    if claimed:
        AuditEntry.objects.create(
            actor=actor, action="article.claim", article_id=pk, object_type="article", object_id=str(pk)
        )
    return bool(claimed)


def article_claim(*, actor: AbstractBaseUser, article: Article) -> bool:
    """Claim one article for review (opening it from the queue); False if someone else holds a live claim."""
    now = timezone.now()
    with transaction.atomic():
        if Article.objects.filter(pk=article.pk, assigned_to=actor, status__in=REVIEWABLE).update(assigned_at=now):
            return True
        return _claim(actor, article.pk, now)


def article_release(*, actor: AbstractBaseUser, article: Article) -> bool:
    """Give up one's claim on an article."""
    with transaction.atomic():
        released = Article.objects.filter(pk=article.pk, assigned_to=actor).update(assigned_to=None, assigned_at=None)
        if released:
            AuditEntry.objects.create(
                actor=actor, action="article.release", article=article, object_type="article", object_id=str(article.pk)
            )
    return bool(released)
