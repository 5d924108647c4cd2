import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


def review_claim_expiry(now: dt.datetime | None = None) -> dt.datetime:
    """Review claims taken before this moment have expired: anyone may take the article."""
    return (now or timezone.now()) - dt.timedelta(minutes=settings.VIGIE_REVIEW_CLAIM_MINUTES)


class Source(models.Model):
    """A news outlet."""

    name = models.CharField(max_length=200, unique=True)
    domain = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DatePrecision(models.TextChoices):
    DAY = "day", "jour"
    MONTH = "month", "mois"
    YEAR = "year", "année"


class Article(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "en file"
        EXTRACTING = "extracting", "extraction en cours"
        EXTRACTED = "extracted", "extrait"
        IN_REVIEW = "in_review", "en relecture"
        REVIEWED = "reviewed", "relu"
        FAILED = "failed", "échec"

    class Origin(models.TextChoices):
        PASTE = "paste", "collé"
        UPLOAD = "upload", "fichier"
        IMPORT = "import", "import"

    title = models.CharField(max_length=500)
    title_inferred = models.BooleanField(default=False)
    # The cleaned text: every span offset refers to it, and it never changes silently.
    text = models.TextField()
    # What the user gave us before cleaning (decoded text of the paste/file).
    raw_text = models.TextField()
    original_file = models.FileField(upload_to="originals/%Y/%m/", blank=True)
    original_filename = models.CharField(max_length=500, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.PASTE)

    published_at = models.DateTimeField(null=True, blank=True)
    published_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    published_inferred = models.BooleanField(default=False)

    language = models.CharField(max_length=12, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    url = models.URLField(max_length=2000, blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    dateline_place = models.CharField(max_length=200, blank=True)
    agency = models.CharField(max_length=100, blank=True)
    rubric = models.CharField(max_length=200, blank=True)
    # Lines the cleaner removed, so an analyst can see nothing of the body was lost.
    removed_lines = models.JSONField(default=list, blank=True)

    content_hash = models.CharField(max_length=64, unique=True)
    minhash = models.BinaryField(blank=True, default=b"")
    near_duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="republications"
    )
    near_duplicate_score = models.FloatField(null=True, blank=True)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True)
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    extraction_attempts = models.PositiveIntegerField(default=0)
    # Who holds the "extracting" claim (the task id): a retry of the same task may take it back.
    claim_token = models.CharField(max_length=64, blank=True)
    # When the broker accepted the extraction message for the current "queued" state; empty while
    # no message was published (broker down): the relay (articles/relay.py) publishes those.
    enqueued_at = models.DateTimeField(null=True, blank=True)

    import_job = models.ForeignKey(
        "ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="articles_created"
    )
    # The review claim: who holds the article in the review queue, since when (it expires).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles_assigned"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles_reviewed"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: every analyst save names the version it was based on.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["published_at"]),
            models.Index(fields=["assigned_to", "status"]),
            models.Index(fields=["status", "status_changed_at"], name="article_status_changed"),
        ]
        permissions = [
            ("review_article", "Can review articles (decide on suggestions)"),
            ("reopen_article", "Can re-open reviewed articles"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.pk])

    @property
    def published_day(self) -> dt.date | None:
        """The day of publication in the newsroom's time zone (TIME_ZONE).

        ``published_at`` comes back from the database as a UTC instant: a day-precision date is
        stored as midnight in TIME_ZONE, so its UTC ``.date()`` is the day before.
        """
        return timezone.localtime(self.published_at).date() if self.published_at else None

    @property
    def is_foreign_language(self) -> bool:
        return bool(self.language) and self.language != "fr"

    @property
    def claim_is_live(self) -> bool:
        """Someone holds the review claim and it has not expired."""
        return bool(self.assigned_to_id and self.assigned_at and self.assigned_at >= review_claim_expiry())

    @property
    def is_processing(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.EXTRACTING}


class MinHashBand(models.Model):
    """One LSH band of an article's MinHash signature.

    Articles sharing any band key are near-duplicate candidates; looking them up
    is an indexed equality query, so ingest never scans all articles.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "key"], name="unique_article_band")]

    def __str__(self) -> str:
        return f"band {self.key} of article {self.article_id}"


class ImportJob(models.Model):
    """One bulk import. This row is the source of truth; the broker only carries its id."""

    class Status(models.TextChoices):
        PENDING = "pending", "en attente"
        RUNNING = "running", "en cours"
        DONE = "done", "terminé"
        FAILED = "failed", "échec"

    class Format(models.TextChoices):
        AUTO = "", "détecté par l'extension"
        JSONL = "jsonl", "JSONL"
        CSV = "csv", "CSV"
        ZIP = "zip", "ZIP"
        DIR = "dir", "dossier (commande seulement)"

    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    path = models.CharField(max_length=1000, blank=True, help_text="Server path (import_articles command).")
    original_filename = models.CharField(max_length=500, blank=True)
    format = models.CharField(max_length=5, choices=Format.choices, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    error = models.TextField(blank=True)
    total = models.PositiveIntegerField(null=True, blank=True)
    processed = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    flagged_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="import_jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Who runs the job (the task id, or the command's own token): a retry of the same run may take it back.
    claim_token = models.CharField(max_length=64, blank=True)
    # When the broker accepted the run_import message; empty while none was published (broker down).
    enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.display_name})"

    def get_absolute_url(self) -> str:
        return reverse("articles:import_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.original_filename or self.path or "?"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.RUNNING}

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == self.Status.DONE else None
        return min(100, round(100 * self.processed / self.total))


class ImportProblem(models.Model):
    """A row of an import that did not become a new, clean article."""

    class Kind(models.TextChoices):
        REJECTED = "rejected", "rejeté"
        DUPLICATE = "duplicate", "doublon"
        FLAGGED = "flagged", "signalé"

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="problems")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    location = models.CharField(max_length=600)
    reason = models.TextField()
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


class AuditEntry(models.Model):
    """Append-only log of human decisions: who, when, what, before and after."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=60)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit")
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The article's version this decision produced (optimistic locking: a stale
    # save is shown the entries after the version it was based on).
    version = models.PositiveIntegerField(null=True, blank=True)
    # Rows written by one decision ("accept all remaining") share a batch, undone together.
    batch = models.CharField(max_length=36, blank=True, db_index=True)
    undone = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["article", "version"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action}"
