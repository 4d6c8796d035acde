"""The monthly review's five stories: picked by a supervisor, at most five, quotes masked, erased
complaints counted but never quoted (seed 001: five stories with quotes, not a sheet of 350)."""
import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import MonthStory
from portal.services import privacy, review
from tests.fixtures.people import person


def test_a_quote_keeps_the_words_and_masks_names_addresses_and_numbers():
    text = ("Ik ben Fatima el Amrani, bel me op 06-12345678 of mail fatima@example.com. "
            "Mijn IBAN is NL91 ABNA 0417 1643 00 en Sanne beloofde 25 euro binnen 3 dagen.")
    masked = review.mask(text, ["Fatima el Amrani", "Sanne de Vries"])
    for personal in ("Fatima", "Amrani", "12345678", "fatima@example.com", "0417", "Sanne"):
        assert personal not in masked, personal
    assert "25 euro binnen 3 dagen" in masked, "short numbers (an amount, a few days) are part of the story"
    assert masked.startswith("Ik ben •••, bel me op •••"), masked
    assert "Mijn IBAN is ••• en ••• beloofde" in masked, masked


def test_five_stories_at_most_never_the_same_twice_and_an_unknown_reference_is_refused(app, create_complaint):
    supervisor = person("supervisor")
    made = [create_complaint()[0] for _ in range(6)]
    for complaint in made[:5]:
        review.pick_story(supervisor, "2026-11", complaint.reference.lower().replace("-", " "))
    db.session.commit()
    with pytest.raises(review.ReviewError, match="vijf verhalen"):
        review.pick_story(supervisor, "2026-11", made[5].reference)
    first = review.stories("2026-11")[0]
    assert review.remove_story("2026-11", first.id)
    with pytest.raises(review.ReviewError, match="al een van"):
        review.pick_story(supervisor, "2026-11", made[1].reference)
    with pytest.raises(review.ReviewError, match="kenmerk"):
        review.pick_story(supervisor, "2026-11", "NOPE-NOPE")
    review.pick_story(supervisor, "2026-11", made[5].reference)
    assert [s.complaint.id for s in review.stories("2026-11")][0] == made[5].id, "it took the free first place"
    assert review.stories_count("2026-12") == 0 and not review.remove_story("2026-12", first.id)


def test_two_people_picking_at_once_never_make_a_sixth(app, create_complaint):
    """The positions 1..5 are unique per month: a second row on a taken place is refused by the database."""
    complaint, other = create_complaint()[0], create_complaint()[0]
    db.session.execute(insert(MonthStory).values(month="2026-11", position=1, complaint_id=complaint.id))
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.execute(insert(MonthStory).values(month="2026-11", position=1, complaint_id=other.id))


def test_an_erased_complaint_is_a_story_without_words(app, create_complaint):
    complaint, _token = create_complaint(story="Mijn pakket lag in de regen bij Fatima el Amrani.")
    review.pick_story(person("supervisor"), "2026-11", complaint.reference)
    [story] = review.stories("2026-11")
    assert story.quote == "Mijn pakket lag in de regen bij •••.", "the whole name, and 'de' stays a word"
    privacy.anonymise(complaint)
    db.session.commit()
    [story] = review.stories("2026-11")
    assert story.quote is None and story.we_did is None and story.afterwards_comment is None


def test_a_month_that_does_not_exist_has_no_period():
    assert review.month_period("2026-13") is None and review.month_period("nov") is None
    assert review.month_period("2026-02").last.day == 28
