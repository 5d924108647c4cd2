"""Entity mentions: fr_core_news_md's entities, fixed for French news on security cooperation.

``configure(nlp)`` adds two components after the model's ``ner``:

- ``vigie_gazetteer``, a span ruler (the EntityRuler's successor) that finds the names of
  ``data/*.tsv`` (organisations, countries, places, cities) and the words that can refer back
  to one of them (« l'Alliance » for the OTAN) and writes every match, overlapping or not, to
  ``doc.spans["vigie_gazetteer"]``. It does not write ``doc.ents``: whether a gazetteer name or
  the model's longer span wins is decided below, with both in view (« aéroport de Roissy »
  stays one organisation, « Jeux olympiques de Rio » gives the place).
- ``vigie_entities``, which rewrites ``doc.ents`` and computes the article's ``EntitySpan``
  list (``doc._.vigie_entities``): titles dropped, honorifics and determiners trimmed, generic
  words and nationalities dropped, gazetteer labels applied, acronyms tied to their long form,
  names repeated without the model's help, places split into GPE and LOC, mentions grouped.

``entity_spans(doc)`` returns that list. Everything here is pure Python and spaCy: no Django.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from entities.nlp.doctext import doc_text
from entities.nlp.normalize import person_name_tokens
from entities.nlp.types import EntitySpan

DATA_DIR = Path(__file__).with_name("data")
# Lower-case common nouns the model keeps before a name (« agence Frontex », « chaîne CNN »).
DESCRIPTOR_NOUNS = frozenset(
    {"agence", "groupe", "chaîne", "journal", "quotidien", "hebdomadaire", "site", "mouvement", "milice"}
)
# Earlier files win when two define the same surface form (« Djibouti » the country before the city).
GAZETTEER_FILES = ("organisations.tsv", "countries.tsv", "places.tsv", "cities.tsv")
RULER_NAME = "vigie_gazetteer"
FIXER_NAME = "vigie_entities"
SPANS_KEY = "vigie_gazetteer"
ANAPHOR = "ANAPHOR"  # ruler label of the generic words that may refer back to a named entity
SECURITY_FORCE = "FORCE"  # ruler label of « armée syrienne », « police turque », « État haïtien »
AREA = "AREA"  # ruler label of « désert syrien », « frontière turque »
ADDRESSED = "ADDRESSED"  # ruler label of « M. Hassad », « Mme Durand »: a person the model may miss


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Nouns of armed groups a name follows directly; the name is the group's even when it is a person's.
ARMED_GROUP_NOUNS = _words("katiba katibat brigade brigades milice faction phalange")
# Determiners and prepositions the model often leaves at the start of a span (« la France »).
LEADING_FUNCTION_WORDS = _words("le la les l' l’ de du des d' d’ au aux un une en à a et ou par pour sur dans chez")
# Head nouns of bodies that « le Conseil », « la Coalition » name again later in the article.
BODY_HEADS = _words(
    "Conseil Coalition Commission Alliance Initiative Organisation Agence Forum Comité Centre Académie Force "
    "Mission Cour Fonds Office Autorité Communauté Ligue Assemblée Groupe Front Mouvement Fédération Banque "
    "Conférence Dialogue Processus Partenariat Programme Institut Observatoire Bureau Direction Tribunal"
)
# Determiners before a generic word that make it refer back (« l'Alliance », « du Royaume »).
ANAPHOR_DETERMINERS = _words("le la l' l’ du au cette ce")
# Punctuation the model sometimes includes at either edge of a span.
EDGE_PUNCT = frozenset("«»\"'“”‘’()[],;:.!?-–—/")
# Head words of natural and geographic areas (LOC); other places are GPE (countries, cities, states).
LOC_HEADS = _words(
    "mer mers océan golfe lac lacs mont monts massif montagne montagnes fleuve rivière île îles "
    "archipel vallée désert détroit canal baie péninsule presqu'île plaine plateau forêt delta "
    "bassin côte chaîne cordillère col glacier volcan corne continent pôle"
)
# « les zones montagneuses de Chaambi »: an adjective of terrain before the name says it is one too
LOC_HEADS |= _words("montagneux montagneuse montagneuses désertique désertiques forestier forestière forestières")
LOC_SUFFIXES = ("-Orient",)
# Administrative nouns before a place's name (« ville de Stockholm »): the name alone is the place.
ADMIN_HEADS = _words(
    "ville région commune département province wilaya district canton état etat municipalité village "
    "localité comté gouvernorat préfecture oblast émirat"
)
# Buildings: where a meeting happens, not a place of its own (« au palais de Carthage »).
BUILDING_HEADS = _words("palais")
# Administrative nouns that make the name after them a region (LOC), not a city (« région de Tillabéri »).
REGION_HEADS = _words(
    "région régions province provinces wilaya wilayas gouvernorat gouvernorats oblast comté département départements "
    "wali"  # « le wali de Dakhlet Nouadhibou »: the governor of a wilaya
)
# Streets, districts and sites: places, but not governments (LOC).
SITE_HEADS = _words("rue avenue boulevard place quartier gare autoroute route pont port parc frontière zone")
# Head nouns of institutions: a span that opens with one names an organisation, whatever the
# model said (« hôpital d'Ajaccio », « Cour suprême », « diocèse de Moosonee »).
ORG_HEADS = _words(
    "conseil parti assemblée université pôle front cour ministère parlement gouvernement commission "
    "forces fédération agence comité association centre chambre hôpital institut fondation diocèse "
    "observatoire aéroport confédération académie bureau banque autorité laboratoire mission service "
    "église hôtel organisation direction tribunal haut-commissariat gendarmerie congrégation communion "
    "journal société fonds orchestre ordre club syndicat mouvement ligue coalition brigade régiment "
    "commandement état-major secrétariat délégation ambassade consulat préfecture mairie municipalité "
    "sénat cabinet compagnie entreprise école lycée collège parquet police armée garde"
)
# Government portfolios: after « ministre de l'… », « ministère des … », « secrétaire d'État aux … »
# they complete a title or an institution's name and are no entity of their own.
PORTFOLIO_WORDS = _words(
    "protection civile administration territoriale décentralisation nationale sûreté jeunesse emploi "
    "intérieur affaires étrangères défense armées justice économie finances santé éducation "
    "agriculture culture travail transports environnement sports budget industrie énergie commerce "
    "coopération outre-mer solidarités solidarité logement numérique sécurité immigration intégration "
    "écologie tourisme communication recherche enseignement fonction publique anciens combattants "
    "relations extérieures africaines africains africaine africain étrangers marocains résidant l'étranger "
    "coopération francophonie état forces"
)
PORTFOLIO_LINKS = _words("de du des d' d’ l' l’ la aux à et")
# Institutions whose name goes on with a portfolio (« ministère de l'Intérieur »).
PORTFOLIO_INSTITUTIONS = _words("ministère ministères secrétariat département")
# Particles inside Arabic names (« Saif bin Zayed Al Nahyan », « Mohamed Ould Ghazouani »): a
# person's name goes on across them when a capitalised word follows.
NAME_INNER_PARTICLES = _words("Al El al el Ben Bin ben bin Ould ould Ibn ibn Abou Bou")
# Capitalised particles of surnames that the model leaves out of a person's span.
NAME_PARTICLES = _words("De Van Von Di Da Del Della Den Der Ten Ter Al El Ben Bin Abou Abu Mac Mc")
# Endings of nationality and inhabitant nouns (« la Bermudienne », « les Guyanais ») the list misses.
DEMONYM_ENDINGS = tuple(sorted(_words("ien iens ienne iennes éen éens éenne éennes ais aise aises ois oise oises")))
DEMONYM_DETERMINERS = _words("le la les l' l’ un une des du")
# Words of an organisation's long form that its acronym skips (« Direction générale DE LA sécurité »).
ACRONYM_SKIP = _words("de du des la le les l' l’ d' d’ et pour en au aux à of the and for")
# The forces a security news item names by their country adjective (« l'armée syrienne »).
FORCE_HEADS = (
    "armée",
    "marine",
    "aviation",
    "police",
    "gendarmerie",
    "garde côtière",
    "garde nationale",
    "état",
    "etat",
)
# The same for natural areas named by their country adjective (« désert syrien »): LOC.
AREA_HEADS = ("désert", "frontière")

# Confidence: roughly the share of such mentions that are right (exact span and type), measured on
# the WiNER-fr 2016-2017 dev split. Gazetteer names are nearly always right; the model is good at
# people with two names or more, poor at multi-word places and organisations it alone proposes.
CONF_GAZETTEER = 0.95
CONF_GAZETTEER_GAP = 0.85  # a gazetteer name the model did not tag at all
CONF_MODEL = {  # label -> (one token, several tokens)
    "PER": (0.55, 0.9),
    "ORG": (0.6, 0.55),
    "GPE": (0.65, 0.4),
    "LOC": (0.65, 0.4),
    "MISC": (0.5, 0.5),
}
CONF_SENT_START = 0.45  # at most, for one capitalised word opening a sentence: the grammar capitalised it
CONF_ACRONYM = 0.85
CONF_ADDRESSED = 0.85  # « M. Hassad »
CONF_REPEAT = 0.7  # a name found again in the article without the model
CONF_ANAPHOR = 0.7
CONF_RULE = 0.5  # « armée syrienne », « désert syrien »: WiNER itself marks them only half the time
CONF_GROUP_BONUS = {"gazetteer": 0.03, "model": 0.1, "rule": 0.1}  # the article names it more than once
CONF_MAX = 0.99


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class GazetteerEntry:
    label: str  # ORG, GPE, LOC or MISC
    canonical: str
    key: str  # stable id: label + canonical


@dataclass(frozen=True)
class Lexicon:
    """Everything read from data/: built once per process."""

    names: dict[str, GazetteerEntry]  # surface form -> entry
    anaphors: dict[str, frozenset[str]]  # generic word -> keys of the entries it can refer back to
    honorifics: tuple[tuple[str, ...], ...]  # lower-cased token sequences, longest first
    honorific_words: frozenset[str]  # first words of honorifics, for a quick test
    roles: tuple[tuple[str, ...], ...]  # lower-cased token sequences, longest first
    role_words: frozenset[str]  # first words of roles, for a quick test
    generic: frozenset[str]
    demonyms: frozenset[str]  # every form, as written (« Britanniques »)
    demonym_adjectives: frozenset[str]  # lower-cased forms (« syrienne »)

    @cached_property
    def by_key(self) -> dict[str, GazetteerEntry]:
        """Entries by their stable key (built once, not per document)."""
        return {entry.key: entry for entry in self.names.values()}

    @cached_property
    def forms_of(self) -> dict[str, tuple[str, ...]]:
        """Every surface form of each entry, by canonical name (« Guardia Civil » -> « Garde civile », …)."""
        forms: dict[str, list[str]] = {}
        for surface, entry in self.names.items():
            forms.setdefault(entry.canonical, []).append(surface)
        return {canonical: tuple(surfaces) for canonical, surfaces in forms.items()}


def _data_lines(name: str) -> Iterable[str]:
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.rstrip()


def _inflect_demonym(masculine: str) -> set[str]:
    """« Syrien » -> Syrien, Syrienne, Syriens, Syriennes (French nationality nouns)."""
    special = {"Suisse": {"Suissesse", "Suissesses"}, "Grec": {"Grecque", "Grecques"}, "Turc": {"Turque", "Turques"}}
    forms = {masculine}
    if masculine in special:
        forms |= special[masculine]
    elif masculine.endswith(("ien", "éen", "on")):
        forms.add(masculine + "ne")
    elif not masculine.endswith("e"):
        forms.add(masculine + "e")
    forms |= {f + "s" for f in forms if not f.endswith(("s", "x"))}
    return forms


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    names: dict[str, GazetteerEntry] = {}
    anaphors: dict[str, set[str]] = {}
    for filename in GAZETTEER_FILES:
        for line in _data_lines(filename):
            label, canonical, aliases, words = (line.split("\t") + ["", ""])[:4]
            entry = GazetteerEntry(label, canonical, f"{label}:{canonical}")
            for surface in (canonical, *filter(None, aliases.split("|"))):
                names.setdefault(surface, entry)
            for word in filter(None, words.split("|")):
                anaphors.setdefault(word, set()).add(entry.key)

    def sequences(filename: str) -> tuple[tuple[str, ...], ...]:
        seqs = {tuple(_split_words(line.lower())) for line in _data_lines(filename)}
        return tuple(sorted(seqs, key=len, reverse=True))

    roles = sequences("roles.txt")
    honorifics = sequences("honorifics.txt")
    demonyms: set[str] = set()
    for line in _data_lines("demonyms.txt"):
        demonyms |= _inflect_demonym(line.strip())
    demonyms -= set(names)  # « Suisse » is also the country
    return Lexicon(
        names=names,
        anaphors={word: frozenset(keys) for word, keys in anaphors.items()},
        honorifics=honorifics,
        honorific_words=frozenset(seq[0] for seq in honorifics),
        roles=roles,
        role_words=frozenset(seq[0] for seq in roles),
        generic=frozenset(line.strip() for line in _data_lines("generic.txt")),
        demonyms=frozenset(demonyms),
        demonym_adjectives=frozenset(d.lower() for d in demonyms),
    )


def _split_words(text: str) -> list[str]:
    """Split the way spaCy's French tokenizer does for our word lists (elision, hyphen kept)."""
    words: list[str] = []
    for word in text.split():
        for elided in ("l'", "d'", "l’", "d’"):
            if word.startswith(elided) and len(word) > 2:
                words.extend((elided, word[2:]))
                break
        else:
            words.append(word)
    return words


