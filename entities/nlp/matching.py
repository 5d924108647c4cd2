"""Is this name the same entity as that one? The rules of cross-article linking (pure Python).

Linking across articles works in two steps, both here and both Django-free:

* ``entity_keys`` gives every normalised form an entity can be found again by: its name's key,
  its aliases' (acronyms a text defined, surnames, other-language names from the gazetteer),
  a person's spelling-blind name, and the distinctive words that make its fuzzy-matching
  blocks. The linker stores them (``EntityKey``) and looks a new name's keys up in one query.
* ``compare`` scores a new name against one candidate found in those blocks, and says whether
  the match is sure enough to link by itself (``auto``), worth an analyst's look (a merge
  suggestion), or nothing.

A surname alone (« Hassad ») is never linked on its own: two people share surnames. It links
when the article gives other evidence (see ``entities.linking``); otherwise it is a suggestion.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from entities.nlp.normalize import _fold_word, name_key, person_name_tokens, strip_accents

# Words too common in organisation and place names to make a useful block: a block on
# « nationale » would hold thousands of bodies. A name made only of these has no block and is
# found by its exact keys alone.
_GENERIC = frozenset(
    """
    organisation organization union nations nationale national nationales internationale
    international international internationaux conseil council commission comite committee agence
    agency office bureau service services direction directorate generale general centre center
    institut institute ministere ministry ministere departement department force forces armee armees
    army police gendarmerie garde guard securite security defense defence cooperation communaute
    community alliance groupe group mouvement movement front parti party association federation
    federale republique republic royaume kingdom etat etats state states unis united democratique
    democratic populaire popular islamique islamic arabe arabes arab africaine african africain
    europeenne european pays golfe region regional regionale mission operation operations programme
    program initiative plateforme platform fonds fund banque bank universite university ecole school
    academie academy tribunal cour court justice autorite authority haut haute high superieur
    superieure supreme premier premiere nouvelle nouveau grand grande sud nord est ouest south north
    east west central centrale occidentale orientale lutte contre pour against terrorisme terrorism
    renseignement intelligence marine navale navy air aerienne ministres ministers sommet summit
    conference forum dialogue processus partenariat partnership
    """.split()  # noqa: SIM905
)
_STOPWORDS = frozenset(
    """
    de du des la le les l d et en au aux a pour sur of the and for in on to par
    """.split()  # noqa: SIM905
)
_WORD = re.compile(r"[^\W_]+")  # digits kept: « France 2 » is not « France 3 »

# Thresholds on rapidfuzz scores (0..100) of folded names, decided on the development sets' names.
AUTO_RATIO = 93.0
SUGGEST_RATIO = 85.0


def _folded_words(name: str) -> list[str]:
    return [_fold_word(w) for w in _WORD.findall(strip_accents(name).casefold()) if w not in _STOPWORDS]


def folded_name(name: str, label: str) -> str:
    """The form fuzzy matching compares: a person's spelling-blind words, else a name's folded words."""
    if label == "PER":
        return " ".join(person_name_tokens(name))
    return " ".join(_folded_words(name))


def surname(name: str) -> str | None:
    """A person's last spelling-blind word (« Mohamed Ahmed Ould Lemine » -> "lemine")."""
    tokens = person_name_tokens(name)
    return tokens[-1] if tokens else None


# « Ould », « ben », « bin »: part of a name, but no given name (« Ould Ahmed » is a surname alone).
_FILIATION_TOKENS = frozenset({"uld", "bin", "bint"})


def is_full_name(name: str) -> bool:
    """A given name and a surname at least: « Brahim Ould Ahmed » is, « Ould Ahmed » and « Hassad » are not."""
    return sum(1 for t in person_name_tokens(name) if t not in _FILIATION_TOKENS) >= 2


