"""The plain-language lint: hedge words (right 3), officialese and jargon (right 4), long sentences.

The word lists below are copied from ../shared/reference/STANDARDS.md §5.4 on purpose, not read from
charter.lint: the test says what the lint must find, the lint's own tables say how.
"""
import re
import subprocess
import sys

import pytest

from charter import Finding, error_message_problems, lint
from charter.lint import LONG_SENTENCE_WORDS

# §5.4 A: Dutch hedge words. Flagged in every text.
DUTCH_HEDGES = [
    "in principe", "in beginsel", "normaal gesproken", "normaliter", "doorgaans", "in de regel",
    "als regel", "in het algemeen", "over het algemeen", "meestal", "gewoonlijk", "veelal",
    "wellicht", "misschien", "eventueel", "eventuele", "waarschijnlijk", "vermoedelijk",
    "zo spoedig mogelijk", "zo snel mogelijk", "z.s.m.", "zo mogelijk", "indien mogelijk",
    "waar mogelijk", "zoveel mogelijk", "zo nodig", "indien nodig", "op korte termijn",
    "binnenkort", "binnen afzienbare tijd", "te zijner tijd", "t.z.t.", "nader te bepalen",
    "onder voorbehoud", "behoudens", "naar ons oordeel", "ter beoordeling van", "redelijkerwijs",
    "wij streven ernaar", "wij proberen", "wij doen ons best", "wij trachten",
    "inspanningsverplichting",
]
# §5.4 A, the words that only soften a promise ("mogelijk" as adverb, "zullen/zou/kunnen").
DUTCH_PROMISE_HEDGES = [
    ("Wij bellen u mogelijk op maandag.", "mogelijk"),
    ("Wij zullen u op maandag bellen.", "zullen"),
    ("Wij zouden u op maandag bellen.", "zouden"),
    ("Wij zou u op maandag bellen.", "zou"),
    ("Wij kunnen u op maandag bellen.", "kunnen"),
    ("Dat kan op maandag.", "kan"),
]

# §5.4 C: English hedge words.
ENGLISH_HEDGES = [
    "normally", "usually", "generally", "typically", "in principle", "in most cases",
    "where possible", "whenever possible", "if possible", "as soon as possible", "ASAP",
    "as soon as practicable", "at our earliest convenience", "in due course", "shortly", "soon",
    "in a timely manner", "we aim to", "we try to", "we strive to", "we seek to", "we hope to",
    "we endeavour to", "reasonable endeavours", "best endeavours", "at our discretion",
    "where appropriate", "as appropriate", "if necessary", "subject to", "we reserve the right",
    "from time to time",
]
ENGLISH_PROMISE_HEDGES = [
    ("We will call you up to 5 days later.", "up to"),
    ("We call you approximately on Monday.", "approximately"),
    ("We call you around Monday.", "around"),
    ("We call you roughly on Monday.", "roughly"),
    ("You should hear from us on Monday.", "should"),
    ("We may call you on Monday.", "may"),
    ("We might call you on Monday.", "might"),
    ("We could call you on Monday.", "could"),
]

# §5.4 B: Dutch officialese and complaint jargon, with (a word of) the plainer alternative.
# "behoudens" is on list A as well; there the hedge (right 3) wins, see DUTCH_HEDGES.
DUTCH_JARGON = [
    ("aangezien", "omdat"), ("alsmede", "en"), ("alvorens", "voordat"), ("betreffende", "over"),
    ("inzake", "over"), ("omtrent", "over"), ("met betrekking tot", "over"), ("m.b.t.", "over"),
    ("ten aanzien van", "over"), ("t.a.v.", "over"), ("bewerkstelligen", "zorgen"),
    ("bijgaand", "hierbij"), ("conform", "volgens"), ("c.q.", "of"), ("dan wel", "of"),
    ("d.d.", "datum"), ("derhalve", "daarom"), ("dienen te", "moeten"), ("doch", "maar"),
    ("doen toekomen", "sturen"), ("gaarne", "graag"), ("geschieden", "gebeuren"),
    ("heden", "datum"), ("indien", "als"), ("ingeval", "als"), ("ingevolge", "volgens"),
    ("krachtens", "volgens"), ("in het kader van", "over"), ("middels", "met"),
    ("onderhavige", "deze"), ("voornoemd", "deze"), ("vorenstaande", "dit"),
    ("ondergetekende", "ik"), ("pogen", "proberen"), ("trachten", "proberen"), ("reeds", "al"),
    ("retourneren", "terugsturen"), ("separaat", "apart"), ("te allen tijde", "altijd"),
    ("ten behoeve van", "voor"), ("t.b.v.", "voor"), ("teneinde", "om"),
    ("ten gevolge van", "door"), ("tevens", "ook"), ("eveneens", "ook"), ("mede", "ook"),
    ("thans", "nu"), ("uw schrijven", "uw bericht"), ("verzoeken", "vragen"),
    ("vigerende", "geldende"), ("vooralsnog", "voorlopig"), ("voorshands", "voorlopig"),
    ("voorts", "verder"), ("wijze", "manier"), ("zorg dragen voor", "zorgen voor"),
    ("zulks", "dat"),
    ("in behandeling nemen", "aan de slag"), ("klaagschrift", "uw klacht"),
    ("ontvankelijk", "behandelen"), ("niet-ontvankelijk", "niet"), ("gegrond", "gelijk"),
    ("ongegrond", "geen gelijk"), ("verdagen", "meer tijd"), ("hoorzitting", "gesprek"),
    ("afdoening", "hoe lang"), ("afhandelingstermijn", "uiterlijk"), ("doorlooptijd", "hoe lang"),
    ("i.v.m.", "omdat"), ("n.a.v.", "na"), ("o.a.", "noem"), ("e.e.a.", "zeg wat"),
]

