"""The real pipeline, composed and stored: a pasted article comes back with its facts."""

from __future__ import annotations

import datetime as dt

import pytest

from articles import services
from articles.models import Article
from entities.models import Event, Mention, Role
from entities.nlp import PIPELINE_VERSION, extract_many

pytestmark = pytest.mark.django_db

TEXT = (
    "Rabat – Le ministre de l'Intérieur, Abdelouafi Laftit, a reçu mardi son homologue espagnol, "
    "Fernando Grande-Marlaska, pour une réunion consacrée à la lutte antiterroriste.\n\n"
    "Les deux ministres ont salué la coopération entre le Maroc et l'Espagne au sein de l'OTAN."
)


def test_it_returns_offsets_into_the_text_it_was_given():
    (result,) = extract_many([(TEXT, dt.date(2024, 3, 7))])
    assert result.pipeline_version == PIPELINE_VERSION
    for span in [*result.entities, *result.dates, *result.roles]:
        assert TEXT[span.start : span.end] == span.text
    for event in result.events:
        assert TEXT[event.trigger_start : event.trigger_end] == event.trigger_text


def test_it_stores_entities_roles_dates_and_events_of_a_pasted_article(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_create_from_paste(
            actor=owner, text=TEXT, title="Réunion à Rabat", published_at=dt.date(2024, 3, 7)
        ).article
    article.refresh_from_db()
    assert article.status == Article.Status.EXTRACTED
    names = {(m.text, m.label) for m in Mention.objects.filter(article=article)}
    assert {("Abdelouafi Laftit", "PER"), ("Fernando Grande-Marlaska", "PER"), ("OTAN", "ORG")} <= names
    laftit = Role.objects.get(article=article, holder__text="Abdelouafi Laftit")
    assert laftit.role == "ministre de l'Intérieur"
    meeting = Event.objects.get(article=article, type="MEETING")
    assert meeting.date_value == "2024-03-05"  # « mardi » before a Thursday publication, past tense
    roles = {(a.role, a.mention.text) for a in meeting.arguments.select_related("mention")}
    assert {("actor", "Abdelouafi Laftit"), ("counterpart", "Fernando Grande-Marlaska")} <= roles
    run = article.extraction_runs.get()
    assert (
        run.pipeline_version == PIPELINE_VERSION
        and run.mention_count == Mention.objects.filter(article=article).count()
    )


def test_the_day_of_publication_is_the_newsroom_day_not_the_utc_one(owner, django_capture_on_commit_callbacks):
    # A day-precision date is stored as midnight in TIME_ZONE (Europe/Paris), 22:00 or 23:00 UTC the
    # day before: an event told without a date of its own still takes the day of publication.
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_create_from_paste(
            actor=owner,
            text="Le ministre de l'Intérieur, Abdelouafi Laftit, a signé un accord de coopération avec l'Espagne.",
            title="Accord",
            published_at=dt.date(2024, 3, 7),
        ).article
    article.refresh_from_db()
    assert article.published_day == dt.date(2024, 3, 7)
    agreement = Event.objects.get(article=article, type="AGREEMENT")
    assert agreement.date_value == "2024-03-07"


OTHER_OUTLET = (
    "MADRID (EFE) – Le ministre espagnol de l'Intérieur, Fernando Grande Marlaska, s'est entretenu le 5 mars "
    "à Rabat avec M. Abdelouafi Laftit sur la lutte antiterroriste et la pression migratoire.\n\n"
    "Les deux responsables ont salué le rôle de l'Organisation du traité de l'Atlantique nord."
)


def test_it_links_two_outlets_reports_of_one_meeting(owner, django_capture_on_commit_callbacks):
    articles = []
    for text, title in ((TEXT, "Réunion à Rabat"), (OTHER_OUTLET, "Marlaska à Rabat")):
        with django_capture_on_commit_callbacks(execute=True):
            articles.append(
                services.article_create_from_paste(
                    actor=owner, text=text, title=title, published_at=dt.date(2024, 3, 7)
                ).article
            )
    first, second = articles

    def entity(article, label, *needles):
        return {
            m.entity_id
            for m in Mention.objects.filter(article=article, label=label)
            if any(n in m.text for n in needles)
        }

    # « Grande-Marlaska » / « Grande Marlaska », « M. Abdelouafi Laftit », « OTAN » / its long name: one id each
    assert entity(first, "PER", "Marlaska") == entity(second, "PER", "Marlaska") != set()
    assert entity(first, "PER", "Laftit") == entity(second, "PER", "Laftit") != set()
    assert entity(first, "ORG", "OTAN") == entity(second, "ORG", "Atlantique") != set()
    # « mardi » (published Thursday 7 March) and « le 5 mars » are one day: one meeting, one cluster
    meetings = [Event.objects.filter(article=a, type__in=("MEETING", "VISIT")).first() for a in articles]
    assert all(meetings) and meetings[0].date_value == meetings[1].date_value == "2024-03-05"
    assert meetings[0].cluster_id == meetings[1].cluster_id is not None


def test_it_reads_the_persons_of_the_header_lines_given_with_a_text():
    lines = [
        "Lire aussi : SM le Roi Mohammed VI adresse un message de félicitations à Abdellatif Hammouchi",
        "Exercice Sahil 2025 : Nouakchott et Dakar resserrent les rangs en mer",  # an edition, no person
    ]
    (result, plain) = extract_many([(TEXT, dt.date(2024, 3, 7), lines), (TEXT, dt.date(2024, 3, 7))])
    assert result.header_persons == (
        (lines[0], (("Mohammed VI", "Mohammed VI"), ("Abdellatif Hammouchi", "Abdellatif Hammouchi"))),
        (lines[1], ()),
    )
    assert plain.header_persons == () and plain.entities == result.entities  # the text's own facts are the same
