"""Events (meetings, visits, agreements, attacks...) from the dependency parse.

The steps, for one parsed article:

1. **Triggers.** One vectorised pass over the parse (``_match_triggers``, its word
   lists hashed once per vocabulary, see ``configure``) finds verb and noun trigger
   words and the reflexive / idiomatic forms
   (« s'est rendu », « s'est entretenu », « a rendu hommage »). Each candidate is
   then checked against what it governs (« a reçu son homologue » is a meeting,
   « a reçu le soutien » is not; « a condamné ... à douze ans de prison » is a
   sentence, not a condemnation; « ces manœuvres » repeats an exercise already
   reported; « préparer un attentat » is no attack).
2. **One event per trigger.** A trigger noun that is the object of a light verb
   (« a effectué une visite », « ont mené des frappes », « a lancé une opération
   conjointe ») is the event and the verb lends it its subject and its date; a
   noun under a verb trigger of the same type (« a signé un accord », « réunis en
   sommet ») is folded into the verb's event.
3. **Arguments.** Every entity mention climbs the parse from its head token until
   it meets a trigger, a light verb or a clause it does not belong to. The
   preposition it came through and the verb relation give the role: subject ->
   actor (participants when several), object -> counterpart / target /
   organisation, « avec » -> counterpart, « à / au / en » + place -> location,
   « dans le cadre de / sous l'égide de » -> organisation, « de X » on a noun
   trigger -> actor, organisation or location by type. Titles found by
   ``roles.find_roles`` let « le ministre de l'Intérieur, M. X » stand for M. X.
   Participles, relative clauses and conjoined verbs borrow their subject.
4. **Date.** The DateSpan governed by the trigger's clause; else the date of the
   clause a relative or conjoined verb hangs from; else the dateline; else the
   publication date (date=None, lower confidence). An own date well before
   publication, or « depuis son adhésion », marks the event historical.

fr_core_news_md misattaches a fair share of phrases (dates as objects, the
counterpart as a conjunct of the place), so the climb looks through date tokens
and treats a conjunct of another kind (a person conjoined to a city) as a
direct dependent. Precision comes first: an event with nothing attached to it is
kept only when it is news on its own (an attack, an agreement signed, an arrest,
a noun a verb carries, an event with its own date); negated, planned or foiled
events and restatements (« ces manœuvres », « il s'agit d'une attaque ») are dropped.

Pure Python + spaCy, no Django.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

import numpy as np
from spacy.attrs import LEMMA, LOWER, POS, SENT_START
from spacy.language import Language
from spacy.symbols import ADJ, NOUN, PROPN, VERB
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from entities.nlp import paragraphs
from entities.nlp.doctext import doc_text
from entities.nlp.ner import country_names
from entities.nlp.roles import TITLE_WORDS, EntityIndex, find_roles, nationality
from entities.nlp.types import DateSpan, EntitySpan, EventArgument, EventSpan, RoleSpan

# -- lexicon ----------------------------------------------------------------------------------------
# Lemmas as fr_core_news_md gives them. Most trigger words are checked against what they govern
# before they count (see _verb_type and _noun_ok).


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _by_type(table: dict[str, str]) -> dict[str, str]:
    return {word: kind for kind, words in table.items() for word in words.split()}


VERB_TRIGGERS = _by_type(
    {
        # « s'entretenir », « se retrouver » only reflexive; « recevoir » only a person
        "MEETING": "réunir rencontrer entretenir recevoir accueillir retrouver",
        "VISIT": "rendre visiter",  # « se rendre à »; « rendre hommage » is PRAISE
        "MEMBERSHIP": "rejoindre adhérer intégrer quitter admettre retirer suspendre réintégrer",
        "AGREEMENT": "signer conclure parapher ratifier adopter",
        # « a livré 50 véhicules blindés », « ont échangé des renseignements »: support and sharing
        "COOPERATION": "coopérer collaborer déployer livrer remettre fournir offrir transmettre partager échanger "
        "financer former dépêcher",
        "FOUNDING": "créer fonder instituer mettre",  # « mettre en place »
        "LAUNCH": "lancer inaugurer",
        "ATTACK": "attaquer frapper bombarder pilonner exploser assassiner tirer tuer massacrer abattre",
        "CONDEMNATION": "condamner dénoncer fustiger déplorer",
        "PRAISE": "saluer féliciter remercier applaudir",
        "ARREST": "arrêter interpeller appréhender capturer écrouer démanteler saisir extrader",
    }
)
NOUN_TRIGGERS = _by_type(
    {
        "MEETING": "réunion rencontre sommet conférence entretien pourparler pourparlers session visioconférence forum "
        "entrevue concertation colloque séminaire tête-à-tête",
        "VISIT": "visite tournée déplacement",
        "MEMBERSHIP": "adhésion admission retrait départ",
        "AGREEMENT": "accord mémorandum convention protocole traité pacte cessez-le-feu trêve",
        "COOPERATION": "coopération opération patrouille enquête échange livraison",
        "FOUNDING": "création fondation",
        "LAUNCH": "lancement inauguration",
        "EXERCISE": "exercice manœuvre manoeuvre",
        "ATTACK": "attaque attentat frappe bombardement embuscade assaut assassinat raid fusillade tuerie massacre "
        "explosion offensive "
        "attentat-suicide attentats-suicides attaque-suicide attaques-suicides",
        "CONDEMNATION": "condamnation",
        "ARREST": "arrestation interpellation démantèlement saisie capture extradition coup",
    }
)
# Reported bare, these are still news; other nouns need an argument or a verb carrying them.
STRONG_NOUNS = _words(
    "attaque attentat frappe bombardement embuscade assaut assassinat raid fusillade tuerie massacre "
    "attentat-suicide attaque-suicide "
    "attentats-suicides attaques-suicides"
)
# Trigger words that are also ordinary words start lower.
WEAK_TRIGGERS = _words("départ retrait coopération convention protocole session saisir frapper saluer")
WEAK_TRIGGERS |= _words("accord rencontre forum")
SYMMETRIC = _words("MEETING AGREEMENT COOPERATION EXERCISE FOUNDING")

_REFLEXIVE_ONLY = _words("entretenir retrouver retirer")
_REFLEXIVE = ["se", "s'", "s’", "me", "m'", "m’", "te", "t'", "t’", "nous", "vous"]

# Verbs that carry a trigger noun (« a effectué une visite », « ont mené des frappes »): the
# noun is the event, the verb lends it its subject and its date.
LIGHT_VERBS = _words(
    "tenir organiser effectuer mener conduire entamer avoir participer prendre procéder poursuivre achever lancer "
    "accueillir commettre perpétrer revendiquer dérouler ouvrir clôturer coprésider présider multiplier"
)
# Only cooperation is « renforcée »: these carry nothing else.
_COOPERATION_LIGHT = _words(
    "renforcer intensifier approfondir consolider développer élargir poursuivre relancer reprendre"
)
LIGHT_VERBS |= _COOPERATION_LIGHT
# « la réunion s'est tenue », « l'attaque a été revendiquée »: the noun is the subject.
_LIGHT_WITH_NOUN_SUBJECT = _words("tenir dérouler avoir ouvrir revendiquer perpétrer commettre")
_LIGHT_WITH_COMPLEMENT = _words("participer procéder prendre")
_CHANNEL_NOUNS = _words("téléphone visioconférence vidéoconférence")
_TOLL_VERBS = _words("faire coûter tuer blesser causer provoquer endeuiller viser cibler")
# Who kills in an attack (« des hommes armés ont tué cinq civils », « tués par des jihadistes »)
ARMED_NOUNS = _words(
    "jihadiste djihadiste terroriste assaillant insurgé rebelle islamiste kamikaze milicien bandit shebab "
    "combattant tireur commando"
)
# « est arrivé à Nouakchott pour une visite », « se trouve en visite »: the traveller makes the visit.
_TRAVEL_VERBS = _words("arriver venir débarquer atterrir séjourner trouver être")
# Announcing verbs lend their subject (when the noun names no actor) and their date.
REPORT_VERBS = _words("annoncer confirmer officialiser décider acter entériner convenir décréter")
# « soupçonnés de préparer un attentat », « un attentat déjoué », « invités à se rendre à Paris »
IRREALIS = _words(
    "préparer projeter planifier fomenter déjouer empêcher prévenir craindre redouter menacer éviter soupçonner "
    "envisager appeler exiger réclamer demander vouloir souhaiter chercher prévoir viser intention projet menace "
    "risque plan tentative refuser renoncer interdire exclure inviter exhorter inciter pousser destiner "
    "engager promettre"
)
# Crowds gather and march; meetings and visits are for officials and delegations.
CROWD_NOUNS = _words(
    "manifestant foule personne fidèle habitant supporter militant gilet jeune étudiant citoyen passant touriste "
    "visiteur gréviste syndiqué dizaine vingtaine trentaine quarantaine cinquantaine soixantaine centaine millier"
)
PERSON_NOUNS = _words(
    "homologue homologues délégation suspect individu homme femme personne membre terroriste djihadiste jihadiste "
    "islamiste militant ressortissant responsable dirigeant émissaire envoyé ambassadeur ambassadrice ministre "
    "président présidente chef cheffe représentant officier soldat militaire passeur trafiquant combattant auteur "
    "complice commanditaire espion agent secrétaire directeur directrice commissaire roi émir premier "
    "cheikh prince princesse souverain reine monarque sultan sm majesté altesse"
)
# « le CEMA s'est rendu au camp… » (chef d'état-major des armées): titles written as acronyms
PERSON_NOUNS |= _words("cema cemat cemm cemaa cemga pdg")
# Nouns that stand for the body or country they are « de »: « les ministres de France »,
# « les forces de la Garde civile », « le gouvernement du Mali ».
GROUP_NOUNS = PERSON_NOUNS | _words(
    "gouvernement autorité forces force armée armées police service ministère troupe marine diplomatie pays unité "
    "garde-côte gardes-côtes ambassade régime présidence intérieur défense affaire affaires justice chancellerie "
    "état-major major état états membre membres"
)
# « dans la région de Tamanrasset », « dans le sud du Liban »: the place is the event's.
PLACE_NOUNS = _words(
    "région sud nord est ouest centre province ville capitale banlieue périphérie environs frontière large localité "
    "département district commune zone gouvernorat wilaya préfecture village quartier port base aéroport siège"
)
# Concrete sites: « devant un poste de police à Mogadiscio ».
SITE_NOUNS = PLACE_NOUNS | _words(
    "poste caserne camp salle marché hôtel mosquée église école hôpital ambassade prison barrage gare bâtiment "
    "immeuble route axe position positions"
)
ORG_NOUNS = _words(
    "alliance coalition organisation union communauté bloc mission force groupe comité commission cellule centre "
    "unité agence mécanisme fonds académie institut brigade bataillon observatoire conseil secrétariat structure "
    "task-force partenariat initiative traité accord convention pacte plateforme programme réseau"
)
AGREEMENT_OBJECTS = _words(
    "accord accords mémorandum convention protocole traité pacte partenariat déclaration feuille charte entente "
    "arrangement lettre plan texte programme contrat cessez-le-feu trêve procès-verbal"
)
LAUNCH_OBJECTS = _words(
    "programme plateforme initiative projet campagne mission stratégie plan mécanisme réseau système centre "
    "dispositif site application fonds satellite académie école base unité patrouille"
)
ATTACK_OBJECTS = _words("missile roquette drone obus projectile bombe")
SHOT_OBJECTS = ATTACK_OBJECTS | _words("salve tir coup balle rafale grenade")
DEPLOY_OBJECTS = _words(
    "soldat soldats militaire militaires troupe troupes policier policiers force forces contingent gendarme casque "
    "homme agent unité bataillon navire frégate avion hélicoptère renfort instructeur équipe mission conseiller"
)
# Whom one trains (« a formé 300 soldats maliens »).
TRAINED_OBJECTS = _words(
    "soldat soldats militaire militaires policier policiers gendarme gendarmes officier officiers agent agents "
    "garde-côte garde-côtes commando commandos pilote pilotes recrue recrues cadet cadets"
)
# What is « mis en place » when a body is founded (« une cellule commune », « un comité mixte »).
FOUNDED_OBJECTS = _words(
    "cellule comité commission force unité centre mécanisme groupe organe task-force secrétariat état-major "
    "observatoire agence bureau coalition alliance"
)
# « deux jours de pourparlers », « une vague d'attentats », « la 22e édition de l'exercice »: the
# trigger is the noun after « de »; the measure word only carries it.
MEASURE_NOUNS = _words("jour heure semaine série vague édition cycle round nuit journée travail séance")
DISMANTLE_OBJECTS = _words("cellule réseau filière groupe gang bande camp organisation atelier laboratoire")
SEIZURE_OBJECTS = _words(
    "drogue cannabis cocaïne héroïne haschich résine arme munition explosif tonne kilo kilogramme kg cargaison "
    "stupéfiant chanvre comprimé devise"
)
JUDICIAL = _words("an année mois prison peine réclusion perpétuité amende mort sursis détention")
COURTS = _words("tribunal cour juge justice juridiction chambre")
EXERCISE_QUALIFIERS = _words(
    "conjoint militaire naval aérien multinational combiné commun bilatéral tactique international antiterroriste "
    "amphibie mixte terrestre maritime simulation entraînement annuel grande grand échelle"
)
JOINT = _words("conjoint commun mixte combiné multinational bilatéral coordonné international")
_JOINTLY = _words("conjointement ensemble")
# What a security partner delivers (« a remis 50 véhicules blindés à l'armée tchadienne »).
EQUIPMENT_OBJECTS = _words(
    "véhicule blindé arme armement équipement matériel drone hélicoptère avion munition radar vedette "
    "patrouilleur embarcation aéronef lot don"
)
# What services share (« ont échangé des renseignements », « a transmis des informations »).
INTELLIGENCE_OBJECTS = _words("renseignement information donnée")
_DELIVERY_VERBS = _words("livrer remettre fournir offrir")
_SHARING_VERBS = _words("transmettre partager échanger fournir")
EXPLOSION_SUBJECTS = _words("bombe engin explosif kamikaze voiture véhicule colis ceinture mine")
# What is « arrêté » without being arrested.
NOT_PEOPLE = _words(
    "manifestation match circulation trafic travaux production processus décision liste date programme marche "
    "cortège véhicule train voiture camion bus avion navire bateau convoi moto mouvement projet plan texte budget "
    "calendrier chantier compteur moteur"
)
# What « attaque » or « frappe » without violence: lawsuits, strikes, weather, the economy.
NOT_VIOLENCE = _words(
    "justice pétition plainte recours requête texte article loi décision rapport grève crise sanction amende "
    "interdiction épidémie pandémie virus maladie sécheresse inondation tempête séisme intempérie chômage "
    "inflation pénurie"
)

# (case of the noun, noun) -> relation: « dans le cadre de », « sous l'égide de », « en partenariat avec »...
COMPLEX_PREPOSITIONS: dict[tuple[str | None, str], str] = {
    **{("dans", "cadre"): "FRAME", ("sous", "égide"): "FRAME"},
    # « sous la (co)présidence des ministres X et Y »: who chairs a meeting takes part in it
    **{("sous", noun): "CHAIR" for noun in ("présidence", "coprésidence", "co-présidence")},
    **{("sous", "auspice"): "FRAME", ("sous", "auspices"): "FRAME", ("à", "sein"): "AT", ("à", "encontre"): "AGAINST"},
    **{("en", noun): "PARTNER" for noun in ("partenariat", "coopération", "coordination", "collaboration", "présence")},
    **{("à", "côté"): "PARTNER", ("à", "côtés"): "PARTNER"},
    **{("à", noun): "IGNORE" for noun in ("demande", "initiative", "invitation", "profit", "nom", "issue")},
    **{("en", "marge"): "IGNORE", ("lors", "issue"): "IGNORE"},
}
# Verbs that say who carried out an attack: the claimer, or the one it is put down to (« à X »).
_PUT_DOWN_VERBS = frozenset({"attribuer", "imputer"})
_CLAIM_VERBS = _PUT_DOWN_VERBS | {"revendiquer"}
# « présidée par le ministre qatari », « coprésidée par le Maroc et l'Espagne »: the chair takes part.
_CHAIR_VERBS = frozenset({"présider", "coprésider"})
_CASES = {"au": "à", "aux": "à", "à": "à", "du": "de", "des": "de", "d'": "de", "d’": "de", "de": "de"}
_LOOSE_PLACE = _words("près loin autour proximité large au-delà lors")
_DEMONSTRATIVES = _words("ce cet cette ces")
_NEGATIONS = _words("pas jamais guère aucunement nullement")
_SUBJECT_PRONOUNS = _words("il elle ils elles")
_RELATIVE_PRONOUNS = _words("qui lequel laquelle lesquels lesquelles")
_POSSESSIVES = _words("son sa ses leur leurs")
_MONTHS_AND_DAYS = _words(
    "lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet août septembre "
    "octobre novembre décembre matin soir nuit après-midi veille lendemain hier aujourd'hui"
)
_PERIODS = _words("jour semaine mois trimestre semestre an année")
_TIME_OF_DAY = _words("soirée matinée journée nuit aube semaine")
_DATELINE = re.compile(r"\s*(?:\([^)]{1,20}\))?\s*[-–—]")
HISTORICAL_GAP = dt.timedelta(days=180)

_ROLE_ORDER = ("actor", "participant", "counterpart", "target", "organisation", "location")


# -- matcher ----------------------------------------------------------------------------------------

_FRONTED_MEETING = _words("réunis réunies réuni réunie")
# « Reçu par le président Kaïs Saïed, M. Piantedosi a… »: the one received is the main subject
_FRONTED_RECEIVED = _words("reçu reçue reçus reçues accueilli accueillie accueillis")
# « Créée en 2017, la force conjointe du G5 Sahel regroupe… »: what was created is the main subject
# how the parser hangs a sentence-opening « Créée en 2015 par…, la coalition » (never a name's word)
_FRONTED_CREE_DEPS = frozenset({"advcl", "acl", "ROOT", "amod", "obl:mod", "nmod", "dep"})
_FRONTED_CREATED = _words("créé créée créés créées fondé fondée fondés fondées")


@dataclass(frozen=True)
class _TriggerWords:
    """The trigger vocabulary as string hashes, for one vectorised pass over a parsed document.

    One ``Doc.to_array`` and a few ``numpy.isin`` find the candidate tokens; only those are
    looked at as Python tokens. (A DependencyMatcher did the same job at half the cost of all
    the rules together: it runs a token Matcher over every token for every pattern.)
    """

    vocab: Vocab
    verbs: np.ndarray
    nouns: np.ndarray
    reflexive: frozenset[int]
    fronted: np.ndarray
    rendre: int
    hommage: int
    devenir: int
    membre: int
    exploser: int
    faire: int
    ouvrir: int
    feu: int


_TRIGGER_WORDS: dict[int, _TriggerWords] = {}


def _hashes(vocab: Vocab, words) -> np.ndarray:
    return np.array(sorted(vocab.strings.add(w) for w in words), dtype=np.uint64)


def _trigger_words(vocab: Vocab) -> _TriggerWords:
    entry = _TRIGGER_WORDS.get(id(vocab))
    if entry is None or entry.vocab is not vocab:
        add = vocab.strings.add
        entry = _TriggerWords(
            vocab=vocab,
            verbs=_hashes(vocab, VERB_TRIGGERS),
            nouns=_hashes(vocab, [*NOUN_TRIGGERS, *(k for k, v in _LEMMA_FIXES.items() if v in NOUN_TRIGGERS)]),
            reflexive=frozenset(add(w) for w in _REFLEXIVE),
            fronted=_hashes(vocab, _FRONTED_MEETING | _FRONTED_RECEIVED | _FRONTED_CREATED),
            rendre=add("rendre"),
            hommage=add("hommage"),
            devenir=add("devenir"),
            membre=add("membre"),
            exploser=add("exploser"),
            faire=add("faire"),
            ouvrir=add("ouvrir"),
            feu=add("feu"),
        )
        _TRIGGER_WORDS[id(vocab)] = entry
    return entry


def _match_triggers(doc: Doc) -> list[tuple[str, tuple[int, ...]]]:
    """(pattern, token indices) for every trigger pattern in ``doc``, in token order per pattern.

    - VERB: a trigger verb's lemma tagged VERB or ADJ; NOUN: a trigger noun's lemma tagged NOUN or PROPN.
    - REFLEXIVE: a trigger verb with a reflexive pronoun child (« s'est rendu », « se sont réunis »).
    - HOMMAGE: « rendre » with a child « hommage » (« a rendu un vibrant hommage »).
    - DEVENIR_MEMBRE: « devenir » with « membre » anywhere below it (often hung under a date word).
    - FAIRE_EXPLOSER: « exploser » with a child « faire » (« s'est fait exploser »).
    - OUVRIR_FEU: « ouvrir » with a child « feu » (« ont ouvert le feu sur des fidèles »).
    - FRONTED_*: « Réunis à… », « Reçu par… », « Créée en… » opening a sentence (the tagger
      often takes the fronted participle for a name).
    """
    if not len(doc):
        return []
    words = _trigger_words(doc.vocab)
    table = doc.to_array([LEMMA, LOWER, POS, SENT_START])
    lemmas, lowers, pos = table[:, 0], table[:, 1], table[:, 2]
    is_verb = np.isin(lemmas, words.verbs)
    matches: list[tuple[str, tuple[int, ...]]] = []
    for i in np.flatnonzero(is_verb & ((pos == VERB) | (pos == ADJ))).tolist():
        matches.append(("VERB", (i,)))
    for i in np.flatnonzero(np.isin(lemmas, words.nouns) & ((pos == NOUN) | (pos == PROPN))).tolist():
        matches.append(("NOUN", (i,)))
    for i in np.flatnonzero(is_verb & (pos == VERB)).tolist():
        pronoun = next((child.i for child in doc[i].children if child.lower in words.reflexive), None)
        if pronoun is not None:
            matches.append(("REFLEXIVE", (i, pronoun)))
    for name, head, below, deep in (
        ("HOMMAGE", words.rendre, words.hommage, False),
        ("DEVENIR_MEMBRE", words.devenir, words.membre, True),
        ("FAIRE_EXPLOSER", words.exploser, words.faire, False),
        ("OUVRIR_FEU", words.ouvrir, words.feu, False),
    ):
        for i in np.flatnonzero(lemmas == head).tolist():
            token = doc[i]
            for other in token.subtree if deep else token.children:
                if other.i != i and other.lemma == below:
                    matches.append((name, (i, other.i)))
    opening = np.flatnonzero((table[:, 3] == 1) & np.isin(lowers, words.fronted)).tolist()
    for i in opening:
        lower = doc[i].lower_
        name = (
            "FRONTED_REUNIS"
            if lower in _FRONTED_MEETING
            else "FRONTED_RECU"
            if lower in _FRONTED_RECEIVED
            else "FRONTED_CREE"
        )
        matches.append((name, (i,)))
    return matches


# Compounds the tokenizer splits in three (« état - major »), which the parser then reads as
# fragments, often breaking the whole sentence (« Une réunion des chefs d'état-major s'est tenue… »): kept whole.
_KEPT_WHOLE = (
    "attentat-suicide",
    "attentats-suicides",
    "attaque-suicide",
    "attaques-suicides",
    "état-major",
    "états-majors",
    "chef-lieu",
    "chefs-lieux",
    "lance-roquettes",
)


def configure(nlp: Language) -> Language:
    """Break sentences at paragraphs before the parser; build the trigger patterns once. Returns ``nlp``."""
    paragraphs.configure(nlp)
    for word in _KEPT_WHOLE:
        norm = word.split("-")[0] if "suicide" in word else word
        for form in (word, word.capitalize(), word.replace("état", "État")):
            nlp.tokenizer.add_special_case(form, [{"ORTH": form, "NORM": norm}])
    _trigger_words(nlp.vocab)
    return nlp


# -- per-document state -----------------------------------------------------------------------------


@dataclass
class _Event:
    type: str
    trigger: Token
    kind: str  # "verb" | "noun"
    verb: Token | None = None  # the predicate whose subject is the event's (trigger verb or light verb)
    report: Token | None = None  # « a annoncé son retrait »
    host: bool = False  # « accueillera une réunion »: the subject is where it happens
    host_verb: Token | None = None  # « tués dans une embuscade »: the clause the noun sits in
    fronted: bool = False  # « Réunis à Bruxelles, les ministres ont... » tagged as a name
    merged: list[Token] = field(default_factory=list)
    nested: _Event | None = None  # « a condamné l'attentat »: the event condemned or praised
    raw: list[tuple[str, int, str]] = field(default_factory=list)  # (role, entity index, relation)
    date: int | None = None
    inherited_date: bool = False
    historical: bool = False
    referred: bool = False  # a subject found through « il » / « les deux ministres »
    clauses: list[Token] = field(default_factory=list)  # verbs of relative clauses folded into the noun
    occasion: _Event | None = None  # the event « les deux ministres » refer back to

    @property
    def lemma(self) -> str:
        return self.trigger.lemma_.lower()


@dataclass
class _Attachment:
    event: _Event
    # how the anchor belongs to the event: verb | noun | merged (the trigger words); light (« a
    # effectué une visite »); report (« a annoncé son retrait »); clause (« l'attaque qui a visé »);
    # host (« tués dans une embuscade »); subj | pass (a borrowed subject, climbed through)
    kind: str
    anchor: Token
    top: Token
    case: str | None
    fixed: str | None
    via: str
    direct: bool


_VIRTUAL = {"subj", "pass"}


# fr_core_news_md's lemmatizer slips on a few words these rules depend on.
_LEMMA_FIXES = {
    "entame": "entamer",
    "entament": "entamer",
    "party": "partie",
    "parties": "partie",
    "tête à tête": "tête-à-tête",
}


def _lemma(tok: Token) -> str:
    lemma = tok.lemma_.lower()
    return _LEMMA_FIXES.get(lemma, lemma) if tok.pos_ in {"VERB", "NOUN", "AUX"} else lemma


def _norm_case(tok: Token) -> str:
    text = tok.lower_.replace("’", "'")
    return _CASES.get(text, text)


def _case_of(tok: Token) -> str | None:
    for child in tok.children:
        if child.dep_ == "case" and child.i < tok.i:
            return _norm_case(child)
    return None


def _negated(tok: Token) -> bool:
    children = list(tok.children)
    if any(c.lower_ in _NEGATIONS for c in children) and any(c.lower_ in {"ne", "n'", "n’"} for c in children):
        return True
    return any(c.dep_ == "cc" and c.lower_ == "ni" for c in children)


def _habitual(verb: Token) -> bool:
    """« se réunit chaque année », « tous les trois mois »: a habit, no one event.

    (An announced event, « se réunira le 12 mars », is an event: analysts follow what is planned.)
    """
    for child in verb.children:
        # (« tous les trois mois » is sometimes parsed as the object of « se réunira »)
        period = child.dep_ == "obj" and _lemma(child) in _PERIODS
        if child.dep_.startswith("obl") or child.dep_ in {"advmod", "nmod"} or period:
            words = {t.lower_ for t in child.subtree}
            if "chaque" in words or ("tous" in words and "les" in words) or "régulièrement" in words:
                return True
    return False


def _speculated(tok: Token) -> bool:
    """« devraient signer », « devrait être inauguré »: expected, not done (a plain future,
    « se rendra en mai », stays an announced event)."""
    if tok.dep_ == "xcomp":
        modal = tok.head
    elif "Inf" in tok.morph.get("VerbForm"):
        modal = next((c for c in tok.children if c.dep_ == "aux"), None)
    else:
        return False
    return modal is not None and _lemma(modal) == "devoir" and "Cnd" in modal.morph.get("Mood")


def _irrealis(tok: Token) -> bool:
    """« soupçonnés de préparer un attentat », « un attentat déjoué », « aucune intention d'attaquer »."""
    if any(c.dep_ in {"acl", "amod"} and _lemma(c) in IRREALIS for c in tok.children):
        return True
    if tok.pos_ in {"VERB", "AUX"} and _habitual(tok):
        return True
    if _speculated(tok):
        return True
    head = tok
    for _ in range(4):
        if head.i == head.head.i:
            return False
        # « destiné à renforcer … et à démanteler »: a second infinitive shares the first one's frame
        infinitive_conjunct = head.dep_ == "conj" and "Inf" in head.morph.get("VerbForm")
        if head.dep_ not in {"obj", "xcomp", "nmod", "obl:arg", "acl", "ccomp", "nsubj:pass", "advcl"} and not (
            infinitive_conjunct
        ):
            return False
        head = head.head
        if _lemma(head) in IRREALIS or _negated(head):
            return True
    return False


def _repair_parse(doc: Doc) -> None:
    """Undo parser slips that the rules below would read the wrong way round (in place).

    « Le Burkina Faso et le Niger, partenaires du Mali, ont condamné… » can come out with the
    subject as ``nsubj:pass``; a verb conjugated with « avoir » and without a passive auxiliary
    is active, so its subject is a plain ``nsubj``.
    """
    for tok in doc:
        if tok.dep_ != "nsubj:pass" or tok.head is tok:
            continue
        auxes = [c for c in tok.head.children if c.dep_.startswith("aux")]
        if any(c.lemma_ == "avoir" for c in auxes) and not any(c.dep_ == "aux:pass" for c in auxes):
            tok.dep_ = "nsubj"
    # « Un an après l'annonce de leur départ, le Mali, le Burkina Faso et le Niger ont quitté… »
    # comes out with the fronted « après l'annonce » as subject and the countries as its
    # conjuncts: a phrase with a preposition is no subject, the names after the comma are
    for tok in doc:
        if tok.dep_ != "nsubj" or tok.pos_ != "NOUN" or not any(c.dep_ == "case" for c in tok.children):
            continue
        conjuncts = [c for c in tok.children if c.dep_ == "conj" and c.i > tok.i]
        if not conjuncts or "," not in {t.text for t in doc[max(0, conjuncts[0].i - 2) : conjuncts[0].i]}:
            continue  # the names come after a comma (« …, le Mali, … »)
        verb, subject = tok.head, conjuncts[0]
        subject.head, subject.dep_ = verb, "nsubj"
        for other in conjuncts[1:]:
            other.head = subject
        tok.dep_ = "obl:mod"
    # « Le bilan de l'attaque perpétrée le 9 décembre contre la position des FAN s'établit à… » with
    # « contre la position » hung on « bilan »: a target after an attack noun is the attack's
    for case in doc:
        if case.lower_ != "contre" or case.dep_ != "case":
            continue
        tok = case.head
        if tok.pos_ not in {"NOUN", "PROPN"}:
            continue
        head = tok.head
        if head is tok or head.pos_ not in {"NOUN", "PROPN"} or NOUN_TRIGGERS.get(_lemma(head)) == "ATTACK":
            continue
        attack = next(
            (a for a in doc[head.i + 1 : tok.i] if NOUN_TRIGGERS.get(_lemma(a)) == "ATTACK" and head in a.ancestors),
            None,
        )
        if attack is None or any(t.pos_ in {"VERB", "AUX"} and t.dep_ != "acl" for t in doc[attack.i + 1 : tok.i]):
            continue
        participle = next((c for c in attack.children if c.dep_ == "acl" and c.i < tok.i), None)
        tok.head = participle if participle is not None else attack


def _subjects(tok: Token) -> list[Token]:
    """The verb's subject, or the noun a participle or relative clause is said of."""
    subjects = [c for c in tok.children if c.dep_ in {"nsubj", "nsubj:pass"}]
    if any(s.lower_ in _RELATIVE_PRONOUNS for s in subjects) or (not subjects and tok.dep_ == "acl"):
        subjects.append(tok.head)
    return subjects


def _crowd_subject(tok: Token) -> bool:
    return any(_lemma(s) in CROWD_NOUNS or s.lower_ in {"gilets", "gjs"} for s in _subjects(tok))


def _is_passive(tok: Token) -> bool:
    return any(c.dep_ in {"aux:pass", "nsubj:pass"} for c in tok.children)


def _bare_participle(tok: Token) -> bool:
    """« réunis en sommet », « fondé en 2014 »: a past participle with no auxiliary."""
    return "Part" in tok.morph.get("VerbForm") and not any(c.dep_.startswith("aux") for c in tok.children)


def _slipped_case(noun: Token) -> bool:
    """The noun's « preposition » is a partitive « des » or a year phrase the parser hung on it."""
    cases = [c for c in noun.children if c.dep_ == "case" and c.i < noun.i]
    if len(cases) != 1 or noun.pos_ != "NOUN":
        return False
    case = cases[0]
    if case.lower_ == "des" and case.i == noun.i - 1 - sum(
        1 for c in noun.children if c.dep_ in {"amod", "nummod"} and c.i < noun.i
    ):
        return True
    return case.lower_ == "en" and any(c.dep_ == "fixed" and c.like_num for c in case.children)


def _objects(tok: Token) -> list[Token]:
    """Direct objects (or the passive subject) of a verb, looking through parser slips.

    « a reçu mardi à Rabat son homologue » comes out with « mardi » as object and
    « homologue » hung without a preposition under « Rabat »: a caseless noun under
    a dependent of the verb is taken as an object too.
    """
    out = [c for c in tok.children if c.dep_ in {"obj", "nsubj:pass"} and c.lower_ not in _MONTHS_AND_DAYS]
    # « a dépêché des renforts » with « des » taken for a preposition, « a financé en 2023 la
    # formation » with « en 2023 » taken for the noun's preposition: objects all the same
    out.extend(c for c in tok.children if c.dep_ in {"obl:arg", "obl", "obl:mod"} and c.i > tok.i and _slipped_case(c))
    if not any(c.dep_ == "obj" for c in tok.children):
        # « a reçu, mercredi au Palais royal, le président… »: after an inserted phrase the object
        # comes out as a caseless adverbial
        out.extend(
            c
            for c in tok.children
            if c.dep_ in {"obl:mod", "obl", "obl:arg"}
            and c.i > tok.i
            and c.pos_ in {"NOUN", "PROPN"}
            and _case_of(c) is None
            and c.lower_ not in _MONTHS_AND_DAYS | MEASURE_NOUNS
        )
    if tok.dep_ == "acl" and _bare_participle(tok):
        out.append(tok.head)
    for child in tok.children:
        if child.dep_ in {"obj", "obl:mod", "obl:arg", "obl"} and child.i > tok.i:
            # « au siège d'Interpol à Lyon, un programme » parsed as an apposition of « siège »
            out.extend(
                g
                for g in child.children
                if g.dep_ in {"nmod", "conj", "appos"} and g.pos_ in {"NOUN", "PROPN"} and _case_of(g) is None
            )
    if not out:
        # « a lancé mercredi à Addis-Abeba un programme » with the object hung elsewhere:
        # the first bare common noun after the verb, before any punctuation or other verb
        for nxt in tok.doc[tok.i + 1 : tok.i + 9]:
            if nxt.pos_ in {"VERB", "AUX"} or nxt.text in {".", ";", ":", ","}:
                break
            bare = _case_of(nxt) is None and tok.doc[nxt.i - 1].pos_ != "ADP"
            if nxt.pos_ == "NOUN" and nxt.lower_ not in _MONTHS_AND_DAYS and bare:
                out.append(nxt)
                break
    return out


class _Article:
    """Everything computed once per document."""

    def __init__(
        self,
        doc: Doc,
        entities: list[EntitySpan],
        dates: list[DateSpan],
        published: dt.date | None,
        roles: list[RoleSpan] | None = None,
    ) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.entities = entities
        self.dates = dates
        self.published = published
        self.index = EntityIndex.build(doc, entities)
        self.date_at: dict[int, int] = {}
        self.date_spans: list[Span | None] = []
        for d_index, date in enumerate(dates):
            span = doc.char_span(date.start, date.end, alignment_mode="expand")
            self.date_spans.append(span)
            if span is not None:
                for i in range(span.start, span.end):
                    self.date_at.setdefault(i, d_index)
        # Titles: a role head with a holder stands for the holder; its complement is not an argument.
        self.holder_at: dict[int, int] = {}  # title token -> holder entity
        self.role_of_token: dict[int, tuple[int, int, int | None]] = {}  # token -> (role start, end, holder)
        self.roles = find_roles(doc, entities) if roles is None else roles
        for role in self.roles:
            span = doc.char_span(role.start, role.end, alignment_mode="expand")
            if span is None:
                continue
            for i in range(span.start, span.end):
                self.role_of_token[i] = (span.start, span.end, role.holder)
            if role.holder is not None:
                self.holder_at[span.root.i] = role.holder
                for i in range(span.start, span.end):
                    if doc[i].lower_ in TITLE_WORDS:
                        self.holder_at[i] = role.holder

    # -- small queries

    def entity_at(self, tok: Token) -> int:
        return self.index.at[tok.i]

    def label_at(self, tok: Token) -> str | None:
        index = self.index.at[tok.i]
        return self.entities[index].label if index != -1 else None

    def transparent(self, tok: Token) -> bool:
        if tok.lower_ in _CHANNEL_NOUNS and _case_of(tok) in {"à", "par", "en"}:
            return True  # « s'est entretenu au téléphone avec X »: X talks with the subject
        return tok.i in self.date_at or (tok.lower_ in _MONTHS_AND_DAYS and tok.pos_ in {"NOUN", "PROPN", "ADV"})

    def governor(self, tok: Token) -> Token:
        """The head of ``tok``, looking through misattached date words (« mené mardi des frappes »)
        and the adverb of « lors de »."""
        head = tok.head
        while head.i != head.head.i and (self.transparent(head) or head.lower_ == "lors"):
            head = head.head
        return head

    def personish(self, tok: Token, counted: bool = False) -> bool:
        """A person or a delegation (« son homologue », « M. X »); ``counted`` also accepts « cinq hommes »."""
        label = self.label_at(tok)
        if label == "PER" or tok.i in self.holder_at:
            return True
        if any(self.label_at(c) == "PER" for c in tok.children if c.dep_ in {"flat:name", "flat", "appos"}):
            return True  # « Cheikh Saif »: the honorific heads the name
        if tok.lower_ in {"le", "la", "l'", "l’", "les", "lui", "leur"} and tok.pos_ == "PRON":
            return True  # « il l'a reçu »; not the relative « qu' » of « qu'il reçoit des vagues de haine »
        if tok.lower_ in {"il", "elle", "ils", "elles"} and tok.dep_ == "nsubj:pass":
            return True  # « où il a été reçu par le président »
        if label in {"ORG", "GPE"} and tok.pos_ == "PROPN":
            return True
        if _lemma(tok) in PERSON_NOUNS or tok.lower_ in PERSON_NOUNS:
            return True
        return counted and tok.pos_ == "NOUN" and any(c.dep_ == "nummod" for c in tok.children)

    def place_phrase(self, tok: Token) -> bool:
        """« à Rabat », « au siège de l'OTAN », « dans la capitale »: somewhere one can go."""
        if self.label_at(tok) in {"GPE", "LOC", "ORG"}:
            return True
        if _lemma(tok) in SITE_NOUNS | {"capitale", "pays", "ministère", "palais", "sommet", "réunion", "conférence"}:
            return any(self.label_at(t) in {"GPE", "LOC", "ORG"} for t in tok.subtree) or _lemma(tok) == "capitale"
        return False

    def orgish(self, tok: Token) -> bool:
        return self.label_at(tok) in {"ORG", "MISC"} or _lemma(tok) in ORG_NOUNS

    def entity_case(self, index: int, root: Token) -> str | None:
        """The preposition before the mention (« au Caire », « de la France »), if any."""
        span = self.index.spans[index]
        if span is None:
            return None
        case: Token | None = None
        for child in root.children:
            if child.dep_ == "case" and child.i < root.i and child.i <= span.start:
                case = child
                break
        before = self.doc[span.start - 1] if span.start > 0 else None
        if case is None and before is not None and before.pos_ == "ADP" and before.dep_ in {"case", "fixed", "mark"}:
            case = before
        if case is None:
            return None
        if case.i > 0 and self.doc[case.i - 1].lower_ in _LOOSE_PLACE:
            return "près"  # « près de Moscou » is not where it happened
        return _norm_case(case)


def _family(label: str | None) -> str | None:
    return {"GPE": "PLACE", "LOC": "PLACE"}.get(label or "", label)


# -- 1. triggers ------------------------------------------------------------------------------------


def _verb_type(art: _Article, tok: Token, reflexive: bool, special: str | None) -> str | None:
    """The event type of verb trigger ``tok`` in this context, or None."""
    lemma = _lemma(tok)
    if special is not None:
        return special
    kind = VERB_TRIGGERS.get(lemma)
    if kind is None or _negated(tok) or _irrealis(tok):
        return None
    if art.label_at(tok) in {"ORG", "MISC"}:
        return None  # « l'Agence de gestion intégrée des frontières »: a word of a name
    if any(c.dep_ == "det" for c in tok.children):
        return None  # « l'attaquant »: a noun the tagger took for a participle
    objs = _objects(tok)
    obj_lemmas = {_lemma(o) for o in objs}
    if lemma in _REFLEXIVE_ONLY and not reflexive:
        return None
    if kind in {"MEETING", "VISIT"} and _crowd_subject(tok):
        return None  # « des manifestants se sont réunis », « les gilets jaunes se rendent à la Bastille »
    if lemma == "rendre":
        # « s'est rendu au Caire », not « se rendra à la convocation des juges » nor « se rendre compte »
        places = [c for c in tok.children if _case_of(c) in {"à", "en", "dans", "chez"} and art.place_phrase(c)]
        return "VISIT" if reflexive and "compte" not in obj_lemmas and places else None
    if lemma == "visiter":
        return kind if any(art.place_phrase(o) for o in objs) else None
    if lemma == "réunir":
        if tok.dep_ == "acl:relcl" and _lemma(tok.head) in NOUN_TRIGGERS:
            return None  # « l'exercice African Lion, qui réunit 7 000 militaires »: who takes part in it
        if reflexive or _bare_participle(tok) or _is_passive(tok):
            return kind
        return kind if any(art.label_at(o) == "PER" or _lemma(o) in PERSON_NOUNS for o in objs) else None
    if lemma in {"recevoir", "rencontrer", "accueillir"}:
        if any(_lemma(o) in NOUN_TRIGGERS for o in objs):
            return None  # « accueillera une réunion »: the noun is the event
        return kind if any(map(art.personish, objs)) else None
    if lemma in {"signer", "conclure", "parapher", "ratifier", "adopter"}:
        if tok.dep_ == "acl" and _bare_participle(tok):
            # « le partenariat sur la migration signé le 7 mars entre l'UE et la Mauritanie »: the
            # noun it is said of (or the one that noun complements) is what was signed
            said_of = [tok.head, tok.head.head] if tok.head.dep_ == "nmod" else [tok.head]
            if any(_lemma(t) in AGREEMENT_OBJECTS for t in said_of):
                return kind
        if obj_lemmas & AGREEMENT_OBJECTS:
            return kind
        # « a signé mardi à Rabat avec son homologue, X, un protocole » with the agreement hung as an
        # apposition of the last name: a caseless agreement noun further in the verb's clause
        slipped = any(
            t.i > tok.i
            and _lemma(t) in AGREEMENT_OBJECTS
            and t.dep_ in {"appos", "nmod", "conj"}
            and _case_of(t) is None
            for t in tok.subtree
        )
        return kind if slipped and not objs else None
    if (
        lemma == "échanger"
        and "Imp" not in tok.morph.get("Tense")  # « les suspects échangeaient avec un membre de l'EI »: no talks
        and any(art.personish(c) for c in tok.children if _case_of(c) == "avec")
        and not obj_lemmas & INTELLIGENCE_OBJECTS
    ):
        return "MEETING"  # « a échangé avec son homologue espagnol »: talks
    if lemma in _DELIVERY_VERBS | _SHARING_VERBS:
        delivered = lemma in _DELIVERY_VERBS and obj_lemmas & EQUIPMENT_OBJECTS
        shared = lemma in _SHARING_VERBS and obj_lemmas & INTELLIGENCE_OBJECTS
        return kind if delivered or shared else None
    if lemma in {"suspendre", "réintégrer"}:
        # « le Mali a été suspendu de la CEDEAO », « l'UA a réintégré le Gabon »; not « suspendre les vols »
        bodies = [t for t in tok.subtree if _case_of(t) in {"de", "au"} and art.governor(t).i == tok.i]
        bodies += [g for c in tok.children if _lemma(c) == "sein" for g in c.children if _case_of(g) == "de"]
        if lemma == "réintégrer":
            bodies += objs
        if lemma == "réintégrer" or any(art.label_at(o) == "GPE" for o in objs):
            bodies += _subjects(tok)  # « la CEDEAO a suspendu le Mali »
        return kind if any(art.orgish(c) for c in bodies) else None
    if lemma == "déplorer":
        # « a déploré l'attaque »: a condemnation; not « on déplore dix morts »
        return "CONDEMNATION" if any(NOUN_TRIGGERS.get(_lemma(o)) == "ATTACK" for o in objs) else None
    if lemma == "mettre":
        # « ont mis en place une cellule commune »
        placed = any(_lemma(c) == "place" and _case_of(c) == "en" for c in tok.children)
        founded = obj_lemmas & FOUNDED_OBJECTS or any(art.orgish(o) for o in objs)
        return "FOUNDING" if placed and founded else None
    if lemma == "financer":
        # « avaient financé en 2023 la formation de forces spéciales », « a financé l'achat de drones »;
        # « un centre…, financé par l'OTAN, » is what was paid for, not support given
        if tok.dep_ == "acl":
            return None
        below = {_lemma(t) for o in objs for t in o.subtree}
        return kind if below & (EQUIPMENT_OBJECTS | DEPLOY_OBJECTS) else None
    if lemma == "former":
        # « a formé 300 soldats maliens »; not « former un gouvernement », « former des équipes conjointes »
        return kind if obj_lemmas & TRAINED_OBJECTS else None
    if lemma == "dépêcher":
        return kind if obj_lemmas & DEPLOY_OBJECTS else None  # « a dépêché des renforts »
    if lemma in {"rejoindre", "intégrer", "quitter"}:
        if any(c.dep_ == "obj" and art.label_at(c) in {"GPE", "LOC"} for c in tok.children):
            return None  # « des migrants ont rejoint l'Italie », « a quitté Bamako »: a journey
        return kind if any(art.orgish(o) for o in objs) else None
    if lemma == "adhérer":
        return kind if any(art.orgish(c) for c in tok.children if _case_of(c) == "à") else None
    if lemma == "admettre":
        # « a été admis à l'OTAN », « admis au sein de l'Alliance »
        within = [g for c in tok.children if _lemma(c) == "sein" for g in c.children if _case_of(g) == "de"]
        # « admis comme membre observateur de l'AES »
        within += [g for c in tok.children if _lemma(c) == "membre" for g in c.children if _case_of(g) == "de"]
        into = [c for c in tok.children if _case_of(c) == "à"] + within
        return kind if _is_passive(tok) and any(art.orgish(c) for c in into) else None
    if lemma == "retirer":
        return kind if any(art.orgish(c) for c in tok.children if _case_of(c) == "de") else None
    if lemma in {"créer", "fonder", "instituer"}:
        if _inserted(tok) and (before := _entity_before_comma(art, tok)) is not None:
            return kind if art.entities[before].label in {"ORG", "MISC"} else None  # « l'AES, créée en 2023 »
        if _inserted(tok) and _generic_body_before_comma(art, tok) is not None:
            return kind  # « de l'organisation, créée en février 2014 à Nouakchott »
        return kind if any(art.orgish(o) for o in objs) else None
    if lemma == "inaugurer":
        # « l'Académie internationale de lutte contre le terrorisme, inaugurée le 10 juin 2021 »: a body
        # opened is founded; a programme or a platform inaugurated is launched
        before = _entity_before_comma(art, tok) if _inserted(tok) else None
        # « ont inauguré à Maastricht un centre commun de coopération policière »: a body, even unnamed
        bodies = [o for o in objs if art.label_at(o) == "ORG" or _lemma(o) in _OPENED_BODIES]
        return "FOUNDING" if bodies or (before is not None and art.entities[before].label == "ORG") else kind
    if lemma == "lancer":
        if obj_lemmas & ATTACK_OBJECTS:
            return "ATTACK"
        if any(_lemma(o) in NOUN_TRIGGERS for o in objs):
            return None  # « a lancé une opération conjointe »: the noun is the event
        if tok.dep_ == "acl" and _bare_participle(tok) and _lemma(tok.head) in LAUNCH_OBJECTS:
            return kind  # « le programme, lancé en 2019 par Interpol, forme… »: the noun is what was launched
        before = _entity_before_comma(art, tok) if _inserted(tok) else None
        if before is not None and art.entities[before].label in {"ORG", "MISC"}:
            if art.entities[before].text.lower().startswith("processus"):
                return "FOUNDING"  # « au Processus de Nouakchott, lancé en mars 2013 »: a process is founded
            return kind  # « au Dialogue méditerranéen, lancé un an plus tôt »
        return kind if obj_lemmas & LAUNCH_OBJECTS else None
    if lemma == "exploser":
        subjects = {_lemma(c) for c in tok.children if c.dep_.startswith("nsubj")}
        return kind if reflexive or subjects & EXPLOSION_SUBJECTS else None
    if lemma in {"tuer", "massacrer", "abattre"}:
        # only armed men or an armed group killing (not « la tempête a tué », « un attentat a tué »,
        # which is the attack's own toll)
        agents = [c for c in tok.children if c.dep_ == "obl:agent" or (c.dep_ == "nsubj" and not _is_passive(tok))]
        if any(NOUN_TRIGGERS.get(_lemma(t)) == "ATTACK" for t in tok.subtree if t.i != tok.i):
            return None  # « ont tué dix soldats lors d'une embuscade »: the attack is the noun's event
        return kind if any(map(_armed, agents)) else None
    if lemma in {"attaquer", "frapper"}:
        # « attaquer en justice », « la pétition qui attaque l'État », « la grève qui frappera la SNCF »
        around = {_lemma(c) for c in tok.subtree} | {_lemma(s) for s in _subjects(tok)}
        return None if around & NOT_VIOLENCE else kind
    if lemma == "condamner":
        if tok.dep_ == "acl":
            return None  # « les suspects, déjà condamnés en 2015, ... »
        if any(_lemma(c) in JUDICIAL and _case_of(c) == "à" for c in tok.children):
            return None
        if any(_lemma(c) in COURTS for c in tok.children if c.dep_.startswith("nsubj") or c.dep_ == "obl:agent"):
            return None
        if _is_passive(tok) and not any(c.dep_ == "obl:agent" or _case_of(c) == "par" for c in tok.children):
            return None  # « a été condamné » without an agent is a court sentence
        return kind
    if lemma in {"arrêter", "interpeller", "appréhender", "capturer", "écrouer", "extrader"}:
        if reflexive:
            return None  # « nous nous sommes arrêtés »
        # « trois suspects ont été arrêtés », « ont interpellé cinq hommes »; not « la manifestation a
        # été arrêtée » nor « a interpellé le gouvernement »
        if _is_passive(tok) or (tok.dep_ == "acl" and _bare_participle(tok)):
            return None if any(_lemma(s) in NOT_PEOPLE or art.label_at(s) == "ORG" for s in _subjects(tok)) else kind
        people = [o for o in objs if art.label_at(o) != "ORG"]
        return kind if any(art.personish(o, counted=True) for o in people) else None
    if lemma == "démanteler":
        return kind if obj_lemmas & DISMANTLE_OBJECTS or any(art.label_at(o) == "ORG" for o in objs) else None
    if lemma == "saisir":
        return kind if obj_lemmas & SEIZURE_OBJECTS else None
    if lemma == "déployer":
        return kind if obj_lemmas & DEPLOY_OBJECTS else None
    if lemma == "tirer":
        # « ont tiré une salve de roquettes », « ont tiré sur la foule »; not « tirer les leçons »
        shots = obj_lemmas | {_lemma(c) for o in objs for c in o.children}
        at = any(_case_of(c) == "sur" for c in tok.children)
        return kind if shots & SHOT_OBJECTS or (at and not objs) else None
    return kind


def _armed(tok: Token) -> bool:
    """Armed men: « des hommes armés », « des jihadistes », « un commando »."""
    if _lemma(tok) in ARMED_NOUNS or tok.lower_ in ARMED_NOUNS:
        return True
    return _lemma(tok) in {"homme", "individu", "groupe", "élément"} and any(
        _lemma(c) in {"armé", "armer", "jihadiste", "djihadiste", "terroriste"} for c in tok.children
    )


def _noun_ok(art: _Article, tok: Token, kind: str) -> bool:
    """Context checks for a noun trigger."""
    lemma = _lemma(tok)
    children = list(tok.children)
    child_lemmas = {_lemma(c) for c in children}
    if any(c.dep_ == "det" and c.lower_ in _DEMONSTRATIVES for c in children):
        return False  # « ces manœuvres »: already reported
    if any(c.lower_ in {"tel", "telle", "tels", "telles"} for c in children):
        return False  # « de telles attaques »: talk about attacks in general
    if any(c.dep_ == "amod" and _lemma(c) in {"prochain", "futur"} for c in children):
        return False  # « la prochaine réunion se tiendra à Mascate »: announced, not happened
    entity = art.entity_at(tok)
    if entity != -1 and not (art.entities[entity].label == "MISC" and kind in {"MEETING", "EXERCISE"}):
        return False  # « Conseil », « Fondation X », « Accord de Paris » as names
    if lemma == "accord" and any(c.lower_ in {"d'", "d’"} for c in children) and tok.head.lemma_ == "être":
        return False  # « être d'accord »
    if lemma == "conférence" and "presse" in child_lemmas:
        return False
    if lemma == "sommet" and child_lemmas & {"état", "hiérarchie", "pyramide"}:
        return False
    if lemma == "exercice":
        named = any(
            c.dep_ in {"appos", "flat:name", "nmod"} and c.text.istitle() and _case_of(c) is None for c in children
        )
        carried = tok.dep_ == "obj" and _lemma(tok.head) in LIGHT_VERBS  # « ont entamé l'exercice African Lion »
        return named or carried or bool(child_lemmas & EXERCISE_QUALIFIERS) or tok.morph.get("Number") == ["Plur"]
    if lemma in {"manœuvre", "manoeuvre"}:
        return tok.morph.get("Number") == ["Plur"] or bool(child_lemmas & EXERCISE_QUALIFIERS)
    if lemma in {"patrouille", "enquête"} and "Fut" in tok.head.morph.get("Tense"):
        return False  # « le comité coordonnera les patrouilles conjointes »: its task to come, no event
    if lemma in {"opération", "patrouille", "enquête"}:
        # « patrouilles mixtes », « enquête conjointe », « l'opération, menée conjointement par… »
        return bool(child_lemmas & JOINT) or any(
            c.dep_ == "acl" and any(_lemma(g) in _JOINTLY for g in c.children) for c in children
        )
    if lemma == "livraison":
        return bool({_lemma(t) for t in tok.subtree} & EQUIPMENT_OBJECTS)  # « la livraison de drones »
    if lemma == "échange":
        # « l'échange de renseignements »
        return any(_lemma(c) in INTELLIGENCE_OBJECTS for c in children if _case_of(c) == "de")
    if lemma in {"retrait", "départ"}:
        # « son retrait de la force conjointe du G5 Sahel »; « le départ du Niger » only where
        # membership is the topic of the sentence (« ne compte plus que deux membres »)
        if any(art.orgish(t) for t in tok.subtree if t.i != tok.i):
            return True
        if any(_case_of(c) == "de" and _generic_body(c) for c in children):
            return True  # « son retrait de l'organisation, créée en 2014 »: a body named before
        states = any(art.label_at(c) == "GPE" for c in children if _case_of(c) == "de")
        return states and any(_lemma(t) in {"membre", "adhésion", "organisation"} for t in tok.sent)
    if lemma == "entretien":
        # talks, not upkeep (« l'entretien des routes »): plural, « téléphonique », or « avec » close by
        plural = tok.morph.get("Number") == ["Plur"]
        nearby = {t.lower_ for t in tok.doc[tok.i + 1 : min(tok.i + 8, tok.sent.end)]}
        return plural or bool(child_lemmas & {"téléphonique", "bilatéral", "tête-à-tête"}) or "avec" in nearby
    if lemma in {"création", "fondation"}:
        possessive = any(c.dep_ == "det" and c.lower_ in _POSSESSIVES for c in children)
        return possessive or any(art.orgish(c) for c in children if _case_of(c) == "de")
    if lemma == "saisie":
        return bool({_lemma(t) for t in tok.subtree} & SEIZURE_OBJECTS)
    if lemma == "coup":
        return any(_lemma(c) == "filet" for c in children)  # « un vaste coup de filet antiterroriste »
    if lemma == "offensive":
        # « l'offensive jihadiste contre Mopti », not « une offensive diplomatique » or « de charme »
        figurative = {"diplomatique", "commercial", "commerciale", "charme", "médiatique", "politique", "juridique"}
        return not ({_lemma(c) for c in children} | {c.lower_ for c in children}) & figurative
    if lemma == "explosion":
        # « l'explosion d'une voiture piégée », « une explosion a fait douze morts »; not a demographic one
        what = any(_lemma(c) in EXPLOSION_SUBJECTS for c in children if _case_of(c) == "de")
        toll = tok.dep_.startswith("nsubj") and _lemma(tok.head) in _TOLL_VERBS
        return what or toll

    if lemma == "déplacement":
        # an official's trip (« son déplacement à Tunis », « le déplacement de M. X »), not people displaced
        crowd = any(_lemma(t) in CROWD_NOUNS | {"population", "réfugié", "civil", "famille"} for t in tok.subtree)
        own = any(c.dep_ == "det" and c.lower_ in _POSSESSIVES for c in children)
        official = own or any(art.personish(c) for c in children if _case_of(c) == "de")
        return official and not crowd
    if lemma == "interpellation":
        return any(art.personish(c) for c in children if _case_of(c) == "de")
    if lemma == "condamnation":
        return not any(_case_of(c) == "à" and _lemma(c) in JUDICIAL for c in children)
    if kind == "ATTACK" and tok.dep_ == "nmod" and _case_of(tok) == "de" and _lemma(tok.head) in WEAPON_NOUNS:
        return False  # « des fusils d'assaut », « un hélicoptère d'attaque »: a kind of weapon
    # « un assassinat politique » said of a court summons
    return not (kind == "ATTACK" and child_lemmas & {"verbal", "politique", "médiatique", "personnel", "judiciaire"})


def _find_triggers(art: _Article) -> list[_Event]:
    doc = art.doc
    matches = _match_triggers(doc)
    reflexive: set[int] = set()
    special: dict[int, str] = {}
    verbs: set[int] = set()
    nouns: set[int] = set()
    member_of: dict[int, int] = {}  # « devenir » -> « membre »
    fronted: set[int] = set()
    for name, tokens in matches:
        if name == "VERB":
            verbs.add(tokens[0])
        elif name == "NOUN":
            nouns.add(tokens[0])
        elif name == "REFLEXIVE":
            reflexive.add(tokens[0])
        elif name == "HOMMAGE":
            special[tokens[0]] = "PRAISE"
        elif name == "FAIRE_EXPLOSER" or (name == "OUVRIR_FEU" and not _negated(doc[tokens[0]])):
            special[tokens[0]] = "ATTACK"  # « s'est fait exploser », « ont ouvert le feu sur »
        elif name == "DEVENIR_MEMBRE" and not _negated(doc[tokens[0]]) and art.governor(doc[tokens[1]]).i == tokens[0]:
            special[tokens[0]] = "MEMBERSHIP"
            member_of[tokens[0]] = tokens[1]
        elif (name == "FRONTED_REUNIS" and doc[tokens[0]].pos_ != "VERB") or (
            name == "FRONTED_RECU" and any(_case_of(c) == "par" for c in doc[tokens[0]].subtree)
        ):
            special[tokens[0]] = "MEETING"
            fronted.add(tokens[0])
        elif name == "FRONTED_CREE" and doc[tokens[0]].dep_ in _FRONTED_CREE_DEPS:
            special[tokens[0]] = "FOUNDING"
            fronted.add(tokens[0])
    events: list[_Event] = []
    for i in sorted(verbs | set(special)):
        tok = doc[i]
        kind = _verb_type(art, tok, i in reflexive, special.get(i))
        if kind is None:
            continue
        event = _Event(kind, tok, "verb", verb=tok, fronted=i in fronted)
        if i in member_of:
            event.merged.append(doc[member_of[i]])
        elif kind == "MEMBERSHIP":
            event.merged.extend(c for c in tok.children if _lemma(c) == "membre")  # « admis comme membre de »
        events.append(event)
    verb_events = {e.trigger.i: e for e in events}
    for event in list(events):
        # « a rejoint l'OTAN, devenant le 31e membre de l'Alliance »: the same event told twice
        if event.trigger.dep_ in {"advcl", "xcomp", "acl", "conj"} and not event.fronted:
            outer = verb_events.get(art.governor(event.trigger).i)
            same = outer is not None and outer is not event and outer.type == event.type
            if same and (event.trigger.dep_ != "conj" or event.type == "MEMBERSHIP"):
                outer.merged.extend([event.trigger, *event.merged])
                events.remove(event)
                del verb_events[event.trigger.i]
    for i in sorted(nouns):
        event = _noun_event(art, doc[i], verb_events)
        if event is not None:
            events.append(event)
    _fold_relative_verbs(events)
    _link_claims(art, events)
    return events


def _fold_relative_verbs(events: list[_Event]) -> None:
    """« l'attentat … qui a frappé mercredi un poste de contrôle »: one attack, told by its noun.

    The verb of a relative or participial clause on a trigger noun of the same type is no
    second event: it is dropped, and the noun takes the clause (its objects, place and date)
    through the "clause" anchor.
    """
    nouns = {e.trigger.i: e for e in events if e.kind == "noun"}
    for event in [e for e in events if e.kind == "verb"]:
        pred = event.trigger
        if pred.dep_ not in {"acl:relcl", "acl"}:
            continue
        head, hops = pred.head, 0
        while head.i not in nouns and hops < 2 and head.dep_ == "nmod" and head.i != head.head.i:
            head, hops = head.head, hops + 1  # « l'attentat à la voiture piégée qui a frappé »
        noun = nouns.get(head.i)
        if noun is not None and noun.type == event.type and not event.merged:
            events.remove(event)
            noun.clauses.append(pred)


def _noun_event(art: _Article, tok: Token, verb_events: dict[int, _Event]) -> _Event | None:
    """The event a trigger noun stands for, None when it is no event or belongs to a verb's."""
    kind = NOUN_TRIGGERS[_lemma(tok)]
    if not _noun_ok(art, tok, kind):
        return None
    if COMPLEX_PREPOSITIONS.get((_case_of(tok), _lemma(tok))) is not None:
        return None  # « en coopération avec »: a preposition, not cooperation
    measure = tok.head if tok.dep_ == "nmod" and _lemma(tok.head) in MEASURE_NOUNS else None
    phrase = measure if measure is not None else tok
    gov = art.governor(phrase)
    # « accord de coopération »: a modifier of another trigger noun, unless it has arguments of its
    # own (« le protocole d'adhésion de la Suède à l'Alliance ») or a date of its own, or is another
    # event placed in time against it (« la première attaque depuis l'assaut contre un hôtel »)
    own_arguments = any(art.entity_at(t) != -1 or t.i in art.date_at for t in tok.subtree if t.i != tok.i)
    modifier = _case_of(phrase) in {None, "de"}
    if phrase.dep_ == "nmod" and _lemma(gov) in NOUN_TRIGGERS and modifier and not own_arguments:
        return None
    if gov.pos_ in {"VERB", "AUX"} and _negated(gov) and phrase.dep_ in {"obj", "nsubj", "nsubj:pass"}:
        return None  # « n'a pas signé l'accord », « la réunion n'a pas eu lieu »
    if _irrealis(tok):
        return None  # « préparer un attentat », « ont appelé à un cessez-le-feu »
    if gov.pos_ in {"VERB", "AUX"} and phrase.dep_ in {"obj", "nsubj", "nsubj:pass"} and _habitual(gov):
        return None  # « tiendra une réunion », « la réunion se tiendra en mars »
    if phrase.dep_ == "appos" and any(NOUN_TRIGGERS.get(_lemma(t)) == kind for t in _nominal_heads(phrase)):
        return None  # « une visite d'amitié en Mauritanie, son premier déplacement hors du pays »: the same one
    visiting = kind == "VISIT" and _case_of(phrase) == "en"  # « le ministre est en visite au Maroc »
    if _lemma(gov) == "agir" or (any(c.dep_ == "cop" for c in phrase.children) and not visiting):
        return None  # « il s'agit d'une attaque ambitieuse », « c'est un attentat »: said of one already told
    same = _folding_verb(art, phrase, kind, verb_events)
    if same is not None:
        same.merged.append(tok)
        return None
    event = _Event(kind, tok, "noun")
    if measure is not None:
        event.merged.append(measure)
    outer = verb_events.get(gov.i)
    if outer is not None and outer.type in {"CONDEMNATION", "PRAISE"} and phrase.dep_ in {"obj", "nmod"}:
        outer.nested = event
    # « ont lancé le 17 septembre dans la région d'Issyk-Koul, dans l'est du Kirghizistan, un exercice
    # conjoint »: an indefinite noun the parser took for an apposition of the last place
    hung = phrase.dep_ == "appos" and any(c.dep_ == "det" and c.lower_ in {"un", "une"} for c in phrase.children)
    lifted = False
    if (phrase.dep_ == "obj" or hung) and gov.pos_ not in {"VERB", "AUX"}:
        # « ont entamé lundi au large d'Agadir l'exercice » with the object hung on the place:
        # the verb above is the one that carries it
        above = gov
        for _ in range(3):
            if above.i == above.head.i or above.pos_ in {"VERB", "AUX"}:
                break
            above = above.head
        if above.pos_ == "VERB" and _lemma(above) in LIGHT_VERBS and above.i < phrase.i:
            gov = above
            if hung and not any(c.dep_ == "obj" for c in above.children):
                lifted = True
    if gov.pos_ not in {"VERB", "AUX"} or gov.i in verb_events:
        return event
    lemma = _lemma(gov)
    dep = phrase.dep_
    # the verb must take the noun as its object (« a effectué une visite »), its complement
    # (« participer à une réunion ») or, for a few, its subject (« la réunion s'est tenue »)
    light_ok = dep == "obj" or lifted or (dep == "obl:arg" and lemma in _LIGHT_WITH_COMPLEMENT)
    # « a procédé, le 22 novembre, à l'interpellation »: the parser takes the far complement for a modifier
    light_ok = light_ok or (dep == "obl:mod" and lemma in _LIGHT_WITH_COMPLEMENT and _case_of(phrase) == "à")
    light_ok = light_ok or (dep.startswith("nsubj") and lemma in _LIGHT_WITH_NOUN_SUBJECT)
    light_ok = light_ok or (dep == "nsubj:pass" and _is_passive(gov))  # « un coup de filet a été mené par la DGST »
    if dep == "nmod" and art.transparent(phrase.head):
        light_ok = True  # « mené mardi des frappes »
    if light_ok and lemma in LIGHT_VERBS and (lemma not in _COOPERATION_LIGHT or kind == "COOPERATION"):
        event.verb = gov
        event.host = lemma == "accueillir"
    elif kind == "ATTACK" and dep.startswith("nsubj") and lemma in _TOLL_VERBS:
        # « un attentat a fait quinze morts vendredi dans une mosquée de Peshawar »: the toll's
        # clause gives the attack's place and date
        event.host_verb = gov
    elif lemma in REPORT_VERBS and dep in {"obj", "nmod"}:
        event.report = gov
    elif (
        kind in {"VISIT", "MEETING"}
        and dep.startswith("obl")
        and lemma in _TRAVEL_VERBS
        and _case_of(phrase)
        in {
            "pour",
            "en",
        }
    ):
        # « est arrivé jeudi à Nouakchott pour une visite »: the traveller is the visitor
        event.verb = gov
    elif dep.startswith("obl"):
        # « tués lundi dans une embuscade », « lors de la réunion ... mardi à Abuja »: the clause
        # around the noun gives its place and date
        event.host_verb = gov
    return event


def _nominal_heads(tok: Token, depth: int = 2) -> list[Token]:
    """The noun ``tok`` hangs on and, through complements, the ones above it (the parser often
    hangs an apposition on the last noun before the comma)."""
    out: list[Token] = []
    head = tok.head
    while len(out) < depth and head.pos_ in {"NOUN", "PROPN"}:
        out.append(head)
        if head.dep_ not in {"nmod", "appos"} or head.head is head:
            break
        head = head.head
    return out


def _folding_verb(art: _Article, tok: Token, kind: str, verb_events: dict[int, _Event]) -> _Event | None:
    """The verb event of the same type ``tok`` directly depends on (« a signé un accord », « réunis en
    sommet », « s'est rendu au Caire, première visite... »), if any."""
    head = art.governor(tok)
    event = verb_events.get(head.i)
    if event is None and _lemma(head) == "cadre" and tok.dep_ == "nmod":
        # « ont été interpellés … dans le cadre d'un vaste coup de filet »: the verb tells that operation
        event = verb_events.get(art.governor(head).i)
    if event is None and kind not in {"ATTACK", "ARREST"}:
        # « devenue membre ..., après le dépôt de ses instruments d'adhésion »; attacks and arrests
        # named inside another's phrase are other ones (« en riposte à une frappe »)
        for _ in range(3):
            if (
                head.pos_ not in {"NOUN", "PROPN"}
                or head.i == head.head.i
                or head.dep_ not in {"nmod", "obl:mod", "obl"}
            ):
                break
            head = art.governor(head)
            event = verb_events.get(head.i)
            if event is not None:
                break
    return event if event is not None and event.type == kind else None


def _link_claims(art: _Article, events: list[_Event]) -> None:
    """« ..., et revendiqué par l'État islamique »: a claim the parser hung elsewhere goes to the attack before it."""
    attacks = [e for e in events if e.type == "ATTACK" and e.kind == "noun"]
    if not attacks:
        return
    for tok in art.doc:
        if _lemma(tok) != "revendiquer" or not any(c.dep_ == "obl:agent" for c in tok.children):
            continue
        if any((e.verb is not None and e.verb.i == tok.i) for e in attacks):
            continue
        before = [e for e in attacks if e.trigger.i < tok.i and e.trigger.sent.start == tok.sent.start]
        if before and before[-1].verb is None:
            before[-1].verb = tok


# -- 2. anchors -------------------------------------------------------------------------------------


def _anchors(art: _Article, events: list[_Event]) -> dict[int, list[tuple[_Event, str]]]:
    """Token index -> the events (and how) an entity climbing to that token belongs to."""
    anchors: dict[int, list[tuple[_Event, str]]] = {}

    def add(tok: Token | None, event: _Event, kind: str) -> None:
        if tok is not None:
            anchors.setdefault(tok.i, []).append((event, kind))

    for event in events:
        if event.kind == "verb":
            add(event.trigger, event, "verb")
        else:
            add(event.trigger, event, "noun")
            add(event.verb, event, "light")
            add(event.report, event, "report")
            add(event.host_verb, event, "host")
            # « membre de l'OTAN depuis son adhésion »
            if _lemma(event.trigger.head) == "membre" and event.type == "MEMBERSHIP":
                add(event.trigger.head, event, "merged")
        for tok in event.merged:
            add(tok, event, "merged")
    triggers = {e.trigger.i for e in events} | {e.verb.i for e in events if e.verb is not None}
    verb_triggers = {e.trigger.i for e in events if e.kind == "verb"}
    for event in events:
        if event.kind != "noun":
            # « ont été interpellés … dans le cadre d'un vaste coup de filet mené par le BCIJ »: the
            # clause of a noun told with the verb is the event's too
            for noun in event.merged:
                framed = [noun.head] if _lemma(noun.head) == "cadre" else []  # « le cadre d'un X mené par »
                for child in (c for t in (noun, *framed) for c in t.children):
                    if child.dep_ in {"acl", "acl:relcl"} and child.pos_ == "VERB" and child.i not in triggers:
                        add(child, event, "clause")
            continue
        # « l'attaque qui a visé une caserne dans la région de X », « l'attentat perpétré vendredi »
        # (also hung on the noun's adjective: « une frappe israélienne qui avait tué »)
        below = [event.trigger, *(c for c in event.trigger.children if c.dep_ == "amod")]
        if _lemma(event.trigger.head) == "cadre" and event.trigger.dep_ == "nmod":
            # « dans le cadre d'un coup de filet mené par le BCIJ » with « mené » hung on « cadre »
            below.append(event.trigger.head)
        for child in (c for t in below for c in t.children):
            if child.dep_ in {"acl", "acl:relcl"} and child.pos_ == "VERB" and child.i not in triggers:
                add(child, event, "clause")
                # « l'attaque menée … contre un poste de douane, attribuée au GSIM »: the parser hangs
                # the second participle on the first
                for more in child.children:
                    if more.dep_ in {"advcl", "conj"} and _lemma(more) in _CLAIM_VERBS and more.i not in triggers:
                        add(more, event, "clause")
        for verb in event.clauses:
            if verb.head.i not in {t.i for t in below}:
                add(verb, event, "clause")
        # « L'attaque a été revendiquée par le JNIM », « le JNIM a revendiqué l'attentat », « L'attaque a
        # été attribuée à l'EIS »: who claims it, or whom it is put down to, carried it out
        claim = event.trigger.head
        if (
            event.type == "ATTACK"
            and event.trigger.dep_ in {"nsubj:pass", "obj"}
            and _lemma(claim) in _CLAIM_VERBS
            and claim.i not in triggers
        ):
            add(claim, event, "claim")
    # borrowed subjects last: they never hide a real anchor, an entity climbs on through them
    for event in events:
        subject, kind = None, ""
        if event.fronted:
            subject, main = _fronted_subject(event.trigger)
            add(main, event, "host")
            kind = "pass" if event.lemma in {"recevoir", "accueillir", "créer", "fonder"} else "subj"
        elif event.verb is not None:
            subject, kind = _borrowed_subject(art, event.verb)
        elif event.type == "VISIT" and _case_of(event.trigger) == "en":
            subject, kind = _visitor(art, event.trigger), "subj"
        elif event.kind == "noun" and event.report is None:
            subject, kind = _possessor(event.trigger, verb_triggers)
            if subject is None and event.type == "VISIT":
                subject, kind = _traveller(art, event.trigger), "subj"
        if subject is not None:
            add(subject, event, kind)
    return anchors


def _visitor(art: _Article, trigger: Token) -> Token | None:
    """Who is « en visite »: the person it is said of (« le président …, en visite au Maroc »), the
    subject of « est en visite », or the person just before the comma when the parser hung the
    phrase on a place (« a reçu à Rabat le ministre espagnol, M. X, en visite de travail »)."""
    subject = next((c for c in trigger.children if c.dep_ == "nsubj"), None)
    for tok in (trigger.head if trigger.head.i != trigger.i else None, subject):
        if tok is not None and art.personish(tok):
            return _person_start(art, tok, tok)
    first = min([c.i for c in trigger.children if c.dep_ == "case" and c.i < trigger.i], default=trigger.i)
    if first < 2 or art.doc[first - 1].text != ",":
        return None
    return _person_start(art, art.doc[first - 2], None)


def _person_start(art: _Article, tok: Token, default: Token | None) -> Token | None:
    """Where the person named at ``tok`` (or by the name it heads, « M. X ») starts climbing: an
    anchor there is met even when the person climbs from the title they hold."""
    for cand in (tok, *(c for c in tok.children if c.dep_ in {"flat:name", "flat", "appos"})):
        index = art.entity_at(cand)
        span = art.index.spans[index] if index != -1 else None
        if span is not None and art.entities[index].label == "PER":
            return _start_token(art, index, span)
    return default


_HOSTING_VERBS = _words("recevoir accueillir")
_OPENED_BODIES = _words("centre académie école institut cellule unité bureau agence observatoire commandement")


def _traveller(art: _Article, noun: Token) -> Token | None:
    """« X a remis… à Nouadhibou un patrouilleur, au premier jour d'une visite en Mauritanie »: a
    visit that names no visitor is made by the subject of the clause it is the occasion of (not by
    a host: « a reçu Y lors d'une visite »)."""
    if any(c.dep_ == "nmod" and _case_of(c) == "de" and art.entity_at(c) != -1 for c in noun.children):
        return None  # « une visite du ministre X »: the visitor is named
    verb = _enclosing_verb(noun)
    if verb is None or _lemma(verb) in _HOSTING_VERBS:
        return None
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]
    return subjects[0] if subjects and art.personish(subjects[0]) else None


def _relative_antecedent(art: _Article, pronoun: Token) -> Token | None:
    """The name right before a « qui » (over an acronym in brackets): where that entity climbs from."""
    k = pronoun.i - 1
    if k >= 0 and art.doc[k].text == ")":
        while k >= 0 and art.doc[k].text != "(" and pronoun.i - k < 8:
            k -= 1
        k -= 1
    if k < 0:
        return None
    index = art.entity_at(art.doc[k])
    span = art.index.spans[index] if index != -1 else None
    if span is None or art.entities[index].label not in {"PER", "ORG", "GPE"}:
        return None
    return _start_token(art, index, span)


def _coordinated(pred: Token) -> bool:
    """« a démantelé une cellule et interpellé cinq suspects », however the parser attached the second verb."""
    return pred.dep_ == "conj" or any(c.dep_ == "cc" and c.lower_ in {"et", "puis", "ni"} for c in pred.children)


def _borrowed_subject(art: _Article, pred: Token) -> tuple[Token | None, str]:
    """For a verb without an expressed subject, the phrase that stands for it."""
    subjects = [c for c in pred.children if c.dep_ in {"nsubj", "nsubj:pass", "expl:subj"}]
    if subjects:
        subj = subjects[0]
        if subj.lower_ in _RELATIVE_PRONOUNS and pred.dep_ == "acl:relcl":
            return pred.head, "pass" if subj.dep_ == "nsubj:pass" else "subj"
        if subj.lower_ == "qui" and (antecedent := _relative_antecedent(art, subj)) is not None:
            # « l'action de la DGSI qui a procédé… » with the clause hung elsewhere by the parser
            return antecedent, "pass" if subj.dep_ == "nsubj:pass" else "subj"
        if subj.lower_ in _SUBJECT_PRONOUNS:
            outer = _enclosing_verb(pred)
            if outer is not None:
                outer_subjects = [c for c in outer.children if c.dep_ == "nsubj"]
                if outer_subjects and outer_subjects[0].lower_ not in _SUBJECT_PRONOUNS:
                    return outer_subjects[0], "subj"
        return None, ""
    if pred.dep_ != "acl" and _bare_participle(pred) and any(c.dep_ == "obl:agent" for c in pred.children):
        return None, ""  # « ..., et revendiqué par l'État islamique »: a passive with its own agent
    if pred.dep_ == "acl" and _bare_participle(pred) and not _coordinated(pred):
        # « le G5 Sahel, fondé en 2014 » (patient); « les dirigeants, réunis en sommet » (agent)
        return pred.head, "subj" if _lemma(pred) in {"réunir", "retrouver", "entretenir"} else "pass"
    if pred.dep_ in {"advcl", "obl:mod", "obl", "conj", "xcomp"} or _coordinated(pred):
        outer = _enclosing_verb(pred)
        if outer is not None:
            outer_subjects = [c for c in outer.children if c.dep_ in {"nsubj", "nsubj:pass"}]
            if outer_subjects:
                return outer_subjects[0], "subj" if outer_subjects[0].dep_ == "nsubj" else "pass"
    return None, ""


def _fronted_subject(tok: Token) -> tuple[Token | None, Token | None]:
    """« Réunis à Bruxelles, les ministres ... ont approuvé »: the subject after the comma, and its verb."""
    doc = tok.doc
    # the parser sometimes ends the sentence at the comma (« Créée en 2012, | l'Agence… est chargée »)
    comma = next((t.i for t in doc[tok.i : max(tok.sent.end, tok.i + 15)] if t.text == ","), None)
    if comma is None or comma + 1 >= len(doc):
        return None, None
    for t in doc[comma + 1 : max(_sentence_end(tok), doc[comma + 1].sent.end)]:
        if t.dep_ in {"nsubj", "nsubj:pass"}:
            return t, t.head
    return None, None


def _possessor(noun: Token, verb_triggers: set[int]) -> tuple[Token | None, str]:
    """« Niamey a annoncé son retrait », « membre de l'OTAN depuis son adhésion, la Roumanie... »."""
    if not any(c.dep_ == "det" and c.lower_ in _POSSESSIVES for c in noun.children):
        return None, ""
    head = noun.head
    for _ in range(4):
        # a verb, or a predicate with its copula (« la Mauritanie est partenaire de l'OTAN depuis son adhésion »)
        if head.pos_ in {"VERB", "AUX"} or any(c.dep_ == "cop" for c in head.children):
            if head.i in verb_triggers:
                return None, ""  # « a salué son engagement »: the possessor is someone else
            subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubj:pass"} and c.pos_ != "PRON"]
            if not subjects:
                return None, ""
            return subjects[0], "subj" if subjects[0].dep_ == "nsubj" else "pass"
        if head.i == head.head.i:
            break
        head = head.head
    return None, ""


def _enclosing_verb(pred: Token) -> Token | None:
    """The verb of the clause ``pred`` hangs from, looking through misattachments to a date or noun."""
    head = pred.head
    for _ in range(6):
        if head.pos_ in {"VERB", "AUX"} and head.i != pred.i:
            has_subject = any(c.dep_ in {"nsubj", "nsubj:pass"} for c in head.children)
            if has_subject or head.dep_ == "ROOT" or head.i == head.head.i:
                return head
        if head.i == head.head.i:
            break
        head = head.head
    # a conjoined verb the parser hung on a noun: the nearest verb with a subject before it
    for tok in reversed(list(pred.doc[pred.sent.start : pred.i])):
        if tok.pos_ in {"VERB", "AUX"} and any(c.dep_ in {"nsubj", "nsubj:pass"} for c in tok.children):
            return tok
    return None


# -- 3. arguments -----------------------------------------------------------------------------------


def _via(art: _Article, noun: Token) -> str:
    """What a « de X » complement of ``noun`` stands for: the body itself, a place, or just a modifier."""
    lemma = _lemma(noun)
    if noun.i in art.holder_at or lemma in GROUP_NOUNS or noun.lower_ in GROUP_NOUNS:
        return "group"
    if lemma in PLACE_NOUNS:
        return "place"
    return "noun"


def _start_token(art: _Article, index: int, span: Span) -> Token:
    """Where an entity starts climbing: its syntactic head, or the title it holds."""
    for title, holder in art.holder_at.items():
        if holder == index and not (span.start <= title < span.end):
            role = art.role_of_token.get(title)
            return art.doc[role[0] : role[1]].root if role is not None else art.doc[title]
    for tok in span:
        if not (span.start <= tok.head.i < span.end) or tok.head.i == tok.i:
            return tok
    return span.root


def _attach(art: _Article, anchors: dict[int, list[tuple[_Event, str]]], index: int) -> list[_Attachment]:
    """Climb from entity ``index`` to the trigger(s) it is an argument of."""
    span = art.index.spans[index]
    if span is None:
        return []
    label = art.entities[index].label
    role = art.role_of_token.get(span.start)
    if role is not None and role[2] is not None and role[2] != index:
        return []  # « secrétaire général de l'OTAN, Jens Stoltenberg »: OTAN qualifies the title
    start = _start_token(art, index, span)
    out: list[_Attachment] = []
    for event, kind in anchors.get(start.i, []):
        if kind in _VIRTUAL:
            out.append(_Attachment(event, kind, start, start, None, None, "", False))
    in_span = span.start <= start.i < span.end
    case = art.entity_case(index, start) if in_span else _case_of(start)
    fixed: str | None = None
    via = ""
    direct = False
    tok = start
    for _ in range(16):
        head = tok.head
        if head.i == tok.i:
            # the parser cut the sentence inside a name (« à Addis | -Abeba, au siège de... »):
            # go on from where that name is attached
            other = art.entity_at(tok)
            other_span = art.index.spans[other] if other not in {-1, index} else None
            attached = [t for t in other_span or () if not (other_span.start <= t.head.i < other_span.end)]
            if not attached:
                return out
            tok = attached[0]
            continue
        if span.start <= head.i < span.end:
            tok = head
            continue
        if head.i in anchors:
            real = False
            for event, kind in anchors[head.i]:
                this_via = via
                if kind in _VIRTUAL and case == "de" and fixed is None:
                    this_via = via or _via(art, head)  # « les dirigeants de l'OTAN, réunis en sommet »
                out.append(_Attachment(event, kind, head, tok, case, fixed, this_via, direct))
                real = real or kind not in _VIRTUAL
            if real:
                return out
        if art.transparent(head) or direct:
            tok = head
            continue
        dep = tok.dep_
        if dep == "conj" and (other := art.entity_at(head)) not in {-1, index}:
            # « la Guardia Civil et la Gendarmerie royale » with « Gendarmerie » hung on « Civil »:
            # coordinated with the whole other name, it goes where that name goes
            other_span = art.index.spans[other]
            roots = [t for t in other_span or () if not (other_span.start <= t.head.i < other_span.end)]
            if roots and _family(art.entities[other].label) == _family(label):
                tok = roots[0]
                case = case or art.entity_case(other, tok)
                continue
        if dep == "conj":
            head_label = art.label_at(head)
            if head_label is not None and _family(label) != _family(head_label) and _case_of(head) != "entre":
                # « à Rabat son homologue Fernando Grande-Marlaska » parsed as Rabat + Fernando
                direct, case, fixed = True, None, None
                tok = head
                continue
            if head.pos_ == "ADJ" and head.dep_ == "amod":
                # « la Garde civile espagnole et la Gendarmerie royale » parsed as espagnole + Gendarmerie
                tok = head.head
                case = case or _case_of(tok)
                continue
            if case is None or not (case == "de" and head.pos_ == "NOUN" and head_label is None):
                case = case or _case_of(head)
                tok = head
                continue
            # a conjunct with its own « de » under a noun is a complement of that noun
        elif dep in {"appos", "flat:name", "flat", "fixed"}:
            case = case or _case_of(head)
            tok = head
            continue
        if head.pos_ == "ADJ" and head.dep_ in {"amod", "nmod"}:
            tok = head  # « une attaque « sans précédent » du Hamas », « exercice conjoint en mer de Chine »
            continue
        if head.pos_ in {"NOUN", "PROPN", "NUM", "PRON"}:
            lemma = _lemma(head)
            head_case = _case_of(head)
            if fixed is not None:
                tok = head
                continue
            if (
                dep in {"nmod", "conj"}
                and head.i in art.role_of_token
                and art.role_of_token[head.i][2] not in {None, index}
            ):
                return out  # complement of someone else's title
            if case == "par" and (lemma in _MONTHS_AND_DAYS or lemma in _TIME_OF_DAY):
                tok = head  # « revendiquée dans la soirée par le JNIM »: the agent hung on the time phrase
                continue
            complex_rel = COMPLEX_PREPOSITIONS.get((head_case, lemma))
            if complex_rel is not None and case in {"de", "avec"}:
                if complex_rel == "IGNORE":
                    return out
                fixed = complex_rel
                tok = head
                continue
            if (
                case is None
                and dep == "nmod"
                and head.dep_.startswith("obl")
                and head.head.pos_ == "VERB"
                and art.personish(tok)
            ):
                # « a accueilli lundi au palais de Carthage son homologue » with « homologue » hung
                # without a preposition on the place: the verb's object (as in _objects)
                direct = True
                tok = head
                continue
            if case in {None, "de"}:
                this_via = _via(art, head)
                via = "noun" if this_via == "noun" else via or this_via
                case = head_case
                tok = head
                continue
            if case in {"à", "en", "dans"} and art.label_at(head) in {"GPE", "LOC"}:
                tok = head  # « à Addis-Abeba, au siège de l'Union africaine »: said of the same place
                continue
            if case == "avec" and head_case in {"à", "en"} and art.label_at(head) in {"GPE", "LOC"}:
                tok = head  # « a signé à Rabat avec son homologue »: the partner hung on the place is the verb's
                continue
            if label in {"GPE", "LOC"} and case in {"à", "en", "dans", "sur"}:
                # « devant un poste de police à Mogadiscio »; « deux casques bleus au Mali »
                fixed = "AT" if lemma in SITE_NOUNS else "AT_NESTED"
                tok = head
                continue
            if case == "à" and head.dep_ == "obj" and _gives_to(anchors.get(head.head.i, [])):
                # « a transmis des renseignements au FBI »: the recipient hung on what is given
                fixed = "AT_NESTED"
                tok = head
                continue
            return out  # « la situation au Soudan »: it qualifies a noun that is no event
        if (
            fixed in {"PARTNER", "FRAME", "CHAIR"}
            and head.pos_ == "VERB"
            and tok.dep_ != "advcl"
            and head.dep_ in {"acl", "acl:relcl"}
        ):
            tok = head  # an adverbial the parser hung inside a noun phrase
            continue
        if (
            head.pos_ == "VERB"
            and _lemma(head) in _CHAIR_VERBS
            and case == "par"
            and fixed is None
            and head.dep_ in {"acl", "advcl", "acl:relcl"}
            and head.head.i in anchors
        ):
            fixed = "CHAIR"  # « réunis à Doha …, présidée par le ministre qatari » (a participle on the event)
            tok = head
            continue
        if head.pos_ in {"VERB", "AUX", "ADJ"} and _lemma(head) in {"affilier", "lier", "proche", "allier"}:
            case, via = None, "noun"  # « un groupe affilié à l'État islamique »
            tok = head
            continue
        return out
    return out


def _gives_to(anchored: list[tuple[_Event, str]]) -> bool:
    return any(e.type == "COOPERATION" and e.lemma in _DELIVERY_VERBS | _SHARING_VERBS for e, _ in anchored)


def _relation(att: _Attachment, entity_start: int) -> str | None:
    if att.kind in _VIRTUAL:
        return "SUBJ" if att.kind == "subj" else "PASS"
    if att.fixed is not None:
        return att.fixed
    left = entity_start < att.anchor.idx
    if att.case is None or att.direct:
        if att.kind in {"noun", "merged"}:
            return None  # a name or apposition on the noun
        dep = att.top.dep_
        if dep == "nsubj:pass":
            verb = att.top.head
            active = verb.pos_ == "VERB" and any(c.dep_ == "aux:tense" for c in verb.children)
            if active and not any(c.dep_ == "aux:pass" for c in verb.children):
                return "SUBJ"  # « M. Piantedosi a rencontré » tagged as a passive subject
            return "PASS"
        if dep.startswith("nsubj") or dep == "expl:subj":
            return "SUBJ"
        if dep == "obl:agent":
            return "AGENT"
        if dep in {"obj", "iobj"}:
            return "OBJ"
        if (
            dep in {"obl", "obl:mod", "obl:arg"}
            and att.kind == "verb"
            and att.top.i > att.anchor.i
            and (_lemma(att.top) in PERSON_NOUNS or att.top.pos_ == "PROPN" or att.top.text[:1].isupper())
            and not any(c.dep_ == "case" for c in att.top.children)
        ):
            # « a reçu, mercredi au Palais royal, le président… »: the object after an insertion;
            # « a intégré l'Alliance atlantique » with the object tagged obl:arg
            return "OBJ"
        if dep.startswith("obl") and not att.direct:
            return None  # « Membre de l'OTAN depuis..., la Roumanie »: an adjunct, not the subject
        return "SUBJ" if left else "OBJ"
    case = att.case
    put_down = att.kind in {"clause", "claim"} and _lemma(att.anchor) in _PUT_DOWN_VERBS
    if case == "par":
        return None if put_down else "AGENT"  # « attribuée par l'état-major à… »: who says so
    if case == "à" and put_down:
        return "AGENT"  # « une attaque attribuée au groupe État islamique »
    if case == "avec":
        return "WITH"
    if case == "entre":
        return "BETWEEN"
    if case == "contre":
        return "AGAINST"
    if case in {"à", "en", "dans", "sur", "vers", "chez"}:
        return "AT"
    if case == "de":
        return "OF" if att.kind in {"noun", "merged"} else "FROM"
    return None


def _role(event: _Event, rel: str, label: str, via: str, kind: str) -> str | None:
    t = event.type
    person, org, place = label == "PER", label == "ORG", label in {"GPE", "LOC"}
    if t == "MEMBERSHIP" and event.lemma in _DECIDED_BY_THE_BODY and kind == "verb":
        # « l'UA a suspendu le Mali », « le Mali a été suspendu par l'UA »: the body decides, the state is the member
        if rel in {"SUBJ", "AGENT"} and org:
            return "organisation"
        if rel == "OBJ" and (place or org):
            return "actor"
    if label == "MISC":
        launched = rel in {"OBJ", "PASS"} and t in {"FOUNDING", "LAUNCH"}  # « le programme Safe Seas, lancé… »
        return "organisation" if rel == "FRAME" or launched or (rel == "OBJ" and t == "MEMBERSHIP") else None
    if kind == "report" and rel != "SUBJ":
        return None
    if kind == "clause" and rel in {"SUBJ", "PASS"}:
        return None  # the relative pronoun: the noun itself
    if kind == "claim":
        return "actor" if rel in {"SUBJ", "AGENT"} and not place else None
    if kind == "host":  # « tués lundi dans une embuscade ... dans le nord du Burkina Faso »
        return "location" if place and rel in {"AT", "AT_NESTED"} else None
    if rel in {"SUBJ", "AGENT"}:
        if via == "noun" and (rel == "SUBJ" or t == "FOUNDING"):
            return None  # « créée par la charte du Liptako-Gourma »: the name qualifies the agent
        if event.host and place:
            return "location"
        if t in {"MEETING", "EXERCISE"} and via == "group" and org:
            return "organisation"
        return "actor"
    if rel == "PASS":
        return {
            "MEETING": "counterpart",
            "CONDEMNATION": "target",
            "PRAISE": "counterpart",
            "ARREST": "target" if not place else None,
            "MEMBERSHIP": "actor",
            "FOUNDING": "organisation" if org else None,
            "LAUNCH": "organisation" if org else None,  # « l'Initiative 5+5, lancée en 2004 »: what was launched
            "ATTACK": "location" if place else "target",
        }.get(t)
    if rel == "OBJ":
        if kind == "light":
            return None
        if via == "noun" and t not in {"PRAISE", "CONDEMNATION", "ATTACK", "ARREST"}:
            return None
        if via == "noun" and place and t != "ATTACK":
            return None
        return {
            "MEETING": "counterpart",
            "MEMBERSHIP": "organisation" if org else None,
            "FOUNDING": "organisation" if org else None,
            "LAUNCH": "organisation" if org else None,
            "ATTACK": "location" if place and event.lemma != "attaquer" else "target",
            "CONDEMNATION": "target",
            "PRAISE": "counterpart",
            "ARREST": "target" if not place else None,
            "VISIT": "location" if place else "organisation" if org else None,
            "COOPERATION": "counterpart",
        }.get(t)
    if rel == "WITH":
        return "counterpart" if t in SYMMETRIC | {"LAUNCH", "VISIT"} else None
    if rel == "PARTNER":  # « en coopération avec », « aux côtés de »
        return None if t in {"CONDEMNATION", "PRAISE"} else "counterpart"
    if rel == "BETWEEN":
        return "participant"
    if rel == "AGAINST":
        if t in {"ATTACK", "ARREST", "CONDEMNATION"}:
            return "location" if place and t == "ATTACK" and via else "target"
        return None
    if rel == "AT":
        if event.lemma == "rendre" and t == "PRAISE":
            return "counterpart"
        if t == "COOPERATION" and event.lemma in _DELIVERY_VERBS | _SHARING_VERBS:
            return "counterpart"  # « a remis … à l'armée tchadienne », « transmis à la Marine »: who receives it
        if place and t not in {"CONDEMNATION", "PRAISE"}:
            return "location"
        if org and t in {"MEMBERSHIP", "VISIT"}:
            return "organisation"
        return None
    if rel == "AT_NESTED":
        if t == "COOPERATION" and event.lemma in _DELIVERY_VERBS | _SHARING_VERBS:
            return "counterpart"  # « a remis 50 véhicules blindés au Tchad »: the recipient
        return "location" if place and t in {"ATTACK", "ARREST", "COOPERATION"} else None
    if rel == "FROM":
        return "organisation" if org and t == "MEMBERSHIP" else None
    if rel == "FRAME":
        return None if person else "organisation"
    if rel == "CHAIR":  # « sous la présidence de l'UA » frames it; its chairs, persons or states, take part
        if org:
            return "organisation"
        return "participant" if t in {"MEETING", "EXERCISE"} else None
    if rel == "OF":
        if via == "noun" and place and t != "ATTACK":
            return None  # « le retrait des États-Unis de l'accord de Paris »: Paris names the accord
        return _of_role(t, person, org, place, via)
    return None


def _of_role(t: str, person: bool, org: bool, place: bool, via: str) -> str | None:
    """« de X » on a trigger noun."""
    if t == "MEETING":
        if org:
            return "organisation"
        return "participant" if person or via == "group" else "location"
    if t == "EXERCISE":
        return "organisation" if org else "participant" if place and via == "group" else None if person else "location"
    if t in {"MEMBERSHIP", "FOUNDING"}:
        return "organisation" if org else "actor"
    if t == "AGREEMENT":
        return None if place and via != "group" else "participant"
    if t == "COOPERATION":
        return "participant"
    if t == "ATTACK":
        return "location" if place else "actor"
    if t == "ARREST":
        return "target" if person or (org and via) else "location" if place else "actor"
    if t == "LAUNCH":
        return None if place and via != "group" else "actor"
    return "actor"  # VISIT, CONDEMNATION, PRAISE


def _collect_arguments(art: _Article, events: list[_Event], anchors: dict[int, list[tuple[_Event, str]]]) -> None:
    for index, ent in enumerate(art.entities):
        span = art.index.spans[index]
        for att in _attach(art, anchors, index):
            rel = _relation(att, ent.start)
            if rel is None:
                continue
            event = att.event
            if event.nested is not None and rel in {"AGAINST", "AT", "AT_NESTED"}:
                # « a condamné l'attentat ... contre une salle de concert de Krasnogorsk »: the
                # parser hangs the attack's phrases on the verb; a condemnation has no location
                event = event.nested
            role = _role(event, rel, ent.label, att.via, att.kind)
            if role == "location" and rel == "SUBJ" and event.host and ent.canonical in country_names():
                role = "participant"  # « Le Maroc a accueilli la réunion »: the host country takes part in it
            if (
                role == "counterpart"
                and rel == "AT"
                and ent.label in {"GPE", "LOC"}
                and ent.canonical not in country_names()
            ):
                role = "location"  # « a remis mercredi à Nouadhibou un patrouilleur »: a town receives nothing
            # « a annoncé l'arrestation à Kaliningrad de... »: right after the noun, it is the noun's
            right_after = span is not None and 0 < span.start - event.trigger.i <= 2
            if role is None and att.kind == "report" and rel == "AT" and right_after and ent.label in {"GPE", "LOC"}:
                role = "location"
            if role is not None:
                event.raw.append((role, index, rel))
    for event in events:
        _subject_fallback(art, event)
        _conjoined_subject(art, event)
        # a report verb's subject only stands in when the noun names no actor of its own
        if event.report is not None and any(r[0] == "actor" and r[2] == "OF" for r in event.raw):
            event.raw = [r for r in event.raw if not (r[0] == "actor" and r[2] == "SUBJ")]
    for event in events:
        _borrow_from_outer(events, event)
        if event.type == "MEMBERSHIP" and not _has_role(event, "organisation"):
            _member_of(art, event)
    _inserted_participles(art, events)
    _resolve_referring_subjects(art, events)
    _outcomes_of_operations(events)
    _arrests_of_operations(art, events)
    _bodies_referred_to(art, events)
    _gatherings_of_acts(art, events)


# « Une opération conjointe menée par la DGST et la Police nationale a permis le démantèlement
# d'une cellule »: what an operation made possible was done by those who led it.
_OUTCOME_VERBS = _words("permettre aboutir conduire déboucher")


def _outcomes_of_operations(events: list[_Event]) -> None:
    by_trigger = {e.trigger.i: e for e in events}
    for event in events:
        if event.type not in {"ARREST", "ATTACK", "FOUNDING", "LAUNCH", "AGREEMENT"}:
            continue
        verb = event.trigger.head
        if event.trigger.dep_ not in {"obj", "obl:arg"} or _lemma(verb) not in _OUTCOME_VERBS:
            continue
        cause = next((by_trigger[c.i] for c in verb.children if c.dep_ == "nsubj" and c.i in by_trigger), None)
        if cause is None or cause is event or _has_role(event, "actor"):
            continue
        for role, index, _rel in list(cause.raw):
            if role in {"actor", "participant"} and not any(r[1] == index for r in event.raw):
                event.raw.append(("actor", index, "CAUSE"))


def _arrests_of_operations(art: _Article, events: list[_Event]) -> None:
    """« Quatorze personnes ont été arrêtées mardi… L'opération, menée conjointement par la Police
    d'État et la Guardia di Finanza, … »: arrests told without their agent were made by those who
    led the operation the same or the next sentence tells."""
    operations = [e for e in events if e.type == "COOPERATION" and e.lemma == "opération"]
    for event in events:
        if event.type != "ARREST" or _has_role(event, "actor"):
            continue
        sentence = _sentence_start(event.trigger)
        for operation in operations:
            gap = _sentence_index(art, operation.trigger) - _sentence_index(art, event.trigger)
            if gap not in {0, 1} or (gap == 0 and sentence != _sentence_start(operation.trigger)):
                continue
            leaders = [r for r in operation.raw if r[0] in {"actor", "participant"} and r[2] == "AGENT"]
            for _role_name, index, _rel in leaders:
                if not any(r[1] == index for r in event.raw):
                    event.raw.append(("actor", index, "OPERATION"))
            if leaders:
                break


# Nouns that stand for a body named before (« l'organisation », « l'alliance », « la force »).
_GENERIC_BODY_NOUNS = _words("organisation alliance coalition force confédération communauté union institution")


def _generic_body(tok: Token) -> bool:
    """« l'organisation », « cette alliance »: a definite generic noun with no name of its own."""
    if _lemma(tok) not in _GENERIC_BODY_NOUNS or tok.text[:1].isupper():
        return False
    if any(c.dep_ in {"nmod", "amod", "appos", "flat:name"} for c in tok.children):
        return False  # « l'organisation ouest-africaine », « la force conjointe du G5 Sahel »: described
    return any(c.dep_ == "det" and c.lower_ in _DEFINITE | _DEMONSTRATIVES for c in tok.children)


def _generic_body_before_comma(art: _Article, tok: Token) -> Token | None:
    k = tok.i - 1
    if k < 1 or art.doc[k].text != ",":
        return None
    return art.doc[k - 1] if _generic_body(art.doc[k - 1]) else None


def _body_antecedent(art: _Article, noun: Token) -> int | None:
    """The organisation named last before ``noun`` in the last few sentences (not a ministry)."""
    first = art.doc[_window_start(art, noun)].idx
    found = None
    for index, entity in enumerate(art.entities):
        if entity.label != "ORG" or entity.start < first or entity.end > noun.idx:
            continue
        if entity.canonical.lower().startswith(("ministère", "gouvernement")):
            continue
        if found is None or entity.start > art.entities[found].start:
            found = index
    return found


def _bodies_referred_to(art: _Article, events: list[_Event]) -> None:
    """« son retrait de l'organisation, créée en février 2014 »: the body a founding or a membership
    names by a generic noun is the organisation named last before it."""
    for event in events:
        if event.type not in {"FOUNDING", "MEMBERSHIP"} or _has_role(event, "organisation"):
            continue
        if event.type == "FOUNDING":
            noun = _generic_body_before_comma(art, event.trigger) if _inserted(event.trigger) else None
        else:
            noun = next((c for c in event.trigger.children if _case_of(c) == "de" and _generic_body(c)), None)
        index = _body_antecedent(art, noun) if noun is not None else None
        if index is not None and not any(r[1] == index for r in event.raw):
            event.raw.append(("organisation", index, "REFER"))


def _fronted_participle_subject(verb: Token) -> Token | None:
    """The subject a sentence-opening participle is said of (« Créée en 2015, l'Alliance… »)."""
    if "Part" not in verb.morph.get("VerbForm") or verb.i != _sentence_start(verb) or verb.head is verb:
        return None
    main = verb.head
    if main.pos_ not in {"VERB", "AUX"}:
        return None
    return next((c for c in main.children if c.dep_ in {"nsubj", "nsubj:pass"} and c.i > verb.i), None)


_OCCASION_NOUNS = _words("issue cours marge occasion lors cadre")


def _gatherings_of_acts(art: _Article, events: list[_Event]) -> None:
    """« La Mauritanie a rejoint l'Initiative d'Accra lors d'une réunion ministérielle extraordinaire »:
    a meeting that names nobody, at which a body took a decision, is a meeting of that body."""
    by_token = {}
    for other in events:
        by_token.setdefault(other.trigger.i, other)
        if other.verb is not None:
            by_token.setdefault(other.verb.i, other)
    for event in events:
        if event.type != "MEETING" or event.kind != "noun" or {r[0] for r in event.raw} & _TAKING_PART:
            continue
        head = event.trigger.head
        for _ in range(3):
            if head.pos_ in {"VERB", "AUX"} or _lemma(head) not in _OCCASION_NOUNS or head.i == head.head.i:
                break
            head = head.head
        act = by_token.get(head.i) if head.pos_ in {"VERB", "AUX"} else None
        if act is None or act is event:
            continue
        for role, index, _rel in list(act.raw):
            if role == "organisation" and not any(r[1] == index for r in event.raw):
                event.raw.append(("organisation", index, "OCCASION"))


def _sentence_index(art: _Article, tok: Token) -> int:
    return next((k for k, sent in enumerate(art.doc.sents) if sent.start <= tok.i < sent.end), -1)


# -- 3b. subjects that refer back ------------------------------------------------------------------

# « les deux ministres », « les deux pays », « les deux parties »: a plural subject standing for
# the participants of the event just reported, of the family the noun names.
_PLURAL_PEOPLE = _words("ministre responsable dirigeant chef président homologue délégation officiel homme")
_PLURAL_STATES = _words("pays état etat capitale gouvernement nation")
_PLURAL_ANY = _words("partie signataire partenaire voisin allié")
_SINGULAR_PRONOUNS = _words("il elle")
_NUMBERS = {"deux": 2, "trois": 3, "quatre": 4, "2": 2, "3": 3, "4": 4}
_PLURAL_PRONOUNS = _words("ils elles")
# How far back an antecedent may be, in sentences: news repeats a name rather than reach further.
_COREFERENCE_SENTENCES = 3


def _subject_token(pred: Token) -> Token | None:
    for child in pred.children:
        if child.dep_ in {"nsubj", "nsubj:pass"}:
            return child
    if pred.dep_ in {"xcomp", "conj", "advcl"}:
        outer = _enclosing_verb(pred)
        if outer is not None and outer.i != pred.i:
            return next((c for c in outer.children if c.dep_ in {"nsubj", "nsubj:pass"}), None)
    return None


def _plural_family(art: _Article, subject: Token) -> str | None:
    """ "PER", "GPE" or "ANY" when ``subject`` is « ils » or « les (deux) ministres / pays / parties »."""
    if subject.lower_ in _PLURAL_PRONOUNS:
        return "ANY"
    if subject.pos_ != "NOUN" or subject.morph.get("Number") != ["Plur"]:
        return None
    if not any(c.dep_ == "det" and c.lower_ in {"les", "ces"} for c in subject.children):
        return None
    if any(
        art.entity_at(t) != -1
        for c in subject.children
        if c.dep_ in {"nmod", "acl", "appos", "conj"}
        for t in c.subtree
    ):
        return None  # « les ministres de l'Intérieur de France et du Maroc »: they are named
    # (« les trois chefs d'État », « les ministres de l'Intérieur » name no one)
    forms = {_lemma(subject), subject.lower_[:-1] if subject.lower_.endswith("s") else subject.lower_}
    if forms & _PLURAL_PEOPLE:  # (the lemmatizer turns « parties » into « party »)
        return "PER"
    if forms & _PLURAL_STATES:
        return "GPE"
    return "ANY" if forms & _PLURAL_ANY else None


def _in_family(label: str, family: str) -> bool:
    if family == "PER":
        return label == "PER"
    if family == "GPE":
        return label in {"GPE", "ORG"}
    return label in {"PER", "ORG", "GPE"}


def _window_start(art: _Article, tok: Token) -> int:
    start = _sentence_start(tok)
    for _ in range(_COREFERENCE_SENTENCES - 1):
        if start == 0:
            break
        start = _sentence_start(art.doc[start - 1])
    return start


def _masculine_name(art: _Article, span: Span) -> bool:
    before = art.doc[span.start - 1] if span.start > 0 else None
    return before is not None and before.lower_ in {"le", "du", "au"}


def _singular_antecedent(art: _Article, pronoun: Token) -> int | None:
    """The nearest named subject before « il » / « elle »: the person (or body) the text is about."""
    first = art.doc[_window_start(art, pronoun)].idx
    for index in range(len(art.entities) - 1, -1, -1):
        ent = art.entities[index]
        if ent.start >= pronoun.idx or ent.start < first or ent.label not in {"PER", "ORG", "GPE"}:
            continue
        span = art.index.spans[index]
        if span is None:
            continue
        if pronoun.lower_ == "il" and ent.label != "PER" and not _masculine_name(art, span):
            continue  # « il » is a man, or a body or country named « le … » (« Le Niger … Il a rejoint »)
        start = _start_token(art, index, span)
        if start.dep_ in {"flat:name", "appos"}:
            start = start.head  # « Cheikh Saif »: the honorific heads the name
        if start.dep_ in {"nsubj", "nsubj:pass"}:
            return index
    return None


def _plural_antecedents(
    art: _Article, events: list[_Event], subject: Token, family: str, event: _Event | None = None
) -> list[int]:
    """The participants of the last event reported before ``subject``, when it has two or more of the family.

    ``event``, the one whose subject this is, then remembers that earlier event: « Les deux
    hommes ont signé… » right after the meeting happens at that meeting, on its day."""
    first = _window_start(art, subject)
    for other in sorted(events, key=lambda e: e.trigger.i, reverse=True):
        if other.trigger.i >= subject.i or other.trigger.i < first:
            continue
        found = _taking_part(art, other, family)
        if len(found) >= 2:
            if event is not None:
                event.occasion = other
            return found
    # « les deux ministres », « les gouvernements des trois pays » with no such event just before:
    # the earlier event with that many of them, else the last two (three…) of the family named
    count = _count_of(subject)
    if count is None:
        # « Les ministres de la Défense de l'OTAN se sont réunis jeudi… Les ministres ont lancé à cette
        # occasion une mission »: people named only by the body they met in act for that body
        for other in sorted(events, key=lambda e: e.trigger.i, reverse=True):
            if family != "PER" or other.type not in _GATHERINGS or not first <= other.trigger.i < subject.i:
                continue
            bodies = list(dict.fromkeys(i for role, i, _rel in other.raw if role == "organisation"))
            if bodies:
                if event is not None:
                    event.occasion = other
                return [i for i in bodies if art.entities[i].label == "ORG"]
        return []
    for other in sorted(events, key=lambda e: e.trigger.i, reverse=True):
        if other.trigger.i < subject.i and len(found := _taking_part(art, other, family)) == count:
            return found
    named: list[int] = []
    groups: set[int] = set()
    start = art.doc[first].idx
    for index in range(len(art.entities) - 1, -1, -1):
        ent = art.entities[index]
        if start <= ent.start < subject.idx and _in_family(ent.label, family) and ent.group not in groups:
            groups.add(ent.group)
            named.append(index)
    return named[:count] if len(named) >= count else []


def _taking_part(art: _Article, event: _Event, family: str) -> list[int]:
    """The entities of ``family`` that act in, take part in or receive ``event``, one per entity."""
    found: dict[int, int] = {}  # group -> first index
    for role, index, _rel in event.raw:
        ent = art.entities[index]
        if role in {"actor", "participant", "counterpart"} and _in_family(ent.label, family):
            found.setdefault(ent.group, index)
    return list(found.values())


def _count_of(subject: Token) -> int | None:
    """3 for « les trois ministres » and « les gouvernements des trois pays »."""
    for tok in (subject, *(c for c in subject.children if c.dep_ == "nmod" and _case_of(c) == "de")):
        count = next((_NUMBERS.get(c.lower_) for c in tok.children if c.dep_ == "nummod"), None)
        if count is not None:
            return count
    return None


def _plural_subject_before(art: _Article, pronoun: Token) -> Token | None:
    """The subject « ils » continues: « les trois ministres » heading the sentence just before."""
    start = _sentence_start(pronoun)
    if start == 0:
        return None
    previous = _sentence_start(art.doc[start - 1])
    for tok in art.doc[previous:start]:
        if tok.dep_ == "nsubj" and tok.pos_ == "NOUN" and _plural_family(art, tok) is not None:
            return tok
    return None


def _title_holder(art: _Article, subject: Token) -> int | None:
    """« le président sénégalais » after « Le président sénégalais Bassirou Diomaye Faye »: the one
    person named before with that title for that country (not merely the last man named)."""
    countries = {nationality(c.text) for c in subject.children if c.dep_ == "amod"} - {None}
    if not countries:
        return None
    lemma = _lemma(subject)
    holders = {
        art.entities[role.holder].group: role.holder
        for role in art.roles
        if role.holder is not None
        and role.start < subject.idx
        and role.role.split()[0].lower() == lemma
        and role.of_name in countries
    }
    return next(iter(holders.values())) if len(holders) == 1 else None


def _unnamed_title(art: _Article, subject: Token) -> str | None:
    """« le Souverain », « le responsable émirati »: "one" person named before.

    « le Souverain et son hôte »: "several".
    """
    if _lemma(subject) not in PERSON_NOUNS or subject.morph.get("Number") == ["Plur"]:
        return None
    if any(art.entity_at(t) != -1 for t in subject.subtree) or subject.i in art.holder_at:
        return None  # « le ministre Laftit », « le président de la Mauritanie »: named or qualified
    if not any(c.dep_ == "det" and c.lower_ in {"le", "la", "l'", "l’", "ce", "cette"} for c in subject.children):
        return None
    if any(c.dep_ in {"nmod", "appos", "acl", "acl:relcl"} for c in subject.children):
        return None
    others = [c for c in subject.children if c.dep_ == "conj" and _lemma(c) in PERSON_NOUNS | {"hôte", "invité"}]
    return "several" if others else "one"


def _resolve_referring_subjects(art: _Article, events: list[_Event]) -> None:
    """« Il s'est entretenu avec… », « les deux ministres ont signé… »: give the event the subject it refers to.

    Only for an event whose own clause names no subject: a singular pronoun takes the nearest
    named subject of the last few sentences; a plural one (or « les deux ministres / pays ») the
    participants of the event reported just before. Lower confidence than a named subject.
    """
    for event in sorted(events, key=lambda e: e.trigger.i):
        pred = event.verb if event.verb is not None else (event.trigger if event.kind == "verb" else None)
        if pred is None and event.kind == "noun":
            # « le mémorandum d'entente signé par les deux ministres »: the participle said of the noun
            pred = next(
                (c for c in event.trigger.children if c.dep_ == "acl" and VERB_TRIGGERS.get(_lemma(c)) == event.type),
                None,
            )
        if pred is None or any(r[2] in {"SUBJ", "AGENT", "PASS"} for r in event.raw):
            continue
        subject = _subject_token(pred)
        if subject is None and event.kind == "noun":
            subject = next((c for c in pred.children if c.dep_ == "obl:agent"), None)
        if subject is None:
            continue
        rel = {"nsubj:pass": "PASS", "obl:agent": "AGENT"}.get(subject.dep_, "SUBJ")
        title = _unnamed_title(art, subject)
        if subject.lower_ in _SINGULAR_PRONOUNS or title == "one":
            antecedent = _title_holder(art, subject) if title == "one" else None
            if antecedent is None:
                antecedent = _singular_antecedent(art, subject)
            found = [antecedent] if antecedent is not None else []
        elif title == "several":
            found = _plural_antecedents(art, events, subject, "PER", event)
        elif (family := _plural_family(art, subject)) is not None:
            said = _plural_subject_before(art, subject) if subject.lower_ in _PLURAL_PRONOUNS else None
            if said is not None:
                # « Les trois ministres ont recommandé… Dans leur communiqué, ils ont condamné… »
                subject, family = said, _plural_family(art, said) or family
            found = _plural_antecedents(art, events, subject, family, event)
        else:
            continue
        if title != "one" and subject.lower_ not in _SINGULAR_PRONOUNS and event.occasion is None:
            # « Les deux hommes ont signé… » after « a reçu lundi … »: at that meeting, on its day
            first = _window_start(art, subject)
            # (dates come later); an occasion people gather at, not « l'AES, créée le 16 septembre »
            before = [e for e in events if first <= e.trigger.i < subject.i and e.type in _GATHERINGS]
            event.occasion = max(before, key=lambda e: e.trigger.i, default=None)
        for index in found:
            role = _role(event, rel, art.entities[index].label, "", "verb")
            if role is not None and not any(r[1] == index for r in event.raw):
                event.raw.append((role, index, rel))
                event.referred = True


def _member_of(art: _Article, event: _Event) -> None:
    """« Membre de l'OTAN depuis son adhésion en 2004, ... »: the body the sentence says it is a member of."""
    sentence = art.doc[_sentence_start(event.trigger) : _sentence_end(event.trigger)]
    for tok in sentence:
        if _lemma(tok) != "membre":
            continue
        for child in tok.children:
            index = art.entity_at(child)
            if index != -1 and _case_of(child) == "de" and art.entities[index].label == "ORG":
                event.raw.append(("organisation", index, "MEMBER"))
                return


def _borrow_from_outer(events: list[_Event], event: _Event) -> None:
    """Conjoined verbs share their place; a condemnation targets whoever carried out the attack."""
    if event.nested is not None and event.nested.type == "ATTACK" and not _has_role(event, "target"):
        for role, index, rel in event.nested.raw:
            if role == "actor" and rel in {"OF", "AGENT", "SUBJ"}:
                event.raw.append(("target", index, "NESTED"))
    pred = event.verb if event.kind == "verb" else None
    if pred is None:
        return
    outer = _outer_event(events, event)
    if outer is None:
        return
    if _coordinated(pred) and not _has_role(event, "location"):
        event.raw.extend(r for r in outer.raw if r[0] == "location")
    # « ..., où il a rencontré X »: the pronoun is the outer clause's subject
    pronoun = any(c.dep_ == "nsubj" and c.lower_ in _SUBJECT_PRONOUNS for c in pred.children)
    if pronoun and not any(r[2] in {"SUBJ", "AGENT"} for r in event.raw):
        event.raw.extend(r for r in outer.raw if r[0] in {"actor", "participant"} and r[2] in {"SUBJ", "AGENT"})


def _outer_event(events: list[_Event], event: _Event) -> _Event | None:
    """The event whose clause a relative, adverbial or conjoined clause hangs from."""
    pred = event.verb if event.kind == "verb" and event.verb is not None else event.trigger
    coordinated = event.kind == "verb" and _coordinated(pred)
    if pred.dep_ not in {"conj", "acl:relcl", "advcl", "parataxis", "xcomp"} and not coordinated:
        return None
    anchored = {}
    for other in events:
        if other is not event:
            anchored.setdefault(other.trigger.i, other)
            if other.verb is not None:
                anchored.setdefault(other.verb.i, other)
    head = pred.head
    for _ in range(6):
        if head.i in anchored:
            return anchored[head.i]
        if head.i == head.head.i:
            break
        head = head.head
    if pred.dep_ in {"conj", "acl:relcl"} or coordinated:
        # the parser hung the clause on a noun of a broken-up sentence: the verb event before it
        start = _sentence_start(pred)
        earlier = [e for e in events if e is not event and e.kind == "verb" and start <= e.trigger.i < pred.i]
        return earlier[-1] if earlier else None
    return None


def _has_role(event: _Event, role: str) -> bool:
    return any(r[0] == role for r in event.raw)


def _entity_before_comma(art: _Article, tok: Token) -> int | None:
    """« l'Alliance des États du Sahel (AES), créée… », « Afripol, créé en 2014… »: the name the comma follows."""
    doc = art.doc
    k = tok.i - 1
    if k < 0 or doc[k].text != ",":
        return None
    k -= 1
    if k >= 2 and doc[k].text == ")" and doc[k - 2].text == "(":
        k -= 3  # a parenthesised acronym of the same name
    if k < 0:
        return None
    index = art.entity_at(doc[k])
    return index if index != -1 else None


def _inserted_participles(art: _Article, events: list[_Event]) -> None:
    """A name, then a participle clause between commas (« Afripol, créé en 2014 à Alger, a signé… »).

    The parser hangs the participle on the main verb and leaves the name alone: the name is
    what the participle says (what was created) and the main verb's subject.
    """
    for event in events:
        if event.kind != "verb":
            continue
        pred = event.trigger
        participles = [pred] if _inserted(pred) else []
        participles += [c for c in pred.children if c.i < pred.i and _inserted(c)]
        for participle in participles:
            index = _entity_before_comma(art, participle)
            if index is None or any(r[1] == index for r in event.raw):
                continue
            label = art.entities[index].label
            if participle is pred:
                role = _role(event, "PASS", label, "", "verb")
                rel = "PASS"
            elif not any(r[2] in {"SUBJ", "AGENT"} for r in event.raw) and _subject_token(pred) is None:
                role, rel = _role(event, "SUBJ", label, "", "verb"), "SUBJ"
            else:
                continue
            if role is not None:
                event.raw.append((role, index, rel))


def _inserted(tok: Token) -> bool:
    return "Part" in tok.morph.get("VerbForm") and tok.dep_ in {"advcl", "acl", "conj"} and tok.i > 0


def _subject_fallback(art: _Article, event: _Event) -> None:
    """« Rabat et Madrid ont créé... » parsed without a subject: the names right before the verb."""
    pred = event.verb
    if pred is None or any(r[2] in {"SUBJ", "AGENT"} for r in event.raw):
        return
    if _inserted(pred) and _lemma(pred) not in {"réunir", "retrouver", "entretenir", "rendre"}:
        return  # « Afripol, créé en 2014 »: the name before the comma is what was done, not who did it
    if pred.dep_ == "xcomp":  # « Rome et Tunis ont convenu de renforcer leur coopération »
        pred = _enclosing_verb(pred) or pred
    if any(c.dep_.startswith("nsubj") for c in pred.children) or pred.dep_ in {"acl", "acl:relcl", "conj"}:
        return
    doc = art.doc
    first = _sentence_start(pred)
    k = pred.i - 1
    while k >= first and (doc[k].dep_.startswith("aux") or doc[k].lower_ in _REFLEXIVE or doc[k].pos_ == "ADV"):
        k -= 1
    found: list[int] = []
    while k >= first:
        tok = doc[k]
        index = art.entity_at(tok)
        if index != -1:
            span = art.index.spans[index]
            assert span is not None
            if art.entity_case(index, span.root) is not None:
                break
            if index not in found:
                found.append(index)
            k = span.start - 1
            continue
        if tok.pos_ in {"DET", "CCONJ"} or tok.text == ",":
            k -= 1
            continue
        break
    for index in reversed(found):
        role = _role(event, "SUBJ", art.entities[index].label, "", "verb")
        if role is not None:
            event.raw.append((role, index, "SUBJ"))


def _conjoined_subject(art: _Article, event: _Event) -> None:
    """« Les Émirats arabes unis et le Maroc ont conclu… » parsed as « Émirats » (root) + « conclu »
    (its conjunct) with « Maroc » alone as subject: the first name is a subject too."""
    pred = event.verb
    if pred is None or pred.dep_ != "conj" or pred.head.i > pred.i:
        return
    subjects = [c for c in pred.children if c.dep_ == "nsubj"]
    if not subjects or not any(c.dep_ == "cc" and c.i < subjects[0].i for c in pred.children):
        return  # the « et » must open the subject: « X et le Maroc ont conclu »
    index = art.entity_at(pred.head)
    if index == -1 or any(r[1] == index for r in event.raw):
        return
    if any(r[2] == "SUBJ" for r in event.raw):
        role = _role(event, "SUBJ", art.entities[index].label, "", "verb")
        if role is not None:
            event.raw.append((role, index, "SUBJ"))


_SENTENCE_END = {".", "!", "?", "…", ";"}


def _sentence_start(tok: Token) -> int:
    """Start of ``tok``'s sentence, gluing back fragments the parser split off (« Rabat et Madrid | ont créé »)."""
    start = tok.sent.start
    while start > 0 and not _breaks_after(tok.doc[start - 1]):
        start = tok.doc[start - 1].sent.start
    return start


def _breaks_after(tok: Token) -> bool:
    """A sentence cannot go on after ``tok``: final punctuation or a line break (« \\n\\n » is a token)."""
    return tok.text in _SENTENCE_END or "\n" in tok.whitespace_ or (tok.is_space and "\n" in tok.text)


def _sentence_end(tok: Token) -> int:
    end = tok.sent.end
    doc = tok.doc
    while end < len(doc) and not _breaks_after(doc[end - 1]):
        end = doc[end].sent.end
    return end


def _final_arguments(art: _Article, event: _Event) -> tuple[EventArgument, ...]:
    raw = event.raw
    subjects = [r for r in raw if r[0] == "actor" and r[2] in {"SUBJ", "AGENT"}]
    participants_from_subject = event.type in SYMMETRIC and len({art.entities[r[1]].group for r in subjects}) >= 2
    if event.verb is not None and _lemma(event.verb) == "participer":
        participants_from_subject = True
    chosen: dict[tuple[str, int], EventArgument] = {}
    seen_groups: dict[int, str] = {}
    for role, index, rel in sorted(raw, key=lambda r: (_ROLE_ORDER.index(r[0]), art.entities[r[1]].start)):
        if role == "actor" and participants_from_subject and rel in {"SUBJ", "AGENT"}:
            role = "participant"
        group = art.entities[index].group
        if group in seen_groups:
            continue  # one role per entity; the DGSN of « ... (DGSN) » is the same actor
        seen_groups[group] = role
        chosen[(role, group)] = EventArgument(role=role, entity=index)
    locations = [a for a in chosen.values() if a.role == "location"]
    if len(locations) > 2:
        keep = {a.entity for a in locations[:2]}
        chosen = {k: a for k, a in chosen.items() if a.role != "location" or a.entity in keep}
    return tuple(sorted(chosen.values(), key=lambda a: (_ROLE_ORDER.index(a.role), art.entities[a.entity].start)))


_TAKING_PART = frozenset({"actor", "participant", "counterpart", "target", "organisation"})
_PLACE_CASES = frozenset({"à", "en", "dans", "sur", "vers", "chez", "près"})
# What hangs on a clause without being part of what it tells (« …, a annoncé le parquet fédéral »).
_ASIDE_DEPS = frozenset({"parataxis", "punct", "advcl", "acl:relcl", "ccomp", "conj"})


def _clause_participants(
    art: _Article, event: _Event, arguments: tuple[EventArgument, ...], triggers: set[int]
) -> tuple[EventArgument, ...]:
    """Who an event kept with no one attached takes part in, read off its clause: the people, bodies
    and countries the clause names that are not where it happens (« Le Burkina Faso et le Niger,
    partenaires du Mali au sein de l'AES, ont également condamné une « attaque lâche » » when the
    parse leaves the subject unattached). Never a city or a place after « à », « en », « dans »."""
    head = event.verb if event.kind == "noun" and event.verb is not None else event.trigger
    start, end = _sentence_start(head), _sentence_end(head)
    found: list[int] = []

    def visit(tok: Token, placed: bool) -> None:
        # ``placed``: inside a phrase that says where (« dans le nord du Burkina Faso »)
        placed = placed or _case_of(tok) in _PLACE_CASES
        index = art.entity_at(tok)
        if index != -1 and index not in found:
            ent, span = art.entities[index], art.index.spans[index]
            place = ent.label in {"GPE", "LOC"} and (placed or ent.canonical not in country_names())
            case = art.entity_case(index, span.root) if span is not None else None
            # « l'exercice conjoint Sahel Shield »: the event's own name takes no part in it
            named = span is not None and span.root.head.i == event.trigger.i and case is None
            if ent.label in {"PER", "ORG", "GPE"} and not (place or named) and start <= tok.i < end:
                found.append(index)
        for child in tok.children:
            if child.i in triggers and child.i != event.trigger.i:
                continue  # « a condamné l'attaque … contre le camp de Djibo »: the other event's
            if child.dep_ not in _ASIDE_DEPS or child.i == event.trigger.i:
                visit(child, placed)

    visit(head, False)
    # what already has a role (its places, even those left out of the arguments) has no other
    groups = {art.entities[a.entity].group for a in arguments} | {art.entities[r[1]].group for r in event.raw}
    out = []
    for index in sorted(found, key=lambda i: art.entities[i].start):
        if art.entities[index].group not in groups:
            groups.add(art.entities[index].group)
            out.append(EventArgument(role="participant", entity=index))
    return tuple(out)


# -- 4. dates ---------------------------------------------------------------------------------------


def _assign_dates(art: _Article, events: list[_Event], anchors: dict[int, list[tuple[_Event, str]]]) -> None:
    owned: dict[int, list[int]] = {}
    for d_index, span in enumerate(art.date_spans):
        if span is None:
            continue
        bound = " ".join(t.lower_ for t in art.doc[max(0, span.start - 2) : span.start])
        if "jusqu" in bound or "d'ici" in bound or "d’ici" in bound:
            continue  # « la conférence, qui se poursuit jusqu'à jeudi »: when it ends, not when it took place
        before = art.doc[span.start - 1] if span.start > 0 else None
        if (
            before is not None
            and before.dep_ in {"acl", "amod"}
            and "Part" in before.morph.get("VerbForm")
            and (dated := [e for e, k in anchors.get(before.head.i, []) if k == "noun"])
        ):
            # « l'attaque perpétrée le 26 novembre » with the date hung on the main verb: the
            # participle right before it dates the event it is said of
            for event in dated:
                owned.setdefault(id(event), []).append((False, d_index))
            continue
        tok = span.root
        for _ in range(10):
            head = tok.head
            if head.i == tok.i:
                break
            real = [(e, k) for e, k in anchors.get(head.i, []) if k not in _VIRTUAL]
            if real:
                for event, kind in real:
                    # a date of the clause a noun merely sits in comes after the noun's own
                    owned.setdefault(id(event), []).append((kind == "host", d_index))
                break
            if head.pos_ in {"VERB", "AUX"} and not art.transparent(head):
                if (said_of := _fronted_participle_subject(head)) is not None and (
                    dated := [e for e, k in anchors.get(said_of.i, []) if k == "noun"]
                ):
                    # « Lancé lundi à Nouadhibou, l'exercice naval conjoint est entré… »: the
                    # participle tells when the event its sentence is about began
                    for event in dated:
                        owned.setdefault(id(event), []).append((False, d_index))
                    break
                if head.dep_ == "acl" and _lemma(head.head) in _STATEMENT_NOUNS:
                    # « Dans un communiqué publié mardi soir, l'UA a condamné… »: said that day
                    tok = head
                    continue
                break  # a date of another clause
            tok = head
    for event in events:
        candidates = owned.get(id(event), [])
        if candidates:
            distance = {d: abs(art.dates[d].start - event.trigger.idx) for _, d in candidates}
            event.date = min(candidates, key=lambda c: (c[0], distance[c[1]]))[1]
    for event in sorted(events, key=lambda e: e.trigger.i):
        if event.date is not None:
            continue
        outer = _outer_event(events, event)
        if outer is not None and outer.date is not None:
            event.date = outer.date
            event.inherited_date = True
            continue
        previous = _occasion_event(art, events, event)
        occasion = event.occasion
        if (
            previous is None
            and occasion is not None
            and occasion.date is not None
            and not _is_historical(art, occasion)
            and not _pluperfect(event.verb or event.trigger)
        ):
            previous = occasion
        if previous is not None:
            event.date = previous.date
            event.inherited_date = True


def _pluperfect(verb: Token) -> bool:
    """« s'étaient entretenus », « avait signé »: told as earlier than the story, not at its occasion."""
    return any(c.dep_.startswith("aux") and "Imp" in c.morph.get("Tense") for c in verb.children)


# « À l'issue de l'entretien, ... », « à cette occasion », « en marge de la réunion »: the clause
# happens at the event just reported, and on its day.
_OCCASION = re.compile(
    r"(?:à l['’]issue d|à cette occasion|à l['’]occasion d|en marge d|au terme d|au cours d|lors d|à la sortie d)",
    re.IGNORECASE,
)


def _occasion_event(art: _Article, events: list[_Event], event: _Event) -> _Event | None:
    first = art.doc[_sentence_start(event.trigger)]
    if not _OCCASION.match(art.text, first.idx) or event.trigger.idx < first.idx:
        return None
    before = [e for e in events if e.trigger.i < first.i and not _is_historical(art, e)]
    occasion = max(before, key=lambda e: e.trigger.i, default=None)
    # the event just told is the occasion, dated or not (then, like it, the clause takes the
    # dateline's day), never an older one that happens to have a date
    return occasion if occasion is not None and occasion.date is not None else None


# An article reporting a visit, a meeting, a launch or a signing tells what was said, signed and
# discussed there: an undated statement, talk or signature after it took place on its day (not on
# the day of publication). Not after an attack or an arrest: reactions to those come later.
_DECIDED_BY_THE_BODY = frozenset({"suspendre", "réintégrer", "admettre"})
WEAPON_NOUNS = _words("fusil arme char hélicoptère drone avion navire sous-marin véhicule canon")
_STATEMENT_NOUNS = _words("communiqué déclaration discours message lettre allocution tweet publication")
_GATHERINGS = frozenset({"MEETING", "VISIT", "EXERCISE"})
_STORY_OCCASIONS = frozenset({"VISIT", "MEETING", "LAUNCH", "FOUNDING", "AGREEMENT", "EXERCISE", "MEMBERSHIP"})
_SAID_AT_THE_OCCASION = frozenset({"MEETING", "PRAISE", "CONDEMNATION", "AGREEMENT"})


def _sets_the_story_day(art: _Article, event: _Event) -> bool:
    if event.type not in _STORY_OCCASIONS or event.inherited_date or event.historical or event.date is None:
        return False
    if art.dates[event.date].precision != "day" or art.date_spans[event.date] is None:
        return False
    # told by its own verb (« s'est rendu jeudi », « a effectué jeudi une visite »), not by a
    # clause hung on a noun (« une tournée … qui l'a conduit mardi en Mauritanie »)
    predicate = event.trigger if event.kind == "verb" else event.verb
    if predicate is None:
        return False
    tok = art.date_spans[event.date].root
    for _ in range(8):
        if tok.i == predicate.i:
            return True
        if tok.dep_ in {"acl", "acl:relcl"} or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _dateline(art: _Article) -> int | None:
    text = art.text
    for d_index, date in enumerate(art.dates):
        if date.start < 80 and "\n" not in text[: date.start] and _DATELINE.match(text[date.end : date.end + 20]):
            return d_index
    return None


def _upper_bound(value: str, precision: str) -> dt.date | None:
    try:
        if precision == "day":
            return dt.date.fromisoformat(value)
        if precision == "month":
            year, month = (int(x) for x in value.split("-")[:2])
            nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(int(value[:4]), 12, 31)
    except ValueError:
        return None


def _is_historical(art: _Article, event: _Event) -> bool:
    if any(c.dep_ == "case" and c.lower_ == "depuis" for c in event.trigger.children):
        return True
    now = art.published or _latest_reported(art.dates)
    if event.date is None or now is None or event.inherited_date:
        return False
    date = art.dates[event.date]
    upper = _upper_bound(date.end_value or date.value, date.precision)
    return upper is not None and upper < now - HISTORICAL_GAP


def _latest_reported(dates: list[DateSpan]) -> dt.date | None:
    """Without a publication date, the article is at least as recent as the latest day it reports
    (« réunis les 12 et 13 octobre 2022 ... L'Initiative, lancée en 2004 »: 2004 is history)."""
    days = []
    for date in dates:
        if date.precision == "day":
            try:
                days.append(dt.date.fromisoformat(date.end_value or date.value))
            except ValueError:
                continue
    return max(days, default=None)


# -- assembling -------------------------------------------------------------------------------------


def _confidence(event: _Event, arguments: tuple[EventArgument, ...]) -> float:
    roles = {a.role for a in arguments}
    score = {"verb": 0.55, "noun": 0.35}[event.kind]
    if event.kind == "noun" and (event.verb is not None or event.report is not None):
        score = 0.5
    if roles & {"actor", "participant"}:
        score += 0.15
    if roles & {"counterpart", "target", "organisation"}:
        score += 0.1
    if "location" in roles:
        score += 0.05
    if event.date is not None and not event.inherited_date:
        score += 0.05
    if event.lemma in WEAK_TRIGGERS:
        score -= 0.1
    if event.historical:
        score -= 0.05
    if event.referred:
        score -= 0.05  # the subject was found by reference, not named
    return round(min(0.95, max(0.1, score)), 2)


_BARE_VERBS_OK = {"ATTACK", "AGREEMENT", "ARREST"}
# Nouns that also name a lasting relation: an event only when a verb makes something of them now
# (« ont convenu de renforcer leur coopération »), not « destiné à renforcer la coopération ».
_RELATION_NOUNS = _words("coopération collaboration partenariat")


def _carried(event: _Event) -> bool:
    verb = event.verb or event.report
    if verb is None:
        return False
    if "Inf" in verb.morph.get("VerbForm") and _lemma(verb.head) in IRREALIS | {"destiner", "permettre"}:
        return False
    return not _irrealis(verb)


_DEFINITE = {"le", "la", "l'", "l’", "les"}


def _repeats(event: _Event) -> bool:
    """« l'attaque », « cette réunion », without a date of its own: the event told just before, again;
    also « La conférence, qui se poursuit jusqu'à jeudi, réunit… »: a verb whose subject is that noun."""
    if event.historical or (event.date is not None and not event.inherited_date):
        return False
    if event.kind == "verb":
        return any(
            c.dep_ == "nsubj"
            and NOUN_TRIGGERS.get(_lemma(c)) == event.type
            and any(d.dep_ == "det" and d.lower_ in _DEFINITE | _DEMONSTRATIVES for d in c.children)
            for c in event.trigger.children
        )
    if event.kind != "noun":
        return False
    if event.trigger.morph.get("Number") == ["Plur"] and event.lemma not in {"manœuvre", "manoeuvre"}:
        return False  # (« les manœuvres » is how one exercise is named again)
    if any(c.dep_ == "det" and c.lower_ in _DEFINITE | _DEMONSTRATIVES for c in event.trigger.children):
        return True
    # « ont condamné mercredi une “attaque lâche” »: what a reaction is about is the event told
    verb = _governing_verb(event.trigger)
    return verb is not None and VERB_TRIGGERS.get(_lemma(verb)) in {"CONDEMNATION", "PRAISE"}


def _governing_verb(tok: Token) -> Token | None:
    """The nearest verb above ``tok`` in its clause (through nouns and prepositions only)."""
    head = tok
    while head.head is not head and head.dep_ in {"obj", "nmod", "appos", "obl", "obl:mod", "obl:arg"}:
        head = head.head
        if head.pos_ == "VERB":
            return head
    return None


def _merged_arguments(
    art: _Article, first: tuple[EventArgument, ...], more: tuple[EventArgument, ...]
) -> tuple[EventArgument, ...]:
    groups = {art.entities[a.entity].group for a in first}
    extra = [a for a in more if art.entities[a.entity].group not in groups]
    return tuple(sorted((*first, *extra), key=lambda a: (_ROLE_ORDER.index(a.role), art.entities[a.entity].start)))


_SERIES_WORDS = _words(
    "répété répétée répétés répétées multiple multiples nombreux nombreuses incessant incessante "
    "incessants incessantes récurrent récurrente récurrents récurrentes fréquent fréquents fréquentes"
)


def _a_series(art: _Article, event: _Event) -> bool:
    """« des attaques répétées », « les attentats … depuis 2021 »: attacks as a series, not one told."""
    if any(c.lower_ in _SERIES_WORDS for c in event.trigger.children):
        return True
    if event.date is None or art.date_spans[event.date] is None:
        return False
    span = art.date_spans[event.date]
    return span.start > 0 and art.doc[span.start - 1].lower_ == "depuis"


def _keep(art: _Article, event: _Event, arguments: tuple[EventArgument, ...], earlier_types: set[str]) -> bool:
    """Precision first: an event nobody and nothing is attached to is kept only when it is news on its own."""
    if event.lemma in _RELATION_NOUNS and not _carried(event):
        # « la coopération entre la France et le Maroc a permis… »: a standing relation, no event
        return False
    if arguments:
        return True
    if event.kind == "verb":
        # « ont signé un mémorandum », « deux personnes ont été arrêtées »; not a bare « a salué »
        if event.type in {"CONDEMNATION", "PRAISE"} and any(
            _lemma(o) in NOUN_TRIGGERS for o in _objects(event.trigger)
        ):
            return True  # « les participants ont condamné l'attaque »: what is condemned is itself an event
        return event.type in _BARE_VERBS_OK or (event.date is not None and not event.inherited_date)
    if event.lemma in STRONG_NOUNS:
        counted = any(c.dep_ == "nummod" and c.lower_ in _NUMBERS for c in event.trigger.children)
        plural = event.trigger.morph.get("Number") == ["Plur"]
        if plural and not counted and _a_series(art, event):
            return False  # « la cible d'attaques répétées depuis 2021 »: a state of things, no one attack
        if plural and event.date is None and not counted:
            # « de telles attaques », « les attentats »: talk about attacks in general; « deux
            # attaques ont visé des postes » are two told ones
            return False
        definite = any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in event.trigger.children)
        return not (definite and event.type in earlier_types and event.date is None)  # « l'attaque » again
    if event.lemma in WEAK_TRIGGERS:
        return False
    # « ont lancé lundi l'exercice conjoint », « ont annoncé la création d'une unité spéciale »: a
    # verb that carries the noun makes it the sentence's news
    return event.verb is not None or event.report is not None