# §5.4 D: English jargon and legalese (and the GOV.UK words the lint takes on).
ENGLISH_JARGON = [
    ("pursuant to", "under"), ("in accordance with", "under"), ("prior to", "before"),
    ("subsequent to", "after"), ("commence", "start"), ("terminate", "end"), ("utilise", "use"),
    ("forthwith", "now"), ("herewith", "leave it out"), ("hereby", "leave it out"),
    ("herein", "in this"), ("aforementioned", "which"), ("aforesaid", "which"),
    ("the said", "this"), ("notwithstanding", "despite"), ("in the event that", "if"),
    ("in the event of", "if"), ("in lieu of", "instead of"), ("with regard to", "about"),
    ("in relation to", "about"), ("pertaining to", "about"), ("ascertain", "find out"),
    ("facilitate", "help"), ("furnish", "give"), ("expedite", "speed up"),
    ("remuneration", "pay"), ("in receipt of", "received"), ("please find attached", "attached"),
    ("actioned", "say what happens"), ("escalated", "manager"), ("redress", "putting things right"),
    ("remediation", "putting things right"), ("uphold", "agree"),
    ("utilize", "use"), ("leverage", "use"), ("liaise", "work with"), ("robust", "strong"),
    ("streamline", "simplify"), ("empower", "let"), ("dialogue", "talk"),
]


def only(findings: list[Finding], kind: str) -> list[Finding]:
    return [f for f in findings if f.kind == kind]


def found(text: str, phrase: str, findings: list[Finding]) -> Finding:
    """The one finding on this phrase where it stands in the text.

    It may be the phrase itself or its core ("in behandeling" of "in behandeling nemen").
    """
    start = text.lower().index(phrase.lower())
    end = start + len(phrase)
    matching = [f for f in findings if f.kind != "long_sentence"
                and start <= f.start and f.start + len(f.phrase) <= end]
    assert len(matching) == 1, f"{phrase!r} in {text!r}: {findings}"
    return matching[0]


@pytest.mark.parametrize("phrase", DUTCH_HEDGES)
def test_each_dutch_hedge_is_found_with_right_3(phrase):
    text = f"Wij bellen u {phrase} op maandag."
    findings = lint(text, "nl")
    finding = found(text, phrase, findings)
    assert (finding.kind, finding.right, finding.severity) == ("hedge", 3, "error")
    assert finding.suggestion.strip()
    assert findings == [finding], "one phrase, one finding"


@pytest.mark.parametrize("phrase", ENGLISH_HEDGES)
def test_each_english_hedge_is_found_with_right_3(phrase):
    text = f"Then {phrase} we call you on Monday."
    findings = lint(text, "en")
    finding = found(text, phrase, findings)
    assert (finding.kind, finding.right, finding.severity) == ("hedge", 3, "error")
    assert finding.suggestion.strip()
    assert findings == [finding], "one phrase, one finding"


