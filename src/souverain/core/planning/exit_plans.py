"""Exit plans (docs/exit-plans.md): how to leave each vital or important dependency.

An exit plan names a target alternative, the data export path and format, concrete
ordered steps, the skills needed, the contract steps (notice, exit assistance, data
portability, end date), the estimated duration and whether leaving fits within the
max downtime of the processes concerned. Everything is derived from the audit, the
estate and the catalog; no number is invented. How each part is derived is described
in docs/exit-plans.md.

- :func:`exit_plans` — one :class:`ExitPlan` per vital or important dependency,
  riskiest first (the audit's ranking).
- :func:`exit_plan_document` — one plan as a JSON-ready mapping in one language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from souverain.core.catalog.matching import Matcher, MatchResult
from souverain.core.catalog.model import Alternative, Catalog, Product, Ring, Text
from souverain.core.catalog.queries import is_european, is_open_source, is_self_hostable
from souverain.core.estate.duration import Duration
from souverain.core.estate.model import Asset, Contract, requirement_ids
from souverain.core.planning.radar import RING_IDS, Radar, alternatives_radar
from souverain.core.scoring.audit import AuditResult, Dependency, Reason
from souverain.core.vocabulary import GRAVE, LANGS, MASTERY, OFF_PREMISE, Gravity, Lang

StepKind = Literal[
    "inventory",
    "contract",
    "export-test",
    "notice",
    "choose-alternative",
    "pilot",
    "exit-assistance",
    "migrate",
    "train",
    "switch",
    "decommission",
]
SkillKind = Literal["product", "self-hosting", "data-migration", "mastery", "in-use"]
ContractStepKind = Literal[
    "notice", "exit-assistance", "data-portability", "end-date", "no-contract"
]

_RECENT_EXPORT_DAYS = 365  # when the methodology names no export_tested_within criterion
_LIST_MAX = 6


@dataclass(frozen=True)
class Note:
    """A sentence in both languages, with the estate field or catalog fact behind it."""

    text: Text
    ref: str | None = None
    source: str | None = None
    as_of: date | None = None


@dataclass(frozen=True)
class Step:
    """One step of a plan, in order; ``days`` only when a known figure gives it."""

    kind: StepKind
    text: Text
    days: float | None = None
    ref: str | None = None


@dataclass(frozen=True)
class Skill:
    kind: SkillKind
    text: Text
    mastery: str | None = None  # in-house mastery, for ``mastery`` and ``in-use``
    ref: str | None = None


@dataclass(frozen=True)
class ContractStep:
    """One contractual term of the exit and the estate field it comes from."""

    kind: ContractStepKind
    text: Text
    field: str
    value: bool | int | str | None


@dataclass(frozen=True)
class Export:
    """How the data comes out: formats (standard ids, open ones first) and openness."""

    formats: tuple[str, ...]
    open_export: bool | None  # None: the formats are not known
    source: str  # the estate field or catalog fact the formats come from
    tested: date | None = None
    tested_days_ago: int | None = None


@dataclass(frozen=True)
class ExitPlan:
    asset: str
    name: str
    gravity: Gravity
    process: str | None  # the process that makes the dependency grave
    provider: str | None
    alternative: str | None  # catalog product id
    alternative_name: str | None
    alternative_ring: Ring | None
    alternatives_considered: tuple[str, ...]  # the other candidates, preferred first
    export: Export
    steps: tuple[Step, ...]
    skills: tuple[Skill, ...]
    contract_steps: tuple[ContractStep, ...]
    duration: Duration | None  # None: not estimated
    duration_source: str | None
    notice_days: int | None
    notice_longer_than_work: bool | None
    fits_max_downtime: bool | None  # None: not assessed
    max_downtime: Duration | None
    reasons: tuple[Note, ...] = ()
    process_name: str | None = None
    provider_name: str | None = None
    deployment: str | None = None


# --- texts ---------------------------------------------------------------------------

Param = str | Text


def _say(template: Text, **params: Param) -> Text:
    """``template`` filled in each language; a parameter may itself be a text.

    Every parameter ``x`` is also given as ``de_x``, French "de x" with its elision
    ("d'Odoo", "des processus"), for the French templates.
    """
    # Thousands of plans say a lot: one pass over the parameters, and the French forms
    # only where the template uses them.
    en: dict[str, str] = {}
    fr: dict[str, str] = {}
    french = template["fr"]
    elided = "{de_" in french or "{que_" in french
    for key, value in params.items():
        if isinstance(value, str):
            en[key] = fr[key] = value
        else:
            en[key], fr[key] = value["en"], value["fr"]
        if elided and fr[key]:
            if "{de_" + key in french:
                fr["de_" + key] = _de(fr[key])
            if "{que_" + key in french:
                fr["que_" + key] = _que(fr[key])
    return {"en": template["en"].format_map(en), "fr": french.format_map(fr)}


def _words(items: Sequence[str]) -> Text:
    """A short list in words; the rest counted."""
    shown = ", ".join(items[:_LIST_MAX])
    rest = len(items) - _LIST_MAX
    if rest <= 0:
        return {"en": shown, "fr": shown}
    others = "autre" if rest == 1 else "autres"
    return {"en": f"{shown} and {rest} more", "fr": f"{shown} et {rest} {others}"}


_VOWELS = frozenset("aeiouyàâäéèêëîïôöûüœæ")


def _de(name: str) -> str:
    """French "de X", elided before a vowel: "d'Odoo", "de SAP"."""
    for article, contracted in (("les ", "des "), ("le ", "du ")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return f"d'{name}" if name[:1].casefold() in _VOWELS else f"de {name}"


def _que(name: str) -> str:
    """French "que X", elided before a vowel: "qu'Odoo"."""
    return f"qu'{name}" if name[:1].casefold() in _VOWELS else f"que {name}"


_UNITS: dict[str, tuple[Text, Text]] = {
    "s": ({"en": "second", "fr": "seconde"}, {"en": "seconds", "fr": "secondes"}),
    "m": ({"en": "minute", "fr": "minute"}, {"en": "minutes", "fr": "minutes"}),
    "h": ({"en": "hour", "fr": "heure"}, {"en": "hours", "fr": "heures"}),
    "d": ({"en": "day", "fr": "jour"}, {"en": "days", "fr": "jours"}),
    "w": ({"en": "week", "fr": "semaine"}, {"en": "weeks", "fr": "semaines"}),
}


def duration_words(duration: Duration) -> Text:
    """A duration in words: "25 days" / "25 jours", "1.5 weeks" / "1,5 semaine"."""
    text = str(duration)
    number, unit = text[:-1], text[-1:]
    if unit not in _UNITS or not number:
        number, unit = f"{duration.days:g}", "d"
    value = float(number)
    out: Text = {}
    for lang in LANGS:
        plural = value >= 2 if lang == "fr" else value != 1
        word = _UNITS[unit][1 if plural else 0][lang]
        shown = f"{value:g}".replace(".", ",") if lang == "fr" else f"{value:g}"
        out[lang] = f"{shown} {word}"
    return out


_NONE_RECORDED: Text = {"en": "none recorded", "fr": "aucune recensée"}
_NOT_RECORDED: Text = {"en": "not recorded", "fr": "non renseignées"}
_THE_ALTERNATIVE: Text = {"en": "the chosen alternative", "fr": "l'alternative retenue"}
_THE_PROCESSES: Text = {"en": "the processes concerned", "fr": "les processus concernés"}
_MASTERY: dict[str, Text] = {
    "none": {"en": "none", "fr": "nulle"},
    "low": {"en": "low", "fr": "faible"},
    "medium": {"en": "medium", "fr": "moyenne"},
    "high": {"en": "high", "fr": "élevée"},
}
_RING: dict[str, Text] = {
    "adopt": {"en": "adopt", "fr": "adopter"},
    "trial": {"en": "trial", "fr": "essayer"},
    "assess": {"en": "assess", "fr": "évaluer"},
    "hold": {"en": "hold", "fr": "suspendre"},
}
_OPEN: dict[bool | None, Text] = {
    True: {"en": "open source", "fr": "open source"},
    False: {"en": "proprietary", "fr": "propriétaire"},
    None: {"en": "licence unknown", "fr": "licence inconnue"},
}
_EUROPEAN: dict[bool | None, Text] = {
    True: {"en": "controlled from the EU/EEA", "fr": "contrôlé depuis l'UE/EEE"},
    False: {"en": "controlled from outside the EU/EEA", "fr": "contrôlé hors de l'UE/EEE"},
    None: {"en": "control country unknown", "fr": "pays de contrôle inconnu"},
}

_T: dict[str, Text] = {
    # steps
    "inventory": {
        "en": "List the data {name} holds ({data}) and its integrations ({links}), "
        "with the owner of each.",
        "fr": "Recenser les données que détient {name} ({data}) et ses intégrations ({links}), "
        "avec le responsable de chacune.",
    },
    "inventory-no-data": {
        "en": "List what {name} serves and its integrations ({links}), with the owner of each.",
        "fr": "Recenser ce que sert {name} et ses intégrations ({links}), "
        "avec le responsable de chacune.",
    },
    "no-contract-step": {
        "en": "Find the contract or licence terms of {name} (none is linked in the estate): "
        "notice, data portability and exit assistance set the timing.",
        "fr": "Retrouver le contrat ou les conditions de licence {de_name} (aucun n'est lié dans "
        "l'inventaire) : préavis, portabilité des données et assistance à la réversibilité "
        "fixent le calendrier.",
    },
    "export-unknown": {
        "en": "Find out in which formats the data of {name} can be exported{how}, "
        "then test a full export in an open format.{portability}",
        "fr": "Établir dans quels formats les données {de_name} peuvent être exportées{how}, "
        "puis tester un export complet dans un format ouvert.{portability}",
    },
    "export-none": {
        "en": "{name} offers no data export: obtain one{how} before anything else; "
        "without it there is no exit.{portability}",
        "fr": "{name} ne propose aucun export de données : en obtenir un{how} avant toute autre "
        "chose ; sans lui, pas de sortie.{portability}",
    },
    "export-closed": {
        "en": "{name} exports only in closed formats ({formats}): obtain an export in an open "
        "format{how}, or a converter, then test it.{portability}",
        "fr": "{name} n'exporte que dans des formats fermés ({formats}) : obtenir un export dans "
        "un format ouvert{how}, ou un convertisseur, puis le tester.{portability}",
    },
    "export-untested": {
        "en": "Test a full export of {name} in {formats}{how} and check that {target} "
        "can read it back.{portability}",
        "fr": "Tester un export complet {de_name} en {formats}{how} et vérifier {que_target} "
        "sait le relire.{portability}",
    },
    "export-recent": {
        "en": "The export was tested on {when} ({days} days ago): repeat it on the full data "
        "just before migrating and check that {target} reads it.{portability}",
        "fr": "L'export a été testé le {when} (il y a {days} jours) : le refaire sur l'ensemble "
        "des données juste avant la migration et vérifier {que_target} le relit.{portability}",
    },
    "export-old": {
        "en": "The last export test dates from {when} ({days} days ago): test a full export "
        "in {formats} again{how}.{portability}",
        "fr": "Le dernier test d'export date du {when} (il y a {days} jours) : refaire un export "
        "complet en {formats}{how}.{portability}",
    },
    "how-saas": {
        "en": " (export function or API of the provider)",
        "fr": " (fonction d'export ou API du fournisseur)",
    },
    "how-on-premise": {
        "en": " (application export or database extraction, on the organisation's own servers)",
        "fr": " (export de l'application ou extraction de la base, sur les serveurs de "
        "l'organisation)",
    },
    "portability-yes": {
        "en": " Contract {contract} grants data portability: invoke it.",
        "fr": " Le contrat {contract} prévoit la portabilité des données : s'en prévaloir.",
    },
    "portability-no": {
        "en": " Contract {contract} grants no data portability: secure the export before "
        "giving notice.",
        "fr": " Le contrat {contract} ne prévoit pas la portabilité des données : sécuriser "
        "l'export avant de résilier.",
    },
    "notice-first": {
        "en": "Give notice on contract {contract} early: its notice period ({days}) is longer "
        "than the estimated {duration} of work{end}.",
        "fr": "Résilier le contrat {contract} tôt : son préavis ({days}) est plus long que la "
        "durée estimée des travaux ({duration}){end}.",
    },
    "notice-before-switch": {
        "en": "Give notice on contract {contract} at the latest {days} before the planned "
        "switch-over{end}.",
        "fr": "Résilier le contrat {contract} au plus tard {days} avant la bascule prévue{end}.",
    },
    "notice-none": {
        "en": "Terminate contract {contract} at the switch-over: it requires no notice{end}.",
        "fr": "Résilier le contrat {contract} à la bascule : il n'exige aucun préavis{end}.",
    },
    "notice-unknown": {
        "en": "Find the notice period of contract {contract} (not recorded) and give notice "
        "in time for the switch-over{end}.",
        "fr": "Retrouver le préavis du contrat {contract} (non renseigné) et résilier à temps "
        "pour la bascule{end}.",
    },
    "notice-end": {
        "en": "; otherwise it runs until {ends}",
        "fr": " ; à défaut, il court jusqu'au {ends}",
    },
    "choose-no-category": {
        "en": "Classify {name} (its category is not recorded) and choose an alternative to it.",
        "fr": "Classer {name} (sa catégorie n'est pas renseignée) et lui choisir une alternative.",
    },
    "choose-none": {
        "en": "Choose an alternative to {name}: the catalog has none for the category {category}.",
        "fr": "Choisir une alternative à {name} : le catalogue n'en propose aucune pour la "
        "catégorie {category}.",
    },
    "choose-unmatched": {
        "en": "Confirm the alternative named in the estate, “{wanted}”: the catalog does not "
        "know it, so its formats, licence and control are unverified.",
        "fr": "Confirmer l'alternative indiquée dans l'inventaire, « {wanted} » : le catalogue "
        "ne la connaît pas, ses formats, sa licence et son contrôle ne sont donc pas vérifiés.",
    },
    "pilot": {
        "en": "Set up {target}{how} on a pilot scope and check that it covers what "
        "{process} needs.",
        "fr": "Mettre en place {target}{how} sur un périmètre pilote et vérifier que la solution "
        "couvre les besoins {de_process}.",
    },
    "pilot-both": {
        "en": " (as a service or self-hosted)",
        "fr": " (en service ou en auto-hébergement)",
    },
    "pilot-self": {
        "en": " (self-hosted: install and operate it)",
        "fr": " (en auto-hébergement : l'installer et l'exploiter)",
    },
    "pilot-saas": {
        "en": " (as a service: check where it is hosted and its contract terms)",
        "fr": " (en service : vérifier son hébergement et les termes de son contrat)",
    },
    "assistance-yes": {
        "en": "Call on the exit assistance granted by contract {contract}{provider} to support "
        "the migration.",
        "fr": "Faire jouer l'assistance à la réversibilité prévue par le contrat "
        "{contract}{provider} pour accompagner la migration.",
    },
    "assistance-no": {
        "en": "Contract {contract} grants no exit assistance: plan the migration without the "
        "provider's help, or negotiate that help now.",
        "fr": "Le contrat {contract} ne prévoit pas d'assistance à la réversibilité : préparer "
        "la migration sans l'aide du fournisseur, ou négocier cette aide dès maintenant.",
    },
    "assistance-unknown": {
        "en": "Check whether contract {contract} grants exit assistance (not recorded) and, "
        "if so, ask for it for the migration.",
        "fr": "Vérifier si le contrat {contract} prévoit une assistance à la réversibilité "
        "(non renseigné) et, le cas échéant, la demander pour la migration.",
    },
    "migrate": {
        "en": "Migrate the data of {name} to {target}{formats}, then check it against the "
        "inventory (volumes, history, attachments).",
        "fr": "Migrer les données {de_name} vers {target}{formats}, puis les contrôler par "
        "rapport à l'inventaire (volumes, historique, pièces jointes).",
    },
    "in-formats": {"en": " in {formats}", "fr": " en {formats}"},
    "train": {
        "en": "Train the users of {process} and the administrators on {target}{mastery}.",
        "fr": "Former les utilisateurs {de_process} et les administrateurs à {target}{mastery}.",
    },
    "train-weak": {
        "en": "; in-house mastery of {name} is {mastery}: plan training or outside help",
        "fr": " ; la maîtrise interne {de_name} est {mastery} : prévoir formation ou appui "
        "extérieur",
    },
    "train-unknown": {
        "en": "; in-house mastery of {name} is not assessed",
        "fr": " ; la maîtrise interne {de_name} n'est pas évaluée",
    },
    "switch": {
        "en": "Switch {process} over to {target}{window}.",
        "fr": "Basculer {process} vers {target}{window}.",
    },
    "switch-fits": {
        "en": ": the estimated {duration} fits within its max downtime of {max_downtime}",
        "fr": " : la durée estimée ({duration}) tient dans sa durée maximale d'interruption de "
        "{max_downtime}",
    },
    "switch-free": {
        "en": ": no process strictly needs it, so the cut-over can be scheduled freely",
        "fr": " : aucun processus n'en dépend strictement, la bascule peut donc être "
        "planifiée librement",
    },
    "switch-too-long": {
        "en": ", running both side by side: the estimated {duration} exceeds its max downtime of "
        "{max_downtime}, so the cut-over itself must fit in a shorter window",
        "fr": " en faisant tourner les deux en parallèle : la durée estimée ({duration}) dépasse "
        "sa durée maximale d'interruption de {max_downtime}, la bascule elle-même doit "
        "donc tenir dans une fenêtre plus courte",
    },
    "switch-unknown": {
        "en": "; the max downtime or the exit duration is not known, so the cut-over window "
        "cannot be checked",
        "fr": " ; la durée maximale d'interruption ou la durée de sortie n'est pas connue, la "
        "fenêtre de bascule ne peut donc pas être vérifiée",
    },
    "decommission-cloud": {
        "en": "Once the final export is checked, close the {name} accounts and get written "
        "confirmation from the provider{provider} that the data is deleted; keep an "
        "archive{formats}.",
        "fr": "Une fois l'export final vérifié, fermer les comptes {name} et obtenir du "
        "fournisseur{provider} la confirmation écrite de la suppression des données ; "
        "conserver une archive{formats}.",
    },
    "decommission-on-premise": {
        "en": "Keep an archived copy of the data{formats}, then uninstall {name}, free its "
        "servers and end its licences and maintenance.",
        "fr": "Conserver une copie archivée des données{formats}, puis désinstaller {name}, "
        "libérer ses serveurs et mettre fin à ses licences et à sa maintenance.",
    },
    "decommission": {
        "en": "Keep an archive of the data{formats}, then shut {name} down and end its "
        "licences, accounts and contracts.",
        "fr": "Conserver une archive des données{formats}, puis arrêter {name} et mettre fin à "
        "ses licences, comptes et contrats.",
    },
    "decommission-no-data": {
        "en": "Shut {name} down and end its licences, accounts and contracts.",
        "fr": "Arrêter {name} et mettre fin à ses licences, comptes et contrats.",
    },
    # skills
    "skill-product": {
        "en": "{category}: use and administration of {target}.",
        "fr": "{category} : utilisation et administration {de_target}.",
    },
    "skill-product-unknown": {
        "en": "{category}: use and administration of the alternative chosen.",
        "fr": "{category} : utilisation et administration de l'alternative retenue.",
    },
    "skill-self-hosting": {
        "en": "Operating a self-hosted service: installation, updates, backups and restore tests.",
        "fr": "Exploitation d'un service auto-hébergé : installation, mises à jour, sauvegardes "
        "et tests de restauration.",
    },
    "skill-data-migration": {
        "en": "Data migration: mapping, transforming and checking the data{formats}.",
        "fr": "Migration de données : correspondance, transformation et contrôle des "
        "données{formats}.",
    },
    "skill-mastery-none": {
        "en": "No in-house mastery of {name}: bring in outside help (integrator, vendor "
        "training) and build a team.",
        "fr": "Aucune maîtrise interne {de_name} : faire appel à un appui extérieur "
        "(intégrateur, formation éditeur) et constituer une équipe.",
    },
    "skill-mastery-low": {
        "en": "In-house mastery of {name} is low: train the team or bring in an integrator.",
        "fr": "La maîtrise interne {de_name} est faible : former l'équipe ou faire appel à un "
        "intégrateur.",
    },
    "skill-mastery-medium": {
        "en": "In-house mastery of {name} is medium: the team can lead the exit with targeted "
        "training.",
        "fr": "La maîtrise interne {de_name} est moyenne : l'équipe peut conduire la sortie "
        "avec des formations ciblées.",
    },
    "skill-mastery-high": {
        "en": "In-house mastery of {name} is high: the team can lead the exit.",
        "fr": "La maîtrise interne {de_name} est élevée : l'équipe peut conduire la sortie.",
    },
    "skill-mastery-unknown": {
        "en": "In-house mastery of {name} is not assessed: assess it before planning.",
        "fr": "La maîtrise interne {de_name} n'est pas évaluée : l'évaluer avant de planifier.",
    },
    "skill-in-use": {
        "en": "{target} already runs here ({assets}), in-house mastery {mastery}: build on "
        "that team.",
        "fr": "{target} est déjà en service ici ({assets}), maîtrise interne {mastery} : "
        "s'appuyer sur cette équipe.",
    },
    # contract steps
    "c-notice": {
        "en": "Notice period: {days}{compare}.",
        "fr": "Préavis de résiliation : {days}{compare}.",
    },
    "c-notice-longer": {
        "en": ", longer than the estimated {duration} of work: give notice first",
        "fr": ", plus long que la durée estimée des travaux ({duration}) : résilier en premier",
    },
    "c-notice-shorter": {
        "en": ", no longer than the estimated {duration} of work",
        "fr": ", pas plus long que la durée estimée des travaux ({duration})",
    },
    "c-notice-unknown": {
        "en": "Notice period not recorded: check the contract.",
        "fr": "Préavis de résiliation non renseigné : vérifier le contrat.",
    },
    "c-assistance-yes": {
        "en": "Exit assistance granted: ask for it in writing when giving notice.",
        "fr": "Assistance à la réversibilité prévue : la demander par écrit lors de la "
        "résiliation.",
    },
    "c-assistance-no": {
        "en": "No exit assistance: negotiate it, or budget the migration without the provider.",
        "fr": "Pas d'assistance à la réversibilité : la négocier, ou budgéter la migration sans "
        "le fournisseur.",
    },
    "c-assistance-unknown": {
        "en": "Exit assistance not recorded: check the contract.",
        "fr": "Assistance à la réversibilité non renseignée : vérifier le contrat.",
    },
    "c-portability-yes": {
        "en": "Data portability granted: require a full export in an open format.",
        "fr": "Portabilité des données prévue : exiger un export complet dans un format ouvert.",
    },
    "c-portability-no": {
        "en": "No data portability: secure a full export before giving notice.",
        "fr": "Pas de portabilité des données : sécuriser un export complet avant de résilier.",
    },
    "c-portability-unknown": {
        "en": "Data portability not recorded: check the contract.",
        "fr": "Portabilité des données non renseignée : vérifier le contrat.",
    },
    "c-ends-deadline": {
        "en": "The contract ends on {ends}: give notice by {deadline} to avoid its renewal.",
        "fr": "Le contrat prend fin le {ends} : résilier au plus tard le {deadline} pour éviter "
        "son renouvellement.",
    },
    "c-ends-deadline-passed": {
        "en": "The contract ends on {ends}: the notice deadline ({deadline}) has passed, so "
        "check its renewal terms.",
        "fr": "Le contrat prend fin le {ends} : la date limite de préavis ({deadline}) est "
        "passée ; vérifier ses conditions de renouvellement.",
    },
    "c-ends": {
        "en": "The contract ends on {ends}: align the switch-over with that date.",
        "fr": "Le contrat prend fin le {ends} : caler la bascule sur cette date.",
    },
    "c-ended": {
        "en": "The contract ended on {ends}: check under what terms the service continues.",
        "fr": "Le contrat a pris fin le {ends} : vérifier à quelles conditions le service "
        "continue.",
    },
    "c-ends-unknown": {
        "en": "Contract end date not recorded.",
        "fr": "Date de fin du contrat non renseignée.",
    },
    "c-no-contract": {
        "en": "No contract is linked to {name}: notice, data portability and exit assistance "
        "are unknown.",
        "fr": "Aucun contrat n'est lié à {name} : préavis, portabilité des données et "
        "assistance à la réversibilité sont inconnus.",
    },
    # reasons
    "why-named": {
        "en": "Alternative named in the estate: {target}.",
        "fr": "Alternative indiquée dans l'inventaire : {target}.",
    },
    "why-matched": {
        "en": "The estate names “{wanted}”, matched to the catalog product {target} "
        "(confidence {confidence}).",
        "fr": "L'inventaire indique « {wanted} », rapproché du produit {target} du catalogue "
        "(confiance {confidence}).",
    },
    "why-unmatched": {
        "en": "The estate names “{wanted}”, which matches no catalog product{candidates}.",
        "fr": "L'inventaire indique « {wanted} », qui ne correspond à aucun produit du "
        "catalogue{candidates}.",
    },
    "why-ambiguous": {
        "en": " without ambiguity (candidates: {names})",
        "fr": " sans ambiguïté (candidats : {names})",
    },
    "why-held": {
        "en": "The catalog rings {target} “hold” for this category: reconsider the choice.",
        "fr": "Le catalogue classe {target} en « suspendre » pour cette catégorie : revoir ce "
        "choix.",
    },
    "why-catalog": {
        "en": "{target}: ring “{ring}” in the catalog for {category}; {open}, {european}.",
        "fr": "{target} : anneau « {ring} » du catalogue pour {category} ; {open}, {european}.",
    },
    "why-none": {
        "en": "The catalog has no alternative in ring adopt, trial or assess for {category}.",
        "fr": "Le catalogue n'a aucune alternative en anneau adopter, essayer ou évaluer pour "
        "{category}.",
    },
    "why-no-category": {
        "en": "The category of {name} is not known: no alternative can be proposed.",
        "fr": "La catégorie {de_name} n'est pas connue : aucune alternative ne peut être proposée.",
    },
    "duration-given": {
        "en": "Exit duration estimated in the estate: {duration}.",
        "fr": "Durée de sortie estimée dans l'inventaire : {duration}.",
    },
    "duration-effort": {
        "en": "Exit duration {duration}: {effort} person-days of effort divided by the "
        "methodology's exit.people_on_exit ({people}).",
        "fr": "Durée de sortie {duration} : {effort} jours-personnes d'effort divisés par "
        "exit.people_on_exit ({people}) de la méthodologie.",
    },
    "duration-unknown": {
        "en": "Exit duration not estimated: record exit.duration or exit.effort_days.",
        "fr": "Durée de sortie non estimée : renseigner exit.duration ou exit.effort_days.",
    },
}


# --- the plans -----------------------------------------------------------------------


@dataclass
class _Context:
    """What every plan of one audit shares, worked out once."""

    result: AuditResult
    catalog: Catalog
    assets: dict[str, Asset]
    contracts: dict[str, Contract]
    process_names: dict[str, str]
    candidates: dict[str, list[str]]  # asset → alternative products (the radar's choice)
    entries: dict[tuple[str, str], Alternative]  # (category, product) → best-ring entry
    users: dict[str, list[str]]  # asset → what requires it (processes, assets)
    recent_days: int
    by_product: dict[str, list[Asset]]  # catalog product → the assets running it
    _matcher: Matcher | None = field(default=None, repr=False)
    _matches: dict[str, MatchResult] = field(default_factory=dict, repr=False)
    _preferences: dict[str, tuple[int, int, int, str, str]] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def build(cls, result: AuditResult, catalog: Catalog, radar: Radar | None = None) -> _Context:
        estate = result.estate
        candidates: dict[str, list[str]] = {}
        if radar is None or radar.view != "alternatives":
            radar = alternatives_radar(result, catalog)
        for blip in radar.blips:
            for asset_id in blip.replaces:
                candidates.setdefault(asset_id, []).append(blip.product or blip.id)
        entries: dict[tuple[str, str], Alternative] = {}
        for entry in catalog.alternatives.values():
            key = (entry.category, entry.product)
            known = entries.get(key)
            if known is None or RING_IDS.index(entry.ring) < RING_IDS.index(known.ring):
                entries[key] = entry
        users: dict[str, list[str]] = {}
        for process in estate.processes:
            for ident in dict.fromkeys(requirement_ids(process.depends_on)):
                users.setdefault(ident, []).append(process.name or process.id)
        for asset in estate.assets:
            for ident in dict.fromkeys(requirement_ids(asset.depends_on)):
                users.setdefault(ident, []).append(asset.name or asset.id)
        recent = next(
            (
                int(c.params["days"])
                for c in result.methodology.exit.criteria
                if c.when == "export_tested_within" and "days" in c.params
            ),
            _RECENT_EXPORT_DAYS,
        )
        by_product: dict[str, list[Asset]] = {}
        for asset in estate.assets:
            if asset.product:
                by_product.setdefault(asset.product, []).append(asset)
        return cls(
            result,
            catalog,
            {a.id: a for a in estate.assets},
            {c.id: c for c in estate.contracts},
            {p.id: p.name or p.id for p in estate.processes},
            candidates,
            entries,
            users,
            recent,
            by_product,
        )

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            self._matcher = Matcher(self.catalog, ("product",))
        return self._matcher

    def preference(self, entry: Alternative) -> tuple[int, int, int, str, str]:
        """:func:`preference`, worked out once per catalog entry."""
        found = self._preferences.get(entry.id)
        if found is None:
            found = self._preferences[entry.id] = preference(entry, self.catalog)
        return found

    def match(self, text: str) -> MatchResult:
        """The catalog products ``text`` names (the same answer for the same text)."""
        found = self._matches.get(text)
        if found is None:
            found = self._matches[text] = self.matcher.match(text)
        return found


def exit_plans(
    result: AuditResult,
    catalog: Catalog,
    radar: Radar | None = None,
    detailed: int | None = None,
) -> list[ExitPlan]:
    """An exit plan for every vital or important dependency, riskiest first.

    The candidate alternatives are those of the alternatives radar; a caller that has
    worked it out already (``radar_for("alternatives", result, catalog)``) passes it
    as ``radar`` rather than have it worked out again.

    ``detailed``: only the first ``detailed`` plans get their steps, skills and
    contract steps, the words that take most of the time; the others keep everything
    else (alternative, export, duration, downtime verdict and the reasons with their
    sources). The report details no more plans than that and counts the others.
    """
    grave = [d for d in result.dependencies if d.gravity in GRAVE]
    if not grave:
        return []
    context = _Context.build(result, catalog, radar)
    return [
        _plan(dep, context, detailed is None or rank < detailed) for rank, dep in enumerate(grave)
    ]


@dataclass(frozen=True)
class _Choice:
    product: str | None
    name: str | None
    ring: Ring | None
    considered: tuple[str, ...]
    notes: tuple[Note, ...]
    unmatched: str | None = None  # free text the catalog does not know


def _plan(dep: Dependency, context: _Context, detailed: bool = True) -> ExitPlan:
    catalog = context.catalog
    asset = context.assets[dep.asset]
    product = catalog.products.get(asset.product) if asset.product else None
    contract = context.contracts.get(asset.contract) if asset.contract else None
    deployment = _deployment(asset, product)
    holds_data = _holds_data(asset, dep.category, catalog)
    choice = _choose(dep, asset, context)
    export = _export(asset, product, catalog, context.result.today)
    duration = dep.exit.time_to_exit
    duration_source, duration_note = _duration_source(asset, duration, context)
    fits, fits_note = _fits_max_downtime(dep)
    clauses = contract.clauses if contract else None
    notice = clauses.termination_notice_days if clauses else None
    notice_longer = None if notice is None or duration is None else notice > duration.days
    facts = _Facts(
        dep,
        asset,
        context,
        contract,
        deployment,
        holds_data,
        choice,
        export,
        duration,
        notice,
        notice_longer,
        fits,
    )
    return ExitPlan(
        asset=dep.asset,
        name=dep.name,
        gravity=dep.gravity,
        process=dep.gravity_process,
        provider=dep.provider,
        alternative=choice.product,
        alternative_name=choice.name,
        alternative_ring=choice.ring,
        alternatives_considered=choice.considered,
        export=export,
        steps=tuple(_steps(facts)) if detailed else (),
        skills=tuple(_skills(facts)) if detailed else (),
        contract_steps=tuple(_contract_steps(facts)) if detailed else (),
        duration=duration,
        duration_source=duration_source,
        notice_days=notice,
        notice_longer_than_work=notice_longer,
        fits_max_downtime=fits,
        max_downtime=dep.exit.max_downtime,
        reasons=(*choice.notes, duration_note, *fits_note),
        process_name=context.process_names.get(dep.gravity_process or ""),
        provider_name=dep.provider_name,
        deployment=deployment,
    )


def _deployment(asset: Asset, product: Product | None) -> str | None:
    """The asset's deployment, or its catalog product's when it has only one."""
    if asset.deployment:
        return asset.deployment
    if product and product.deployments and len(product.deployments.value) == 1:
        return product.deployments.value[0]
    return None


def _holds_data(asset: Asset, category: str | None, catalog: Catalog) -> bool | None:
    if asset.data is not None:
        return bool(asset.data)
    entry = catalog.categories.get(category) if category else None
    return False if entry is not None and not entry.holds_data else None


# --- the alternative -----------------------------------------------------------------


def _unknown_last(value: bool | None) -> int:
    return 0 if value is True else 1 if value is None else 2


def preference(entry: Alternative, catalog: Catalog) -> tuple[int, int, int, str, str]:
    """How the catalog's alternatives are ranked, best first: ring, then open source,
    then a European owner chain (unknowns after), then name. The roadmap's migrations
    try them in this order too."""
    product = catalog.products[entry.product]
    return (
        RING_IDS.index(entry.ring),
        _unknown_last(is_open_source(product)),
        _unknown_last(is_european(catalog, product.provider)),
        product.name.casefold(),
        product.id,
    )


def _category_name(category: str | None, catalog: Catalog) -> Param:
    entry = catalog.categories.get(category) if category else None
    if entry is None:
        return category or "?"
    return {lang: entry.name.get(lang) or entry.name.get("en") or entry.id for lang in LANGS}


def _choose(dep: Dependency, asset: Asset, context: _Context) -> _Choice:
    """The target alternative: the estate's own choice if it names one, else the
    catalog's best candidate (ring, then open source, then European)."""
    catalog = context.catalog
    entries = [
        context.entries[(dep.category, p)]
        for p in context.candidates.get(dep.asset, ())
        if dep.category and (dep.category, p) in context.entries
    ]
    ranked = sorted((e for e in entries if e.ring != "hold"), key=context.preference)
    ranked_ids = [e.product for e in ranked]
    wanted = asset.exit.alternative if asset.exit else None
    ref = f"assets[{asset.id}].exit.alternative"
    category = _category_name(dep.category, catalog)
    if wanted:
        notes: list[Note] = []
        product_id: str | None = wanted if wanted in catalog.products else None
        if product_id is None:
            match = context.match(wanted)
            if match.best is not None:
                product_id = match.best.id
                notes.append(
                    Note(
                        _say(
                            _T["why-matched"],
                            wanted=wanted,
                            target=match.best.name,
                            confidence=f"{match.best.confidence:.0%}",
                        ),
                        ref,
                    )
                )
            else:
                names = _words([m.name for m in match.matches]) if match.ambiguous else ""
                candidates = _say(_T["why-ambiguous"], names=names) if names else ""
                notes.append(
                    Note(_say(_T["why-unmatched"], wanted=wanted, candidates=candidates), ref)
                )
                return _Choice(None, wanted, None, tuple(ranked_ids), tuple(notes), wanted)
        product = catalog.products[product_id]
        entry = context.entries.get((dep.category or "", product_id))
        if not notes:
            notes.append(Note(_say(_T["why-named"], target=product.name), ref))
        if entry is not None and entry.ring == "hold":
            notes.append(
                Note(
                    _say(_T["why-held"], target=product.name),
                    f"catalog alternative {entry.id}: ring",
                    entry.source,
                    entry.as_of,
                )
            )
        return _Choice(
            product_id,
            product.name,
            entry.ring if entry else None,
            tuple(p for p in ranked_ids if p != product_id),
            tuple(notes),
        )
    if not ranked:
        if not dep.category:
            note = Note(_say(_T["why-no-category"], name=dep.name), f"assets[{asset.id}].category")
        else:
            note = Note(_say(_T["why-none"], category=category), f"assets[{asset.id}].category")
        return _Choice(None, None, None, (), (note,))
    best = ranked[0]
    product = catalog.products[best.product]
    note = Note(
        _say(
            _T["why-catalog"],
            target=product.name,
            ring=_RING[best.ring],
            category=category,
            open=_OPEN[is_open_source(product)],
            european=_EUROPEAN[is_european(catalog, product.provider)],
        ),
        f"catalog alternative {best.id}",
        best.source,
        best.as_of,
    )
    return _Choice(best.product, product.name, best.ring, tuple(ranked_ids[1:]), (note,))


