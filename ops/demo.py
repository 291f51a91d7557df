"""Synthetic but realistic demo data at scale, for demonstrations and the benchmark (``generate_demo_data``).

Every fiche is drawn from its own random generator seeded with ``(seed, index)``, so a given seed gives
the same data on every machine and every run. The text is Dutch policy prose assembled from sentence
patterns and a topic per fiche (about 25 KB per fiche, like a real one), with footnote markers
``[^N]``, verdict sentences and the promises that become commitments quoted literally.

The archive's shape is kept: the ministries of each period with their successors (created when missing),
each policy field with the ministry that handled it on the fiche's date, Kamerstuk numbers of dossier 22 112
rising with the date in the real range, and commitments older than two years mostly settled.

Everything is written with ``bulk_create`` in one transaction. Rows that belong to a fiche (sections,
footnotes, documents, commitments, cofinancing) are inserted *before* the fiche itself, with fiche ids
reserved up front: PostgreSQL's foreign keys are deferred to the commit, and the search-vector trigger
on ``positions_fiche`` (migration 0002) then computes each fiche's vector once, on its insert, instead
of once per section and footnote. Nothing here knows about that trigger; the order alone makes it cheap.
"""

import datetime
import hashlib
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Max
from django.test.utils import override_settings
from django.utils import timezone

from followup.models import CommitmentAssignment, ReminderLog
from outcomes.models import Achievement, Outcome, OutcomePoint, Vote
from positions.models import (
    BatchLetter,
    CofinancingBudget,
    CofinancingPriority,
    Commitment,
    CommitmentStatusChange,
    Fiche,
    FicheSection,
    FicheStatusChange,
    FicheTemplate,
    Footnote,
    TemplateKind,
    Verdict,
)
from proposals.models import CommissionDocument, CouncilConfiguration, CouncilMeeting, DocumentRelation, Ministry

FIRST_DAY = datetime.date(2006, 1, 2)
LAST_DAY = datetime.date(2026, 10, 15)
TODAY = datetime.date(2026, 11, 26)
# Dossier 22 112 (the fiches and their batch letters) ran from about nr. 600 early in 2007 to about nr. 4,100
# by the end of 2026: each date has a first number, and numbers only go up. At the real pace (some 175 a
# year) the demo keeps to that range; a larger demo runs on past it, as numbers must stay unique.
KAMERSTUK_RANGE = ((datetime.date(2007, 1, 1), 600), (datetime.date(2026, 12, 31), 4100))