@pytest.mark.parametrize(("text", "phrase"), DUTCH_PROMISE_HEDGES)
def test_soft_dutch_words_block_a_promise_only(text, phrase):
    finding = found(text, phrase, lint(text, "nl", promise=True))
    assert (finding.kind, finding.right, finding.severity) == ("hedge", 3, "error")
    assert finding.suggestion.strip()
    assert lint(text, "nl") == [], "outside a promise these are ordinary words"


@pytest.mark.parametrize(("text", "phrase"), ENGLISH_PROMISE_HEDGES)
def test_soft_english_words_block_a_promise_only(text, phrase):
    finding = found(text, phrase, lint(text, "en", promise=True))
    assert (finding.kind, finding.right, finding.severity) == ("hedge", 3, "error")
    assert finding.suggestion.strip()
    assert lint(text, "en") == [], "outside a promise these are ordinary words"


def test_a_dutch_promise_with_zullen_and_enkele_weken_is_blocked_twice():
    findings = lint("Wij zullen het regelen, maar dat kan enkele weken duren.", "nl", promise=True)
    assert [(f.phrase, f.severity) for f in findings] == [
        ("zullen", "error"), ("kan", "error"), ("enkele", "error")]


def test_hedges_in_a_promise_are_errors_that_block_it():
    findings = lint("We will send our answer as soon as possible.", "en", promise=True)
    assert [(f.kind, f.severity, f.right) for f in findings] == [("hedge", "error", 3)]
    assert findings[0].suggestion == "by [date]"


@pytest.mark.parametrize(("phrase", "plainer"), DUTCH_JARGON)
def test_each_dutch_officialese_word_is_found_with_right_4_and_its_plain_word(phrase, plainer):
    text = f"Wij schrijven u {phrase} deze brief."
    findings = lint(text, "nl")
    finding = found(text, phrase, findings)
    assert (finding.kind, finding.right, finding.severity) == ("jargon", 4, "warning")
    assert plainer in finding.suggestion
    assert findings == [finding]


@pytest.mark.parametrize(("phrase", "plainer"), ENGLISH_JARGON)
def test_each_english_jargon_word_is_found_with_right_4_and_its_plain_word(phrase, plainer):
    text = f"We write to you {phrase} this letter."
    findings = lint(text, "en")
    finding = found(text, phrase, findings)
    assert (finding.kind, finding.right, finding.severity) == ("jargon", 4, "warning")
    assert plainer in finding.suggestion
    assert findings == [finding]