# --- export, duration, downtime ------------------------------------------------------


def _export(asset: Asset, product: Product | None, catalog: Catalog, today: date) -> Export:
    tested = asset.exit.export_tested if asset.exit else None
    age = (today - tested).days if tested else None
    if asset.exports is not None:
        formats, source = list(asset.exports), f"assets[{asset.id}].exports"
    elif product is not None and product.exports is not None:
        formats, source = list(product.exports.value), f"catalog product {product.id}: exports"
    else:
        return Export((), None, f"assets[{asset.id}].exports", tested, age)
    opened: list[str] = []
    closed: list[str] = []
    for name in formats:
        standard = catalog.standard(name)
        if standard is not None and standard.open.value:
            opened.append(standard.id)
        else:
            closed.append(standard.id if standard else name)
    return Export(tuple(dict.fromkeys(opened + closed)), bool(opened), source, tested, age)


def _open_formats(export: Export, catalog: Catalog) -> list[str]:
    if not export.open_export:
        return []
    out = []
    for ident in export.formats:
        standard = catalog.standards.get(ident)
        if standard is None or not standard.open.value:
            break  # open ones come first
        out.append(ident)
    return out


def _duration_source(
    asset: Asset, duration: Duration | None, context: _Context
) -> tuple[str | None, Note]:
    """Where the audit's time to exit comes from (it is never made up here)."""
    plan = asset.exit
    if duration is None or plan is None:
        return None, Note(_say(_T["duration-unknown"]), f"assets[{asset.id}].exit")
    if plan.duration is not None:
        ref = f"assets[{asset.id}].exit.duration"
        return ref, Note(_say(_T["duration-given"], duration=duration_words(duration)), ref)
    ref = f"assets[{asset.id}].exit.effort_days"
    people = context.result.methodology.exit.people_on_exit
    text = _say(
        _T["duration-effort"],
        duration=duration_words(duration),
        effort=f"{plan.effort_days:g}",
        people=f"{people:g}",
    )
    return ref, Note(text, ref)


