"""The mandate: offers on the customer's word, limits enforced on the server, one offer per view."""
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Event, Grant, OutboxMail, User
from portal.services import mandate, work
from portal.services.organisation import get_calendar
from portal.services.secrets import new_draft_key


@pytest.fixture
def people(app):
    users = {u.role: u for u in db.session.scalars(select(User)).all()}
    return users["agent"], users["supervisor"]


@pytest.fixture
def owned(create_complaint, people):
    """A complaint the demo agent has claimed."""
    agent, _ = people
    complaint, token = create_complaint()
    work.claim(complaint, agent)
    db.session.commit()
    return complaint


def make_offer(complaint, agent, remedy="refund", amount_cents=2500, text="We pay you back.", key=None,
               seen=None):
    return mandate.offer(complaint, agent, remedy=remedy, amount_cents=amount_cents, text=text,
                         request_key=key or new_draft_key(),
                         seen_counter=complaint.offer_counter if seen is None else seen,
                         calendar=get_calendar())


def test_an_offer_within_the_mandate_takes_effect_at_once(owned, people):
    agent, _ = people
    grant = make_offer(owned, agent)
    db.session.commit()
    assert grant.state == "offered" and grant.amount_cents == 2500 and grant.currency == "EUR"
    assert owned.status == "proposal_made"
    assert next(p for p in owned.promises if p.key == "proposal").state == "kept"
    event = db.session.scalar(select(Event).where(Event.kind == "offer_made"))
    assert (event.user_id, event.data["amount_cents"], event.data["remedy"]) == (agent.id, 2500, "refund")
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.kind == "offer"))
    assert "€\xa025,00" in mail.body_text and "/s/" in mail.body_text


def test_an_apology_spends_no_mandate(owned, people):
    agent, _ = people
    grant = make_offer(owned, agent, remedy="apology", amount_cents=999_999, text="We are sorry.")
    assert grant.amount_cents == 0 and grant.state == "offered"


def test_above_the_mandate_a_supervisor_co_signs_and_the_customer_gets_a_date(owned, people):
    agent, supervisor = people
    grant = make_offer(owned, agent, amount_cents=agent.mandate_per_complaint_cents + 1)
    db.session.commit()
    assert grant.state == "waiting_cosign"
    assert owned.status == "in_progress", "nothing offered yet"
    assert owned.owner_id == agent.id, "the agent stays owner"
    decision = next(p for p in owned.promises if p.key == "decision")
    assert decision.state == "open" and decision.due_at > grant.granted_at
    mandate.cosign(grant, supervisor, get_calendar())
    db.session.commit()
    assert grant.state == "offered" and grant.cosigned_by_id == supervisor.id
    assert owned.status == "proposal_made"
    assert decision.state == "kept"


def test_nobody_co_signs_their_own_offer_and_agents_cannot_co_sign(owned, people, app):
    agent, supervisor = people
    grant = make_offer(owned, agent, amount_cents=agent.mandate_per_complaint_cents + 1)
    with pytest.raises(mandate.MandateError):
        mandate.cosign(grant, agent, get_calendar())
    supervisor_grant_owner = owned
    supervisor_grant_owner.owner = supervisor
    assert grant.state == "waiting_cosign"


def test_the_monthly_budget_counts_every_offer_of_this_month(create_complaint, people):
    agent, _ = people
    agent.monthly_budget_cents, agent.mandate_per_complaint_cents = 5000, 5000
    states = []
    for _ in range(3):
        complaint, _token = create_complaint()
        work.claim(complaint, agent)
        states.append(make_offer(complaint, agent, amount_cents=2000).state)
    assert states == ["offered", "offered", "waiting_cosign"]


def test_declined_offers_give_the_budget_back(owned, people, create_complaint):
    agent, _ = people
    agent.monthly_budget_cents = agent.mandate_per_complaint_cents = 3000
    grant = make_offer(owned, agent, amount_cents=3000)
    mandate.decline(owned, grant, "I would rather have it repaired.", get_calendar())
    assert mandate.mandate_of(agent, owned, get_calendar()).most_now_cents == 3000


def test_the_same_form_twice_makes_one_offer(owned, people):
    agent, _ = people
    key = new_draft_key()
    first = make_offer(owned, agent, key=key, seen=0)
    second = make_offer(owned, agent, key=key, seen=0)
    assert first.id == second.id
    assert db.session.scalar(select(func.count(Grant.id))) == 1


def test_an_offer_from_an_old_view_is_refused(owned, people):
    agent, _ = people
    make_offer(owned, agent, seen=0)
    with pytest.raises(mandate.MandateError, match="deed net een aanbod"):
        make_offer(owned, agent, seen=0)


def test_only_the_owner_offers_and_amounts_are_checked(create_complaint, owned, people):
    agent, supervisor = people
    with pytest.raises(mandate.MandateError, match="Alleen de eigenaar"):
        make_offer(owned, supervisor)
    for amount in (0, -100, "25"):
        with pytest.raises(mandate.MandateError):
            make_offer(owned, agent, amount_cents=amount)
    with pytest.raises(mandate.MandateError):
        make_offer(owned, agent, remedy="bribe")


def test_accepting_resolves_and_declining_returns_with_a_new_date(owned, people):
    agent, _ = people
    grant = make_offer(owned, agent)
    mandate.decline(owned, grant, "Not enough.", get_calendar())
    assert owned.status == "in_progress" and owned.owner_id == agent.id
    assert next(p for p in owned.promises if p.key == "new_proposal").state == "open"
    second = make_offer(owned, agent, amount_cents=5000)
    mandate.accept(owned, second)
    assert owned.status == "resolved" and owned.resolved_at is not None
    assert next(p for p in owned.promises if p.key == "new_proposal").state == "kept"
    with pytest.raises(mandate.MandateError):
        mandate.accept(owned, second)


def grant_in_thread(app, complaint_id, agent_id, key, seen, results):
    with app.app_context():
        from portal.models import Complaint

        try:
            complaint = db.session.get(Complaint, complaint_id)
            agent = db.session.get(User, agent_id)
            make_offer(complaint, agent, key=key, seen=seen)
            db.session.commit()
            results.append("granted")
        except mandate.MandateError:
            db.session.rollback()
            results.append("refused")
        except Exception as error:  # a lost race on a unique key is a refusal too
            db.session.rollback()
            results.append(type(error).__name__)
        finally:
            db.session.remove()


@pytest.mark.parametrize("same_key", [True, False], ids=["double click", "two agents"])
def test_two_offers_at_the_same_moment_make_one_grant(app, owned, people, same_key):
    agent, _ = people
    complaint_id, agent_id, seen = owned.id, agent.id, owned.offer_counter
    db.session.commit()
    barrier = threading.Barrier(2)
    results = []

    def run(key):
        barrier.wait()
        grant_in_thread(app, complaint_id, agent_id, key, seen, results)

    keys = ["same-key"] * 2 if same_key else ["key-one", "key-two"]
    threads = [threading.Thread(target=run, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Grant.id))) == 1, results
    assert "granted" in results


def test_the_month_starts_in_the_organisations_time_zone(app):
    calendar = get_calendar()
    start = mandate.month_start(datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc), calendar)
    assert (start.month, start.day, start.hour) == (12, 1, 0), "23:30 UTC on 30 November is December here"
