from django.conf import settings
from django.db import models
from django.urls import reverse

from articles.models import Article


class Label(models.TextChoices):
    PER = "PER", "personne"
    ORG = "ORG", "organisation"
    GPE = "GPE", "lieu politique"
    LOC = "LOC", "lieu géographique"
    MISC = "MISC", "autre"


class Origin(models.TextChoices):
    MODEL = "model", "modèle"
    ANALYST = "analyst", "analyste"


class Status(models.TextChoices):
    SUGGESTED = "suggested", "suggéré"
    ACCEPTED = "accepted", "accepté"
    REJECTED = "rejected", "rejeté"
    CORRECTED = "corrected", "corrigé"


# Statuses a person decided: a model run never touches these rows.
DECIDED = (Status.ACCEPTED, Status.REJECTED, Status.CORRECTED)


class ExtractionRun(models.Model):
    """One extraction of one article by one pipeline version."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="extraction_runs")
    pipeline_version = models.CharField(max_length=60)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(auto_now_add=True)
    duration_ms = models.PositiveIntegerField(default=0)
    mention_count = models.PositiveIntegerField(default=0)
    event_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-finished_at", "-id"]

    def __str__(self) -> str:
        return f"run {self.pk} of article {self.article_id} ({self.pipeline_version})"


class Entity(models.Model):
    """A person, organisation or place, across articles."""

    name = models.CharField(max_length=300)
    label = models.CharField(max_length=4, choices=Label.choices)
    # Normalised name used to find the entity again (accents, case, honorifics removed).
    key = models.CharField(max_length=300, db_index=True)
    aliases = models.JSONField(default=list, blank=True)
    external_ref = models.CharField(max_length=100, blank=True, help_text="e.g. a Wikidata id")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "entities"
        indexes = [models.Index(fields=["label", "key"])]
        permissions = [("merge_entity", "Can merge and split entities")]

    def __str__(self) -> str:
        return f"{self.name} ({self.label})"


class HeaderEntity(models.Model):
    """An entity the article names in its header, which cleaning keeps out of the text.

    The dateline's place (« NOUAKCHOTT (AFP) - »), the agency credited, and the organisations
    and places the headline or the rubric (« Maghreb ») name are facts of the article, but they
    have no offsets in the stored text, so they cannot be mentions. Each extraction run sets
    them again from the article's ``dateline_place``, ``agency``, ``title`` and ``rubric``.
    """

    class Field(models.TextChoices):
        DATELINE = "dateline", "lieu de la dateline"
        AGENCY = "agency", "agence"
        TITLE = "title", "titre"
        RUBRIC = "rubric", "rubrique"
        READ_ALSO = "read_also", "lien « Lire aussi »"
        COPYRIGHT = "copyright", "mention de copyright"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="header_entities")
    field = models.CharField(max_length=10, choices=Field.choices)
    text = models.CharField(max_length=200)
    entity = models.ForeignKey("Entity", on_delete=models.CASCADE, related_name="header_mentions")
    run = models.ForeignKey(ExtractionRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "field", "entity"], name="unique_header_entity")]

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.text}"


class Mention(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=500)
    label = models.CharField(max_length=4, choices=Label.choices)
    # Indexed with the article below (an entity's articles: the queue's filter, entity pages).
    entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions", db_index=False
    )
    confidence = models.FloatField(default=1.0)
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.MODEL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED, db_index=True)
    run = models.ForeignKey(ExtractionRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions")
    # What the model had proposed before an analyst corrected it, so that a
    # later run does not propose it again.
    suggested_start = models.PositiveIntegerField(null=True, blank=True)
    suggested_end = models.PositiveIntegerField(null=True, blank=True)
    suggested_label = models.CharField(max_length=4, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["article", "start", "end"]
        indexes = [models.Index(fields=["entity", "article"], name="mention_entity_article")]
        constraints = [
            models.UniqueConstraint(fields=["article", "start", "end", "label"], name="unique_mention_span_label"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="mention_nonempty"),
        ]

    def __str__(self) -> str:
        return f"{self.text} [{self.label}] {self.start}-{self.end}"


class Role(models.Model):
    """A title or function held by an entity, as one article states it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="roles")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=500)
    role = models.CharField(max_length=300)
    holder = models.ForeignKey(Mention, null=True, blank=True, on_delete=models.SET_NULL, related_name="roles")
    of_entity = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    of_name = models.CharField(max_length=200, blank=True)
    confidence = models.FloatField(default=1.0)
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.MODEL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    run = models.ForeignKey(ExtractionRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="roles")

    class Meta:
        ordering = ["article", "start"]
        constraints = [models.UniqueConstraint(fields=["article", "start", "end"], name="unique_role_span")]

    def __str__(self) -> str:
        return self.role