# The ministries as they were, with the successor that took over their work (a ministry split in two names
# the one that carries on its name). (code, abbreviation, name, valid from, valid until, successor code).
MINISTRY_HISTORY = [
    ("az", "AZ", "Ministerie van Algemene Zaken", None, None, None),
    ("bz", "BZ", "Ministerie van Buitenlandse Zaken", None, None, None),
    ("bzk", "BZK", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", None, None, None),
    ("def", "DEF", "Ministerie van Defensie", None, None, None),
    ("fin", "FIN", "Ministerie van Financiën", None, None, None),
    ("ocw", "OCW", "Ministerie van Onderwijs, Cultuur en Wetenschap", None, None, None),
    ("szw", "SZW", "Ministerie van Sociale Zaken en Werkgelegenheid", None, None, None),
    ("vws", "VWS", "Ministerie van Volksgezondheid, Welzijn en Sport", None, None, None),
    ("ez", "EZ", "Ministerie van Economische Zaken", "2024-07-02", None, None),
    ("kgg", "KGG", "Ministerie van Klimaat en Groene Groei", "2024-07-02", None, None),
    ("lvvn", "LVVN", "Ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur", "2024-07-02", None, None),
    ("vro", "VRO", "Ministerie van Volkshuisvesting en Ruimtelijke Ordening", "2024-07-02", None, None),
    ("aenm", "AenM", "Ministerie van Asiel en Migratie", "2024-07-02", None, None),
    ("ienw", "IenW", "Ministerie van Infrastructuur en Waterstaat", "2017-10-26", None, None),
    ("jenv", "JenV", "Ministerie van Justitie en Veiligheid", "2017-10-26", None, None),
    ("ezk", "EZK", "Ministerie van Economische Zaken en Klimaat", "2017-10-26", "2024-07-02", "ez"),
    ("lnv", "LNV", "Ministerie van Landbouw, Natuur en Voedselkwaliteit", "2017-10-26", "2024-07-02", "lvvn"),
    ("ez-2012", "EZ", "Ministerie van Economische Zaken", "2012-11-05", "2017-10-26", "ezk"),
    ("eli", "EL&I", "Ministerie van Economische Zaken, Landbouw en Innovatie", "2010-10-14", "2012-11-05", "ez-2012"),
    ("ienm", "IenM", "Ministerie van Infrastructuur en Milieu", "2010-10-14", "2017-10-26", "ienw"),
    ("venj", "VenJ", "Ministerie van Veiligheid en Justitie", "2010-10-14", "2017-10-26", "jenv"),
    ("vrom", "VROM", "Ministerie van Volkshuisvesting, Ruimtelijke Ordening en Milieubeheer", "1982-11-04", "2010-10-14", "ienm"),
    ("venw", "VenW", "Ministerie van Verkeer en Waterstaat", None, "2010-10-14", "ienm"),
    ("ez-tot-2010", "EZ", "Ministerie van Economische Zaken", None, "2010-10-14", "eli"),
    ("lnv-2003", "LNV", "Ministerie van Landbouw, Natuur en Voedselkwaliteit", "2003-05-27", "2010-10-14", "eli"),
    ("justitie", "Justitie", "Ministerie van Justitie", None, "2010-10-14", "venj"),
]

# Share of each status by the age of the fiche in days: {at most this old: weights}. Partly fulfilled counts as open.
STATUS_WEIGHTS = {
    365: [(Commitment.Status.FULFILLED, 10), (Commitment.Status.PARTLY_FULFILLED, 8), (Commitment.Status.OPEN, 82)],
    2 * 365: [(Commitment.Status.FULFILLED, 35), (Commitment.Status.PARTLY_FULFILLED, 15), (Commitment.Status.LAPSED, 8),
              (Commitment.Status.OPEN, 42)],
    5 * 365: [(Commitment.Status.FULFILLED, 62), (Commitment.Status.PARTLY_FULFILLED, 5), (Commitment.Status.LAPSED, 17),
              (Commitment.Status.WITHDRAWN, 9), (Commitment.Status.OPEN, 7)],
    100 * 365: [(Commitment.Status.FULFILLED, 68), (Commitment.Status.PARTLY_FULFILLED, 2), (Commitment.Status.LAPSED, 20),
                (Commitment.Status.WITHDRAWN, 8), (Commitment.Status.OPEN, 2)],
}

# Who handled a policy field over the years, newest first: a fiche goes to the first that existed on its date.
ECONOMY = ["ez", "ezk", "ez-2012", "eli", "ez-tot-2010"]
ENERGY = ["kgg", "ezk", "ez-2012", "eli", "ez-tot-2010"]
CLIMATE = ["kgg", "ezk", "ienm", "vrom"]
AGRICULTURE = ["lvvn", "lnv", "ez-2012", "eli", "lnv-2003"]
TRANSPORT = ["ienw", "ienm", "venw"]
ENVIRONMENT = ["ienw", "ienm", "vrom"]
JUSTICE = ["jenv", "venj", "justitie"]
MIGRATION = ["aenm", "jenv", "venj", "justitie"]
HOUSING = ["vro", "bzk", "vrom"]
DEMO_MEETING_NOTE = "Demodata: gegenereerde Raadsvergadering."
TEXT_BYTES = 21_500
BATCH_SIZE = 500

# (topic, search terms, the ministries that handled it (codes, newest first), Council configuration, cofinanced programme)
TOPICS = [
    ("kunstmatige intelligentie", ["algoritmen", "AI-modellen", "rekenkracht"], ECONOMY, "TTE", ("DIGITAL", "Digital Europe")),
    ("cyberveiligheid", ["digitale weerbaarheid", "kwetsbaarheden", "incidentmeldingen"], JUSTICE, "TTE", ("DIGITAL", "Digital Europe")),
    ("halfgeleiders", ["chips", "waferproductie", "leveringszekerheid"], ECONOMY, "COMPET", ("CHIPS", "Chips Joint Undertaking")),
    ("waterstof", ["elektrolyse", "waterstofnetten", "groene waterstof"], ENERGY, "TTE", ("CEF", "Connecting Europe Facility")),
    ("offshore wind", ["windparken op zee", "netaansluiting", "maritieme ruimte"], ENERGY, "TTE", None),
    ("kapitaalmarktunie", ["beleggingsfondsen", "effectisering", "crowdfunding"], ["fin"], "ECOFIN", None),
    ("bankenunie", ["depositogarantie", "afwikkeling", "kapitaaleisen"], ["fin"], "ECOFIN", None),
    ("btw", ["btw-tarieven", "e-facturering", "grensoverschrijdende handel"], ["fin"], "ECOFIN", None),
    ("witwasbestrijding", ["uiteindelijk belanghebbenden", "meldplicht", "toezicht op cryptoactiva"], ["fin"], "ECOFIN", None),
    ("migratiebeleid", ["asielprocedures", "terugkeer", "grensbewaking"], MIGRATION, "JHA", ("AMIF", "Asiel-, Migratie- en Integratiefonds")),
    ("strafrechtelijke samenwerking", ["Europees aanhoudingsbevel", "e-evidence", "slachtofferrechten"], JUSTICE, "JHA", None),
    ("gegevensbescherming", ["persoonsgegevens", "toezichthouders", "doorgifte"], JUSTICE, "JHA", None),
    ("arbeidsmarkt", ["platformwerk", "detachering", "minimumlonen"], ["szw"], "EPSCO", ("ESF", "Europees Sociaal Fonds+")),
    ("pensioenen", ["aanvullende pensioenen", "pensioenfondsen", "grensarbeiders"], ["szw"], "EPSCO", None),
    ("geneesmiddelen", ["geneesmiddelentekorten", "markttoelating", "antimicrobiële resistentie"], ["vws"], "EPSCO", ("EU4H", "EU4Health")),
    ("gezondheidsdata", ["Europese ruimte voor gezondheidsgegevens", "patiëntendossiers", "secundair gebruik"], ["vws"], "EPSCO", None),
    ("tabaksontmoediging", ["accijnzen op tabak", "e-sigaretten", "verpakkingseisen"], ["vws"], "EPSCO", None),
    ("luchtkwaliteit", ["fijnstof", "stikstofdioxide", "normen voor buitenlucht"], ENVIRONMENT, "ENVI", ("LIFE", "LIFE-programma")),
    ("waterkwaliteit", ["Kaderrichtlijn Water", "microverontreinigingen", "stedelijk afvalwater"], TRANSPORT, "ENVI", ("LIFE", "LIFE-programma")),
    ("circulaire economie", ["ecodesign", "verpakkingsafval", "recyclaat"], ENVIRONMENT, "ENVI", None),
    ("klimaatbeleid", ["emissiehandel", "koolstofgrensheffing", "klimaatdoelen voor 2040"], CLIMATE, "ENVI", ("INNOV", "Innovatiefonds")),
    ("natuurherstel", ["biodiversiteit", "Natura 2000", "bestuivers"], AGRICULTURE, "ENVI", None),
    ("gemeenschappelijk landbouwbeleid", ["directe betalingen", "eco-regelingen", "plattelandsontwikkeling"], AGRICULTURE, "AGRIFISH", None),
    ("visserij", ["vangstquota", "aanlandplicht", "visserijcontrole"], AGRICULTURE, "AGRIFISH", ("EMFAF", "Europees Fonds voor maritieme zaken, visserij en aquacultuur")),
    ("voedselveiligheid", ["nieuwe genomische technieken", "gewasbeschermingsmiddelen", "dierenwelzijn"], AGRICULTURE, "AGRIFISH", None),
    ("spoorvervoer", ["capaciteitstoewijzing", "interoperabiliteit", "passagiersrechten"], TRANSPORT, "TTE", ("CEF", "Connecting Europe Facility")),
    ("luchtvaart", ["luchtruim", "duurzame vliegtuigbrandstoffen", "passagiersrechten"], TRANSPORT, "TTE", None),
    ("wegvervoer", ["rij- en rusttijden", "tolheffing", "CO2-normen voor vrachtwagens"], TRANSPORT, "TTE", None),
    ("interne markt", ["wederzijdse erkenning", "markttoezicht", "noodinstrument interne markt"], ECONOMY, "COMPET", ("SMP", "Programma interne markt")),
    ("consumentenbescherming", ["digitale eerlijkheid", "productaansprakelijkheid", "geschilbeslechting"], ECONOMY, "COMPET", None),
    ("octrooien", ["eenheidsoctrooi", "standaard-essentiële octrooien", "dwanglicenties"], ECONOMY, "COMPET", None),
    ("ruimtevaart", ["satellietnavigatie", "ruimteverkeer", "aardobservatie"], ECONOMY, "COMPET", ("SPACE", "EU-ruimtevaartprogramma")),
    ("onderzoek en innovatie", ["Europese onderzoeksruimte", "valorisatie", "onderzoeksinfrastructuur"], ["ocw"], "COMPET", ("HORIZON", "Horizon Europa")),
    ("onderwijs", ["leermobiliteit", "microcredentials", "erkenning van diploma's"], ["ocw"], "EYCS", ("ERASMUS", "Erasmus+")),
    ("mediavrijheid", ["redactionele onafhankelijkheid", "publieke omroepen", "mediaconcentratie"], ["ocw"], "EYCS", None),
    ("handelsbeleid", ["handelsakkoorden", "exportcontrole", "investeringstoetsing"], ["bz"], "FAC", None),
    ("ontwikkelingssamenwerking", ["Global Gateway", "humanitaire hulp", "schuldverlichting"], ["bz"], "FAC", ("NDICI", "Global Europe")),
    ("defensiesamenwerking", ["defensie-industrie", "gezamenlijke aanschaf", "militaire mobiliteit"], ["def"], "FAC", ("EDF", "Europees Defensiefonds")),
    ("rechtsstaat", ["rechtsstaatmechanisme", "onafhankelijke rechtspraak", "corruptiebestrijding"], ["bz"], "GAC", None),
    ("cohesiebeleid", ["structuurfondsen", "regionale ontwikkeling", "partnerschapsovereenkomsten"], ["bzk"], "GAC", ("ERDF", "Europees Fonds voor Regionale Ontwikkeling")),
    ("woningmarkt", ["energieprestatie van gebouwen", "renovatiegolf", "betaalbare woningen"], HOUSING, "ENVI", None),
    ("meerjarig financieel kader", ["eigen middelen", "begrotingsflexibiliteit", "herstelfaciliteit"], ["fin"], "GAC", None),
]

ACTORS = ["de Commissie", "het kabinet", "de lidstaten", "het Europees Parlement", "de Raad", "de toezichthouders", "de uitvoeringsorganisaties",
          "het bedrijfsleven", "de medeoverheden", "maatschappelijke organisaties"]

# Sentence patterns: {topic}, {term}, {term2}, {actor}, {year}, {percent}, {amount}.
PROSE = [
    "De Commissie stelt voor om de regels op het gebied van {topic} te herzien, met bijzondere aandacht voor {term}.",
    "Volgens de Commissie schieten de huidige instrumenten voor {term} tekort om de doelen voor {year} te halen.",
    "Het voorstel bouwt voort op de evaluatie van het bestaande kader, waaruit bleek dat {actor} onvoldoende zicht hebben op {term}.",
    "De Commissie wil de samenwerking tussen {actor} versterken door een Europees netwerk voor {topic} op te richten.",
    "Daarnaast introduceert het voorstel nieuwe verplichtingen voor {actor} rond {term2}.",
    "De Commissie schat dat de maatregelen tot {year} ongeveer EUR {amount} miljoen kosten en op termijn meer opleveren.",
    "In de effectbeoordeling zijn drie beleidsopties vergeleken; de Commissie kiest voor de optie die {term} het meest direct adresseert.",
    "Het voorstel voorziet in een overgangsperiode, zodat {actor} zich kunnen voorbereiden op de nieuwe eisen voor {term2}.",
    "Nederland heeft zich in eerdere kabinetsbrieven uitgesproken voor een ambitieuze Europese aanpak van {topic}.",
    "Het Nederlandse beleid op het gebied van {topic} is gericht op een evenwicht tussen bescherming, innovatie en uitvoerbaarheid.",
    "Het kabinet heeft in de afgelopen jaren geïnvesteerd in {term}, onder meer via nationale programma's en publiek-private samenwerking.",
    "Het kabinet verwelkomt het voorstel in grote lijnen, omdat een gezamenlijke Europese aanpak van {term} meerwaarde heeft boven nationale regels.",
    "Tegelijkertijd plaatst het kabinet kanttekeningen bij de uitvoerbaarheid van de voorgestelde termijnen voor {term2}.",
    "Het kabinet acht het van belang dat de administratieve lasten voor {actor} beperkt blijven.",
    "De voorgestelde bevoegdheden van de Commissie om uitvoeringshandelingen vast te stellen over {term} zijn volgens het kabinet te ruim geformuleerd.",
    "Het kabinet wil voorkomen dat het voorstel leidt tot dubbele rapportageverplichtingen naast het bestaande kader voor {topic}.",
    "Over de financiering van de voorgestelde maatregelen bestaat nog onduidelijkheid; het kabinet vraagt de Commissie om een nadere onderbouwing.",
    "Naar verwachting zal een ruime meerderheid van de lidstaten het voorstel steunen, al verschillen de opvattingen over {term2}.",
    "Enkele lidstaten hebben zorgen geuit over de gevolgen voor {actor}, met name wat betreft {term}.",
    "In het Europees Parlement is de rapporteur naar verwachting positief over de hoofdlijnen van het voorstel over {topic}.",
    "De positie van het Europees Parlement over {term2} is op dit moment nog niet bekend.",
    "Het voorstel raakt aan de uitvoering door {actor}, die naar schatting {percent} procent meer capaciteit nodig hebben.",
    "Voor de rijksoverheid zijn de financiële gevolgen naar verwachting beperkt en worden zij ingepast op de begroting van het beleidsverantwoordelijke departement.",
    "Eventuele budgettaire gevolgen worden ingepast conform de regels van de budgetdiscipline.",
    "De regeldrukgevolgen voor bedrijven hangen sterk af van de uitwerking in gedelegeerde handelingen over {term}.",
    "Het voorstel draagt bij aan de open strategische autonomie van de Unie op het gebied van {topic}.",
    "Voor ontwikkelingslanden zijn geen directe gevolgen te verwachten, al kan {term2} indirect doorwerken in handelsstromen.",
    "Het voorstel vergt aanpassing van nationale wetgeving, waaronder de regels over {term}.",
    "De voorgestelde implementatietermijn van achttien maanden acht het kabinet krap maar haalbaar.",
    "Het kabinet steunt de voorgestelde evaluatiebepaling, omdat de effecten op {term2} pas na enkele jaren zichtbaar worden.",
    "Bij de uitvoering zullen {actor} een rol spelen in het toezicht op {term}.",
    "Het kabinet zal de Kamer informeren over de voortgang van de onderhandelingen over {topic}.",
]

COMMITMENT_PATTERNS = [
    (Commitment.Kind.RAISE, "Het kabinet zal in de Raad aandacht vragen voor de uitvoerbaarheid van de regels over {term}.", "Aandacht vragen voor uitvoerbaarheid {term}"),
    (Commitment.Kind.ADVOCATE, "Het kabinet zal zich ervoor inzetten dat de lasten voor {actor} rond {term2} beperkt blijven.", "Inzetten op beperkte lasten {term2}"),
    (Commitment.Kind.ADVOCATE, "Het kabinet zal zich sterk maken voor een risicogebaseerde aanpak van {term}.", "Sterk maken voor risicogebaseerde aanpak {term}"),
    (Commitment.Kind.INFORM, "Het kabinet zal de Kamer over de uitkomst van de onderhandelingen over {topic} informeren in de eerstvolgende geannoteerde agenda.", "Kamer informeren over onderhandelingen {topic}"),
    (Commitment.Kind.INFORM, "Een nadere appreciatie van {term2} wordt meegenomen in de eerstvolgende geannoteerde agenda voor de formele Raad.", "Appreciatie {term2} in geannoteerde agenda"),
    (Commitment.Kind.DIALOGUE, "Het kabinet zal de dialoog hierover met {actor} intensiveren.", "Dialoog met {actor} over {topic}"),
    (Commitment.Kind.MONITOR, "Het kabinet zal aandacht blijven houden voor de gevolgen van {term} voor het mkb.", "Gevolgen {term} voor mkb volgen"),
    (Commitment.Kind.RAISE, "Het kabinet zal de Commissie vragen om een nadere onderbouwing van de gevolgen voor {actor}.", "Onderbouwing gevolgen vragen aan Commissie"),
    (Commitment.Kind.OTHER, "Het kabinet zal voor de zomer een uitvoeringstoets laten uitvoeren naar de gevolgen van {term2}.", "Uitvoeringstoets {term2}"),
]

VAGUE_MOMENTS = ["voor de zomer", "in het voorjaar", "na afronding van de triloog", "bij de eerstvolgende voortgangsrapportage", "voor het einde van het jaar"]

FOOTNOTE_PATTERNS = [
    ("Kamerstuk 22 112, nr. {n}.", "https://zoek.officielebekendmakingen.nl/kst-22112-{n}.html"),
    ("Kamerstuk 21 501-{suffix}, nr. {n}.", "https://zoek.officielebekendmakingen.nl/kst-21501-{suffix}-{n}.html"),
    ("Kabinetsbrief over {topic}, Kamerstuk {dossier}, nr. {n}.", ""),
    ("{doc}, {day} {month} {year}.", "https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:5{year}DC{num:04d}"),
    ("Raadsconclusies over {topic}, {day} {month} {year}.", ""),
    ("Zie de evaluatie van het bestaande kader voor {term}, SWD({year}) {num}.", ""),
]

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]