def _fits_max_downtime(dep: Dependency) -> tuple[bool | None, tuple[Note, ...]]:
    """The audit's verdict (:func:`souverain.core.scoring.audit._fits`), None when not assessed."""
    verdict: Reason | None = next(
        (r for r in reversed(dep.exit.reasons) if r.predicate is None), None
    )
    if verdict is None:
        return dep.exit.can_exit_within_max_downtime, ()
    note = Note(
        {lang: verdict.text(lang) for lang in LANGS},
        verdict.evidence.ref,
        verdict.evidence.source,
        verdict.evidence.as_of,
    )
    fits = None if verdict.not_assessed else dep.exit.can_exit_within_max_downtime
    return fits, (note,)


# --- steps, skills, contract ---------------------------------------------------------


@dataclass(frozen=True)
class _Facts:
    dep: Dependency
    asset: Asset
    context: _Context
    contract: Contract | None
    deployment: str | None
    holds_data: bool | None
    choice: _Choice
    export: Export
    duration: Duration | None
    notice: int | None
    notice_longer: bool | None
    fits: bool | None

    @property
    def target(self) -> Param:
        return self.choice.name or _THE_ALTERNATIVE

    @property
    def process(self) -> Param:
        name = self.context.process_names.get(self.dep.gravity_process or "")
        return name or _THE_PROCESSES

    @property
    def alternative_product(self) -> Product | None:
        ident = self.choice.product
        return self.context.catalog.products.get(ident) if ident else None

    @property
    def open_formats(self) -> list[str]:
        return _open_formats(self.export, self.context.catalog)

    def formats_suffix(self, first_only: bool = False) -> Param:
        formats = self.open_formats[:1] if first_only else self.open_formats
        return _say(_T["in-formats"], formats=", ".join(formats)) if formats else ""

    def clause(self, name: str) -> bool | None:
        clauses = self.contract.clauses if self.contract else None
        value = getattr(clauses, name) if clauses else None
        return value if isinstance(value, bool) else None

    def clause_ref(self, name: str) -> str:
        assert self.contract is not None
        return f"contracts[{self.contract.id}].clauses.{name}"