def _ruler_patterns(lexicon: Lexicon) -> list[dict]:
    patterns: list[dict] = [
        {"label": entry.label, "pattern": surface, "id": entry.key} for surface, entry in lexicon.names.items()
    ]
    patterns += [{"label": ANAPHOR, "pattern": word, "id": word} for word in lexicon.anaphors]
    adjectives = sorted(a for a in lexicon.demonym_adjectives if "-" not in a)
    for head in FORCE_HEADS:
        tokens = [{"LOWER": word} for word in head.lower().split()]
        patterns.append({"label": SECURITY_FORCE, "pattern": [*tokens, {"LOWER": {"IN": adjectives}}]})
    for head in AREA_HEADS:
        patterns.append({"label": AREA, "pattern": [{"LOWER": head}, {"LOWER": {"IN": adjectives}}]})
    # never anything but a form of address
    single = ["m.", "mm.", "mme", "mmes", "mlle", "mlles", "dr", "dr.", "mgr", "cheikh", "cheikha", "sheikh"]
    name = {"IS_TITLE": True, "IS_ALPHA": True}
    patterns.append({"label": ADDRESSED, "pattern": [{"LOWER": {"IN": single}}, name, {**name, "OP": "?"}]})
    return patterns


# --------------------------------------------------------------------------- public API


def configure(nlp: spacy.Language) -> spacy.Language:
    """Add the gazetteer ruler and the entity fixer after the model's ner. Returns nlp."""
    if not Doc.has_extension(FIXER_NAME):
        Doc.set_extension(FIXER_NAME, default=None)
    if RULER_NAME not in nlp.pipe_names:
        ruler = nlp.add_pipe(
            "span_ruler",
            name=RULER_NAME,
            last=True,
            config={"spans_key": SPANS_KEY, "annotate_ents": False, "overwrite": True},
        )
        ruler.add_patterns(_ruler_patterns(load_lexicon()))
    if FIXER_NAME not in nlp.pipe_names:
        nlp.add_pipe(FIXER_NAME, last=True)
    return nlp


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """Every name of the gazetteer's countries (data/countries.tsv): a country acts, a city is a place."""
    names: set[str] = set()
    for line in _data_lines("countries.tsv"):
        label, canonical, aliases = (line.split("\t") + ["", ""])[:3]
        if label == "GPE":
            names |= {canonical, *filter(None, aliases.split("|"))}
    return frozenset(names)


def gazetteer_forms(canonical: str) -> tuple[str, ...]:
    """The gazetteer's other names for an entry given by its canonical name (empty if unknown)."""
    return load_lexicon().forms_of.get(canonical, ())


def header_entity(text: str, default_label: str) -> tuple[str, str] | None:
    """Name and label of a place or agency named in an article's header (« NOUAKCHOTT », « AFP »).

    Datelines are often in capitals: the gazetteer is asked for the name as written, then in
    title case (« N'DJAMENA » -> « N'Djamena »). A name it does not know keeps ``default_label``.
    """
    text = " ".join(text.split()).strip(" ,.-–—()")
    if not text or not any(ch.isalpha() for ch in text):
        return None
    names = load_lexicon().names
    shaped = text.title() if text.isupper() and len(text) > 4 else text
    agency = re.sub(r"^(?:l')?[Aa]gence\s+", "", shaped)  # « © Agence Maghreb Arabe Presse »
    for candidate in (text, shaped, agency):
        entry = names.get(candidate)
        if entry is not None:
            return entry.canonical, entry.label
    return shaped, default_label


_WORD_RE = re.compile(r"\w+|[^\w\s]")