SECTION_WEIGHTS = {
    "essence": 5, "essence-content": 4, "essence-impact-assessment": 1.5, "position-policy": 3, "position-assessment": 6,
    "position-field": 2, "competence": 1, "subsidiarity": 1, "proportionality": 1.2, "financial": 1.5,
    "financial-eu-budget": 0.8, "financial-national": 0.8, "financial-business-citizens": 0.8, "regulatory-burden": 1,
    "competitiveness": 0.8, "legal-national": 0.8, "legal-delegated": 0.8, "legal-implementation-term": 0.5,
    "legal-evaluation": 0.4, "implementation": 1, "developing-countries": 0.4,
}

VERDICT_WEIGHTS = {
    "competence": [(Verdict.POSITIVE, 85), (Verdict.POSITIVE_WITH_REMARKS, 8), (Verdict.NEGATIVE, 4), (Verdict.NOT_YET, 3)],
    "subsidiarity": [(Verdict.POSITIVE, 62), (Verdict.POSITIVE_WITH_REMARKS, 20), (Verdict.NEUTRAL, 6), (Verdict.NEGATIVE, 8), (Verdict.NOT_YET, 4)],
    "proportionality": [(Verdict.POSITIVE, 45), (Verdict.POSITIVE_WITH_REMARKS, 30), (Verdict.NEUTRAL, 5), (Verdict.NEGATIVE, 15), (Verdict.NOT_YET, 5)],
}
VERDICT_SUBJECTS = {"competence": "de bevoegdheid van de EU", "subsidiarity": "de subsidiariteit", "proportionality": "de proportionaliteit"}