def _steps(f: _Facts) -> list[Step]:
    name = f.dep.name
    asset_ref = f"assets[{f.asset.id}]"
    steps: list[Step] = []
    links = [*f.context.users.get(f.asset.id, ()), *requirement_ids(f.asset.depends_on)]
    links_text: Param = _words(links) if links else _NONE_RECORDED
    if f.holds_data is False:
        steps.append(
            Step("inventory", _say(_T["inventory-no-data"], name=name, links=links_text), None)
        )
    else:
        data: Param = _words(f.asset.data) if f.asset.data else _NOT_RECORDED
        steps.append(
            Step(
                "inventory",
                _say(_T["inventory"], name=name, data=data, links=links_text),
                None,
                f"{asset_ref}.data",
            )
        )
    if f.contract is None:
        steps.append(
            Step("contract", _say(_T["no-contract-step"], name=name), None, f"{asset_ref}.contract")
        )
    if f.holds_data is not False:
        steps.append(_export_step(f))
    notice_step = _notice_step(f) if f.contract is not None else None
    if notice_step is not None and f.notice_longer:
        steps.append(notice_step)
    if f.choice.product is None:
        if f.choice.unmatched:
            text = _say(_T["choose-unmatched"], wanted=f.choice.unmatched)
        elif not f.dep.category:
            text = _say(_T["choose-no-category"], name=name)
        else:
            text = _say(
                _T["choose-none"],
                name=name,
                category=_category_name(f.dep.category, f.context.catalog),
            )
        steps.append(Step("choose-alternative", text, None, f"{asset_ref}.exit.alternative"))
    steps.append(
        Step(
            "pilot",
            _say(_T["pilot"], target=f.target, how=_pilot_how(f), process=f.process),
        )
    )
    if f.contract is not None:
        assistance = f.clause("exit_assistance")
        key = {True: "assistance-yes", False: "assistance-no", None: "assistance-unknown"}
        provider = f" ({f.dep.provider_name})" if f.dep.provider_name else ""
        steps.append(
            Step(
                "exit-assistance",
                _say(_T[key[assistance]], contract=f.contract.id, provider=provider),
                None,
                f.clause_ref("exit_assistance"),
            )
        )
    if f.holds_data is not False:
        steps.append(
            Step(
                "migrate",
                _say(_T["migrate"], name=name, target=f.target, formats=f.formats_suffix()),
            )
        )
    steps.append(Step("train", _train_text(f), None, f"{asset_ref}.skills"))
    if notice_step is not None and not f.notice_longer:
        steps.append(notice_step)
    steps.append(Step("switch", _switch_text(f), None, f"{asset_ref}.exit"))
    steps.append(_decommission_step(f))
    return steps


