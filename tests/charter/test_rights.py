"""The charter's ten rights: complete in Dutch and English, and written the way they promise."""
import pytest

from charter import RIGHTS, lint, readability, right

LANGUAGES = ("nl", "en")


def texts_of(r) -> list[tuple[str, str, str]]:
    return [(part, language, getattr(r, part)[language])
            for part in ("title", "text", "in_portal") for language in LANGUAGES]


def test_there_are_ten_rights_numbered_1_to_10_in_order():
    assert [r.number for r in RIGHTS] == list(range(1, 11))


@pytest.mark.parametrize("number", range(1, 11))
def test_each_right_is_there_in_dutch_and_english(number):
    r = right(number)
    assert r.number == number
    for part in ("title", "text", "in_portal"):
        assert set(getattr(r, part)) == set(LANGUAGES), f"right {number} {part}"
        for language in LANGUAGES:
            value = getattr(r, part)[language]
            assert value.strip() == value and value, f"right {number} {part} {language}: {value!r}"
    assert r.title["nl"] != r.title["en"], f"right {number}: the English title is a translation"


def test_no_two_rights_share_a_title():
    for language in LANGUAGES:
        titles = [r.title[language] for r in RIGHTS]
        assert len(set(titles)) == len(titles)


@pytest.mark.parametrize("number", [0, 11, -1])
def test_there_is_no_right_outside_1_to_10(number):
    with pytest.raises(LookupError):
        right(number)


def test_an_unknown_language_falls_back_to_dutch():
    r = right(3)
    assert r.title_in("de") == r.title["nl"]
    assert r.text_in("en") == r.text["en"]
    assert r.in_portal_in("fr") == r.in_portal["nl"]


def test_the_rights_are_data_that_cannot_be_changed_by_accident():
    with pytest.raises(AttributeError):
        right(1).number = 2
    assert isinstance(RIGHTS, tuple)


@pytest.mark.parametrize("number", range(1, 11))
def test_the_rights_pass_their_own_lint(number):
    problems = [f"{part} ({language}) {text!r}: {f.kind} {f.phrase!r} -> {f.suggestion}"
                for part, language, text in texts_of(right(number))
                for f in lint(text, language)]
    assert not problems, "\n".join(problems)


def test_right_3_names_hedge_words_as_examples_without_using_them():
    """The lint treats a quoted hedge as a mention; without the quotes it would be a finding."""
    text = right(3).text["nl"]
    assert "'in principe'" in text
    assert [f.phrase for f in lint(text.replace("'", ""), "nl")] == ["in principe"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_rights_read_easily(language):
    text = " ".join(f"{r.title[language]}. {r.text[language]} {r.in_portal[language]}"
                    for r in RIGHTS)
    score = readability(text, language)
    assert score >= 70, f"rights ({language}) read at {score:.1f}; 70 is 'fairly easy'"
