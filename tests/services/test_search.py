"""The search finds a complaint by every way staff remember one, never more than the queue shows,
and forgets what erasure removes."""
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select, text

from portal.extensions import db
from portal.models import Complaint, utcnow
from portal.services import complaints as service
from portal.services import privacy, work
from portal.services import search as search_service
from portal.services.queue import PER_PAGE
from portal.services.search import MAX_LENGTH, SearchRefused, search
from tests.fixtures.people import person


def found(query, user=None, page=1):
    return [c.reference for c in search(user or person("agent"), query, page).complaints]


def on_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


@pytest.fixture
def two(create_complaint):
    """Two complaints that share nothing: the one searched for, and one that must not come along."""
    wanted, _ = create_complaint(name="Fatima el Amrani", email="Fatima.Amrani@Example.com",
                                 phone="06-1234 5678", story="De bezorger liet het pakket in de regen staan.")
    other, _ = create_complaint(name="Jan de Boer", email="jan@example.com", phone="020 123 4567",
                                story="The invoice charged me twice for one order.")
    return wanted, other


def test_a_reference_is_found_with_or_without_its_dash_in_any_case(two):
    wanted, _other = two
    reference = wanted.reference
    for typed in (reference, reference.lower(), reference.replace("-", ""), reference.replace("-", " ").lower()):
        assert found(typed) == [reference], typed


def test_an_email_address_is_found_in_any_case(two):
    wanted, _other = two
    assert found("fatima.amrani@example.com") == [wanted.reference]
    assert found("  FATIMA.AMRANI@EXAMPLE.COM ") == [wanted.reference]


def test_a_name_is_found_by_any_of_its_words(two):
    wanted, other = two
    assert found("Amrani") == [wanted.reference]
    assert found("jan boer") == [other.reference]


def test_a_phone_number_is_found_however_it_is_written(two):
    wanted, other = two
    for typed in ("0612345678", "06 12345678", "06-1234 5678", "+31 6 1234 5678", "0031612345678"):
        assert found(typed) == [wanted.reference], typed
    assert found("0201234567") == [other.reference]


def test_words_of_the_story_are_found(two):
    wanted, other = two
    assert found("regen") == [wanted.reference]
    assert found("Pakket REGEN") == [wanted.reference]
    assert found("invoice twice") == [other.reference]
    assert found("regen invoice") == []  # every word must be there


def test_words_of_messages_written_later_are_found(two):
    wanted, other = two
    assert found("foto") == []
    service.add_customer_message(wanted, "Ik heb nog een foto van de doos.")
    work.claim(other, person("agent"))
    work.reply(other, person("agent"), "Wij sturen u vandaag een creditnota.")
    db.session.commit()
    assert found("foto") == [wanted.reference]
    assert found("creditnota") == [other.reference]


def test_english_words_are_found_by_their_stem(create_complaint):
    parcel, _ = create_complaint(story="My parcels were delayed for weeks and nobody answered.")
    assert found("delay") == [parcel.reference]
    assert found("parcel") == [parcel.reference]


def test_dutch_words_are_found_by_their_stem_on_postgresql(create_complaint):
    if not on_postgresql():
        pytest.skip("SQLite's FTS5 has no Dutch stemmer: a Dutch word is found as written")
    late, _ = create_complaint(story="Er was een lange vertraging bij de bezorging van mijn pakketten.")
    assert found("vertragingen") == [late.reference]
    assert found("pakket") == [late.reference]


def test_newest_first_25_to_a_page(create_complaint):
    now = utcnow()
    filed = [create_complaint(story=f"Nummer {n}: de koffiemachine lekt.", now=now - timedelta(hours=40 - n))[0]
             for n in range(PER_PAGE + 5)]
    agent = person("agent")
    first, second = search(agent, "koffiemachine", 1), search(agent, "koffiemachine", 2)
    assert first.total == second.total == PER_PAGE + 5 and first.pages == 2
    newest_first = [c.reference for c in reversed(filed)]
    assert [c.reference for c in first.complaints] == newest_first[:PER_PAGE]
    assert [c.reference for c in second.complaints] == newest_first[PER_PAGE:]
    assert search(agent, "koffiemachine", 3).complaints == []