def _export_step(f: _Facts) -> Step:
    export = f.export
    name = f.dep.name
    how = _export_how(f.deployment)
    portability: Param = ""
    if f.contract is not None and f.clause("data_portability") is not None:
        key = "portability-yes" if f.clause("data_portability") else "portability-no"
        portability = _say(_T[key], contract=f.contract.id)
    params: dict[str, Param] = {"name": name, "how": how, "portability": portability}
    if export.open_export is None:
        return Step("export-test", _say(_T["export-unknown"], **params), None, export.source)
    if not export.formats:
        return Step("export-test", _say(_T["export-none"], **params), None, export.source)
    if not export.open_export:
        text = _say(_T["export-closed"], formats=", ".join(export.formats), **params)
        return Step("export-test", text, None, export.source)
    formats = ", ".join(f.open_formats)
    ref = f"assets[{f.asset.id}].exit.export_tested"
    if export.tested is None or export.tested_days_ago is None:
        text = _say(_T["export-untested"], formats=formats, target=f.target, **params)
        return Step("export-test", text, None, export.source)
    when = {"when": export.tested.isoformat(), "days": str(export.tested_days_ago)}
    if export.tested_days_ago <= f.context.recent_days:
        text = _say(_T["export-recent"], target=f.target, **when, **params)
    else:
        text = _say(_T["export-old"], formats=formats, **when, **params)
    return Step("export-test", text, None, ref)