def _word_before(text: str, words: list[tuple[int, int]], i: int) -> str:
    """The word before words[i], over « de », « du », « la », « l' » (as ``_noun_before`` in a doc)."""
    k = i - 1
    while k >= 0 and text[words[k][0] : words[k][1]].lower() in ("de", "du", "des", "d", "la", "l", "'", "’"):
        k -= 1
    return text[words[k][0] : words[k][1]].lower() if k >= 0 else ""


def gazetteer_names(text: str) -> list[tuple[str, str, str]]:
    """(surface, canonical name, label) of the gazetteer's organisations and places named in a
    short text (a headline, a rubric), longest first, without overlaps. No model: headlines are
    too short and too odd for it, and this runs once per article for a few microseconds."""
    names = load_lexicon().names
    words = [(m.start(), m.end()) for m in _WORD_RE.finditer(text)]
    found: list[tuple[str, str, str]] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + 10), i, -1):
            surface = text[words[i][0] : words[j - 1][1]]
            entry = names.get(surface)
            if entry is not None and entry.label in ("ORG", "GPE", "LOC"):
                after = text[words[j][0] : words[j][1]] if j < len(words) else ""
                region = after.lower() in COMPASS_ADJECTIVES and names.get(f"{surface} {after}") is None
                if entry.label != "ORG" and region:
                    # « en Méditerranée occidentale »: a region of the place is another name, as in the text
                    surface = text[words[i][0] : words[j][1]]
                    found.append((surface, surface, "LOC"))
                    i = j + 1
                    break
                label = entry.label
                if label == "GPE" and _word_before(text, words, i) in REGION_HEADS:
                    label = "LOC"  # « Nouveau massacre dans la région de Tillabéri »
                found.append((surface, entry.canonical, label))
                i = j
                break
        else:
            i += 1
    return found


def entity_spans(doc: Doc) -> list[EntitySpan]:
    """The article's entity mentions after all fixes, in text order (see the module docstring)."""
    rows = doc._.get(FIXER_NAME) if Doc.has_extension(FIXER_NAME) else None
    if rows is None:  # a doc from a pipeline without the fixer: fix it now
        rows = fix_entities(doc)._.get(FIXER_NAME)
    return [_span_from_row(row) for row in rows]


# doc._.vigie_entities holds plain lists, not EntitySpan objects, so that docs still serialise
# (nlp.pipe with n_process > 1, DocBin exports): spaCy writes user data with msgpack.
def _span_to_row(span: EntitySpan) -> list:
    fields = (span.start, span.end, span.text, span.label, span.confidence, span.group, span.canonical)
    return [*fields, list(span.aliases), span.source]


def _span_from_row(row: list) -> EntitySpan:
    start, end, text, label, confidence, group, canonical, aliases, source = row
    return EntitySpan(start, end, text, label, confidence, group, canonical, tuple(aliases), source)


@Language.component(FIXER_NAME)
def fix_entities(doc: Doc) -> Doc:
    if not Doc.has_extension(FIXER_NAME):
        Doc.set_extension(FIXER_NAME, default=None)
    lexicon = load_lexicon()
    mentions = [m for ent in doc.ents for m in _clean_model_entity(doc, ent, lexicon)]
    mentions = _repair_boundaries(doc, mentions, lexicon)
    mentions = _split_coordinated_bodies(doc, mentions)
    ruler_spans = filter_spans(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
    names = [s for s in ruler_spans if s.label_ not in (ANAPHOR, SECURITY_FORCE, AREA, ADDRESSED)]
    mentions = _merge_gazetteer(mentions, names, lexicon, doc)
    mentions = _merge_forces(mentions, [s for s in ruler_spans if s.label_ in (SECURITY_FORCE, AREA)])
    mentions = _add_addressed_persons(mentions, [s for s in ruler_spans if s.label_ == ADDRESSED])
    mentions = _add_acronyms(doc, mentions)
    mentions = _add_lowercase_long_forms(doc, mentions)
    mentions = _link_bracketed_other_names(doc, mentions)
    mentions = _add_ministries(doc, mentions, lexicon)
    mentions = _resolve_anaphors(doc, mentions, [s for s in ruler_spans if s.label_ == ANAPHOR], lexicon)
    mentions = _refer_back_to_bodies(doc, mentions)
    mentions = _repeat_names(doc, mentions)
    mentions = _polish_edges(doc, mentions, lexicon)
    mentions = _join_placed_bodies(doc, mentions)
    mentions = _add_coordinated_regions(doc, mentions)
    mentions = _without_overlaps(mentions)
    _harmonise_labels(doc, mentions, lexicon)
    result = _build_spans(doc, mentions, lexicon)
    doc.ents = [Span(doc, m.start, m.end, label=m.label) for m in mentions]
    doc._.set(FIXER_NAME, [_span_to_row(span) for span in result])
    return doc


# --------------------------------------------------------------------------- mentions


@dataclass
class _Mention:
    start: int  # token offsets in the doc
    end: int
    label: str
    source: str  # model | gazetteer | rule
    key: str = ""  # gazetteer entry key, or the group key a rule gave it
    confidence: float = CONF_MODEL["MISC"][0]
    links: list[int] = field(default_factory=list)  # token start of a mention of the same thing (acronyms)

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


def _text(doc: Doc, start: int, end: int) -> str:
    # A slice of the text, not Span.text (which joins its tokens' texts anew on every call).
    if end <= start:
        return ""
    last = doc[end - 1]
    return doc_text(doc)[doc[start].idx : last.idx + len(last)]


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def _match_sequence(doc: Doc, start: int, end: int, sequences: tuple[tuple[str, ...], ...]) -> int:
    """Length of the longest of `sequences` found at doc[start:end]'s start (lower-cased), else 0."""
    for seq in sequences:
        n = len(seq)
        if start + n <= end and all(doc[start + i].lower_ == seq[i] for i in range(n)):
            return n
    return 0


def _clean_model_entity(doc: Doc, ent: Span, lexicon: Lexicon) -> list[_Mention]:
    """Trim one of the model's entities to the name(s) it holds, or drop it (empty list).

    A line break never sits inside a name: the model glues table cells and headings together
    (« Osmajic\\n\\nOmeyer »), so the span is cut there first.
    """
    pieces: list[_Mention] = []
    start = ent.start
    for i in range(ent.start, ent.end):
        if doc[i].is_space and "\n" in doc[i].text:  # spaCy keeps line breaks as whitespace tokens
            if i > start:
                pieces.extend(_clean_range(doc, start, i, ent.label_, lexicon))
            start = i + 1
    if start < ent.end:
        pieces.extend(_clean_range(doc, start, ent.end, ent.label_, lexicon))
    return pieces


def _after_portfolio_head(doc: Doc, start: int, lexicon: Lexicon) -> str | None:
    """What opens a portfolio at doc[start] (« ministre de l'|Intérieur »): "role", "institution" or None."""
    if doc[start].lower_ not in PORTFOLIO_WORDS:
        return None
    i = start - 1
    # « ministre des Affaires étrangères, de la Coopération africaine et des… »: back over the
    # links and the portfolios before it, to the title
    while (
        i >= 0
        and start - i <= 12
        and (doc[i].lower_ in PORTFOLIO_LINKS or doc[i].lower_ in PORTFOLIO_WORDS or doc[i].text == ",")
    ):
        i -= 1
    if i < 0 or i == start - 1:
        return None
    word = doc[i].lower_
    if word in PORTFOLIO_INSTITUTIONS:
        return "institution"
    if word in {"chargé", "chargée"}:
        return "role"  # « ministre d'État chargé des Affaires de défense »
    if word in lexicon.role_words or word in lexicon.demonym_adjectives or word == "d'état":
        return "role"  # « ministre espagnol de l'Intérieur », « secrétaire d'État aux Affaires étrangères »
    return None


def _skip_portfolio(doc: Doc, start: int, end: int) -> int:
    """Index after the portfolio words opening doc[start:end] (« Affaires étrangères et de la Coopération »)."""
    i = start
    while i < end and (doc[i].lower_ in PORTFOLIO_WORDS or doc[i].lower_ in PORTFOLIO_LINKS or doc[i].text == ","):
        i += 1
    while i > start and (doc[i - 1].lower_ in PORTFOLIO_LINKS or doc[i - 1].text == ","):
        i -= 1
    return i


def _clean_range(doc: Doc, start: int, end: int, label: str, lexicon: Lexicon) -> list[_Mention]:
    while start < end and (doc[start].is_space or doc[start].text in EDGE_PUNCT):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in EDGE_PUNCT):
        end -= 1
    if start < end and (context := _after_portfolio_head(doc, start, lexicon)) is not None:
        if context == "institution":
            # The model kept « Affaires étrangères » of « ministère des Affaires étrangères »: the
            # institution is the whole name (« ministère marocain des Affaires étrangères »).
            head = start - 1
            while doc[head].lower_ not in PORTFOLIO_INSTITUTIONS:
                head -= 1
            rest = _skip_portfolio(doc, start, end)
            return [_Mention(head, rest, "ORG", "model", confidence=CONF_MODEL["ORG"][1])]
        # A title's portfolio (« ministre de l'Intérieur »): what may follow it is a country or
        # a body (« … de France », « … du Gabon ») or the holder's name (« … Bernard Cazeneuve »).
        rest = _skip_portfolio(doc, start, end)
        if rest < end and doc[rest].lower_ in LEADING_FUNCTION_WORDS:
            start = rest
        elif rest < end and _is_capitalised(doc[rest].text):
            start, label = rest, "PER"
        else:
            return []
    titled = False
    while start < end:  # honorifics, determiners, titles and nationalities, in any order (« SM le Roi Mohammed VI »)
        word = doc[start].lower_
        n_honorific = word in lexicon.honorific_words and _match_sequence(doc, start, end, lexicon.honorifics)
        if n_honorific:
            start, titled = start + n_honorific, True
        elif word in LEADING_FUNCTION_WORDS and _trim_function_word(doc, start, end, label, lexicon):
            start += 1
        elif word in lexicon.role_words and (n_role := _match_sequence(doc, start, end, lexicon.roles)):
            # A title: what follows is a name only if it is capitalised and not « de l'OTAN »
            # (the OTAN itself comes back from the gazetteer).
            rest = start + n_role
            while rest < end and doc[rest].lower_ in lexicon.demonym_adjectives:  # « ministre belge X »
                rest += 1
            if rest < end and _is_capitalised(doc[rest].text) and doc[rest].lower_ not in LEADING_FUNCTION_WORDS:
                start, titled = rest, True
            else:
                return []
        elif doc[start].text in lexicon.demonyms and start + 1 < end and _is_capitalised(doc[start + 1].text):
            start += 1  # « la Britannique Alistair Brownlee »: the nationality is not part of the name
        elif (
            doc[start].text in DESCRIPTOR_NOUNS
            and start + 1 < end
            and _is_capitalised(doc[start + 1].text)
            and doc[start + 1].lower_ not in LEADING_FUNCTION_WORDS
        ):
            start += 1  # « l'agence Frontex », « la chaîne CNN »: the name is what follows the common noun
        elif label in ("LOC", "GPE") and word in ADMIN_HEADS and start + 1 < end:
            # « ville de Stockholm », « région Nouvelle-Aquitaine »: the place is the name after the noun
            rest = start + 1
            if doc[rest].lower_ in ("de", "du", "d'", "d’", "des") and rest + 1 < end:
                rest += 1
            if not _is_capitalised(doc[rest].text):
                break
            start = rest
        else:
            break
    if start >= end:
        return []
    if label in ("LOC", "GPE") and (doc[start].lower_ in BUILDING_HEADS or _noun_before(doc, start) in BUILDING_HEADS):
        return []  # « palais de Carthage », « Palais royal de Casablanca »: a building, not a place
    text = _text(doc, start, end)
    n = end - start
    if (
        text in lexicon.generic
        or text in lexicon.demonyms
        # « l'État sénégalais », « l'Armée malienne »: a generic word and a nationality name no one body
        or (
            n >= 2
            and doc[start].text in lexicon.generic
            and all(t.lower_ in lexicon.demonym_adjectives for t in doc[start + 1 : end])
        )
        or not any(_is_capitalised(t.text) for t in doc[start:end])
        or len(text) == 1
        or all(not ch.isalpha() for ch in text)
        or (n == 1 and doc[start].lower_ in LEADING_FUNCTION_WORDS)
        or (n == 2 and doc[start].text in lexicon.generic and len(doc[start + 1].text) == 1)  # « Groupe C »
        or _generic_phrase_with_adjectives(doc, start, end, lexicon)
        or (n == 1 and label in ("LOC", "GPE") and _looks_like_demonym(doc, start, lexicon))
    ):
        return []
    head = doc[start].lower_
    if titled:  # an honorific or title was followed by a name: a person
        label = "PER"
    elif head in ORG_HEADS and (n > 1 or label != "PER"):
        label = "ORG"
    elif head in SITE_HEADS and n > 1:
        label = "LOC"
    return [_Mention(start, end, label, "model", confidence=_model_confidence(doc, start, end, label))]


