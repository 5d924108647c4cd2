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

    def get_absolute_url(self) -> str:
        return reverse("entities:entity", args=[self.pk])


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


class EntityKey(models.Model):
    """A normalised form an entity is found again by, from any article (the linker's blocking index).

    ``name``: its name's key; ``alias``: an alias, an acronym learnt from a text, another language's
    name from the gazetteer; ``translit``: a person's spelling-blind name (« Abdelouahed » /
    « Abdel Wahed »); ``token``: one distinctive word of the name (a person's surname), the block in
    which fuzzy matching looks, so that linking never scans the whole table.
    """

    class Kind(models.TextChoices):
        NAME = "name", "nom"
        ALIAS = "alias", "alias"
        TRANSLIT = "translit", "translittération"
        TOKEN = "token", "mot du nom"

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="keys")
    label = models.CharField(max_length=4, choices=Label.choices)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    key = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity", "kind", "key"], name="unique_entity_key")]
        indexes = [models.Index(fields=["key", "label"], name="entity_key_lookup")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} -> {self.entity_id}"


class EntityCandidate(models.Model):
    """Two entities the linker thinks may be one, too unsure to merge them itself: the merge queue."""

    left = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="unique_entity_candidate"),
            models.CheckConstraint(condition=models.Q(left__lt=models.F("right")), name="entity_candidate_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.left_id} ~ {self.right_id} ({self.score:.2f})"


class Judgement(models.Model):
    """An analyst's word on two entities or two event clusters: the same, not the same, unsure.

    Pairs are stored lower id first. A "not same" is never proposed again, by the linker or the
    clustering; the latest judgement of a pair replaces the earlier one (the audit log keeps both).
    """

    class Verdict(models.TextChoices):
        SAME = "same", "identiques"
        NOT_SAME = "not_same", "différents"
        UNSURE = "unsure", "incertain"

    left_entity = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    right_entity = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    left_cluster = models.ForeignKey("EventCluster", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    right_cluster = models.ForeignKey("EventCluster", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=8, choices=Verdict.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)  # the latest word on the pair

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["left_entity", "right_entity"],
                condition=models.Q(left_entity__isnull=False),
                name="unique_entity_judgement",
            ),
            models.UniqueConstraint(
                fields=["left_cluster", "right_cluster"],
                condition=models.Q(left_cluster__isnull=False),
                name="unique_cluster_judgement",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        left_entity__isnull=False, right_entity__isnull=False, left_entity__lt=models.F("right_entity")
                    )
                    & models.Q(left_cluster__isnull=True, right_cluster__isnull=True)
                )
                | (
                    models.Q(
                        left_cluster__isnull=False,
                        right_cluster__isnull=False,
                        left_cluster__lt=models.F("right_cluster"),
                    )
                    & models.Q(left_entity__isnull=True, right_entity__isnull=True)
                ),
                name="judgement_one_ordered_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()}"


class EntityMerge(models.Model):
    """One merge of ``source`` into ``target``, with every row it moved, so that it can be split back."""

    source = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="merges_out")
    target = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="merges_in")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # {"mentions": [ids], "arguments": [...], "roles": [...], "headers": [...], "locations": [...],
    #  "keys": [...], "children": [...], "aliases_added": [...]}
    moved = models.JSONField(default=dict)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"merge {self.source_id} -> {self.target_id}"


class EventCluster(models.Model):
    """The same real-world event reported by several articles.

    The clustering makes it from its first event and attaches the reports it is sure of; an analyst
    confirms, splits and merges clusters. ``type``, ``date_value`` and ``location`` are the
    cluster's reference values (its first report's), against which later reports are compared.
    """

    class Status(models.TextChoices):
        AUTO = "auto", "automatique"
        CONFIRMED = "confirmed", "confirmé"

    type = models.CharField(max_length=12, blank=True)
    date_value = models.CharField(max_length=10, blank=True)
    date_precision = models.CharField(max_length=5, blank=True)
    location = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AUTO)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["type", "date_value"], name="cluster_type_date")]

    def __str__(self) -> str:
        return f"cluster {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("clusters:detail", args=[self.pk])


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
    # How sure the clustering was that this report belongs to its cluster (1.0: an analyst put it there).
    cluster_score = models.FloatField(null=True, blank=True)
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


class Claim(models.Model):
    """A fact that changes over time, as one article states it, with its date and sentence.

    Membership first: ``subject`` (a state or body) joined, left, was suspended from, was reinstated
    in, or is listed as a member of ``object``. Claims are never reconciled into one truth: the
    membership page shows the state at a date from the latest claims, and the claims that contradict it.
    """

    class Kind(models.TextChoices):
        MEMBERSHIP = "membership", "appartenance"

    class Predicate(models.TextChoices):
        JOINED = "joined", "a rejoint"
        LEFT = "left", "a quitté"
        SUSPENDED = "suspended", "a été suspendu de"
        REINSTATED = "reinstated", "a été réintégré dans"
        MEMBER = "member", "est membre de"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MEMBERSHIP)
    predicate = models.CharField(max_length=12, choices=Predicate.choices)
    subject = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="claims_as_subject")
    object = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="claims_as_object")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="claims")
    date_value = models.CharField(max_length=10, blank=True)
    date_precision = models.CharField(max_length=5, blank=True)
    sentence_start = models.PositiveIntegerField(default=0)
    sentence_end = models.PositiveIntegerField(default=0)
    confidence = models.FloatField(default=1.0)
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.MODEL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    run = models.ForeignKey(ExtractionRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims")

    class Meta:
        ordering = ["date_value", "pk"]
        indexes = [models.Index(fields=["object", "kind", "date_value"], name="claim_object_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "kind", "predicate", "subject", "object", "sentence_start"], name="unique_claim"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.predicate} {self.object_id} ({self.date_value})"