LEGAL_BASES = [
    "Artikel 114 van het Verdrag betreffende de werking van de Europese Unie (VWEU)",
    "Artikel 192, eerste lid, VWEU",
    "Artikel 43, tweede lid, VWEU",
    "Artikel 91 VWEU",
    "Artikel 82, tweede lid, en artikel 83, eerste lid, VWEU",
    "Artikel 153, tweede lid, VWEU",
    "Artikel 113 VWEU",
    "Artikel 173, derde lid, VWEU",
]
VOTING = [("Gekwalificeerde meerderheid", "Medebeslissing"), ("Gekwalificeerde meerderheid", "Medebeslissing"), ("Unanimiteit", "Raadpleging"),
          ("Gekwalificeerde meerderheid", "Goedkeuring")]
LEGISLATIVE_KINDS = [(CommissionDocument.Kind.REGULATION, "Voorstel voor een verordening van het Europees Parlement en de Raad"),
                     (CommissionDocument.Kind.DIRECTIVE, "Voorstel voor een richtlijn van het Europees Parlement en de Raad"),
                     (CommissionDocument.Kind.DECISION, "Voorstel voor een besluit van de Raad")]
COMMUNICATION_KINDS = [(CommissionDocument.Kind.COMMUNICATION, "Mededeling van de Commissie aan het Europees Parlement, de Raad, het Europees "
                        "Economisch en Sociaal Comité en het Comité van de Regio's"),
                       (CommissionDocument.Kind.RECOMMENDATION, "Voorstel voor een aanbeveling van de Raad")]
TITLE_PATTERNS = ["{topic_cap}: een nieuw kader voor {term}", "Herziening van de regels voor {term}", "Europese strategie voor {topic}",
                  "Versterking van {term} in de interne markt", "{topic_cap} en {term2}", "Actieplan {topic}"]


@dataclass
class Plan:
    """Everything drawn for one fiche before any row is written."""

    index: int
    rng: random.Random
    topic: tuple
    kind: str
    received_on: datetime.date
    status: str
    lead: Ministry
    co: list
    configuration: CouncilConfiguration
    documents: list = field(default_factory=list)  # (doc_type, kind, title, is_primary)
    sent_on: datetime.date | None = None
    kamerstuk: str = ""
    batch_letter: BatchLetter | None = None
    batch_position: int | None = None
    public_from: datetime.datetime | None = None
    pk: int | None = None
    document_objects: list = field(default_factory=list)
    verdicts: dict = field(default_factory=dict)
    footnote_total: int = 0


class Words(dict):
    """Lazily drawn pattern words for one sentence: drawing only what a pattern uses keeps 250 MB of text fast."""

    def __init__(self, plan):
        super().__init__()
        self.plan = plan

    def __missing__(self, name):
        plan, rng = self.plan, self.plan.rng
        topic = plan.topic[0]
        value = {
            "topic": lambda: topic, "topic_cap": lambda: topic[0].upper() + topic[1:], "term": lambda: rng.choice(plan.topic[1]),
            "term2": lambda: rng.choice(plan.topic[1]), "actor": lambda: rng.choice(ACTORS),
            "year": lambda: plan.received_on.year + rng.randint(2, 10), "percent": lambda: rng.randint(2, 30), "amount": lambda: rng.randint(5, 900),
        }[name]()
        self[name] = value
        return value


class DemoDataError(Exception):
    pass


def reference_data_problems():
    """What the generator needs from ``load_fixtures`` and cannot find (empty list when all is there)."""
    problems = []
    for kind in TemplateKind.values:
        if not FicheTemplate.objects.filter(kind=kind, sections__isnull=False).exists():
            problems.append(f"no fiche template of kind '{kind}' with sections")
    if not Ministry.objects.exists():
        problems.append("no ministries")
    if not CouncilConfiguration.objects.exists():
        problems.append("no Council configurations")
    return problems


def seeded(seed, part):
    """A generator of its own for one part of the data: the same seed gives the same data, on any machine."""
    return random.Random(f"fichetracker-demo-{seed}-{part}")  # noqa: S311 (reproducible demo data, not secrets)


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _random_date(rng, start, end):
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def _existed(ministry, day):
    return (ministry.valid_from or datetime.date.min) <= day < (ministry.valid_until or datetime.date.max)


def kamerstuk_floor(day):
    """The first number of dossier 22 112 on ``day``: the real pace, drawn as a straight line (see KAMERSTUK_RANGE)."""
    (start, low), (end, high) = KAMERSTUK_RANGE
    return max(1, low + round((day - start).days * (high - low) / (end - start).days))


def ensure_ministries():
    """Create the ministries of MINISTRY_HISTORY that the database lacks, with their periods and successors.
    Ministries that exist (the reference data) are left as they are. Returns the number created."""
    existing = {m.code: m for m in Ministry.objects.all()}
    created = 0
    for code, abbreviation, name, valid_from, valid_until, _successor in MINISTRY_HISTORY:
        if code not in existing:
            existing[code] = Ministry.objects.create(
                code=code, abbreviation=abbreviation, name=name,
                valid_from=datetime.date.fromisoformat(valid_from) if valid_from else None,
                valid_until=datetime.date.fromisoformat(valid_until) if valid_until else None,
            )
            created += 1
    for code, *_rest, successor in MINISTRY_HISTORY:
        ministry = existing[code]
        if successor and ministry.successor_id is None and ministry.valid_until is not None:
            ministry.successor = existing[successor]
            ministry.save(update_fields=["successor"])
    return created