def _export_how(deployment: str | None) -> Param:
    if deployment in OFF_PREMISE:
        return _T["how-saas"]
    if deployment == "on-premise":
        return _T["how-on-premise"]
    return ""


Hosting = Literal["both", "self", "saas"]


def _hosting(product: Product | None) -> Hosting | None:
    """How the alternative can run: as a service, self-hosted, or both; None: unknown."""
    if product is None:
        return None
    deployments = set(product.deployments.value) if product.deployments else set()
    self_hostable = is_self_hostable(product)
    as_service = bool(deployments & OFF_PREMISE)
    if self_hostable and as_service:
        return "both"
    if self_hostable:
        return "self"
    return "saas" if as_service else None


def _pilot_how(f: _Facts) -> Param:
    hosting = _hosting(f.alternative_product)
    return _T[f"pilot-{hosting}"] if hosting else ""


def _notice_step(f: _Facts) -> Step:
    assert f.contract is not None
    ends = f.contract.ends
    end: Param = _say(_T["notice-end"], ends=ends.isoformat()) if ends else ""
    ref = f.clause_ref("termination_notice_days")
    params: dict[str, Param] = {"contract": f.contract.id, "end": end}
    if f.notice is None:
        return Step("notice", _say(_T["notice-unknown"], **params), None, ref)
    if f.notice == 0:
        return Step("notice", _say(_T["notice-none"], **params), 0, ref)
    days = duration_words(Duration.of_days(f.notice))
    if f.notice_longer:
        assert f.duration is not None
        text = _say(_T["notice-first"], days=days, duration=duration_words(f.duration), **params)
    else:
        text = _say(_T["notice-before-switch"], days=days, **params)
    return Step("notice", text, f.notice, ref)