PLAIN = {
    "nl": [
        "Wij sturen u uiterlijk dinsdag 24 november om 17.00 uur ons antwoord.",
        "U hoeft niets te bewijzen. Uw verhaal is genoeg.",
        "Iemand heeft uw klacht gelezen en neemt contact met u op.",
        "Is er meer tijd nodig? Dan hoort u dat vóór deze datum, met de reden en de nieuwe datum.",
        "Een medewerker belt u. U krijgt de mogelijkheid om te reageren.",
        "Dien uw klacht in. Wij werken aan uw klacht. Het kost u een kwartier.",
    ],
    "en": [
        "We will send you our decision by 14 May 2026.",
        "You do not have to prove anything. Your story is enough.",
        "A person has read your complaint and contacts you.",
        "If we need more time, you hear it before this date, with the reason and the new date.",
        "You hear the name as soon as a person picks it up.",
        "The mayor delivered a parcel on Monday. We repair it or pay you back.",
    ],
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("promise", [False, True])
def test_plain_sentences_give_no_findings(language, promise):
    for text in PLAIN[language]:
        assert lint(text, language, promise=promise) == [], text


@pytest.mark.parametrize(("text", "language", "phrase"), [
    ("IN PRINCIPE bellen wij u.", "nl", "IN PRINCIPE"),
    ("Eventuele kosten betalen wij.", "nl", "Eventuele"),
    ("Binnenkort hoort u van ons.", "nl", "Binnenkort"),
    ("Daarna proberen we u te bellen.", "nl", "proberen we"),
    ("We zullen proberen u te bellen.", "nl", "We zullen proberen"),
    ("Normally we answer.", "en", "Normally"),
    ("We answer As Soon As Possible.", "en", "As Soon As Possible"),
    ("We answer asap.", "en", "asap"),
    ("We'll try to answer.", "en", "We'll try to"),
    ("We’ll try to answer.", "en", "We’ll try to"),
    ("We will aim to answer.", "en", "We will aim to"),
    ("We are hoping to answer.", "en", "We are hoping to"),
])
def test_case_word_order_and_auxiliaries_do_not_hide_a_hedge(text, language, phrase):
    finding = found(text, phrase, lint(text, language))
    assert (finding.kind, finding.right) == ("hedge", 3)


@pytest.mark.parametrize(("text", "language", "phrase"), [
    ("U dient te betalen.", "nl", "dient te"),
    ("Dat geschiedt per post.", "nl", "geschiedt"),
    ("U wordt verzocht te bellen.", "nl", "verzocht"),
    ("Wij hebben uw klacht in behandeling genomen.", "nl", "in behandeling"),
    ("Uw klacht is geëscaleerd.", "nl", "geëscaleerd"),
    ("Uw klacht is deels gegrond.", "nl", "gegrond"),
    ("Op deze wijze helpen wij u.", "nl", "Op deze wijze"),
    ("Work commenced on Monday.", "en", "commenced"),
    ("Your contract was Terminated.", "en", "Terminated"),
    ("We utilised your data.", "en", "utilised"),
    ("Your complaint was escalated.", "en", "escalated"),
    ("The complaint was upheld.", "en", "upheld"),
    ("We write with respect to your bill.", "en", "with respect to"),
])
def test_inflected_officialese_is_found(text, language, phrase):
    finding = found(text, phrase, lint(text, language))
    assert (finding.kind, finding.right) == ("jargon", 4)


@pytest.mark.parametrize(("text", "language", "phrases"), [
    ("Onze medewerker helpt u.", "nl", []),  # not "mede"
    ("U kunt een klacht indienen.", "nl", []),  # not "dienen"
    ("Uw klacht is ongegrond.", "nl", ["ongegrond"]),  # not also "gegrond"
    ("Wij bekijken de mogelijkheden.", "nl", []),  # not "heden", not "mogelijk"
    ("Is de grond nat? Wij zijn de kans niet kwijt.", "nl", []),  # not "rond", not "kan"
    ("De e-mail van de mede-eigenaar.", "nl", []),  # a hyphen belongs to the word
    ("The mayor will come by Monday.", "en", []),  # "mayor" is not "may"
    ("The mayor may come soon.", "en", ["may", "soon"]),
])
def test_words_inside_other_words_are_not_findings(text, language, phrases):
    assert [f.phrase for f in lint(text, language, promise=True)] == phrases


@pytest.mark.parametrize(("text", "language", "phrase"), [
    ("We will answer as soon as possible.", "en", "as soon as possible"),  # not also "soon"
    ("We will answer as soon as practicable.", "en", "as soon as practicable"),
    ("Wij antwoorden zo snel mogelijk.", "nl", "zo snel mogelijk"),  # not also "mogelijk"
    ("Wij antwoorden zo spoedig mogelijk.", "nl", "zo spoedig mogelijk"),
    ("Wij bellen u zoveel mogelijk.", "nl", "zoveel mogelijk"),
    ("Indien mogelijk bellen wij u.", "nl", "Indien mogelijk"),  # not also the jargon "indien"
    ("Indien nodig bellen wij u.", "nl", "Indien nodig"),
    ("Wij trachten u te bellen.", "nl", "Wij trachten"),  # not also the jargon "trachten"
    ("Uw klacht is niet-ontvankelijk.", "nl", "niet-ontvankelijk"),  # not also "ontvankelijk"
])
def test_overlapping_phrases_are_reported_once_as_the_longest(text, language, phrase):
    findings = lint(text, language, promise=True)
    assert [f.phrase for f in findings] == [phrase]


def test_separate_hedges_in_one_text_are_each_reported_in_order():
    text = "Wij bellen u binnenkort, en zo snel mogelijk krijgt u eventueel een brief."
    assert [f.phrase for f in lint(text, "nl")] == ["binnenkort", "zo snel mogelijk", "eventueel"]


def test_the_month_may_is_no_hedge_in_a_promise():
    assert lint("We send it by 14 May 2026, or on May 15.", "en", promise=True) == []


def test_words_in_quotation_marks_are_mentioned_not_used():
    assert lint("Wij beloven niets met woorden als 'in principe' of “normaal gesproken”.", "nl") == []
    assert lint("We never use words like 'normally'.", "en") == []
    # An apostrophe is no quotation mark: the hedge after it still counts.
    text = "It's true: we'll try to call you."
    assert [f.phrase for f in lint(text, "en")] == ["we'll try to"]


def long_sentence(words: int) -> str:
    return " ".join(["woord"] * (words - 1)) + " einde."


@pytest.mark.parametrize("language", ["nl", "en"])
def test_long_sentences_are_found_and_the_limit_itself_is_fine(language):
    limit = LONG_SENTENCE_WORDS[language]
    assert limit <= 25, "B1 advises about 10 words; plain English about 15 to 20"
    assert lint(long_sentence(limit), language) == []
    text = "Kort. " + long_sentence(limit + 1)
    findings = lint(text, language)
    assert len(findings) == 1
    finding = findings[0]
    assert (finding.kind, finding.right, finding.severity) == ("long_sentence", 4, "warning")
    assert finding.start == text.index("woord")
    assert str(limit + 1) in finding.suggestion


def test_a_long_text_of_short_sentences_has_no_long_sentence():
    text = " ".join(["Wij bellen u op maandag."] * 20)
    assert lint(text, "nl") == []


def test_language_codes_with_a_region_are_understood():
    assert [f.phrase for f in lint("We answer shortly.", "en_GB")] == ["shortly"]
    assert [f.phrase for f in lint("Wij antwoorden binnenkort.", "nl_NL")] == ["binnenkort"]


def test_english_words_are_not_flagged_in_dutch_and_the_other_way_round():
    assert lint("normally usually shortly", "nl") == []
    assert lint("binnenkort meestal wellicht", "en") == []


def test_findings_are_in_the_order_of_the_text():
    findings = lint("Aangezien wij meestal bellen, doen wij dat reeds.", "nl")
    assert [f.phrase for f in findings] == ["Aangezien", "meestal", "reeds"]
    assert [f.start for f in findings] == sorted(f.start for f in findings)


@pytest.mark.parametrize(("message", "language", "problems"), [
    ("Please enter a valid email address", "en", ["please", "valid"]),
    ("Sorry, that is invalid", "en", ["sorry", "invalid"]),
    ("This field is required", "en", ["this field is required"]),
    ("Oops! You forgot your name", "en", ["oops", "you forgot"]),
    ("Enter an email address in the correct format, like name@example.com", "en", []),
    ("Graag een geldig e-mailadres", "nl", ["graag"]),
    ("Ongeldige invoer, helaas", "nl", ["ongeldige", "helaas"]),
    ("Dit veld is verplicht.", "nl", ["dit veld is verplicht"]),
    ("Vul uw e-mailadres in zoals naam@voorbeeld.nl", "nl", []),
])
def test_error_messages_with_forbidden_words_are_caught(message, language, problems):
    assert error_message_problems(message, language) == problems


def test_charter_does_not_import_flask():
    code = ("import sys, charter; from charter import lint, readability; "
            "lint('Wij bellen u.', 'nl'); readability('Wij bellen u.', 'nl'); "
            "assert 'flask' not in sys.modules, 'flask'; assert 'portal' not in sys.modules, 'portal'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def every_suggestion():
    from charter.lint import HEDGE, JARGON, PROMISE_HEDGE
    for language in ("nl", "en"):
        for table in (HEDGE, PROMISE_HEDGE, JARGON):
            for phrase, suggestion in table[language].items():
                yield language, phrase, suggestion


def test_every_suggestion_reads_as_one_whole_sentence_in_its_language():
    from charter.lint import advice
    # "probeer laat het weg", "try say what happens", or an order put in quotes as if it were the words.
    broken = re.compile(r"^(probeer|try)\b|“(zeg|noem|laat|say|give|leave|split|deel) \w", re.IGNORECASE)
    for language, phrase, suggestion in every_suggestion():
        sentence = advice(suggestion, language)
        assert sentence[0].isupper() and sentence.endswith("."), (phrase, sentence)
        assert not broken.search(sentence), f"{phrase!r} reads awkwardly: {sentence!r}"


def test_an_instruction_is_said_as_it_is_and_plainer_words_are_quoted():
    from charter.lint import advice
    assert advice("say what happens and when", "en") == "Say what happens and when."
    assert advice("laat het weg en noem een datum", "nl") == "Laat het weg en noem een datum."
    assert advice("by [date]", "en") == "Write instead: “by [date]”."
    assert advice("uiterlijk [datum]", "nl") == "Schrijf liever: “uiterlijk [datum]”."
    assert advice("give", "en") == "Write instead: “give”.", "a single word is the plainer word, not an order"
    assert lint("Wij proberen het in principe snel te doen.", "nl")[0].advice.startswith(("Schrijf", "Laat"))
    long = lint(" ".join(["woord"] * 25) + ".", "nl")[0]
    assert long.advice == "Deel de zin op: 25 woorden, hooguit 20."