def _aware(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class Generator:
    def __init__(self, *, fiches, seed, published_share=0.85, stdout=None):
        self.count = fiches
        self.seed = seed
        self.published_share = published_share
        self.stdout = stdout
        # The newest template of each kind (the dict keeps the last one seen).
        self.templates = {t.kind: t for t in FicheTemplate.objects.filter(sections__isnull=False).distinct().order_by("kind", "version")}
        self.template_sections = {kind: list(t.sections.order_by("position")) for kind, t in self.templates.items()}
        self.ministries = list(Ministry.objects.order_by("code"))
        self.configurations = {c.code: c for c in CouncilConfiguration.objects.order_by("code")}
        self.counts = {}

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    # Drawing ------------------------------------------------------------------------------------

    def ministry_for(self, codes, day, rng):
        """The first ministry of ``codes`` (a policy field's ministries, newest first) that existed on ``day``;
        the first of them that exists at all, or any ministry of that day, when the data lacks them."""
        by_code = {m.code: m for m in self.ministries}
        known = [by_code[code] for code in codes if code in by_code]
        for ministry in known:
            if _existed(ministry, day):
                return ministry
        if known:
            return known[0]
        existing = [m for m in self.ministries if _existed(m, day)]
        return rng.choice(existing or self.ministries)

    def plan(self, index):
        rng = seeded(self.seed, index)
        topic = rng.choice(TOPICS)
        kind = TemplateKind.LEGISLATIVE if rng.random() < 0.55 else TemplateKind.COMMUNICATION
        received_on = _random_date(rng, FIRST_DAY, LAST_DAY)
        recent = (TODAY - received_on).days < 75
        if recent:
            status = _weighted(rng, [(Fiche.Status.DRAFT, 40), (Fiche.Status.REVIEW, 25), (Fiche.Status.ADOPTED, 15), (Fiche.Status.PUBLISHED, 20)])
        elif rng.random() < self.published_share:
            status = Fiche.Status.PUBLISHED
        else:
            status = _weighted(rng, [(Fiche.Status.DRAFT, 50), (Fiche.Status.REVIEW, 30), (Fiche.Status.ADOPTED, 20)])
        lead = self.ministry_for(topic[2], received_on, rng)
        co_candidates = [m for m in self.ministries if m != lead and _existed(m, received_on)]
        co = rng.sample(co_candidates, k=min(len(co_candidates), _weighted(rng, [(0, 55), (1, 35), (2, 10)])))
        configuration = self.configurations.get(topic[3]) or rng.choice(list(self.configurations.values()))
        plan = Plan(index=index, rng=rng, topic=topic, kind=kind, received_on=received_on, status=status, lead=lead, co=co, configuration=configuration)
        kinds = LEGISLATIVE_KINDS if kind == TemplateKind.LEGISLATIVE else COMMUNICATION_KINDS
        doc_kind, doc_title = rng.choice(kinds)
        doc_type = "JOIN" if topic[3] == "FAC" and kind == TemplateKind.COMMUNICATION and rng.random() < 0.5 else "COM"
        plan.documents.append((doc_type, doc_kind, doc_title, True))
        for _ in range(_weighted(rng, [(0, 60), (1, 30), (2, 10)])):
            extra_kind, extra_title = rng.choice(LEGISLATIVE_KINDS + COMMUNICATION_KINDS)
            plan.documents.append(("COM", extra_kind, extra_title, False))
        if status == Fiche.Status.PUBLISHED:
            plan.sent_on = min(received_on + datetime.timedelta(days=rng.randint(25, 70)), TODAY - datetime.timedelta(days=1))
            if rng.random() < 0.01:
                plan.public_from = _aware(TODAY + datetime.timedelta(days=rng.randint(1, 14)))  # embargo not yet lifted
        return plan

    def words(self, plan):
        """The words a sentence pattern may use; each is drawn only when the pattern asks for it."""
        return Words(plan)

    def sentence(self, plan, pattern=None):
        pattern = pattern or plan.rng.choice(PROSE)
        return pattern.format_map(self.words(plan))

    # Writing ------------------------------------------------------------------------------------

    def run(self):
        started = timezone.now()
        with transaction.atomic():
            self.counts["ministries"] = ensure_ministries()
            self.ministries = list(Ministry.objects.order_by("code"))
            plans = [self.plan(index) for index in range(self.count)]
            meetings = self.create_meetings()
            self.number_documents_and_letters(plans)
            fiche_ids = reserve_ids(Fiche, len(plans))
            for plan, pk in zip(plans, fiche_ids, strict=True):
                plan.pk = pk
            for start in range(0, len(plans), BATCH_SIZE):
                self.write_batch(plans[start:start + BATCH_SIZE], meetings)
                self.log(f"  {min(start + BATCH_SIZE, len(plans))} / {len(plans)} fiches")
            self.write_outcomes(plans)
        vacuum_analyze()
        self.counts["seconds"] = round((timezone.now() - started).total_seconds(), 1)
        return self.counts

    def create_meetings(self):
        """Formal Council meetings over twenty years, a few per configuration per year (existing ones kept)."""
        existing = {(m.configuration_id, m.date) for m in CouncilMeeting.objects.all()}
        new = []
        rng = seeded(self.seed, "meetings")
        for offset, configuration in enumerate(self.configurations.values()):
            for year in range(FIRST_DAY.year, TODAY.year + 2):
                for month in sorted(rng.sample(range(1, 13), k=4 if configuration.code in ("TTE", "AGRIFISH", "ECOFIN", "GAC", "FAC") else 3)):
                    day = datetime.date(year, month, 1 + (offset * 3 + month) % 27)
                    if (configuration.pk, day) not in existing:
                        existing.add((configuration.pk, day))
                        new.append(CouncilMeeting(configuration=configuration, date=day, is_formal=True, notes=DEMO_MEETING_NOTE))
        CouncilMeeting.objects.bulk_create(new, batch_size=BATCH_SIZE)
        self.counts["council meetings"] = len(new)
        by_configuration = {}
        for meeting in CouncilMeeting.objects.order_by("date"):
            by_configuration.setdefault(meeting.configuration_id, []).append(meeting)
        return by_configuration

    def number_documents_and_letters(self, plans):
        """Commission document numbers per year in order of receipt; Kamerstuk numbers in order of sending."""
        taken_refs = set(CommissionDocument.objects.values_list("doc_type", "year", "number"))
        next_number = {}
        documents = []
        for plan in sorted(plans, key=lambda p: (p.received_on, p.index)):
            plan.document_objects = []
            for doc_type, kind, title, is_primary in plan.documents:
                year = plan.received_on.year
                number = next_number.get((doc_type, year), 1)
                while (doc_type, year, number) in taken_refs:
                    number += 1
                taken_refs.add((doc_type, year, number))
                next_number[(doc_type, year)] = number + plan.rng.randint(1, 3)
                descriptor = {"COM": "PC" if kind in (CommissionDocument.Kind.REGULATION, CommissionDocument.Kind.DIRECTIVE,
                                                      CommissionDocument.Kind.DECISION) else "DC", "JOIN": "JC"}[doc_type]
                words = self.words(plan)
                subject = words["topic"] if is_primary else words["term"]
                document = CommissionDocument(
                    doc_type=doc_type, year=year, number=number, celex=f"5{year}{descriptor}{number:04d}", kind=kind,
                    title=f"{title} over {subject}", adopted_on=plan.received_on - datetime.timedelta(days=plan.rng.randint(0, 3)),
                    received_on=plan.received_on,
                    procedure=f"{year}/{number % 10000:04d}(COD)" if kind in (CommissionDocument.Kind.REGULATION, CommissionDocument.Kind.DIRECTIVE) else "",
                )
                documents.append(document)
                plan.document_objects.append(document)
        CommissionDocument.objects.bulk_create(documents, batch_size=BATCH_SIZE)
        if any(d.pk is None for d in documents):  # backends that return no ids from bulk_create
            by_ref = {(d.doc_type, d.year, d.number): d.pk for d in CommissionDocument.objects.filter(pk__isnull=False)}
            for document in documents:
                document.pk = by_ref[(document.doc_type, document.year, document.number)]
        relations = []
        for plan in plans:
            first, *others = plan.document_objects
            relations += [DocumentRelation(source=first, target=other, kind=DocumentRelation.Kind.SAME_PACKAGE) for other in others]
        DocumentRelation.objects.bulk_create(relations, batch_size=BATCH_SIZE)
        self.counts["Commission documents"] = len(documents)

        taken_numbers = {int(k.rpartition("-")[2]) for k in Fiche.objects.filter(kamerstuk__startswith="22112-").values_list("kamerstuk", flat=True)}
        taken_numbers |= {int(k.rpartition("-")[2]) for k in BatchLetter.objects.filter(kamerstuk__startswith="22112-").values_list("kamerstuk", flat=True)}
        number = 1

        def next_kamerstuk(day):
            """The next free number of dossier 22 112 on ``day``: never below the day's first number, always up."""
            nonlocal number
            number = max(number, kamerstuk_floor(day))
            while number in taken_numbers:
                number += 1
            taken_numbers.add(number)
            number += 1
            return f"22112-{number - 1}"

        published = sorted((p for p in plans if p.status == Fiche.Status.PUBLISHED), key=lambda p: (p.sent_on, p.index))
        letters = []
        rng = seeded(self.seed, "letters")
        position = 0
        while position < len(published):
            group = published[position:position + rng.randint(3, 8)]
            position += len(group)
            day = max(p.sent_on for p in group)
            letter = BatchLetter(kamerstuk=next_kamerstuk(day), date=day)
            letters.append(letter)
            for place, plan in enumerate(group, start=1):
                plan.sent_on = letter.date
                plan.kamerstuk = next_kamerstuk(day)
                plan.batch_letter = letter
                plan.batch_position = place
        BatchLetter.objects.bulk_create(letters, batch_size=BATCH_SIZE)
        if any(letter.pk is None for letter in letters):
            by_kamerstuk = dict(BatchLetter.objects.values_list("kamerstuk", "pk"))
            for letter in letters:
                letter.pk = by_kamerstuk[letter.kamerstuk]
        self.counts["batch letters"] = len(letters)

    def write_outcomes(self, plans):
        """The outcome ledger for the archive: about one in five legislative fiches sent more than two years ago
        has a published outcome (the act adopted a year or two after the fiche), with two to four points."""
        today = timezone.localdate()
        outcomes, points = [], []
        for plan in plans:
            rng = seeded(self.seed, f"outcome-{plan.index}")
            if (plan.status != Fiche.Status.PUBLISHED or plan.public_from or plan.kind != TemplateKind.LEGISLATIVE or not plan.sent_on
                    or (today - plan.sent_on).days < 730 or rng.random() > 0.2):
                continue
            adopted_on = min(plan.sent_on + datetime.timedelta(days=rng.randint(300, 720)), today - datetime.timedelta(days=30))
            kind = rng.choice("RLD")
            outcomes.append(Outcome(fiche_id=plan.pk, celex=f"3{adopted_on.year}{kind}{rng.randint(1, 2999):04d}", adopted_on=adopted_on,
                                    dutch_vote=_weighted(rng, [(Vote.FOR, 70), (Vote.AGAINST, 10), (Vote.ABSTAINED, 8), (Vote.NO_VOTE, 12)]),
                                    status=Fiche.Status.PUBLISHED, summary="Demodata."))
            topic = plan.topic[0] if plan.topic else "dit voorstel"
            texts = [f"Een risicogebaseerde aanpak voor {topic}", "Geen extra regeldruk voor het mkb", "Budgetneutraal binnen het MFK",
                     "Ruimte voor nationale uitvoering"]
            points.append([(text, _weighted(rng, [(Achievement.ACHIEVED, 50), (Achievement.PARTLY, 30), (Achievement.NOT_ACHIEVED, 20)]))
                           for text in texts[:rng.randint(2, 4)]])
        for outcome, pk in zip(outcomes, reserve_ids(Outcome, len(outcomes)), strict=True):
            outcome.pk = pk
        Outcome.objects.bulk_create(outcomes, batch_size=BATCH_SIZE)
        OutcomePoint.objects.bulk_create([OutcomePoint(outcome_id=outcome.pk, position=position, point=text, achievement=achieved)
                                          for outcome, rows in zip(outcomes, points, strict=True)
                                          for position, (text, achieved) in enumerate(rows, start=1)], batch_size=BATCH_SIZE)
        self.counts["outcomes"] = len(outcomes)

    def write_batch(self, plans, meetings):
        sections, footnotes, commitments, changes, budgets, priorities, fiche_changes = [], [], [], [], [], [], []
        document_links, co_links = [], []
        fiches = []
        through_documents = Fiche.documents.through
        through_co = Fiche.co_ministries.through
        for plan in plans:
            fiche = self.build_fiche(plan)
            fiches.append(fiche)
            plan_commitments = self.build_commitments(plan, meetings)
            sections += self.build_sections(plan, plan_commitments)
            footnotes += self.build_footnotes(plan)
            commitments += plan_commitments
            document_links += [through_documents(fiche_id=plan.pk, commissiondocument_id=d.pk) for d in plan.document_objects]
            co_links += [through_co(fiche_id=plan.pk, ministry_id=m.pk) for m in plan.co]
            plan_budgets, plan_priorities = self.build_cofinancing(plan)
            budgets += plan_budgets
            priorities += plan_priorities
            fiche_changes += self.build_fiche_changes(plan)
        # Children first, the fiche last: see the module docstring.
        FicheSection.objects.bulk_create(sections, batch_size=BATCH_SIZE)
        Footnote.objects.bulk_create(footnotes, batch_size=BATCH_SIZE)
        through_documents.objects.bulk_create(document_links, batch_size=BATCH_SIZE)
        through_co.objects.bulk_create(co_links, batch_size=BATCH_SIZE)
        commitment_ids = reserve_ids(Commitment, len(commitments))
        for commitment, pk in zip(commitments, commitment_ids, strict=True):
            commitment.pk = pk
            if commitment.status != Commitment.Status.OPEN:
                changes.append(CommitmentStatusChange(
                    commitment_id=pk, from_status=Commitment.Status.OPEN, to_status=commitment.status,
                    note="Afgerond met de genoemde brief." if commitment.evidence_reference else "Niet meer aan de orde na de onderhandelingen.",
                    evidence_reference=commitment.evidence_reference, changed_at=_aware(commitment.settled_on),
                ))
        Commitment.objects.bulk_create(commitments, batch_size=BATCH_SIZE)
        CommitmentStatusChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)
        budget_ids = reserve_ids(CofinancingBudget, len(budgets))
        for budget, pk in zip(budgets, budget_ids, strict=True):
            budget.pk = pk
        CofinancingBudget.objects.bulk_create(budgets, batch_size=BATCH_SIZE)
        for priority in priorities:
            priority.budget_id = priority.budget.pk
        CofinancingPriority.objects.bulk_create(priorities, batch_size=BATCH_SIZE)
        FicheStatusChange.objects.bulk_create(fiche_changes, batch_size=BATCH_SIZE)
        Fiche.objects.bulk_create(fiches, batch_size=BATCH_SIZE)
        Fiche.history.bulk_history_create(fiches, default_change_reason="Demodata", default_date=timezone.now())
        for name, number in (("fiches", len(fiches)), ("sections", len(sections)), ("footnotes", len(footnotes)),
                             ("commitments", len(commitments)), ("cofinancing budgets", len(budgets))):
            self.counts[name] = self.counts.get(name, 0) + number

    def build_fiche(self, plan):
        rng = plan.rng
        words = self.words(plan)
        title = rng.choice(TITLE_PATTERNS).format_map(words)
        verdicts = {}
        for aspect, weights in VERDICT_WEIGHTS.items():
            verdict = _weighted(rng, weights)
            verdicts[aspect] = verdict
            verdicts[f"{aspect}_sentence"] = f"De grondhouding ten aanzien van {VERDICT_SUBJECTS[aspect]} is {verdict}."
        plan.verdicts = verdicts
        legislative = plan.kind == TemplateKind.LEGISLATIVE
        voting, role = rng.choice(VOTING)
        fiche = Fiche(
            pk=plan.pk, natural_id=f"demo-{self.seed}-{plan.index}", title=title,
            proposal_title=" en ".join(f"{d.title} ({d.reference})" for d in plan.document_objects),
            kamerstuk=plan.kamerstuk, batch_letter=plan.batch_letter, batch_position=plan.batch_position,
            template=self.templates[plan.kind], received_on=plan.received_on, received_month_only=rng.random() < 0.03,
            impact_assessment=f"SWD({plan.received_on.year}) {rng.randint(100, 450)}" if legislative and rng.random() < 0.8 else "N.v.t.",
            council_configuration=plan.configuration, council_configuration_raw=plan.configuration.name,
            lead_ministry=plan.lead, lead_ministry_raw=plan.lead.name,
            legal_basis=rng.choice(LEGAL_BASES) if legislative else "", council_voting_rule=voting if legislative else "",
            parliament_role=role if legislative else "", status=plan.status, sent_on=plan.sent_on, public_from=plan.public_from,
            is_demo=True, **verdicts,
        )
        return fiche

    def paragraphs(self, plan, target, extra_sentences=(), footnote_counter=None):
        rng = plan.rng
        paragraphs, length = [], 0
        pending = list(extra_sentences)
        while length < target or pending:
            sentences = [self.sentence(plan) for _ in range(rng.randint(3, 7))]
            # A footnote marker goes on a prose sentence, never inside a quoted commitment or verdict.
            if footnote_counter is not None and footnote_counter[0] < footnote_counter[1] and rng.random() < 0.35:
                footnote_counter[0] += 1
                at = rng.randrange(len(sentences))
                sentences[at] = sentences[at][:-1] + f"[^{footnote_counter[0]}]."
            if pending:
                sentences.insert(rng.randrange(len(sentences) + 1), pending.pop(0))
            paragraph = " ".join(sentences)
            paragraphs.append(paragraph)
            length += len(paragraph) + 2
        return "\n\n".join(paragraphs)

    def build_sections(self, plan, commitments):
        template_sections = self.template_sections[plan.kind]
        total_weight = sum(SECTION_WEIGHTS.get(s.key, 1) for s in template_sections)
        plan.footnote_total = plan.rng.randint(4, 18)
        counter = [0, plan.footnote_total]
        quotes = {}
        for commitment in commitments:
            quotes.setdefault(commitment.section_key, []).append(commitment.quote)
        rows = []
        for section in template_sections:
            target = int(TEXT_BYTES * SECTION_WEIGHTS.get(section.key, 1) / total_weight)
            extra = list(quotes.get(section.key, []))
            if section.key in plan.verdicts:
                extra.insert(0, plan.verdicts[f"{section.key}_sentence"])
            text = self.paragraphs(plan, target, extra, counter)
            rows.append(FicheSection(fiche_id=plan.pk, key=section.key, number=section.number, title=section.title,
                                     position=section.position, text=text))
        plan.footnote_total = counter[0]
        return rows

    def build_footnotes(self, plan):
        rows = []
        rng = plan.rng
        for number in range(1, plan.footnote_total + 1):
            pattern, url = rng.choice(FOOTNOTE_PATTERNS)
            values = self.words(plan)
            values.update({"n": max(1, kamerstuk_floor(plan.received_on) - rng.randint(0, 400)), "suffix": rng.choice(["30", "31", "32", "33", "34"]),
                           "dossier": rng.choice(["21 501-30", "36 200", "32 813"]), "doc": plan.document_objects[0].reference,
                           "day": rng.randint(1, 28), "month": rng.choice(MONTHS), "year": plan.received_on.year - rng.randint(0, 3),
                           "num": rng.randint(1, 900)})
            rows.append(Footnote(fiche_id=plan.pk, number=number, text=pattern.format_map(values), urls=[url.format_map(values)] if url else []))
        return rows

    def build_commitments(self, plan, meetings):
        rng = plan.rng
        age_days = (TODAY - (plan.sent_on or plan.received_on)).days
        rows = []
        for position in range(1, rng.randint(2, 10) + 1):
            kind, pattern, summary = rng.choice(COMMITMENT_PATTERNS)
            words = self.words(plan)
            quote, summary = pattern.format_map(words), summary.format_map(words)[:300]
            # As in the archive: what is older than two years has mostly been settled; the recent work is open.
            status = _weighted(rng, STATUS_WEIGHTS[next(limit for limit in STATUS_WEIGHTS if age_days <= limit)])
            start = plan.sent_on or plan.received_on
            commitment = Commitment(fiche_id=plan.pk, position=position, quote=quote, summary=summary, kind=kind, status=status,
                                    section_key="position-assessment" if rng.random() < 0.8 else "position-field",
                                    ministry=rng.choice(plan.co) if plan.co and rng.random() < 0.2 else None)
            moment = rng.random()
            if kind == Commitment.Kind.INFORM or moment < 0.2:
                commitment.due_event = Commitment.DueEvent.ANNOTATED_AGENDA
                commitment.due_configuration = plan.configuration
                upcoming = [m for m in meetings.get(plan.configuration.pk, []) if m.date > start]
                commitment.due_meeting = upcoming[0] if upcoming else None
                commitment.due_description = "eerstvolgende geannoteerde agenda"
            elif moment < 0.75:
                commitment.due_date = start + datetime.timedelta(days=rng.randint(30, 400))
            else:
                commitment.due_description = rng.choice(VAGUE_MOMENTS)
            if status != Commitment.Status.OPEN:
                settled_on = min(start + datetime.timedelta(days=rng.randint(20, 500)), TODAY - datetime.timedelta(days=1))
                commitment.settled_on = settled_on  # for its status change; not a field
            if status in Commitment.EVIDENCE_STATUSES:
                commitment.evidence_reference = f"Kamerstuk 22 112, nr. {kamerstuk_floor(settled_on) + rng.randint(0, 40)}"
                commitment.evidence_date = settled_on
            rows.append(commitment)
        return rows

    def build_cofinancing(self, plan):
        rng = plan.rng
        programme = plan.topic[4]
        if not programme or rng.random() > 0.12:
            return [], []
        code, name = programme
        amount = Decimal(rng.randint(5, 150)) * 1_000_000
        start = (plan.sent_on or plan.received_on).replace(month=1, day=1)
        low = Decimal(rng.choice([25, 40, 50]))
        budget = CofinancingBudget(fiche_id=plan.pk, programme=name, programme_code=code, ministry=plan.lead, amount=amount,
                                   period_start=start, period_end=start.replace(year=start.year + rng.randint(2, 6), month=12, day=31),
                                   eu_rate_min=low, eu_rate_max=low + Decimal(rng.choice([0, 25])),
                                   quote=f"Het kabinet heeft voor de nationale cofinanciering van {name} EUR {amount / 1_000_000:.0f} miljoen begroot.",
                                   description=f"Nationale cofinanciering van projecten op het gebied van {plan.topic[0]}.")
        priorities, left = [], amount
        for position, term in enumerate(rng.sample(plan.topic[1], k=rng.randint(1, len(plan.topic[1]))), start=1):
            share = (left * Decimal(rng.choice([20, 30, 40])) / 100).quantize(Decimal("1000000")) if rng.random() < 0.7 else None
            if share is not None:
                left -= share
            priorities.append(CofinancingPriority(budget=budget, topic=term[0].upper() + term[1:], amount=share, position=position))
        return [budget], priorities

    def build_fiche_changes(self, plan):
        draft, review, adopted = Fiche.Status.DRAFT, Fiche.Status.REVIEW, Fiche.Status.ADOPTED
        steps = {draft: [], review: [draft], adopted: [draft, review], Fiche.Status.PUBLISHED: [draft, review, adopted]}[plan.status]
        rows, day = [], plan.received_on
        if not steps:
            return rows
        for from_status, to_status in zip(steps, [*steps[1:], plan.status], strict=True):
            day = plan.sent_on if to_status == Fiche.Status.PUBLISHED else day + datetime.timedelta(days=plan.rng.randint(3, 14))
            rows.append(FicheStatusChange(fiche_id=plan.pk, from_status=from_status, to_status=to_status, changed_at=_aware(min(day, TODAY))))
        return rows