def _train_text(f: _Facts) -> Text:
    mastery = f.asset.skills
    suffix: Param = ""
    if mastery is None:
        suffix = _say(_T["train-unknown"], name=f.dep.name)
    elif mastery in ("none", "low"):
        suffix = _say(_T["train-weak"], name=f.dep.name, mastery=_MASTERY[mastery])
    return _say(_T["train"], process=f.process, target=f.target, mastery=suffix)


def _switch_text(f: _Facts) -> Text:
    max_downtime = f.dep.exit.max_downtime
    window: Param
    if f.fits is None:
        window = _T["switch-unknown"]
    elif f.fits and max_downtime is None:
        window = _T["switch-free"]
    else:
        key = "switch-fits" if f.fits else "switch-too-long"
        assert f.duration is not None and max_downtime is not None
        window = _say(
            _T[key], duration=duration_words(f.duration), max_downtime=duration_words(max_downtime)
        )
    return _say(_T["switch"], process=f.process, target=f.target, window=window)


def _decommission_step(f: _Facts) -> Step:
    name = f.dep.name
    if f.holds_data is False:
        return Step("decommission", _say(_T["decommission-no-data"], name=name))
    formats = f.formats_suffix(first_only=True)
    if f.deployment in OFF_PREMISE:
        provider = f" ({f.dep.provider_name})" if f.dep.provider_name else ""
        text = _say(_T["decommission-cloud"], name=name, provider=provider, formats=formats)
    elif f.deployment == "on-premise":
        text = _say(_T["decommission-on-premise"], name=name, formats=formats)
    else:
        text = _say(_T["decommission"], name=name, formats=formats)
    return Step("decommission", text)


