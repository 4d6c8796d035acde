"""The plain-language lint: hedge words (right 3), officialese and jargon (right 4), long sentences.

Word lists start from ../shared/reference/STANDARDS.md §5.4. Each entry maps a phrase to a plainer
alternative. In a phrase, "a/b" means "a or b" for that word: that is how inflected forms
("commence/commenced") and word orders ("wij/we proberen", "proberen wij/we") are written. A phrase
that starts with "WE " also matches "we will", "we'll", "we shall" and "we are" ("we are trying to").

Hedge words are errors everywhere: "as soon as possible" is a promise without a date, wherever it
stands. In a promise (promise=True) the soft modal verbs and vague amounts count as hedges too;
elsewhere they are ordinary words ("you may always ask").

Where phrases overlap ("soon" in "as soon as possible"), only the longest is reported. Words in
quotation marks are mentioned, not used ("no words like 'normally'"), and are not reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

HEDGE = {
    "nl": {
        "in principe": "laat het weg en noem een datum",
        "in beginsel": "laat het weg en noem een datum",
        "normaal gesproken": "noem wat er gebeurt en wanneer",
        "normaliter": "noem wat er gebeurt en wanneer",
        "doorgaans": "noem wat er gebeurt en wanneer",
        "in de regel": "noem wat er gebeurt en wanneer",
        "als regel": "noem wat er gebeurt en wanneer",
        "in het algemeen": "zeg wat er in dit geval gebeurt",
        "over het algemeen": "zeg wat er in dit geval gebeurt",
        "meestal": "zeg wat er in dit geval gebeurt",
        "gewoonlijk": "zeg wat er in dit geval gebeurt",
        "veelal": "zeg wat er in dit geval gebeurt",
        "wellicht": "zeg wat zeker is",
        "misschien": "zeg wat zeker is",
        "eventueel/eventuele": "zeg wanneer het geldt",
        "waarschijnlijk/waarschijnlijke": "zeg wat zeker is",
        "vermoedelijk/vermoedelijke": "zeg wat zeker is",
        "zo spoedig mogelijk": "uiterlijk [datum]",
        "zo snel mogelijk": "uiterlijk [datum]",
        "z.s.m./zsm": "uiterlijk [datum]",
        "zo mogelijk": "zeg wanneer het kan",
        "indien/als mogelijk": "zeg wanneer het kan",
        "waar mogelijk": "zeg wanneer het kan",
        "zoveel mogelijk": "zeg wat u precies doet",
        "zo nodig": "zeg wanneer",
        "indien/als nodig": "zeg wanneer",
        "op korte termijn": "uiterlijk [datum]",
        "binnenkort": "uiterlijk [datum]",
        "binnen afzienbare tijd": "uiterlijk [datum]",
        "te zijner tijd": "uiterlijk [datum]",
        "t.z.t.": "uiterlijk [datum]",
        "nader te bepalen": "noem de datum",
        "onder voorbehoud": "zeg wat zeker is",
        "behoudens": "zeg de voorwaarde, of schrijf 'behalve'",
        "naar ons oordeel": "zeg wat u vindt en waarom",
        "ter beoordeling van": "zeg wie beslist en wanneer",
        "redelijkerwijs": "zeg wat u doet",
        "wij/we streven/streefden ernaar": "wij doen het uiterlijk [datum]",
        "streven/streefden wij/we ernaar": "wij doen het uiterlijk [datum]",
        "wij/we proberen/probeerden": "wij doen het uiterlijk [datum]",
        "proberen/probeerden wij/we": "wij doen het uiterlijk [datum]",
        "wij/we zullen/gaan proberen": "wij doen het uiterlijk [datum]",
        "wij/we doen/deden ons best": "wij doen het uiterlijk [datum]",
        "doen/deden wij/we ons best": "wij doen het uiterlijk [datum]",
        "ons best doen": "wij doen het uiterlijk [datum]",
        "wij/we trachten": "wij doen het uiterlijk [datum]",
        "trachten wij/we": "wij doen het uiterlijk [datum]",
        "inspanningsverplichting": "zeg wat u belooft",
    },
    "en": {
        "normally": "say what happens and when",
        "usually": "say what happens and when",
        "generally": "say what happens in this case",
        "typically": "say what happens in this case",
        "in principle": "leave it out and give a date",
        "in most cases": "say what happens in this case",
        "where possible": "say when it applies",
        "whenever possible": "say when it applies",
        "if possible": "say when it applies",
        "as soon as possible": "by [date]",
        "asap/a.s.a.p.": "by [date]",
        "as soon as practicable": "by [date]",
        "at our earliest convenience": "by [date]",
        "in due course": "by [date]",
        "shortly": "by [date]",
        "soon": "by [date]",
        "in a timely manner": "by [date]",
        "WE aim/aiming to": "we will … by [date]",
        "WE try/trying to": "we will … by [date]",
        "WE strive/striving to": "we will … by [date]",
        "WE seek/seeking to": "we will … by [date]",
        "WE hope/hoping to": "we will … by [date]",
        "WE endeavour/endeavor/endeavouring/endeavoring to": "we will … by [date]",
        "we do our best": "we will … by [date]",
        "reasonable/best endeavours/endeavors/efforts": "say what you will do",
        "at our discretion": "say who decides and when",
        "where appropriate": "say when it applies",
        "as appropriate": "say when it applies",
        "if necessary": "say when it applies",
        "subject to": "say the condition",
        "we reserve the right": "say what you will do",
        "from time to time": "say when",
        "probably": "say what is certain",
        "perhaps": "say what is certain",
    },
}

# Only in promises: words that are fine elsewhere ("you may always ask") but soften a commitment.
PROMISE_HEDGE = {
    "nl": {
        "mogelijk": "zeg wat zeker is",
        "zullen/zal": "schrijf het in de tegenwoordige tijd: 'we sturen'",
        "zou/zouden": "zeg wat u doet",
        "kunnen/kan": "zeg wat u doet",
        "ongeveer": "noem de datum",
        "rond/rondom": "noem de datum",
        "enkele": "noem het aantal",
    },
    "en": {
        "should": "will",
        "may": "will",
        "might": "will",
        "could": "will",
        "approximately": "give the date",
        "around": "give the date",
        "roughly": "give the date",
        "up to": "give the date",
    },
}

JARGON = {
    "nl": {
        "aangezien": "omdat", "alsmede": "en", "alvorens": "voordat",
        "betreffende": "over", "inzake": "over", "omtrent": "over", "met betrekking tot": "over",
        "m.b.t.": "over", "ten aanzien van": "over", "t.a.v.": "over",
        "bewerkstelligen/bewerkstelligt/bewerkstelligd": "ervoor zorgen", "bijgaand/bijgaande": "hierbij",
        "conform": "volgens", "c.q.": "of", "dan wel": "of", "d.d.": "op [datum voluit]",
        "derhalve": "daarom", "dienen/dient/diende/dienden te": "moeten", "doch": "maar",
        "doen/doet/deden toekomen": "sturen", "gaarne": "graag",
        "geschieden/geschiedt/geschiedde/geschied": "gebeuren", "heden": "[datum voluit]",
        "indien": "als", "ingeval": "als", "ingevolge": "door, volgens", "krachtens": "volgens",
        "in het kader van": "over, voor", "middels": "met, door", "onderhavig/onderhavige": "deze",
        "voornoemd/voornoemde": "deze", "vorenstaand/vorenstaande": "dit", "ondergetekende": "ik",
        "pogen/poogt/poogde/poogden": "proberen", "trachten/tracht/trachtte/trachtten": "proberen",
        "reeds": "al", "retourneren/retourneert/retourneer/geretourneerd": "terugsturen",
        "separaat/separate": "apart", "te allen tijde": "altijd", "ten behoeve van": "voor",
        "t.b.v.": "voor", "teneinde": "om", "ten gevolge van": "door", "tevens": "ook",
        "eveneens": "ook", "mede": "ook", "thans": "nu", "uw schrijven": "uw bericht",
        "verzoeken/verzoekt/verzocht": "vragen", "vigerend/vigerende": "geldende",
        "vooralsnog": "voorlopig", "voorshands": "voorlopig", "voorts": "verder",
        "op deze/die/welke wijze": "zo, op deze manier", "wijze": "manier",
        "zorg dragen/draagt/dragen voor": "zorgen voor", "zulks": "dat",
        "in behandeling": "we werken eraan; we gaan ermee aan de slag",
        "klaagschrift": "uw klacht",
        "ontvankelijk/niet-ontvankelijk": "we kunnen uw klacht (niet) behandelen, omdat …",
        "gegrond": "u heeft gelijk", "ongegrond": "u heeft geen gelijk",
        "verdagen/verdaagd/verdaging": "we hebben meer tijd nodig, tot [datum]",
        "hoorzitting": "gesprek",
        "afdoening": "hoe lang het duurt", "afhandelingstermijn": "uiterlijk [datum]",
        "doorlooptijd": "hoe lang het duurt", "i.v.m.": "omdat, over", "n.a.v.": "na, over",
        "o.a.": "noem het", "e.e.a.": "zeg wat",
        "escaleren/escaleert/geëscaleerd/escalatie": "een leidinggevende laten meekijken",
    },
    "en": {
        "pursuant to": "under", "in accordance with": "under", "prior to": "before",
        "subsequent to": "after", "commence/commences/commenced/commencing": "start",
        "terminate/terminates/terminated/terminating": "end",
        "utilise/utilises/utilised/utilising/utilize/utilizes/utilized/utilizing": "use",
        "forthwith": "now", "herewith": "leave it out", "hereby": "leave it out",
        "herein": "say where: in this letter", "aforementioned": "say which one again",
        "aforesaid": "say which one again", "the said": "this, that",
        "notwithstanding": "despite, even if",
        "in the event that": "if", "in the event of": "if", "in lieu of": "instead of",
        "with regard/regards/respect to": "about", "in relation to": "about",
        "pertaining to": "about",
        "ascertain/ascertains/ascertained/ascertaining": "find out",
        "facilitate/facilitates/facilitated/facilitating": "help",
        "furnish/furnishes/furnished/furnishing": "give",
        "expedite/expedites/expedited/expediting": "speed up",
        "remuneration": "pay", "in receipt of": "we have received",
        "please find attached/enclosed": "I have attached",
        "been logged": "say what happens and who does it",
        "actioned": "say what happens and who does it",
        "escalate/escalates/escalated/escalating/escalation": "ask a manager to look at it",
        "redress": "putting things right", "remediation": "putting things right",
        "uphold/upholds/upheld": "we agree", "shall": "will, or must",
        "leverage/leveraged/leveraging": "use", "liaise/liaises/liaised/liaising": "work with, talk to",
        "robust": "strong", "streamline/streamlines/streamlined/streamlining": "simplify",
        "empower/empowers/empowered/empowering": "let, allow", "dialogue": "talk",
        "collaborate/collaborates/collaborated/collaborating": "work together",
        "deploy/deploys/deployed/deploying": "use, put in place",
        "disincentivise/disincentivize": "discourage", "foster/fosters/fostered": "encourage",
        "initiate/initiates/initiated/initiating": "start", "overarching": "general",
    },
}

# Words an error message must not use (GOV.UK error messages; NL Design System).
ERROR_MESSAGE_WORDS = {
    "nl": ("graag", "sorry", "ongeldig", "ongeldige", "dit veld is verplicht", "helaas", "oeps"),
    "en": ("please", "sorry", "valid", "invalid", "oops", "forbidden", "illegal",
           "prohibited", "this field is required", "you forgot"),
}

LONG_SENTENCE_WORDS = {"nl": 20, "en": 25}
SPLIT_IT = {"nl": "deel de zin op: %s woorden, hooguit %s", "en": "split the sentence: %s words, %s at most"}

# Which right each kind of finding concerns.
RIGHT_FOR = {"hedge": 3, "jargon": 4, "long_sentence": 4}

# Matches that are another word with the same letters, judged by what stands just before and after.
_NOT_MEANT = {
    # The month, not the verb: "by 14 May", "May 2026".
    "may": lambda before, after: bool(re.search(r"\d\s*$", before) or re.match(r"\s*\d", after)),
    # "as soon as a person picks it up" says when, it is no hedge ("as soon as possible" is).
    "soon": lambda before, after: bool(re.search(r"(?<!\w)as\s+$", before, re.IGNORECASE)
                                       and re.match(r"\s+as(?!\w)", after, re.IGNORECASE)),
}


# A suggestion is either an instruction ("say what happens and when") or the plainer words themselves
# ("by [date]", "start"). Said as one whole sentence, in the language of the text it is about, so it
# never reads "try say what happens": an instruction as it is, plainer words after "Write instead:".
INSTRUCTION_VERBS = {"nl": ("zeg", "noem", "laat", "schrijf", "deel"), "en": ("say", "leave", "give", "write", "split")}
WRITE_INSTEAD = {"nl": "Schrijf liever: “%s”.", "en": "Write instead: “%s”."}


def advice(suggestion: str, language: str) -> str:
    """A suggestion as one sentence: "Say what happens and when." or "Write instead: “by [date]”."."""
    if not suggestion:
        return ""
    language = "en" if language.startswith("en") else "nl"
    words = suggestion.split()
    if len(words) > 1 and words[0].rstrip(",;:") in INSTRUCTION_VERBS[language]:
        return suggestion[0].upper() + suggestion[1:] + ("" if suggestion.endswith(".") else ".")
    return WRITE_INSTEAD[language] % suggestion


@dataclass(frozen=True)
class Finding:
    kind: str  # hedge | jargon | long_sentence
    severity: str  # error (blocks a promise) | warning
    right: int
    phrase: str
    start: int
    suggestion: str
    language: str = "nl"

    @property
    def advice(self) -> str:
        return advice(self.suggestion, self.language)


def _word_pattern(word: str) -> str:
    alternatives = sorted(word.split("/"), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(a).replace("'", "['’]") for a in alternatives) + ")"


@lru_cache(maxsize=None)
def _pattern(phrase: str) -> re.Pattern:
    prefix, body = "", phrase
    if phrase.startswith("WE "):
        prefix, body = r"we(?:['’]ll|\s+will|\s+shall|\s+are|['’]re)?\s+", phrase[3:]
    words = [_word_pattern(w) for w in body.split()]
    # A hyphen belongs to the word: "ontvankelijk" is not found inside "niet-ontvankelijk".
    return re.compile(r"(?<![\w.-])" + prefix + r"\s+".join(words) + r"(?![\w-])", re.IGNORECASE)


_QUOTED = re.compile(r"""(?<!\w)(['‘"“„])[^'’"”“\n]{1,80}?['’"”](?!\w)""")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _QUOTED.finditer(text)]


def _find(text: str, phrases: dict[str, str], kind: str, severity: str, language: str) -> list[Finding]:
    findings = []
    for phrase, suggestion in phrases.items():
        for match in _pattern(phrase).finditer(text):
            not_meant = _NOT_MEANT.get(phrase)
            if not_meant and not_meant(text[max(0, match.start() - 12):match.start()],
                                       text[match.end():match.end() + 12]):
                continue
            findings.append(Finding(kind, severity, RIGHT_FOR[kind], match.group(0),
                                    match.start(), suggestion, language))
    return findings


def _longest_only(findings: list[Finding], quoted: list[tuple[int, int]]) -> list[Finding]:
    """Drop mentions in quotes, and any finding inside or across a longer one."""
    kept: list[Finding] = []
    order = sorted(findings, key=lambda f: (-len(f.phrase), f.start, f.severity != "error"))
    for finding in order:
        start, end = finding.start, finding.start + len(finding.phrase)
        if any(q_start <= start and end <= q_end for q_start, q_end in quoted):
            continue
        if any(start < k.start + len(k.phrase) and k.start < end for k in kept):
            continue
        kept.append(finding)
    return kept


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[\w'’-]+")


def sentences(text: str) -> list[tuple[int, str]]:
    """The sentences of a text, each with where it starts."""
    result, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        result.append((start, text[start:match.start()]))
        start = match.end()
    result.append((start, text[start:]))
    return [(s, t) for s, t in result if t.strip()]


def lint(text: str, language: str, promise: bool = False) -> list[Finding]:
    """Find hedge words, officialese and jargon, and long sentences in a text.

    With promise=True the text is a commitment to a customer: soft modal verbs count as hedges too.
    """
    language = "en" if language.startswith("en") else "nl"
    findings = _find(text, HEDGE[language], "hedge", "error", language)
    if promise:
        findings += _find(text, PROMISE_HEDGE[language], "hedge", "error", language)
    findings += _find(text, JARGON[language], "jargon", "warning", language)
    findings = _longest_only(findings, _quoted_spans(text))
    limit = LONG_SENTENCE_WORDS[language]
    for start, sentence in sentences(text):
        count = len(_WORD.findall(sentence))
        if count > limit:
            findings.append(Finding("long_sentence", "warning", RIGHT_FOR["long_sentence"],
                                    sentence.strip()[:60], start, SPLIT_IT[language] % (count, limit), language))
    return sorted(findings, key=lambda f: f.start)


def error_message_problems(message: str, language: str) -> list[str]:
    """Words that an error message should not use, found in this message."""
    language = "en" if language.startswith("en") else "nl"
    return [w for w in ERROR_MESSAGE_WORDS[language] if _pattern(w).search(message)]