def vacuum_analyze():
    """PostgreSQL, after a bulk load: flush the GIN pending list of the search index and refresh the planner's
    statistics. Without it the planner prefers a sequential scan that reads every fiche's search vector
    (150 ms instead of 1 ms at 10,000 fiches) until autovacuum comes by."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = [model._meta.db_table for model in (Fiche, FicheSection, Footnote, Commitment, CommitmentStatusChange, CommissionDocument,
                                                  CofinancingBudget, CofinancingPriority, FicheStatusChange, BatchLetter, CouncilMeeting)]
    tables += [Fiche.documents.through._meta.db_table, Fiche.co_ministries.through._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(connection.ops.quote_name(t) for t in tables)}")


def reserve_ids(model, count):
    """Primary keys for ``count`` new rows of ``model``, taken before the rows are written.

    PostgreSQL: from the table's own sequence, so concurrent writers never collide. Other databases
    (SQLite): after the highest id; the surrounding transaction holds the write lock.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
            return [row[0] for row in cursor.fetchall()]
    highest = model.objects.aggregate(highest=Max("pk"))["highest"] or 0
    return list(range(highest + 1, highest + 1 + count))


def clear_demo_data():
    """Delete every demo fiche and what only demo fiches use (documents, batch letters, generated meetings).

    The bulky rows (sections, footnotes, commitments and their history) go with plain DELETEs: through
    Django's collector every deleted section would first be loaded and get a deletion record in its
    history. The fiches themselves then go through the collector, so rows of other apps that point at
    a fiche are handled by their own ``on_delete``.
    """
    demo = Fiche.objects.filter(is_demo=True)
    fiche_ids = list(demo.values_list("pk", flat=True))
    if not fiche_ids:
        return 0
    document_ids = set(CommissionDocument.objects.filter(fiches__in=fiche_ids).exclude(fiches__is_demo=False).values_list("pk", flat=True))
    letter_ids = set(BatchLetter.objects.filter(fiches__in=fiche_ids).exclude(fiches__is_demo=False).values_list("pk", flat=True))
    with transaction.atomic():
        for start in range(0, len(fiche_ids), 5000):
            ids = fiche_ids[start:start + 5000]
            budgets = CofinancingBudget.objects.filter(fiche_id__in=ids)
            raw_delete(CofinancingPriority.objects.filter(budget__in=budgets))
            raw_delete(CofinancingBudget.history.filter(fiche_id__in=ids))
            raw_delete(budgets)
            commitments = Commitment.objects.filter(fiche_id__in=ids)
            # What follow-up keeps about demo commitments (holders, sent reminders) goes with them.
            raw_delete(CommitmentAssignment.objects.filter(commitment__in=commitments))
            raw_delete(ReminderLog.objects.filter(commitment__in=commitments))
            raw_delete(CommitmentStatusChange.objects.filter(commitment__in=commitments))
            raw_delete(Commitment.history.filter(fiche_id__in=ids))
            raw_delete(commitments)
            for model in (FicheSection, Footnote):
                raw_delete(model.history.filter(fiche_id__in=ids))
                raw_delete(model.objects.filter(fiche_id__in=ids))
            raw_delete(FicheStatusChange.objects.filter(fiche_id__in=ids))
            outcomes = Outcome.objects.filter(fiche_id__in=ids)
            raw_delete(OutcomePoint.history.filter(outcome_id__in=outcomes.values("pk")))
            raw_delete(OutcomePoint.objects.filter(outcome__in=outcomes))
            raw_delete(Outcome.history.filter(fiche_id__in=ids))
            raw_delete(outcomes)
        # SIMPLE_HISTORY_ENABLED is django-simple-history's documented switch; off here, so deleting demo
        # data does not first write a deletion record for each row into the history it is about to clear.
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            deleted = demo.delete()[1].get("positions.Fiche", 0)
            CommissionDocument.objects.filter(pk__in=document_ids).delete()
            BatchLetter.objects.filter(pk__in=letter_ids).delete()
        Fiche.history.filter(is_demo=True).delete()
        raw_delete(CommissionDocument.history.filter(id__in=document_ids))
        CouncilMeeting.objects.filter(notes=DEMO_MEETING_NOTE, commitments__isnull=True).delete()
    return deleted