def _skills(f: _Facts) -> list[Skill]:
    catalog = f.context.catalog
    category = _category_name(f.dep.category, catalog)
    product = f.alternative_product
    skills: list[Skill] = []
    if f.choice.name:
        if product is not None:
            category = _category_name(product.category, catalog)
        skills.append(
            Skill("product", _say(_T["skill-product"], target=f.choice.name, category=category))
        )
    else:
        skills.append(Skill("product", _say(_T["skill-product-unknown"], category=category)))
    hosting = _hosting(product)
    if hosting == "self" or (hosting == "both" and f.deployment == "on-premise"):
        # self-hosted for sure, or as the organisation runs the current one
        skills.append(Skill("self-hosting", _say(_T["skill-self-hosting"])))
    if f.holds_data is not False:
        skills.append(
            Skill("data-migration", _say(_T["skill-data-migration"], formats=f.formats_suffix()))
        )
    mastery = f.asset.skills
    skills.append(
        Skill(
            "mastery",
            _say(_T[f"skill-mastery-{mastery or 'unknown'}"], name=f.dep.name),
            mastery,
            f"assets[{f.asset.id}].skills",
        )
    )
    if f.choice.product:
        running = [a for a in f.context.by_product.get(f.choice.product, ()) if a.id != f.asset.id]
        if running:
            best = max(running, key=lambda a: MASTERY.index(a.skills) if a.skills else -1)
            skills.append(
                Skill(
                    "in-use",
                    _say(
                        _T["skill-in-use"],
                        target=f.choice.name or f.choice.product,
                        assets=_words([a.name or a.id for a in running]),
                        mastery=_MASTERY[best.skills] if best.skills else _NOT_ASSESSED,
                    ),
                    best.skills,
                    f"assets[{best.id}].skills",
                )
            )
    return skills


_NOT_ASSESSED: Text = {"en": "not assessed", "fr": "non évaluée"}


def _contract_steps(f: _Facts) -> list[ContractStep]:
    if f.contract is None:
        return [
            ContractStep(
                "no-contract",
                _say(_T["c-no-contract"], name=f.dep.name),
                f"assets[{f.asset.id}].contract",
                None,
            )
        ]
    steps: list[ContractStep] = []
    if f.notice is None:
        text = _say(_T["c-notice-unknown"])
    else:
        compare: Param = ""
        if f.duration is not None:
            key = "c-notice-longer" if f.notice_longer else "c-notice-shorter"
            compare = _say(_T[key], duration=duration_words(f.duration))
        text = _say(
            _T["c-notice"], days=duration_words(Duration.of_days(f.notice)), compare=compare
        )
    steps.append(ContractStep("notice", text, f.clause_ref("termination_notice_days"), f.notice))
    clauses: tuple[tuple[ContractStepKind, str, str], ...] = (
        ("exit-assistance", "exit_assistance", "c-assistance"),
        ("data-portability", "data_portability", "c-portability"),
    )
    for kind, clause, prefix in clauses:
        value = f.clause(clause)
        suffix = {True: "yes", False: "no", None: "unknown"}[value]
        steps.append(
            ContractStep(
                kind,
                _say(_T[f"{prefix}-{suffix}"]),
                f.clause_ref(clause),
                value,
            )
        )
    steps.append(_end_date_step(f))
    return steps


def _end_date_step(f: _Facts) -> ContractStep:
    assert f.contract is not None
    ends = f.contract.ends
    ref = f"contracts[{f.contract.id}].ends"
    if ends is None:
        return ContractStep("end-date", _say(_T["c-ends-unknown"]), ref, None)
    today = f.context.result.today
    when = ends.isoformat()
    if ends < today:
        text = _say(_T["c-ended"], ends=when)
    elif f.notice is None:
        text = _say(_T["c-ends"], ends=when)
    else:
        deadline: Param
        if f.notice > (ends - date.min).days:  # before year 1: long passed
            key = "c-ends-deadline-passed"
            deadline = {
                "en": f"{f.notice} days before {when}",
                "fr": f"{f.notice} jours avant le {when}",
            }
        else:
            day = ends - timedelta(days=f.notice)
            key = "c-ends-deadline-passed" if day < today else "c-ends-deadline"
            deadline = day.isoformat()
        text = _say(_T[key], ends=when, deadline=deadline)
    return ContractStep("end-date", text, ref, when)


# --- the JSON document ---------------------------------------------------------------


def exit_plan_document(plan: ExitPlan, lang: str) -> dict[str, Any]:
    """One plan as JSON-ready data, every text in ``lang`` (``en`` or ``fr``)."""
    if lang not in LANGS:
        raise ValueError(f"expected a language among {', '.join(LANGS)}, found {lang!r}")
    key: Lang = "fr" if lang == "fr" else "en"

    def text(value: Text) -> str:
        return value.get(key) or value.get("en") or ""

    return {
        "asset": plan.asset,
        "name": plan.name,
        "gravity": plan.gravity,
        "process": plan.process,
        "provider": plan.provider,
        "alternative": plan.alternative,
        "alternative_name": plan.alternative_name,
        "alternative_ring": plan.alternative_ring,
        "alternatives_considered": list(plan.alternatives_considered),
        "export": {
            "formats": list(plan.export.formats),
            "open": plan.export.open_export,
            "source": plan.export.source,
            "tested": plan.export.tested.isoformat() if plan.export.tested else None,
        },
        "steps": [
            {"kind": s.kind, "text": text(s.text), "days": s.days, "ref": s.ref} for s in plan.steps
        ],
        "skills": [
            {"kind": s.kind, "text": text(s.text), "mastery": s.mastery} for s in plan.skills
        ],
        "contract_steps": [
            {"kind": c.kind, "text": text(c.text), "field": c.field, "value": c.value}
            for c in plan.contract_steps
        ],
        "duration": str(plan.duration) if plan.duration is not None else None,
        "duration_source": plan.duration_source,
        "notice_days": plan.notice_days,
        "notice_longer_than_work": plan.notice_longer_than_work,
        "fits_max_downtime": plan.fits_max_downtime,
        "max_downtime": str(plan.max_downtime) if plan.max_downtime is not None else None,
        "reasons": [
            {
                "text": text(n.text),
                "ref": n.ref,
                "source": n.source,
                "as_of": n.as_of.isoformat() if n.as_of else None,
            }
            for n in plan.reasons
        ],
    }


__all__ = [
    "ContractStep",
    "ExitPlan",
    "Export",
    "Note",
    "Skill",
    "Step",
    "duration_words",
    "exit_plan_document",
    "exit_plans",
]