def block_tokens(name: str, label: str) -> set[str]:
    """The words of a name whose blocks fuzzy matching looks in: a person's words after the first
    (its surnames: « Ignacio Robledo Sanz » is found from « Robledo » and from « Sanz »), a body's
    distinctive words."""
    if label == "PER":
        tokens = [t for t in person_name_tokens(name) if t not in _FILIATION_TOKENS]
        return {t for t in tokens[1:] or tokens if len(t) >= 3}
    return {w for w in _folded_words(name) if len(w) >= 4 and w not in _GENERIC}


def initials(name: str) -> str:
    """« Organisation du traité de l'Atlantique nord » -> "otan" (the initials of its content words)."""
    return "".join(w[0] for w in _WORD.findall(strip_accents(name).casefold()) if w not in _STOPWORDS)


def is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 8 and sum(c.isupper() for c in letters) >= len(letters) - 1


def entity_keys(name: str, label: str, aliases: Iterable[str] = ()) -> set[tuple[str, str]]:
    """Every (kind, key) an entity of this name and aliases is found again by (see ``EntityKey``)."""
    return set(_entity_keys(name, label, tuple(aliases)))


@functools.lru_cache(maxsize=16384)  # the linker compares one name with many candidates
def _entity_keys(name: str, label: str, aliases: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    if key := name_key(name):
        keys.add(("name", key[:300]))
    if label == "PER":
        # An article's grouping can be wrong (« Penelope Fillon » among « François Fillon »'s forms): a
        # form that cannot be the same person is not a key, or it would draw her mentions to him.
        aliases = tuple(a for a in aliases if _compare_people(Name(name, label), Name(a, label)) is not None)
    for alias in aliases:
        if label == "PER" and not is_full_name(alias):
            continue  # a surname alone (« Laftit », « Ould Ahmed ») is found through its block, never as an alias
        if (key := name_key(alias)) and ("name", key[:300]) not in keys:
            keys.add(("alias", key[:300]))
    forms = [name, *aliases]
    if label == "PER":
        for form in forms:
            if is_full_name(form):  # a lone surname is no name: it must not link by itself
                keys.add(("translit", " ".join(person_name_tokens(form))[:300]))
    for form in forms:
        if label == "PER" and form is not name and not is_full_name(form):
            continue  # a lone surname alias is the full name's own block already
        for token in block_tokens(form, label):
            keys.add(("token", token[:300]))
    return frozenset(keys)


def lookup_keys(name: str, label: str, aliases: Iterable[str] = ()) -> set[str]:
    """The keys a new name is looked up by: the exact ones and its blocks, a lone surname's included."""
    keys = {key for _, key in entity_keys(name, label, aliases)}
    if label == "PER":
        for form in (name, *aliases):
            if last := surname(form):
                keys.add(last)
    return keys


@dataclass(frozen=True)
class Name:
    """What the matcher knows of one side: its name, label and aliases."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    score: float  # 0..1
    reason: str
    auto: bool  # sure enough to link without asking
    needs_context: bool = False  # a surname alone: sure only with other evidence from the article


def _exact(a: Name, b: Name) -> str | None:
    keys_a = {k for kind, k in entity_keys(a.name, a.label, a.aliases) if kind != "token"}
    keys_b = {k for kind, k in entity_keys(b.name, b.label, b.aliases) if kind != "token"}
    if name_key(a.name) and name_key(a.name) == name_key(b.name):
        return "même nom"
    if keys_a & keys_b:
        return "alias commun"
    return None


def _same_word(word: str, other: str) -> bool:
    return word == other or (len(word) == 1 and other.startswith(word)) or (len(other) == 1 and word.startswith(other))


def _compatible_first_names(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """The first given names agree (or one is the other's initial) and each other given name of the
    shorter is one of the other's. The first must agree: in a patronymic chain the son carries his
    father's name after his own (« Mahamat Idriss Déby » is not « Idriss Déby »)."""
    short, long = sorted((a, b), key=len)
    if not short:
        return True
    return _same_word(short[0], long[0]) and all(any(_same_word(w, o) for o in long) for w in short[1:])


def _compare_people(a: Name, b: Name) -> Match | None:
    ta, tb = person_name_tokens(a.name), person_name_tokens(b.name)
    if not ta or not tb:
        return None
    if ta == tb:
        return Match(0.97, "même nom translittéré", True)
    if not is_full_name(a.name) or not is_full_name(b.name):
        if ta[-1] == tb[-1]:
            return Match(0.7, "nom de famille seul", False, needs_context=True)
        return None
    if ta[-1] != tb[-1]:
        short, long = sorted((ta, tb), key=len)
        if long[: len(short)] == short and len(short[-1]) >= 4:
            # « Ignacio Robledo » / « Ignacio Robledo Sanz » (a second surname left out), but also
            # « Mohamed Ahmed » / « Mohamed Ahmed Ould Lemine » (a father's name, maybe another man):
            # the same person only with evidence from the article, like a surname alone.
            return Match(0.8, "nom abrégé", False, needs_context=True)
        ratio = fuzz.ratio(" ".join(ta), " ".join(tb))
        # A typo in the surname (« Grande-Marlaska » / « Grande-Marlasca ») with the same first names.
        if ratio >= AUTO_RATIO and len(ta) == len(tb) and ta[:-1] == tb[:-1]:
            return Match(ratio / 100, "orthographe voisine", True)
        if ratio >= SUGGEST_RATIO and len(ta) == len(tb) and ta[0][0] == tb[0][0]:
            return Match(ratio / 100 - 0.1, "orthographe voisine", False)
        return None
    if _compatible_first_names(ta[:-1], tb[:-1]):
        # « Abdelouafi Laftit » / « A. Laftit »; « Mohamed Ould Lemine » / « Mohamed Ahmed Ould Lemine »
        return Match(0.9, "prénoms compatibles", True)
    if fuzz.ratio(" ".join(ta[:-1]), " ".join(tb[:-1])) >= SUGGEST_RATIO:
        return Match(0.75, "prénoms voisins", False)
    return None  # same surname, other first names: two people until an analyst says otherwise


def _compare_names(a: Name, b: Name) -> Match | None:
    fa, fb = folded_name(a.name, a.label), folded_name(b.name, b.label)
    if not fa or not fb:
        return None
    if fa == fb:
        return Match(0.95, "même nom, graphie voisine", True)
    for short, other in ((a, b), (b, a)):
        if is_acronym(short.name) and initials(other.name) == name_key(short.name).replace(" ", ""):
            return Match(0.7, "sigle des initiales", False)
    ratio = fuzz.ratio(fa, fb)
    if a.label in ("GPE", "LOC"):
        # Places one letter apart are other places (« Saint-Marin » / « Saint-Martin », Mali / Bali):
        # their other spellings come from the gazetteer's forms, never from a fuzzy score.
        best = max(ratio, fuzz.token_sort_ratio(fa, fb))
        return Match(best / 100 - 0.1, "noms voisins", False) if best >= SUGGEST_RATIO else None
    if ratio >= AUTO_RATIO and min(len(fa), len(fb)) >= 8:
        return Match(ratio / 100, "orthographe voisine", True)
    sorted_ratio = fuzz.token_sort_ratio(fa, fb)
    if sorted_ratio >= AUTO_RATIO and min(len(fa), len(fb)) >= 8:
        return Match(sorted_ratio / 100 - 0.03, "mêmes mots, autre ordre", True)
    best = max(ratio, sorted_ratio)
    if best >= SUGGEST_RATIO:
        return Match(best / 100 - 0.1, "noms voisins", False)
    return None


def compare(a: Name, b: Name) -> Match | None:
    """How sure it is that ``a`` and ``b`` are one entity (None: no reason to think so)."""
    if a.label != b.label:
        return None
    if reason := _exact(a, b):
        return Match(1.0, reason, True)
    if a.label == "PER":
        return _compare_people(a, b)
    return _compare_names(a, b)