def test_the_search_finds_only_what_the_queue_lets_this_person_see(two, monkeypatch, create_user):
    wanted, other = two
    shared_word = "regen"
    service.add_customer_message(other, "En dan ook nog regen op de doos.")
    db.session.commit()
    assert sorted(found(shared_word)) == sorted([wanted.reference, other.reference])
    # A rule that shuts complaints away belongs to the queue's visibility; the search keeps it too.
    noor = create_user(name="Noor")
    work.claim(other, noor)
    db.session.commit()
    monkeypatch.setattr(search_service, "visible_complaints",
                        lambda user: select(Complaint).where(Complaint.owner_id == user.id))
    assert found(shared_word, noor) == [other.reference]
    assert found(shared_word, person("agent")) == []


@pytest.mark.parametrize("typed", ["", "   ", "!!!", "-", "*", '"', "“”", "()", "<->", "\\", "@"])
def test_a_search_without_letters_or_digits_is_refused_with_a_sentence(app, typed):
    with pytest.raises(SearchRefused) as refused:
        search(person("agent"), typed)
    with force_locale("en"):
        assert str(refused.value.message) == ("Enter a reference, an email address, a name, a phone number or "
                                              "a few words.")
    assert str(refused.value.message) == ("Vul een kenmerk, een e-mailadres, een naam, een telefoonnummer of "
                                          "een paar woorden in.")


def test_a_very_long_search_is_refused_with_a_sentence(app):
    with pytest.raises(SearchRefused) as refused:
        search(person("agent"), "pakket " * 100)
    with force_locale("en"):
        assert str(refused.value.message) == f"Search for at most {MAX_LENGTH} characters."
    assert str(refused.value.message) == f"Zoek op hoogstens {MAX_LENGTH} tekens."


@pytest.mark.parametrize("typed", ['"regen', 'regen"', "regen*", "*regen", "-regen", "regen -pakket", "(regen)",
                                   "regen'", "^regen", "regen:*", "{regen}", "regen\\"])
def test_the_engines_own_syntax_is_read_as_plain_words(two, typed):
    wanted, _other = two
    assert found(typed) == [wanted.reference]


@pytest.mark.parametrize("typed", ["NEAR", "NEAR(regen pakket, 2)", "regen OR invoice", "regen AND", "NOT regen",
                                   "phone:0612345678", "story : regen", "'; DROP TABLE complaints; --",
                                   "a & b | !c", "%_%", "ß" * 200, "0" * 30, "a@b@c"])
def test_odd_searches_never_break(two, typed):
    result = search(person("agent"), typed)  # no error from the engine, whatever it finds
    assert result.total == len(result.complaints) <= 2


def test_erasure_takes_the_complaint_out_of_the_search(two):
    wanted, _other = two
    service.add_customer_message(wanted, "Mijn buurvrouw Gerarda zag het gebeuren.")
    db.session.commit()
    identifiers = ("Amrani", "fatima.amrani@example.com", "0612345678", "regen", "Gerarda")
    for typed in identifiers:
        assert found(typed) == [wanted.reference], typed

    privacy.anonymise(wanted)
    db.session.commit()
    for typed in identifiers:
        assert found(typed) == [], typed
    assert found(wanted.reference) == [wanted.reference]  # the numbers stay: the queue shows it too
    # Nothing of the text stays in the index itself either.
    if on_postgresql():
        lexemes = db.session.scalar(text("SELECT length(document) FROM complaint_search WHERE complaint_id = :id"),
                                    {"id": wanted.id})
        assert lexemes == 0
    else:
        row = db.session.execute(text("SELECT name, phone, story, messages FROM complaint_search WHERE rowid = :id"),
                                 {"id": wanted.id}).one()
        assert set(row) <= {"", None}