class DateMention(models.Model):
    """A date expression normalised to ISO at its precision."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="dates")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=300)
    value = models.CharField(max_length=10)
    precision = models.CharField(max_length=5)
    end_value = models.CharField(max_length=10, blank=True)
    confidence = models.FloatField(default=1.0)
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.MODEL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    run = models.ForeignKey(ExtractionRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="dates")

    class Meta:
        ordering = ["article", "start"]
        constraints = [models.UniqueConstraint(fields=["article", "start", "end"], name="unique_date_span")]

    def __str__(self) -> str:
        return f"{self.text} = {self.value}"


class EventCluster(models.Model):
    """The same real-world event reported by several articles (filled by cross-linking)."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"cluster {self.pk}"


class Event(models.Model):
    class Type(models.TextChoices):
        MEETING = "MEETING", "réunion"
        VISIT = "VISIT", "visite"
        MEMBERSHIP = "MEMBERSHIP", "adhésion"
        AGREEMENT = "AGREEMENT", "accord"
        COOPERATION = "COOPERATION", "coopération"
        FOUNDING = "FOUNDING", "création"
        LAUNCH = "LAUNCH", "lancement"
        EXERCISE = "EXERCISE", "exercice"
        ATTACK = "ATTACK", "attaque"
        CONDEMNATION = "CONDEMNATION", "condamnation"
        PRAISE = "PRAISE", "éloge"
        ARREST = "ARREST", "arrestation"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=12, choices=Type.choices)
    # The model's type before an analyst changed it, so that a later run does not propose it again.
    suggested_type = models.CharField(max_length=12, blank=True)
    trigger_start = models.PositiveIntegerField()
    trigger_end = models.PositiveIntegerField()
    trigger_text = models.CharField(max_length=300)
    sentence_start = models.PositiveIntegerField(default=0)
    sentence_end = models.PositiveIntegerField(default=0)
    date_value = models.CharField(max_length=10, blank=True)
    date_precision = models.CharField(max_length=5, blank=True)
    date = models.ForeignKey(DateMention, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    location = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    historical = models.BooleanField(default=False)
    confidence = models.FloatField(default=1.0)
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.MODEL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED, db_index=True)
    run = models.ForeignKey(ExtractionRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    cluster = models.ForeignKey(EventCluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["article", "trigger_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "type", "trigger_start", "trigger_end"], name="unique_event_trigger"
            )
        ]
        # The queue's "suggestions of confidence below X": PostgreSQL reads the matching
        # articles from this index alone instead of scanning every event.
        indexes = [models.Index(fields=["status", "confidence", "article"], name="event_pending_confidence")]

    def __str__(self) -> str:
        return f"{self.type} « {self.trigger_text} »"

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.article_id])


class EventArgument(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="arguments")
    role = models.CharField(max_length=20)
    entity = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="event_arguments")
    mention = models.ForeignKey(Mention, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "role", "mention"], name="unique_event_argument")]

    def __str__(self) -> str:
        return f"{self.role}: {self.mention_id}"