def find_events(
    doc: Doc,
    entities: list[EntitySpan],
    dates: list[DateSpan],
    published: dt.date | None,
    roles: list[RoleSpan] | None = None,
) -> list[EventSpan]:
    """Events in ``doc``; argument and date indices point into ``entities`` and ``dates``.

    ``roles`` are the document's roles when the caller has them already (else found here).
    """
    if isinstance(published, dt.datetime):
        published = published.date()  # a datetime would not compare with the dates
    _repair_parse(doc)
    art = _Article(doc, entities, dates, published, roles)
    events = _find_triggers(art)
    if not events:
        return []
    anchors = _anchors(art, events)
    _collect_arguments(art, events, anchors)
    _assign_dates(art, events, anchors)
    fallback = _dateline(art)
    out: list[EventSpan] = []
    earlier_types: set[str] = set()
    last_of_type: dict[str, int] = {}  # type -> index in ``out`` of the last event kept
    story: DateSpan | None = None  # the day of the visit or meeting the article reports
    triggers = {e.trigger.i for e in events} | {e.nested.trigger.i for e in events if e.nested is not None}
    for event in sorted(events, key=lambda e: e.trigger.i):
        arguments = _final_arguments(art, event)
        event.historical = _is_historical(art, event)
        keep = _keep(art, event, arguments, earlier_types)
        earlier_types.add(event.type)
        if _repeats(event) and event.type in last_of_type:
            # « L'attaque a été revendiquée par les shebab »: what the text adds about the event
            # it told just before goes to that event
            k = last_of_type[event.type]
            out[k] = replace(out[k], arguments=_merged_arguments(art, out[k].arguments, arguments))
            continue
        if not keep:
            continue
        if event.date is not None:
            date = art.dates[event.date]
            date_value, precision = date.value, date.precision
            if story is None and _sets_the_story_day(art, event):
                story = date
        elif event.historical:
            date_value = precision = None
        elif story is not None and event.type in _SAID_AT_THE_OCCASION and not _pluperfect(event.verb or event.trigger):
            # « a effectué jeudi une visite … a salué … ont signé »: said and done there, that day
            date_value, precision = story.value, story.precision
        elif fallback is not None:
            date_value, precision = art.dates[fallback].value, art.dates[fallback].precision
        elif published is not None:
            date_value, precision = published.isoformat(), "day"
        else:
            date_value = precision = None
        last_of_type[event.type] = len(out)
        confidence = _confidence(event, arguments)
        nobody = not {a.role for a in arguments} & _TAKING_PART
        if nobody and (guessed := _clause_participants(art, event, arguments, triggers)):
            # read off the clause, not from a relation the parse gives: less sure than either
            arguments = (*guessed, *arguments)
            confidence = round(max(0.1, confidence - 0.1), 2)
        if event.date is None:
            confidence = round(max(0.1, confidence - 0.05), 2)
        trigger = event.trigger
        sent = doc[_sentence_start(trigger) : _sentence_end(trigger)]
        out.append(
            EventSpan(
                type=event.type,
                trigger_start=trigger.idx,
                trigger_end=trigger.idx + len(trigger.text),
                trigger_text=trigger.text,
                sentence_start=sent.start_char,
                sentence_end=sent.end_char,
                arguments=arguments,
                date=event.date,
                date_value=date_value,
                date_precision=precision,
                confidence=confidence,
                historical=event.historical,
            )
        )
    return sorted(out, key=lambda e: e.trigger_start)