def raw_delete(queryset):
    """One DELETE statement, no signals: for rows nothing else points at."""
    return queryset._raw_delete(queryset.db)


def content_digest():
    """A fingerprint of the demo content that ignores database ids and timestamps (for determinism checks)."""
    digest = hashlib.sha256()
    fiches = (
        Fiche.objects.filter(is_demo=True).order_by("natural_id").select_related("lead_ministry", "council_configuration", "template")
        .prefetch_related("documents", "co_ministries", "sections", "footnotes", "commitments", "cofinancing_budgets__priorities")
    )
    for fiche in fiches:
        digest.update(repr((fiche.natural_id, fiche.title, fiche.kamerstuk, fiche.status, fiche.received_on, fiche.sent_on,
                            fiche.lead_ministry.code, fiche.council_configuration.code, fiche.template.key,
                            fiche.competence, fiche.subsidiarity, fiche.proportionality,
                            sorted(d.reference for d in fiche.documents.all()), sorted(m.code for m in fiche.co_ministries.all()),
                            [(s.key, s.text) for s in fiche.sections.all()], [(f.number, f.text) for f in fiche.footnotes.all()],
                            [(c.position, c.quote, c.status, c.due_date, c.due_description) for c in fiche.commitments.all()],
                            [(b.programme_code, b.amount, [(p.topic, p.amount) for p in b.priorities.all()]) for b in fiche.cofinancing_budgets.all()],
                            )).encode())
    return digest.hexdigest()