def _split_coordinated_bodies(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """« la Garde civile et de la Gendarmerie royale », « de la Police républicaine et des Forces
    armées »: two bodies the model (or the joining of its pieces) read as one name."""
    out: list[_Mention] = []
    for m in mentions:
        body = m.label == "ORG" and doc[m.start].lower_ in ORG_HEADS
        cut = _coordinated_bodies(doc, m.start, m.end) if body else None
        if cut is None:
            out.append(m)
            continue
        out.append(replace(m, end=cut[0], links=[]))
        out.append(replace(m, start=cut[1], links=[]))
    return out


def _coordinated_bodies(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """(end of the first body, start of the second) when ``doc[start:end]`` is « X et de la Y » with
    both X and Y headed by a body noun (« Garde », « Gendarmerie », « Forces »); else None.

    « Ministère de l'Europe et des Affaires étrangères » stays whole: « Affaires » heads no body.
    """
    for i in range(start + 2, end - 2):
        if doc[i].lower_ != "et":
            continue
        j = i + 1
        while j < end and doc[j].lower_ in ("de", "la", "l'", "l’", "des", "du", "le", "les"):
            j += 1
        if j < end and j > i + 1 and _is_capitalised(doc[j].text) and doc[j].lower_ in ORG_HEADS:
            return i, j
    return None


def _model_confidence(doc: Doc, start: int, end: int, label: str) -> float:
    single, several = CONF_MODEL.get(label, CONF_MODEL["MISC"])
    if end - start > 1:
        return several
    return min(single, CONF_SENT_START) if doc[start].is_sent_start else single


def _repair_boundaries(doc: Doc, mentions: list[_Mention], lexicon: Lexicon) -> list[_Mention]:
    """Mend the names the model cut in pieces.

    « Marine » (ORG) + « Le Pen » (PER), one space apart: one person. « Emese » (PER) alone
    before the capitalised « Szász »: the person goes on. « Guillot » + « -Boisset »: a
    hyphenated name goes on.
    """
    out: list[_Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.end == m.start
            and "PER" in (prev.label, m.label)
            and prev.label != m.label
            and prev.end - prev.start == 1
            and doc[prev.start].whitespace_
            and doc[prev.start].is_alpha
            and not doc[prev.start].is_upper  # « PS Jean-Christophe Cambadélis »: a party, then a person
            and (prev.start == 0 or doc[prev.start - 1].lower_ not in LEADING_FUNCTION_WORDS)  # « du Labour Jo Cox »
        ):
            prev.end, prev.label, prev.confidence = m.end, "PER", CONF_MODEL["PER"][1]
            continue
        if (
            prev is not None
            and prev.end == m.start
            and prev.label == m.label == "PER"
            and doc[prev.end - 1].whitespace_ == " "
            and doc[m.start].is_alpha
        ):
            prev.end = m.end  # « Moussa » + « Faki Mahamat »: one name the model cut in two
            continue
        out.append(m)
    taken = {i for m in out for i in range(m.start, m.end)}
    n = len(doc)
    for m in out:
        if (
            m.label == "PER"
            and m.start > 0
            and doc[m.start - 1].text in NAME_PARTICLES
            and doc[m.start - 1].whitespace_
            and m.start - 1 not in taken
        ):
            m.start -= 1  # « De Gendt », « Van Avermaet »: the model left the particle out
        while m.label == "PER" and m.end < n and m.end not in taken and doc[m.end - 1].whitespace_:
            # « Saif bin Zayed » + « Al Nahyan », « Saif bin » + « Zayed »
            nxt = doc[m.end]
            if doc[m.end - 1].text in NAME_INNER_PARTICLES and nxt.is_alpha and nxt.text[:1].isupper():
                m.end += 1
            elif (
                nxt.text in NAME_INNER_PARTICLES
                and m.end + 1 < n
                and m.end + 1 not in taken
                and doc[m.end + 1].is_alpha
                and doc[m.end + 1].text[:1].isupper()
            ):
                m.end += 2
            else:
                break
        while (
            m.end + 1 < n and doc[m.end].text == "-" and not doc[m.end - 1].whitespace_ and not doc[m.end].whitespace_
        ):
            nxt = doc[m.end + 1]
            if nxt.i in taken or not nxt.text[:1].isupper():
                break
            m.end += 2
        if m.label == "PER" and m.end - m.start == 1 and m.end < n and doc[m.start].whitespace_:
            nxt = doc[m.end]
            if (
                nxt.i not in taken
                and nxt.is_alpha
                and nxt.text[:1].isupper()
                and not nxt.is_sent_start
                and nxt.text not in lexicon.generic
                and nxt.text not in lexicon.demonyms
                and nxt.text not in lexicon.names
                and nxt.lower_ not in LEADING_FUNCTION_WORDS
            ):
                m.end += 1
                m.confidence = CONF_MODEL["PER"][1]
    return out


def _looks_like_demonym(doc: Doc, i: int, lexicon: Lexicon) -> bool:
    """« la Bermudienne », « les Guyanais »: a determiner, then a nationality-like noun that is no known place."""
    token = doc[i]
    return (
        i > 0
        and doc[i - 1].lower_ in DEMONYM_DETERMINERS
        and token.text.endswith(DEMONYM_ENDINGS)
        and token.text not in lexicon.names
    )


def _trim_function_word(doc: Doc, start: int, end: int, label: str, lexicon: Lexicon) -> bool:
    """Whether the determiner or preposition opening doc[start:end] is not part of the name.

    Lower-case ones never are. A capitalised one (« Le Caire », « Les Républicains », « La
    France » at a sentence start) is kept in a person's name (« Le Pen », « De Gendt »), when
    the whole span is a known name, or when it is capitalised mid-sentence, where only a name
    would capitalise it.
    """
    token = doc[start]
    if start + 1 >= end:
        return False
    if token.text[:1].islower():
        return True
    if label == "PER":
        return False
    if _text(doc, start, end) in lexicon.names:
        return False
    return token.is_sent_start or _text(doc, start + 1, end) in lexicon.names or token.i == 0


def _merge_gazetteer(mentions: list[_Mention], names: list[Span], lexicon: Lexicon, doc: Doc) -> list[_Mention]:
    """Reconcile the gazetteer's names with the model's mentions.

    Same span: the gazetteer's label wins (Daech is an organisation, not a place). A gazetteer
    name that covers model mentions replaces them (« État islamique » over « État »). Inside a
    longer model mention the model wins (« aéroport de Roissy »), except inside MISC (events:
    « Jeux olympiques de Rio » gives Rio) and a city glued to a person's name (« Rabat Mohamed
    Hassad »). Elsewhere the gazetteer fills the gap.
    """
    out = list(mentions)
    for span in names:
        entry = lexicon.names.get(span.text)
        if entry is None or _inside_compound(doc, span):
            continue
        overlapping = [m for m in out if m.overlaps(span.start, span.end)]
        new = _Mention(span.start, span.end, entry.label, "gazetteer", entry.key, CONF_GAZETTEER)
        if not overlapping:
            new.confidence = CONF_GAZETTEER_GAP
            out.append(new)
            continue
        if len(overlapping) == 1:
            m = overlapping[0]
            if (m.start, m.end) == (span.start, span.end):
                m.label, m.source, m.key, m.confidence = entry.label, "gazetteer", entry.key, CONF_GAZETTEER
                continue
            inside = m.start <= span.start and span.end <= m.end
            if inside and m.label == "MISC":
                out.remove(m)
                out.append(new)
                continue
            if inside and m.label == "PER" and span.start == m.start and m.end - span.end >= 2 and entry.label == "GPE":
                m.start = span.end
                m.source = "rule"
                out.append(new)
                continue
            if inside:
                continue
        if all(span.start <= m.start and m.end <= span.end for m in overlapping):
            for m in overlapping:
                out.remove(m)
            out.append(new)
            continue
        # Partial overlap: the gazetteer's exact name wins; what the model had on either side stays
        # if it is still a name.
        for m in overlapping:
            out.remove(m)
            if m.start < span.start and _is_capitalised(doc[m.start].text):
                out.append(_Mention(m.start, span.start, m.label, m.source, confidence=m.confidence))
            if m.end > span.end and _is_capitalised(doc[span.end].text):
                out.append(_Mention(span.end, m.end, m.label, m.source, confidence=m.confidence))
        out.append(new)
    out.sort(key=lambda m: m.start)
    return out


def _inside_compound(doc: Doc, span: Span) -> bool:
    """« Loire » in « Loire-Atlantique », « Sèvres » in « Deux-Sèvres »: part of a longer hyphenated name."""
    before = span.start > 0 and doc[span.start - 1].text == "-" and not doc[span.start - 1].whitespace_
    after = span.end < len(doc) and doc[span.end].text == "-" and not doc[span.end - 1].whitespace_
    return before or after


def _merge_forces(mentions: list[_Mention], forces: list[Span]) -> list[_Mention]:
    """« l'armée syrienne », « l'État haïtien »: organisations; « le désert syrien »: a place.

    The rule wins over a model mention it covers (« État » alone would be dropped as generic).
    """
    out = list(mentions)
    for span in forces:
        doc = span.doc
        if (
            span.start >= 2
            and doc[span.start - 1].lower_ in ("d'", "d’")
            and doc[span.start - 2].lower_.removeprefix("sous-")
            in ("secrétaire", "ministre", "secrétaires", "ministres")
        ):
            continue  # « (sous-)secrétaire d'État américain »: a title, not the American state
        if (
            span.start >= 3
            and doc[span.start - 1].lower_ in ("l'", "l’")
            and doc[span.start - 2].lower_ == "de"
            and doc[span.start - 3].lower_ in ("chef", "chefs", "cheffe")
        ):
            continue  # « le chef de l'État sénégalais »: a title too
        overlapping = [m for m in out if m.overlaps(span.start, span.end)]
        if all(span.start <= m.start and m.end <= span.end for m in overlapping):
            for m in overlapping:
                out.remove(m)
            label = "ORG" if span.label_ == SECURITY_FORCE else "LOC"
            out.append(_Mention(span.start, span.end, label, "rule", confidence=CONF_RULE))
    out.sort(key=lambda m: m.start)
    return out


def _add_addressed_persons(mentions: list[_Mention], spans: list[Span]) -> list[_Mention]:
    """« M. Hassad », « Mme Durand »: the name after a form of address is a person, if the model missed it."""
    out = list(mentions)
    for span in spans:
        start = span.start + 1  # the honorific itself is not part of the name
        if not any(m.overlaps(span.start, span.end) for m in out):
            out.append(_Mention(start, span.end, "PER", "rule", confidence=CONF_ADDRESSED))
    out.sort(key=lambda m: m.start)
    return out


def _looks_like_acronym(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return 2 <= len(word) <= 10 and len(letters) >= 2 and sum(ch.isupper() for ch in letters) >= 2


def _acronym_fits(acronym: str, long_form: Span) -> bool:
    """The acronym's first letter opens the long form's first content word (« DGSI », « OTAN »)."""
    words = [t.text for t in long_form if t.lower_ not in ACRONYM_SKIP and t.text[:1].isalpha()]
    if not words:
        return False
    first = unicodedata.normalize("NFD", words[0][0])[0].lower()
    return acronym[0].lower() == first


def _link_acronym(long_form: _Mention, at: int, short: _Mention | None, added: list[_Mention], key: str = "") -> None:
    """Make the one-token acronym at ``at`` (``short``, or a new mention put in ``added``) a name
    of ``long_form``, with its label."""
    if short is None:
        short = _Mention(at, at + 1, long_form.label, "rule", key, CONF_ACRONYM)
        added.append(short)
    short.label = long_form.label
    long_form.links.append(at)


def _add_acronyms(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """« Direction générale de la sécurité intérieure (DGSI) » and « DGSI (Direction ...) »: one thing."""
    by_start = {m.start: m for m in mentions}
    names = load_lexicon().names
    added: list[_Mention] = []
    for m in mentions:
        # « (DGSI) », and « (BLT, ou UNOCT en anglais) » with the other name after the comma
        if m.label == "PER" or m.end + 2 >= len(doc) or doc[m.end].text != "(" or doc[m.end + 2].text not in "),":
            continue
        inner = doc[m.end + 1]
        if m.end - m.start >= 2 and _looks_like_acronym(inner.text) and _acronym_fits(inner.text, doc[m.start : m.end]):
            _link_acronym(m, inner.i, by_start.get(inner.i), added, key=m.key)
        elif m.label == "ORG" and m.end - m.start >= 2 and _looks_like_acronym(inner.text):
            # an acronym of the body's own language (« Direction générale de la sûreté (EGM) »,
            # « Forces armées du Ghana (GAF) »): the brackets still name the body, unless the
            # acronym is another known entity's (« (ONU) » after the Security Council, which the
            # gazetteer knows too); a body only the model found takes the acronym's entry
            entry = names.get(inner.text)
            if entry is None or not m.key or entry.key == m.key:
                _link_acronym(m, inner.i, by_start.get(inner.i), added, key=m.key)
        elif m.end - m.start == 1 and _looks_like_acronym(m_text := doc[m.start].text):
            # « DGSI (Direction générale ...) »: the long form is a mention that starts after the bracket
            long_form = by_start.get(m.end + 1)
            if (
                long_form is not None
                and long_form.end - long_form.start >= 2
                and _acronym_fits(m_text, doc[long_form.start : long_form.end])
            ):
                m.label = long_form.label
                m.links.append(long_form.start)
    if added:
        mentions = sorted([*mentions, *added], key=lambda m: m.start)
    return mentions


def _link_bracketed_other_names(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """« le Conseil de coopération du Golfe (CCG, ou Gulf Cooperation Council) », « … (en anglais
    Gulf Cooperation Council) »: the name in the brackets is another name of the one before them."""
    by_start = {m.start: m for m in mentions}
    for m in mentions:
        if m.end >= len(doc) or doc[m.end].text != "(":
            continue
        close = next((k for k in range(m.end + 1, min(len(doc), m.end + 14)) if doc[k].text == ")"), None)
        if close is None:
            continue
        for k in range(m.end + 1, close):
            other = by_start.get(k)
            if other is None or other.label != m.label or other.end > close:
                continue
            before = [t.lower_ for t in doc[max(m.end + 1, k - 2) : k]]
            if before[-1:] == ["ou"] or "anglais" in before:
                m.links.append(other.start)
    return mentions


def _add_ministries(doc: Doc, mentions: list[_Mention], lexicon: Lexicon) -> list[_Mention]:
    """« a annoncé le ministère kirghiz de la Défense », « le ministère de la Défense nationale »: a
    ministry named as a body is an organisation, also where the model tagged none of it."""
    taken = {i for m in mentions for i in range(m.start, m.end)}
    added: list[_Mention] = []
    for i, tok in enumerate(doc):
        if tok.lower_ != "ministère" or i in taken:
            continue
        k = i + 1
        while k < len(doc) and doc[k].lower_ in lexicon.demonym_adjectives:
            k += 1  # « ministère kirghiz de la Défense »
        if k >= len(doc) or doc[k].lower_ not in PORTFOLIO_LINKS or doc[k].lower_ in ("et", "à"):
            continue
        while k < len(doc) and doc[k].lower_ in PORTFOLIO_LINKS - {"et"}:
            k += 1
        if k >= len(doc) or not doc[k].text[:1].isupper() or doc[k].lower_ not in PORTFOLIO_WORDS:
            continue
        end = k
        while end < len(doc) and (doc[end].lower_ in PORTFOLIO_WORDS or doc[end].lower_ in PORTFOLIO_LINKS):
            end += 1
        while end > k and doc[end - 1].lower_ in PORTFOLIO_LINKS:
            end -= 1
        if any(j in taken for j in range(i, end)):
            continue
        added.append(_Mention(i, end, "ORG", "rule", confidence=CONF_RULE))
        taken.update(range(i, end))
    return sorted([*mentions, *added], key=lambda m: m.start) if added else mentions


def _initials_spell(acronym: str, words: list[str]) -> bool:
    """« police judiciaire fédérale » spells « PJF »: the content words' initials are the acronym."""
    content = [w for w in words if w.lower() not in ACRONYM_SKIP and w[:1].isalpha()]
    initials = "".join(unicodedata.normalize("NFD", w[0])[0].lower() for w in content)
    return len(content) >= 2 and initials == acronym.lower()


def _add_lowercase_long_forms(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """« la police judiciaire fédérale (PJF) », « la direction générale de la sécurité extérieure
    (DGSE) »: a body's name written in lower case before its acronym, which the model misses."""
    taken = {i for m in mentions for i in range(m.start, m.end)}
    exact = {m.start for m in mentions if m.end == m.start + 1}
    added: list[_Mention] = []
    for k in range(2, len(doc) - 1):
        if doc[k - 1].text != "(" or doc[k + 1].text != ")" or not _looks_like_acronym(doc[k].text):
            continue
        if k in taken and k not in exact:
            continue  # the acronym is inside a longer mention
        end = k - 1  # the long form ends before the bracket
        if end - 1 in taken:
            continue
        for start in range(max(0, end - 10), end - 1):
            if doc[start].lower_ not in ORG_HEADS or any(i in taken for i in range(start, end)):
                continue
            if any(t.is_punct or t.is_space for t in doc[start:end]):
                continue
            if _initials_spell(doc[k].text, [t.text for t in doc[start:end]]):
                long_form = _Mention(start, end, "ORG", "rule", "", CONF_ACRONYM)
                _link_acronym(long_form, k, next((m for m in [*mentions, *added] if m.start == k), None), added)
                added.append(long_form)
                taken.update(range(start, end))
                taken.add(k)
                break
    return sorted([*mentions, *added], key=lambda m: m.start) if added else mentions


def _resolve_anaphors(doc: Doc, mentions: list[_Mention], anaphors: list[Span], lexicon: Lexicon) -> list[_Mention]:
    """Keep « l'Alliance », « le Royaume » only where they refer back to a named entity of the article."""
    out = list(mentions)
    for span in anaphors:
        if span.start == 0 or doc[span.start - 1].lower_ not in ANAPHOR_DETERMINERS:
            continue
        if any(m.overlaps(span.start, span.end) for m in out):
            continue
        keys = lexicon.anaphors.get(span.text, frozenset())
        antecedent = next(
            (m for m in sorted(out, key=lambda m: -m.start) if m.start < span.start and m.key in keys), None
        )
        if antecedent is not None:
            out.append(_Mention(span.start, span.end, antecedent.label, "rule", antecedent.key, CONF_ANAPHOR))
    out.sort(key=lambda m: m.start)
    return out


def _refer_back_to_bodies(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """« la Coalition », « le Conseil » alone after « Coalition mondiale contre Daech », « Conseil des
    ministres arabes de l'Intérieur »: the body of that head noun named last before, as the gazetteer's
    anaphors do for the bodies it knows (« l'Alliance » for the OTAN)."""
    by_head: dict[str, list[_Mention]] = {}
    for m in mentions:  # (in text order)
        if m.label == "ORG" and m.end - m.start >= 2 and doc[m.start].text in BODY_HEADS:
            by_head.setdefault(doc[m.start].text, []).append(m)
    if not by_head:
        return mentions
    covered = {i for m in mentions for i in range(m.start, m.end)}
    # The model's own tag on the bare head word (« l'Initiative » as an ORG of its own) is replaced by the link.
    alone = {m.start: m for m in mentions if m.end - m.start == 1 and m.source == "model"}
    added, replaced = [], set()
    for tok in doc:
        named = by_head.get(tok.text)
        if not named or tok.i == 0 or doc[tok.i - 1].lower_ not in ANAPHOR_DETERMINERS:
            continue
        if tok.i in covered and tok.i not in alone:
            continue
        after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if after is not None and (
            _is_capitalised(after.text) or after.pos_ == "ADJ" or after.lower_ in LEADING_FUNCTION_WORDS
        ):
            continue  # « la Commission européenne », « le Conseil de sécurité »: another body's name
        earlier = [m for m in named if m.end <= tok.i]
        if earlier:
            body = earlier[-1]
            added.append(_Mention(tok.i, tok.i + 1, "ORG", "rule", body.key, CONF_ANAPHOR, links=[body.start]))
            if tok.i in alone:
                replaced.add(id(alone[tok.i]))
    if not added:
        return mentions
    return sorted([*(m for m in mentions if id(m) not in replaced), *added], key=lambda m: m.start)


def _repeat_names(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """Tag again what the article already named: « Froome » after « Chris Froome », « DGSI » after its definition.

    One pass over the tokens: a capitalised token that no mention covers and that opens a name
    seen elsewhere in the article (a whole mention, or a person's last name) becomes a mention.
    """
    known: dict[str, list[tuple[tuple[str, ...], _Mention]]] = {}
    for m in mentions:
        if m.label == "MISC":
            continue
        words = tuple(t.text for t in doc[m.start : m.end])
        if not _is_capitalised(words[0]):
            continue
        known.setdefault(words[0], []).append((words, m))
        if m.label == "PER" and len(words) >= 2 and _is_capitalised(words[-1]):
            known.setdefault(words[-1], []).append(((words[-1],), m))
    if not known:
        return mentions
    covered = bytearray(len(doc))
    for m in mentions:
        covered[m.start : m.end] = b"\x01" * (m.end - m.start)
    added: list[_Mention] = []
    i, n = 0, len(doc)
    while i < n:
        token = doc[i]
        candidates = None if covered[i] else known.get(token.text)
        if candidates:
            for words, model in sorted(candidates, key=lambda c: -len(c[0])):
                end = i + len(words)
                if end <= n and not any(covered[i:end]) and all(doc[i + k].text == w for k, w in enumerate(words)):
                    added.append(_Mention(i, end, model.label, "rule", model.key, CONF_REPEAT))
                    i = end
                    break
            else:
                i += 1
            continue
        i += 1
    if added:
        mentions = sorted([*mentions, *added], key=lambda m: m.start)
    return mentions


# A name does not end with these; when another name follows (« Mission de transition de l' » +
# « UA »), the two are one name.
TRAILING_FUNCTION_WORDS = _words("de du des d' d’ la le les l' l’ et au aux à en pour")
# Compass adjectives that go on a place's name (« Méditerranée occidentale »).
COMPASS_ADJECTIVES = _words(
    "occidental occidentale occidentaux occidentales oriental orientale orientaux orientales central centrale "
    "centraux centrales septentrional septentrionale méridional méridionale"
)


def _polish_edges(doc: Doc, mentions: list[_Mention], lexicon: Lexicon) -> list[_Mention]:
    """Mend span edges every source gets wrong now and then.

    « Garde civile et de la » loses its dangling words; « Mission de transition de l' » + « UA »
    become one organisation; « Méditerranée » takes « occidentale »; a name inside quotes with a
    year (« exercice « Gorée 2024 » ») names an exercise, not a place; « la DGST marocaine » is
    the DGST.
    """
    out: list[_Mention] = []
    mentions = sorted(mentions, key=lambda m: m.start)
    i = 0
    while i < len(mentions):
        m = mentions[i]
        if m.end - m.start > 1 and doc[m.end - 1].lower_ in TRAILING_FUNCTION_WORDS:
            nxt = mentions[i + 1] if i + 1 < len(mentions) else None
            dangling = m.end
            while dangling - 1 > m.start and doc[dangling - 1].lower_ in TRAILING_FUNCTION_WORDS | {"et"}:
                dangling -= 1
            # « la Garde civile et de la » + « Gendarmerie royale »: two bodies, not one name
            two_bodies = (
                nxt is not None
                and "et" in {t.lower_ for t in doc[dangling : m.end]}
                and (doc[nxt.start].lower_ in ORG_HEADS)
            )
            if (
                nxt is not None
                and nxt.start == m.end
                and m.label == "ORG"
                and nxt.label in ("ORG", "GPE", "LOC")
                and not two_bodies
            ):
                m.end = nxt.end
                m.links.extend(nxt.links)
                i += 1  # the next one is now inside this name
            else:
                while m.end - m.start > 1 and doc[m.end - 1].lower_ in TRAILING_FUNCTION_WORDS | {"et"}:
                    m.end -= 1
        if m.label == "ORG" and m.end - m.start > 1 and doc[m.end - 1].lower_ in lexicon.demonym_adjectives:
            # « la DGST marocaine », « la Guardia Civil espagnole »: the body is the name before the adjective
            core = _text(doc, m.start, m.end - 1)
            if (m.end - m.start == 2 and _looks_like_acronym(doc[m.start].text)) or core in lexicon.names:
                m.end -= 1
        compass = m.end < len(doc) and doc[m.end].lower_ in COMPASS_ADJECTIVES
        if m.label in ("LOC", "GPE") and compass and not any(o.start == m.end for o in mentions):
            m.end += 1
            m.label, m.key = "LOC", ""  # a region of the place: another name
        quoted = m.start > 0 and doc[m.start - 1].text in ("«", '"', "“")
        if quoted and m.end < len(doc) and doc[m.end].like_num and len(doc[m.end].text) == 4 and m.label != "PER":
            i += 1
            continue  # « Gorée 2024 », « African Lion 2024 »: an exercise's name
        if m.label != "PER" and _in_quoted_exercise_name(doc, m.start, m.end):
            i += 1
            continue  # « l'exercice « Sécurité du Golfe arabe 4 » »: a word of the exercise's name
        out.append(m)
        i += 1
    return out


def _without_overlaps(mentions: list[_Mention]) -> list[_Mention]:
    """Mentions never overlap (an entity span is one name): should two passes ever disagree, the one
    that starts first (the longer at equal starts) wins, rather than the whole article failing."""
    out: list[_Mention] = []
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


_PLACING_WORDS = _words("en au aux à")


def _join_placed_bodies(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """« Mission de transition de l'UA en Somalie (ATMIS) », « Éléments français au Sénégal (EFS) »:
    a body, « en » / « au » and a place, then an acronym in brackets, are one name with that acronym."""
    ordered = sorted(mentions, key=lambda m: m.start)
    by_start = {m.start: m for m in ordered}
    out: list[_Mention] = []
    added: list[_Mention] = []
    i = 0
    while i < len(ordered):
        m = ordered[i]
        place = ordered[i + 1] if i + 1 < len(ordered) else None
        if (
            m.label == "ORG"
            and place is not None
            and place.label in ("GPE", "LOC")
            and place.start == m.end + 1
            and doc[m.end].lower_ in _PLACING_WORDS
            and place.end + 2 < len(doc)
            and doc[place.end].text == "("
            and doc[place.end + 2].text == ")"
            and _looks_like_acronym(acronym := doc[place.end + 1].text)
            and acronym[0].isupper()
        ):
            short = by_start.get(place.end + 1)
            if short is not None and short.end != place.end + 2:
                out.append(m)  # the acronym is part of a longer mention: leave both as they are
                i += 1
                continue
            joined = _Mention(m.start, place.end, "ORG", m.source, "", m.confidence, list(m.links))
            _link_acronym(joined, place.end + 1, short, added)
            out.append(joined)
            i += 2
            continue
        out.append(m)
        i += 1
    return sorted([*out, *added], key=lambda m: m.start)


# Nouns a quoted exercise name follows (« l'exercice « Sécurité du Golfe arabe 4 » »).
EXERCISE_NOUNS = _words("exercice exercices manœuvres manoeuvres")


NAMING_PARTICIPLES = _words("baptisé baptisée baptisés baptisées dénommé dénommée intitulé intitulée nommé nommée")


def _in_quoted_exercise_name(doc: Doc, start: int, end: int) -> bool:
    """True when doc[start:end] lies inside « … » quotes opened right after an exercise noun."""
    opening = None
    for k in range(start - 1, max(-1, start - 8), -1):
        if doc[k].text in ("»", "”") or doc[k].is_sent_start and k < start - 1:
            return False
        if doc[k].text in ("«", "“"):
            opening = k
            break
    if opening is None or opening == 0:
        return False
    before = doc[opening - 1].lower_
    if before in NAMING_PARTICIPLES:  # « un exercice conjoint baptisé « Sécurité du Golfe arabe 4 » »
        if not any(t.lower_ in EXERCISE_NOUNS for t in doc[max(0, opening - 5) : opening - 1]):
            return False
    elif before not in EXERCISE_NOUNS:
        return False
    return any(doc[k].text in ("»", "”") for k in range(end, min(len(doc), end + 6)))


def _harmonise_labels(doc: Doc, mentions: list[_Mention], lexicon: Lexicon) -> None:
    """One name, one label per article; persons' last names are persons; places split GPE / LOC."""
    surnames: set[str] = set()
    folded_surnames: set[tuple[str, ...]] = set()  # « el-Menfi » and « Al-Menfi » alike
    for m in mentions:
        if m.label == "PER" and m.end - m.start >= 2:
            surnames.add(doc[m.end - 1].text)
            if folded := person_name_tokens(doc[m.end - 1].text):
                folded_surnames.add(folded)
    votes: dict[str, Counter] = {}
    for m in mentions:
        if m.source == "model":
            votes.setdefault(_text(doc, m.start, m.end), Counter())[m.label] += 1
    for m in mentions:
        text = _text(doc, m.start, m.end)
        if m.label == "PER" and m.start > 0 and doc[m.start - 1].lower_ in ARMED_GROUP_NOUNS and m.source == "model":
            m.label = "ORG"  # « la katiba Okba Ibn Nafaa », « la brigade Al-Qods »: a group named after a person
        elif m.label != "PER" and _article_surname(text) and person_name_tokens(text) in folded_surnames:
            m.label, m.key, m.source = "PER", "", "rule"  # « Al-Menfi » after « Mohamed el-Menfi »
        elif m.end - m.start == 1 and text in surnames and m.label != "PER":
            m.label, m.key, m.source = "PER", "", "rule"
        elif m.source == "model" and len(votes.get(text, ())) > 1:
            m.label = votes[text].most_common(1)[0][0]
        if m.label == "LOC" and not m.key:
            m.label = _place_label(doc[m.start : m.end])
        elif m.label == "GPE" and _place_label(doc[m.start : m.end], own_words=not m.key) == "LOC":
            m.label = "LOC"  # « les îles Canaries »: the noun before says what kind of place
    # « la région de Tillabéri … à Tillabéri », « le massif du Chaambi … le Chaambi »: what the article
    # called a region or a natural area is one everywhere in it
    # (a country keeps its label: « le fleuve Sénégal » is no reason to make « le Sénégal » a river)
    regions = {
        text
        for m in mentions
        if (
            (m.label == "LOC" and _noun_before(doc, m.start) in LOC_HEADS | REGION_HEADS)
            or (m.label in ("LOC", "GPE") and _region_head_before(doc, m.start) in REGION_HEADS)
        )
        and (text := _text(doc, m.start, m.end)) not in country_names()
    }
    for m in mentions:
        if m.label == "GPE" and _text(doc, m.start, m.end) in regions:
            m.label = "LOC"


def _generic_phrase_with_adjectives(doc: Doc, start: int, end: int, lexicon: Lexicon) -> bool:
    """« les Hautes Instructions royales »: a generic phrase of two words or more, then lower-case
    adjectives (one-word generics are left to the rules above: « Union européenne » is a name)."""
    core = end
    while core > start + 2 and doc[core - 1].is_alpha and doc[core - 1].is_lower:
        core -= 1
    return core < end and _text(doc, start, core) in lexicon.generic


_LIST_GLUE = frozenset({"du", "de", "des", "d'", "d’", "la", "le", "l'", "l’", "et", ","})


def _region_head_before(doc: Doc, start: int) -> str:
    """The noun before a list of names the name at ``start`` ends (« les régions du Bounkani et du
    Tchologo »: « régions » for « Tchologo »), or the noun right before it."""
    k = start - 1
    while k >= 0 and start - k <= 12:
        if doc[k].lower_ in _LIST_GLUE or (doc[k].pos_ == "PROPN" and doc[k].text[:1].isupper()):
            k -= 1
            continue
        return doc[k].lower_
    return ""


def _add_coordinated_regions(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """« dans les régions du Bounkani et du Tchologo »: the names a region's is listed with are
    regions too, also when the model tagged only the first."""
    taken = {i for m in mentions for i in range(m.start, m.end)}
    added: list[_Mention] = []
    for m in mentions:
        if m.label not in ("LOC", "GPE") or _noun_before(doc, m.start) not in REGION_HEADS:
            continue
        k = m.end
        while k + 1 < len(doc) and doc[k].text in (",", "et"):
            k += 1
            while k < len(doc) and doc[k].lower_ in _LIST_GLUE - {"et", ","}:
                k += 1
            end = k
            while end < len(doc) and end - k < 3 and doc[end].text[:1].isupper() and doc[end].is_alpha:
                end += 1
            if end == k or any(i in taken for i in range(k, end)):
                break
            added.append(_Mention(k, end, "LOC", "rule", confidence=CONF_RULE))
            taken.update(range(k, end))
            k = end
    return sorted([*mentions, *added], key=lambda m: m.start) if added else mentions


def _noun_before(doc: Doc, start: int) -> str:
    before = start - 1
    while before >= 0 and doc[before].lower_ in ("du", "de", "des", "d'", "d’", "la", "l'", "l’"):
        before -= 1
    return doc[before].lower_ if 0 <= before < start else ""


def _place_label(span: Span, *, own_words: bool = True) -> str:
    """LOC for natural and geographic areas (« mer Rouge », « Moyen-Orient », « îles Canaries »,
    « massif du Chaambi »), else GPE.

    A country or city of the gazetteer keeps its GPE whatever its own words say (« Côte d'Ivoire »,
    « Îles Salomon »): with ``own_words`` False only a noun before the name counts.
    """
    if own_words and (
        span[0].lower_ in LOC_HEADS or span.text.endswith(LOC_SUFFIXES) or span[-1].lower_ in COMPASS_ADJECTIVES
    ):
        return "LOC"
    return "LOC" if _noun_before(span.doc, span.start) in LOC_HEADS | REGION_HEADS else "GPE"


# --------------------------------------------------------------------------- groups


_ARTICLE_SURNAME_RE = re.compile(r"^(?:Al|El|al|el)[- ]\w")


def _article_surname(text: str) -> bool:
    """« Al-Menfi », « El Ghazouani »: a surname behind the Arabic article, one word once folded."""
    return bool(_ARTICLE_SURNAME_RE.match(text)) and len(person_name_tokens(text)) == 1


def _build_spans(doc: Doc, mentions: list[_Mention], lexicon: Lexicon) -> list[EntitySpan]:
    """Group the mentions (same gazetteer entry, same name, acronym, person's short name) and emit them."""
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    texts = [_text(doc, m.start, m.end) for m in mentions]
    index_by_start = {m.start: i for i, m in enumerate(mentions)}
    first_by_key: dict[tuple[str, str], int] = {}
    full_names: list[tuple[tuple[str, ...], int]] = []  # persons named with two words or more
    for i, m in enumerate(mentions):
        for key in ((m.label, f"key:{m.key}") if m.key else None, (m.label, f"text:{texts[i]}")):
            if key is None:
                continue
            if key in first_by_key:
                union(i, first_by_key[key])
            else:
                first_by_key[key] = i
        for start in m.links:
            if start in index_by_start:
                union(i, index_by_start[start])
        if m.label == "PER" and m.end - m.start >= 2:
            full_names.append((tuple(t.text for t in doc[m.start : m.end]), i))
    folded_full = [(person_name_tokens(" ".join(full)), j) for full, j in full_names]
    for i, m in enumerate(mentions):  # « Hassad », « Le Drian » after « Jean-Yves Le Drian »
        if m.label != "PER":
            continue
        words = tuple(t.text for t in doc[m.start : m.end])
        matches = [j for full, j in full_names if len(full) > len(words) and full[-len(words) :] == words]
        if not matches and len(words) >= 2:
            # « Khalifa bin Hamad » after « Cheikh Khalifa ben Hamad ben Khalifa Al-Thani »: the same
            # name in another transliteration, or its first words (given name and father's name)
            folded = person_name_tokens(" ".join(words))
            matches = [
                j
                for full, j in folded_full
                if j != i and len(folded) >= 2 and len(full) >= len(folded) and full[: len(folded)] == folded
            ]
            if len({find(j) for j in matches}) > 1:
                matches = []  # two different people begin so: no guess
        if not matches and _article_surname(texts[i]):
            # « M. Al-Menfi » after « Mohamed el-Menfi »: the surname with its article written otherwise
            folded = person_name_tokens(texts[i])
            holders = {
                find(j)
                for full, j in folded_full
                if j != i and folded and len(full) > len(folded) and full[-len(folded) :] == folded
            }
            matches = [j for full, j in folded_full if find(j) in holders] if len(holders) == 1 else []
        if matches:
            before = [j for j in matches if mentions[j].start < m.start]
            union(i, before[-1] if before else matches[0])
        elif len(words) == 1:
            # « Cheikh Saif » after « Saif bin Zayed Al Nahyan », « M. Faki » after « Moussa Faki
            # Mahamat »: one word of a single full name named before
            holders = {find(j) for full, j in full_names if words[0] in full[:-1] and mentions[j].start < m.start}
            if len(holders) == 1:
                union(i, holders.pop())

    members: dict[int, list[int]] = {}
    for i in range(len(mentions)):
        members.setdefault(find(i), []).append(i)
    group_of: dict[int, int] = {}
    canonical_of: dict[int, str] = {}
    aliases_of: dict[int, tuple[str, ...]] = {}
    entries = lexicon.by_key
    for number, root in enumerate(sorted(members, key=lambda r: mentions[members[r][0]].start)):
        indices = members[root]
        group_of[root] = number
        gazetteer_keys = [mentions[i].key for i in indices if mentions[i].key in entries]
        forms = list(dict.fromkeys(texts[i] for i in indices))
        if gazetteer_keys:
            canonical = entries[gazetteer_keys[0]].canonical
        else:
            canonical = max(forms, key=len)  # the longest full form; ties go to the first seen
        canonical_of[root] = canonical
        aliases_of[root] = tuple(f for f in forms if f != canonical)

    spans: list[EntitySpan] = []
    for i, m in enumerate(mentions):
        root = find(i)
        group_size = len(members[root])
        span = doc[m.start : m.end]
        confidence = min(CONF_MAX, m.confidence + (CONF_GROUP_BONUS[m.source] if group_size > 1 else 0.0))
        spans.append(
            EntitySpan(
                start=span.start_char,
                end=span.end_char,
                text=span.text,
                label=m.label,
                confidence=round(confidence, 2),
                group=group_of[root],
                canonical=canonical_of[root],
                aliases=aliases_of[root],
                source=m.source,
            )
        )
    return spans
