"""Titles and functions (« le ministre espagnol de l'Intérieur, M. Fernando Grande-Marlaska »).

``find_roles`` scans the parsed text left to right for a title word (ministre,
président, secrétaire général, chef d'état-major...), reads the title's own
words to the right (qualifiers, portfolio, « de la diplomatie »), takes the
country or body it is held for from a nationality adjective or a « de X »
complement, then looks for the person holding it right next to it:

- name after the title: « le président sénégalais Macky Sall », « le ministre de
  l'Intérieur, M. Fernando Grande-Marlaska »;
- name before it, as an apposition: « Jens Stoltenberg, secrétaire général de l'OTAN ».

The scan is linear on purpose: fr_core_news_md often attaches the name under the
portfolio noun or as a conjunct, while the surface order is reliable. Roles
without a named holder are kept (holder=None) so analysts can link them.

Pure Python + spaCy, no Django.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from entities.nlp.doctext import doc_text
from entities.nlp.types import EntitySpan, RoleSpan

# -- lexicon ----------------------------------------------------------------------------------------

# Nationality (or body) adjective, masculine singular -> country or body name.
NATIONALITIES: dict[str, str] = {
    # Europe
    "français": "France",
    "espagnol": "Espagne",
    "italien": "Italie",
    "allemand": "Allemagne",
    "portugais": "Portugal",
    "belge": "Belgique",
    "néerlandais": "Pays-Bas",
    "luxembourgeois": "Luxembourg",
    "suisse": "Suisse",
    "autrichien": "Autriche",
    "britannique": "Royaume-Uni",
    "irlandais": "Irlande",
    "polonais": "Pologne",
    "tchèque": "Tchéquie",
    "slovaque": "Slovaquie",
    "hongrois": "Hongrie",
    "roumain": "Roumanie",
    "bulgare": "Bulgarie",
    "grec": "Grèce",
    "chypriote": "Chypre",
    "maltais": "Malte",
    "croate": "Croatie",
    "serbe": "Serbie",
    "slovène": "Slovénie",
    "albanais": "Albanie",
    "kosovar": "Kosovo",
    "ukrainien": "Ukraine",
    "russe": "Russie",
    "biélorusse": "Biélorussie",
    "moldave": "Moldavie",
    "lituanien": "Lituanie",
    "letton": "Lettonie",
    "estonien": "Estonie",
    "finlandais": "Finlande",
    "suédois": "Suède",
    "norvégien": "Norvège",
    "danois": "Danemark",
    "géorgien": "Géorgie",
    "arménien": "Arménie",
    "azerbaïdjanais": "Azerbaïdjan",
    "turc": "Turquie",
    # Maghreb, Middle East
    "marocain": "Maroc",
    "algérien": "Algérie",
    "tunisien": "Tunisie",
    "libyen": "Libye",
    "égyptien": "Égypte",
    "israélien": "Israël",
    "palestinien": "Palestine",
    "libanais": "Liban",
    "syrien": "Syrie",
    "jordanien": "Jordanie",
    "irakien": "Irak",
    "iranien": "Iran",
    "saoudien": "Arabie saoudite",
    "émirati": "Émirats arabes unis",
    "qatari": "Qatar",
    "qatarien": "Qatar",
    "koweïtien": "Koweït",
    "omanais": "Oman",
    "yéménite": "Yémen",
    # Africa
    "mauritanien": "Mauritanie",
    "sénégalais": "Sénégal",
    "malien": "Mali",
    "nigérien": "Niger",
    "burkinabè": "Burkina Faso",
    "burkinabé": "Burkina Faso",
    "tchadien": "Tchad",
    "soudanais": "Soudan",
    "sud-soudanais": "Soudan du Sud",
    "éthiopien": "Éthiopie",
    "érythréen": "Érythrée",
    "djiboutien": "Djibouti",
    "somalien": "Somalie",
    "kényan": "Kenya",
    "kenyan": "Kenya",
    "ougandais": "Ouganda",
    "rwandais": "Rwanda",
    "burundais": "Burundi",
    "tanzanien": "Tanzanie",
    "mozambicain": "Mozambique",
    "angolais": "Angola",
    "congolais": "Congo",
    "centrafricain": "République centrafricaine",
    "camerounais": "Cameroun",
    "gabonais": "Gabon",
    "nigérian": "Nigeria",
    "nigerian": "Nigeria",
    "béninois": "Bénin",
    "togolais": "Togo",
    "ghanéen": "Ghana",
    "ivoirien": "Côte d'Ivoire",
    "guinéen": "Guinée",
    "libérien": "Liberia",
    "gambien": "Gambie",
    "sud-africain": "Afrique du Sud",
    # Asia, Americas, Oceania
    "afghan": "Afghanistan",
    "pakistanais": "Pakistan",
    "indien": "Inde",
    "chinois": "Chine",
    "japonais": "Japon",
    "sud-coréen": "Corée du Sud",
    "nord-coréen": "Corée du Nord",
    "indonésien": "Indonésie",
    "philippin": "Philippines",
    "vietnamien": "Viêt Nam",
    "australien": "Australie",
    "américain": "États-Unis",
    "canadien": "Canada",
    "mexicain": "Mexique",
    "brésilien": "Brésil",
    "argentin": "Argentine",
    "colombien": "Colombie",
    "vénézuélien": "Venezuela",
    "haïtien": "Haïti",
    # bodies
    "européen": "Union européenne",
    "onusien": "ONU",
}

# Title words (lowercase surface forms) -> singular form used in the normalised role.
_HEADS: dict[str, str] = {
    "ministre": "ministre",
    "ministres": "ministre",
    "président": "président",
    "présidents": "président",
    "présidente": "présidente",
    "vice-président": "vice-président",
    "vice-présidente": "vice-présidente",
    "secrétaire": "secrétaire",
    "sous-secrétaire": "sous-secrétaire",
    "chef": "chef",
    "chefs": "chef",
    "cheffe": "cheffe",
    "directeur": "directeur",
    "directrice": "directrice",
    "commissaire": "commissaire",
    "représentant": "représentant",
    "représentante": "représentante",
    "envoyé": "envoyé",
    "envoyée": "envoyée",
    "ambassadeur": "ambassadeur",
    "ambassadrice": "ambassadrice",
    "porte-parole": "porte-parole",
    "roi": "roi",
    "reine": "reine",
    "émir": "émir",
    "prince": "prince",
    "gouverneur": "gouverneur",
    "préfet": "préfet",
    "préfète": "préfète",
    "procureur": "procureur",
    "procureure": "procureure",
    "commandant": "commandant",
    "coordinateur": "coordinateur",
    "coordinatrice": "coordinatrice",
    "conseiller": "conseiller",
    "conseillère": "conseillère",
    "patron": "patron",
    "patronne": "patronne",
    "général": "général",
    "générale": "générale",
    "colonel": "colonel",
    "amiral": "amiral",
}
# Surface forms of title words, for callers that only need to know one when they see it.
TITLE_WORDS = frozenset(_HEADS)
# What a token's folded text must be for a title to start there: a head, or a head's part
# before one of its hyphens (« état » of « état-major », glued back by _joined).
_HEAD_STARTS = frozenset({*_HEADS, *(head[:k] for head in _HEADS for k, char in enumerate(head) if char == "-")})
# Heads that are a title only with a qualifier or complement (« le secrétaire », « le chef »
# or « le représentant » alone are too vague) or, for ranks, only right before a name.
_NEEDS_MORE = {
    "secrétaire",
    "sous-secrétaire",
    "chef",
    "cheffe",
    "représentant",
    "représentante",
    "envoyé",
    "envoyée",
    "conseiller",
}
_NEEDS_MORE |= {"conseillère", "commandant", "patron", "patronne", "directeur", "directrice", "porte-parole"}
_RANKS = {"général", "générale", "colonel", "amiral"}
_MINISTERIAL = {"ministre", "secrétaire d'État"}

# Adjectives that belong to the title itself.
_QUALIFIERS = {
    "général",
    "générale",
    "adjoint",
    "adjointe",
    "délégué",
    "déléguée",
    "spécial",
    "spéciale",
    "exécutif",
    "exécutive",
    "permanent",
    "permanente",
    "intérimaire",
    "sortant",
    "sortante",
    "héritier",
    "national",
    "nationale",
    "antiterroriste",
}

# Ministry portfolios, written with the usual capital (« ministre de l'Intérieur »).
_PORTFOLIOS = {
    "intérieur": "Intérieur",
    "défense": "Défense",
    "armées": "Armées",
    "justice": "Justice",
    "affaires": "Affaires",
    "europe": "Europe",
    "économie": "Économie",
    "finances": "Finances",
    "budget": "Budget",
    "santé": "Santé",
    "éducation": "Éducation",
    "travail": "Travail",
    "agriculture": "Agriculture",
    "transports": "Transports",
    "environnement": "Environnement",
    "énergie": "Énergie",
    "culture": "Culture",
    "sports": "Sports",
    "outre-mer": "Outre-mer",
    "sécurité": "Sécurité",
    "immigration": "Immigration",
    "intégration": "Intégration",
    "coopération": "Coopération",
    "développement": "Développement",
    "commerce": "Commerce",
    "industrie": "Industrie",
    "numérique": "Numérique",
    "communication": "Communication",
    "information": "Information",
    "relations": "Relations",
    "administration": "Administration",
    "décentralisation": "Décentralisation",
    "mer": "Mer",
    "recherche": "Recherche",
    "enseignement": "Enseignement",
    "solidarités": "Solidarités",
    "jeunesse": "Jeunesse",
    "famille": "Famille",
    "logement": "Logement",
    "anciens": "Anciens",
}
# Other complements that are part of the title (« chef de la diplomatie », « chef d'état-major
# des armées »); a few keep their conventional capital.
_COMPLEMENTS = {
    "diplomatie": "diplomatie",
    "état-major": "état-major",
    "gouvernement": "gouvernement",
    "république": "République",
    "état": "État",
    "transition": "transition",
    "police": "police",
    "gendarmerie": "gendarmerie",
    "renseignement": "renseignement",
    "renseignements": "renseignements",
    "armée": "armée",
    "armées": "armées",
    "junte": "junte",
    "mission": "mission",
    "force": "force",
    "forces": "forces",
    "marine": "marine",
    "sécurité": "sécurité",
    "défense": "défense",
    "services": "services",
    "opérations": "opérations",
    "cabinet": "cabinet",
    "commission": "commission",
    "conseil": "conseil",
    "parlement": "parlement",
    "sénat": "Sénat",
    "assemblée": "assemblée",
    "terre": "terre",
    "air": "air",
}
_DE = {"de", "d'", "d’", "du", "des"}
_ARTICLES = {"le", "la", "l'", "l’", "les"}
_HONORIFICS = {"m.", "mme", "mme.", "mlle", "mgr", "dr", "me", "s.e.", "sm"}
_PERSON = "PER"
_BODIES = {"ORG", "GPE", "LOC"}

# -- helpers ----------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().replace("’", "'")


def nationality(word: str) -> str | None:
    """« espagnole », « américains », « turque » -> the country (or body) they refer to."""
    w = _fold(word)
    candidates = [w]
    if w.endswith("s") and w not in NATIONALITIES:
        candidates.append(w[:-1])
    for c in list(candidates):
        if c.endswith("que"):  # turque, grecque
            candidates.append(c[:-3] + "c")
            candidates.append(c[:-4] + "c")
        if c.endswith("enne"):
            candidates.append(c[:-2])
        if c.endswith("e"):
            candidates.append(c[:-1])
    for c in candidates:
        if c in NATIONALITIES:
            return NATIONALITIES[c]
    return None


@dataclass
class EntityIndex:
    """Token index -> index of the entity covering it (-1 when none), built once per call."""

    at: list[int]
    spans: list[Span | None]
    labels: list[str]

    @classmethod
    def build(cls, doc: Doc, entities: list[EntitySpan]) -> EntityIndex:
        at = [-1] * len(doc)
        spans: list[Span | None] = []
        for index, ent in enumerate(entities):
            span = doc.char_span(ent.start, ent.end, alignment_mode="expand")
            spans.append(span)
            if span is None:
                continue
            for i in range(span.start, span.end):
                if at[i] == -1:
                    at[i] = index
        return cls(at, spans, [e.label for e in entities])


def _joined(doc: Doc, i: int) -> tuple[str, int]:
    """The word starting at token i with hyphen pieces glued back (« état - major »), and its end."""
    j = i + 1
    text = doc[i].text
    while j + 1 < len(doc) and doc[j].text == "-" and not doc[j - 1].whitespace_ and not doc[j].whitespace_:
        text += "-" + doc[j + 1].text
        j += 2
    return text, j


def _find_entity(entities: list[EntitySpan], name: str, near: int) -> int | None:
    """Index of the body/country mention named ``name`` nearest to char offset ``near``."""
    key = _fold(name)
    best: tuple[int, int] | None = None
    for index, ent in enumerate(entities):
        if ent.label == _PERSON:
            continue
        names = {_fold(ent.text), _fold(ent.canonical), *(_fold(a) for a in ent.aliases)}
        names |= {n.split(" ", 1)[1] for n in list(names) if n.split(" ", 1)[0] in _ARTICLES and " " in n}
        names |= {n[2:] for n in list(names) if n.startswith("l'")}
        if key in names:
            distance = abs(ent.start - near)
            if best is None or distance < best[0]:
                best = (distance, index)
    return best[1] if best else None


# -- the scan ---------------------------------------------------------------------------------------


@dataclass
class _Role:
    start: int  # token indices, end exclusive
    end: int
    words: list[str]
    ministerial: bool
    of: int | None = None
    of_name: str | None = None
    plural: bool = False
    nationalities: int = 0


def _read_title(doc: Doc, i: int, ents: EntityIndex) -> _Role | None:
    """The title starting at token i, or None. Does not look for the holder."""
    tok = doc[i]
    if _fold(tok.text) not in _HEAD_STARTS:
        return None  # the common case, decided without gluing hyphenated pieces
    word, after = _joined(doc, i)
    lower = _fold(word)
    if lower not in _HEADS or tok.pos_ not in {"NOUN", "PROPN", "ADJ"}:
        return None
    if ents.at[i] != -1 and ents.labels[ents.at[i]] == _PERSON:
        return None  # « Général » inside a person's name is part of the name
    head = _HEADS[lower]
    start = i
    words: list[str] = []
    prev = doc[i - 1] if i > 0 else None
    if head == "ministre" and prev is not None and _fold(prev.text) in {"premier", "première"}:
        start = i - 1
        words.append("Premier" if _fold(prev.text) == "premier" else "Première")
    if head == "prince" and after < len(doc) and _fold(doc[after].text) == "héritier":
        words.append("prince héritier")
        after += 1
    else:
        words.append(head)
    role = _Role(start, after, words, ministerial=head == "ministre", plural=lower != head and lower.endswith("s"))
    j = after
    has_more = False
    while j < len(doc):
        t = doc[j]
        w = _fold(t.text)
        if w in _QUALIFIERS and t.pos_ in {"ADJ", "NOUN"} and head not in _RANKS:
            role.words.append(w.rstrip("s") if w.endswith("s") and w[:-1] in _QUALIFIERS else w)
            has_more = True
            j += 1
            continue
        if (
            head in {"secrétaire", "sous-secrétaire"}
            and w in {"d'", "d’"}
            and j + 1 < len(doc)
            and (_fold(doc[j + 1].text) == "état")
        ):
            role.words[-1] = f"{head} d'État"  # « la sous-secrétaire d'État américaine aux Affaires politiques »
            role.ministerial = True
            has_more = True
            j += 2
            continue
        if t.pos_ == "ADJ" and (country := nationality(t.text)) is not None and head not in _RANKS:
            role.nationalities += 1
            role.of_name = role.of_name or country
            j += 1
            continue
        if w in {"de", "d'", "d’"} and j + 1 < len(doc) and _fold(doc[j + 1].text) == "transition":
            role.words.append("de transition")
            has_more = True
            j += 2
            continue
        if w in _DE:
            consumed = _read_complement(doc, j, role, ents)
            if consumed > j:
                has_more = True
                j = consumed
                if role.of is not None or (role.of_name and role.nationalities == 0):
                    break
                continue
        break
    role.end = j
    if head in _RANKS:
        return role if _next_is_person(doc, role.end, ents) is not None else None
    if head in _NEEDS_MORE and not has_more and role.of_name is None:
        return None
    return role


def _read_complement(doc: Doc, j: int, role: _Role, ents: EntityIndex) -> int:
    """Read « de l'Intérieur », « des Affaires étrangères et de l'Europe », « de l'OTAN » at token j.

    Returns the index after what was consumed (j when nothing belongs to the title).
    """
    prep = _fold(doc[j].text)
    k = j + 1
    article = ""
    if k < len(doc) and _fold(doc[k].text) in _ARTICLES and prep in {"de", "d'", "d’"}:
        article = _fold(doc[k].text)
        k += 1
    if k >= len(doc):
        return j
    entity = ents.at[k]
    word, after = _joined(doc, k)
    lower = _fold(word)
    link = {"du": "du ", "des": "des "}.get(prep) or ("d'" if prep in {"d'", "d’"} else "de ")
    if article:
        link += article if article.endswith("'") else article + " "
    if role.ministerial and lower in _PORTFOLIOS:
        words = [_PORTFOLIOS[lower]]
        k = after
        # following adjectives (« Affaires étrangères ») and « et de l'Europe »
        while k < len(doc):
            t = doc[k]
            if t.pos_ == "ADJ" and nationality(t.text) is None:
                words.append(_fold(t.text))
                k += 1
                continue
            if _fold(t.text) == "et" and k + 1 < len(doc) and _fold(doc[k + 1].text) in _DE:
                nested = _Role(role.start, role.end, [], role.ministerial)
                end = _read_complement(doc, k + 1, nested, ents)
                if end > k + 1 and nested.words:
                    words.append("et " + nested.words[0])
                    k = end
                    continue
            break
        role.words.append(link + " ".join(words))
        return k
    if lower in _COMPLEMENTS and (entity == -1 or _is_title_swallowing(doc, ents, entity, role)):
        words = [_COMPLEMENTS[lower]]
        k = after
        while k < len(doc) and doc[k].pos_ == "ADJ":
            country = nationality(doc[k].text)
            if country is not None:
                role.nationalities += 1
                role.of_name = role.of_name or country
            else:
                words.append(_fold(doc[k].text))
            k += 1
        role.words.append(link + " ".join(words))
        # « chef d'état-major des armées », « chef de la police de Dakar »
        if k < len(doc) and _fold(doc[k].text) in _DE:
            return _read_complement(doc, k, role, ents)
        return k
    if entity != -1 and ents.labels[entity] in _BODIES and not _is_title_swallowing(doc, ents, entity, role):
        span = ents.spans[entity]
        assert span is not None
        if span.start < k - (1 if article else 0) - 1:
            return j  # the entity started before « de »: not a complement of this title
        role.of = entity
        role.of_name = None
        return span.end
    if doc[k].pos_ == "PROPN":
        end = k + 1
        while end < len(doc) and doc[end].pos_ == "PROPN":
            end += 1
        role.of_name = doc[k:end].text
        return end
    return j


def _is_title_swallowing(doc: Doc, ents: EntityIndex, entity: int, role: _Role) -> bool:
    """True when the model tagged the title itself as an entity (« ministre de l'Intérieur » as ORG)."""
    span = ents.spans[entity]
    return span is not None and span.start <= role.start < span.end


def _next_is_person(doc: Doc, k: int, ents: EntityIndex) -> int | None:
    """Index of the PER entity starting at token k (after commas and « M. »), if any."""
    while k < len(doc) and (doc[k].text == "," or _fold(doc[k].text) in _HONORIFICS):
        if ents.at[k] != -1 and ents.spans[ents.at[k]] is not None:
            break
        k += 1
    if k < len(doc) and ents.at[k] != -1:
        index = ents.at[k]
        span = ents.spans[index]
        if span is not None and span.start >= k - 1 and ents.labels[index] == _PERSON:
            return index
    return None


def _holder(doc: Doc, role: _Role, ents: EntityIndex) -> tuple[int | None, float]:
    """The person holding the title, and how sure the position makes us."""
    after = _next_is_person(doc, role.end, ents)
    if after is not None:
        direct = role.end < len(doc) and doc[role.end].text != ","
        return after, 0.9 if direct else 0.85
    # « Jens Stoltenberg, (le) secrétaire général de l'OTAN »
    k = role.start - 1
    if k >= 0 and _fold(doc[k].text) in _ARTICLES:
        k -= 1
    if k >= 1 and doc[k].text == "," and ents.at[k - 1] != -1 and ents.labels[ents.at[k - 1]] == _PERSON:
        return ents.at[k - 1], 0.8
    return None, 0.6


def _strip_article(name: str) -> str:
    folded = _fold(name)
    for article in ("l'", "le ", "la ", "les "):
        if folded.startswith(article) and len(name) > len(article):
            return name[len(article) :]
    return name


def _normalise(role: _Role) -> str:
    return " ".join(role.words).replace("' ", "'")


def find_roles(doc: Doc, entities: list[EntitySpan]) -> list[RoleSpan]:
    """Titles in ``doc`` with their holder (index into ``entities``) and the body they are held for."""
    ents = EntityIndex.build(doc, entities)
    roles: list[RoleSpan] = []
    text: str | None = None  # doc.text joins every token: built once, when a first role needs it
    i = 0
    while i < len(doc):
        found = _read_title(doc, i, ents)
        if found is None:
            i += 1
            continue
        holder, confidence = _holder(doc, found, ents)
        if holder is not None and ents.at[found.start] == holder:
            i = found.end
            continue  # the title word is part of the person's own mention
        of, of_name = found.of, found.of_name
        if found.nationalities > 1 or found.plural and found.nationalities:
            of_name = None  # « les ministres français et marocain »: no single country
            confidence -= 0.1
        if of is not None:
            of_name = _strip_article(entities[of].canonical or entities[of].text)
        elif of_name is not None:
            of = _find_entity(entities, of_name, doc[found.start].idx)
        start_char = doc[found.start].idx
        end_char = doc[found.end - 1].idx + len(doc[found.end - 1].text)
        if text is None:
            text = doc_text(doc)
        roles.append(
            RoleSpan(
                start=start_char,
                end=end_char,
                text=text[start_char:end_char],
                role=_normalise(found),
                holder=holder,
                of=of,
                of_name=of_name,
                confidence=round(confidence, 2),
            )
        )
        i = found.end
    return roles
