"""Readability: Flesch-Douma for Dutch, Flesch Reading Ease for English (higher is easier)."""
import sys

import pytest

from charter import readability
from charter.readability import english_syllables

# Flesch (1948): 206.835 - 1.015 words/sentence - 84.6 syllables/word.
# Douma (1960):  206.835 - 0.93 words/sentence - 77 syllables/word.


def flesch(words: int, sentences: int, syllables: int) -> float:
    return 206.835 - 1.015 * words / sentences - 84.6 * syllables / words


def douma(words: int, sentences: int, syllables: int) -> float:
    return 206.835 - 0.93 * words / sentences - 77 * syllables / words


@pytest.mark.parametrize(("text", "words", "sentences", "syllables"), [
    ("De kat zat op de mat.", 6, 1, 6),
    ("Wij sturen u morgen een brief.", 6, 1, 8),  # stu-ren, mor-gen
    ("Wij sturen u morgen een brief. U hoeft niets te doen.", 11, 2, 13),
])
def test_dutch_is_flesch_douma_with_hand_counted_syllables(text, words, sentences, syllables):
    assert readability(text, "nl") == pytest.approx(douma(words, sentences, syllables))


def test_the_cat_on_the_mat_scores_the_textbook_figures():
    assert readability("De kat zat op de mat.", "nl") == pytest.approx(124.255)
    assert readability("The cat sat on the mat.", "en") == pytest.approx(116.145)


@pytest.mark.parametrize(("text", "words", "sentences", "syllables"), [
    ("The cat sat on the mat.", 6, 1, 6),
    ("We will send you a letter tomorrow.", 7, 1, 10),  # let-ter, to-mor-row
    ("We will send you a letter tomorrow. You do not have to do anything.", 14, 2, 19),
])
def test_english_is_flesch_reading_ease_with_hand_counted_syllables(text, words, sentences, syllables):
    assert readability(text, "en") == pytest.approx(flesch(words, sentences, syllables))


@pytest.mark.parametrize(("word", "syllables"), [
    ("cat", 1), ("letter", 2), ("tomorrow", 3), ("complaint", 2), ("remuneration", 5),
    ("Monday", 2), ("don't", 1),
])
def test_english_syllables_come_from_the_pronouncing_dictionary(word, syllables):
    assert english_syllables(word) == syllables


def test_english_words_outside_the_dictionary_still_get_syllables():
    assert english_syllables("gehoordportaal") >= 3
    assert english_syllables("") == 0


PLAIN_AND_OFFICIAL = {
    "nl": (
        "Wij hebben uw klacht gelezen. U krijgt dinsdag een antwoord. U hoeft niets te doen.",
        "Ingevolge de vigerende regelgeving wordt uw klaagschrift niet-ontvankelijk verklaard, "
        "aangezien de afhandelingstermijn reeds is verstreken en de onderhavige aangelegenheid "
        "derhalve niet in behandeling kan worden genomen.",
    ),
    "en": (
        "We have read your complaint. You get an answer on Tuesday. You do not have to do anything.",
        "Pursuant to the aforementioned regulations, remuneration shall be furnished subsequent to "
        "the termination of the contractual relationship, notwithstanding any representations "
        "previously communicated.",
    ),
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_plain_text_scores_far_higher_than_officialese(language):
    plain, official = PLAIN_AND_OFFICIAL[language]
    plain_score, official_score = readability(plain, language), readability(official, language)
    assert plain_score >= 80, f"plain {language}: {plain_score:.1f} should be easy (80+)"
    assert official_score < 30, f"officialese {language}: {official_score:.1f} should be very hard (<30)"
    assert plain_score - official_score > 50


@pytest.mark.parametrize("language", ["nl", "en"])
def test_longer_sentences_lower_the_score(language):
    short = "Wij bellen u. Wij sturen een brief." if language == "nl" else "We call you. We send a letter."
    long = short.replace(". W", " en w" if language == "nl" else " and w")
    assert readability(long, language) < readability(short, language)


def test_language_codes_with_a_region_are_understood():
    text = "We will send you a letter tomorrow."
    assert readability(text, "en_GB") == readability(text, "en")
    assert readability("Wij sturen u morgen een brief.", "nl_NL") == readability(
        "Wij sturen u morgen een brief.", "nl")


def test_empty_text_scores_zero():
    assert readability("", "nl") == 0.0
    assert readability("", "en") == 0.0


def test_english_never_asks_nltk_to_download_its_dictionary(monkeypatch):
    """textstat's own English path downloads NLTK's cmudict at run time, which fails offline."""
    def refuse(*args, **kwargs):
        raise AssertionError("readability tried to download NLTK data")

    import nltk

    monkeypatch.setattr(nltk, "download", refuse)
    syllable_module = sys.modules["textstat.backend.counts._count_syllables"]
    monkeypatch.setattr(syllable_module, "get_cmudict", refuse)
    assert readability("A person reads your message and answers you by Friday.", "en") > 60


def test_the_scores_never_load_nltk_which_would_cost_every_worker_30_mb():
    import subprocess
    import sys

    code = ("import sys; from charter.readability import readability; "
            "readability('Dit is een korte zin.', 'nl'); readability('This is a short one.', 'en'); "
            "print(sum(name.startswith('nltk.') for name in sys.modules)); "
            "import nltk; print(bool(nltk.__version__), 'nltk.corpus' in sys.modules)")
    lines = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert lines == ["0", "True", "True"], "no part of NLTK loaded for the scores; whoever uses it gets it"
