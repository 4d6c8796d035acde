"""The mandate: offers on the customer's word, limits enforced on the server, one offer per view."""
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Event, Offer, OutboxMail, User
from portal.services import lifecycle, mandate, work
from portal.services.organisation import get_calendar
from portal.services.queue import waiting_for_cosign
from portal.services.secrets import new_draft_key
from tests.fixtures.people import person


@pytest.fixture
def people(app):
    return person("agent"), person("supervisor")


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
    return mandate.make_offer(complaint, agent, remedy=remedy, amount_cents=amount_cents, text=text,
                         request_key=key or new_draft_key(),
                         seen_counter=complaint.offer_counter if seen is None else seen,
                         calendar=get_calendar())


def test_an_offer_within_the_mandate_takes_effect_at_once(owned, people):
    agent, _ = people
    offer = make_offer(owned, agent)
    db.session.commit()
    assert offer.state == "offered" and offer.amount_cents == 2500 and offer.currency == "EUR"
    assert owned.status == "proposal_made"
    assert next(p for p in owned.promises if p.key == "proposal").state == "kept"
    event = db.session.scalar(select(Event).where(Event.kind == "offer_made"))
    assert (event.user_id, event.data["amount_cents"], event.data["remedy"]) == (agent.id, 2500, "refund")
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.kind == "offer"))
    assert "€\xa025,00" in mail.body_text and "/s/" in mail.body_text


def test_an_apology_spends_no_mandate(owned, people):
    agent, _ = people
    offer = make_offer(owned, agent, remedy="apology", amount_cents=999_999, text="We are sorry.")
    assert offer.amount_cents == 0 and offer.state == "offered"


def test_above_the_mandate_a_supervisor_co_signs_and_the_customer_gets_a_date(owned, people):
    agent, supervisor = people
    offer = make_offer(owned, agent, amount_cents=agent.mandate_per_complaint_cents + 1)
    db.session.commit()
    assert offer.state == "waiting_cosign"
    assert owned.status == "in_progress", "nothing offered yet"
    assert owned.owner_id == agent.id, "the agent stays owner"
    decision = next(p for p in owned.promises if p.key == "decision")
    assert decision.state == "open" and decision.due_at > offer.made_at
    mandate.cosign(offer, supervisor, get_calendar())
    db.session.commit()
    assert offer.state == "offered" and offer.cosigned_by_id == supervisor.id
    assert owned.status == "proposal_made"
    assert decision.state == "kept"


def test_nobody_co_signs_their_own_offer_and_agents_cannot_co_sign(owned, people, app):
    agent, supervisor = people
    offer = make_offer(owned, agent, amount_cents=agent.mandate_per_complaint_cents + 1)
    with pytest.raises(mandate.MandateError):
        mandate.cosign(offer, agent, get_calendar())
    supervisor_grant_owner = owned
    supervisor_grant_owner.owner = supervisor
    assert offer.state == "waiting_cosign"


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
    offer = make_offer(owned, agent, amount_cents=3000)
    mandate.decline(owned, offer, "I would rather have it repaired.", get_calendar())
    assert mandate.mandate_of(agent, owned, get_calendar()).most_now_cents == 3000


def test_the_same_form_twice_makes_one_offer(owned, people):
    agent, _ = people
    key = new_draft_key()
    first = make_offer(owned, agent, key=key, seen=0)
    second = make_offer(owned, agent, key=key, seen=0)
    assert first.id == second.id
    assert db.session.scalar(select(func.count(Offer.id))) == 1


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
    offer = make_offer(owned, agent)
    mandate.decline(owned, offer, "Not enough.", get_calendar())
    assert owned.status == "in_progress" and owned.owner_id == agent.id
    assert next(p for p in owned.promises if p.key == "new_proposal").state == "open"
    second = make_offer(owned, agent, amount_cents=5000)
    mandate.accept(owned, second)
    # Yes is not done: the refund is still to be carried out, by its own dated promise.
    assert owned.status == "agreed" and owned.resolved_at is None
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
    assert db.session.scalar(select(func.count(Offer.id))) == 1, results
    assert "granted" in results


def test_the_month_starts_in_the_organisations_time_zone(app):
    calendar = get_calendar()
    start = mandate.month_start(datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc), calendar)
    assert (start.month, start.day, start.hour) == (12, 1, 0), "23:30 UTC on 30 November is December here"


# --- whose budget a grant spends ------------------------------------------------------------------

def over_mandate(complaint, agent, amount_cents=None):
    return make_offer(complaint, agent, amount_cents=amount_cents or agent.mandate_per_complaint_cents + 1)


def left(user, complaint):
    return mandate.mandate_of(user, complaint, get_calendar()).left_this_month_cents


def test_an_offer_waiting_for_a_co_sign_spends_nobodys_budget(owned, people):
    agent, supervisor = people
    before_agent, before_supervisor = left(agent, owned), left(supervisor, owned)
    over_mandate(owned, agent, 50_000)
    assert (left(agent, owned), left(supervisor, owned)) == (before_agent, before_supervisor)


def test_a_co_signed_offer_spends_the_supervisors_budget_and_not_the_agents(owned, people):
    agent, supervisor = people
    before_agent, before_supervisor = left(agent, owned), left(supervisor, owned)
    offer = over_mandate(owned, agent, 50_000)
    mandate.cosign(offer, supervisor, get_calendar())
    assert left(agent, owned) == before_agent
    assert left(supervisor, owned) == before_supervisor - 50_000


def test_a_co_sign_above_the_supervisors_monthly_budget_is_refused_with_the_reason(owned, people):
    agent, supervisor = people
    supervisor.monthly_budget_cents = 30_000
    offer = over_mandate(owned, agent, 40_000)
    with pytest.raises(mandate.MandateError, match="deze maand over is van je budget") as refused:
        mandate.cosign(offer, supervisor, get_calendar())
    assert "Vraag beheer" in str(refused.value)
    db.session.refresh(offer)
    assert offer.state == "waiting_cosign" and offer.cosigned_by_id is None


def test_a_co_sign_must_fit_the_supervisors_mandate_with_what_the_complaint_had_already(owned, people):
    agent, supervisor = people
    calendar = get_calendar()
    first = make_offer(owned, agent, amount_cents=9_000)  # within the agent's own 100 euros
    mandate.accept(owned, first)
    lifecycle.mark_carried_out(owned, first, agent, "NL12-PAY-0001")
    work.reopen(owned, "The new book is damaged too.", calendar)
    offer = over_mandate(owned, agent, 95_000)  # 950 + 90 is above the supervisor's 1,000 per complaint
    with pytest.raises(mandate.MandateError, match="op één klacht mag geven"):
        mandate.cosign(offer, supervisor, calendar)
    assert offer.state == "waiting_cosign"


# --- one live offer per complaint -----------------------------------------------------------------

def test_no_new_offer_while_the_customer_has_one_to_answer(owned, people):
    agent, _ = people
    make_offer(owned, agent, amount_cents=1_000)
    with pytest.raises(mandate.MandateError, match="moet nog antwoorden op een aanbod"):
        make_offer(owned, agent, remedy="voucher", amount_cents=2_000)
    assert [g.state for g in owned.offers] == ["offered"]


def test_a_new_offer_replaces_one_waiting_for_a_co_sign_which_can_then_not_be_signed(owned, people):
    agent, supervisor = people
    stale = over_mandate(owned, agent, 50_000)
    fresh = make_offer(owned, agent, amount_cents=5_000)
    assert (stale.state, fresh.state) == ("replaced", "offered")
    assert mandate.open_offer(owned) is fresh
    assert db.session.scalar(select(Event).where(Event.kind == "offer_replaced")).data["offer"] == stale.id
    with pytest.raises(mandate.MandateError, match="vervangen door een nieuwer aanbod"):
        mandate.cosign(stale, supervisor, get_calendar())
    assert stale.state == "replaced" and stale.cosigned_by_id is None
    assert stale not in waiting_for_cosign(), "gone from the supervisors' queue"


def test_a_replacing_offer_above_the_mandate_keeps_the_one_date_for_the_decision(owned, people):
    agent, _ = people
    over_mandate(owned, agent, 50_000)
    over_mandate(owned, agent, 40_000)
    decisions = [p for p in owned.promises if p.key == "decision"]
    assert [p.state for p in decisions] == ["open"], "the customer's date does not restart"
    assert [g.state for g in owned.offers] == ["replaced", "waiting_cosign"]


# --- the decision promise -------------------------------------------------------------------------

def test_after_a_refused_co_sign_the_next_offer_keeps_the_decision_promise_and_nobody_gets_a_false_sorry(
        owned, people):
    from portal.services.complaints import mark_missed_promises

    agent, supervisor = people
    offer = over_mandate(owned, agent, 50_000)
    mandate.refuse_cosign(offer, supervisor, "Too much for a book.")
    decision = next(p for p in owned.promises if p.key == "decision")
    assert decision.state == "open", "the customer has not heard a decision yet"
    assert owned.attention_at is not None, "the owner is told"
    make_offer(owned, agent, amount_cents=2_500)
    assert decision.state == "kept" and decision.kept_at is not None
    db.session.commit()
    mark_missed_promises(decision.due_at + timedelta(days=1))
    db.session.commit()
    missed = db.session.scalars(select(Event).where(Event.kind == "promise_missed")).all()
    assert "decision" not in [event.data["promise"] for event in missed]


# --- at the same moment, in threads (SQLite here; PostgreSQL with TEST_DATABASE_URL) ----------------

def run_together(app, jobs):
    """Run each job in its own thread and app context, all starting at once; returns their outcomes."""
    barrier = threading.Barrier(len(jobs))
    results = []

    def run(job):
        with app.app_context():
            try:
                barrier.wait()
                job()
                db.session.commit()
                results.append("done")
            except (mandate.MandateError, work.WorkError):
                db.session.rollback()
                results.append("refused")
            except Exception as error:  # a lost race on a lock or a unique key is a refusal too
                db.session.rollback()
                results.append(type(error).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "every thread finished"
    db.session.expire_all()
    return results


def test_two_agents_claiming_at_once_leave_one_owner(app, create_complaint, people, create_user):
    from portal.models import Complaint

    agent, _ = people
    other = create_user(name="Noor", email="noor@example.com")
    complaint, _token = create_complaint()
    ids = complaint.id, agent.id, other.id
    db.session.commit()

    def claim_as(user_id):
        return lambda: work.claim(db.session.get(Complaint, ids[0]), db.session.get(User, user_id))

    results = run_together(app, [claim_as(ids[1]), claim_as(ids[2])])
    assert sorted(results) == ["done", "refused"], results
    complaint = db.session.get(Complaint, ids[0])
    assert complaint.owner_id in ids[1:]
    claims = db.session.scalars(select(Event).where(Event.kind == "claimed")).all()
    assert [event.user_id for event in claims] == [complaint.owner_id]


def test_two_supervisors_co_signing_the_same_offer_at_once_make_one_signature(app, owned, people, create_user):
    agent, supervisor = people
    second = create_user("supervisor", mandate=1_000, budget=20_000, name="Lotte", email="lotte@example.com")
    offer = over_mandate(owned, agent, 50_000)
    db.session.commit()
    offer_id, signers = offer.id, (supervisor.id, second.id)

    def sign_as(user_id):
        return lambda: mandate.cosign(db.session.get(Offer, offer_id), db.session.get(User, user_id), get_calendar())

    results = run_together(app, [sign_as(signers[0]), sign_as(signers[1])])
    assert sorted(results) == ["done", "refused"], results
    offer = db.session.get(Offer, offer_id)
    assert offer.state == "offered" and offer.cosigned_by_id in signers
    assert db.session.scalar(select(func.count(Event.id)).where(Event.kind == "offer_made")) == 1
    assert db.session.scalar(select(func.count(OutboxMail.id)).where(OutboxMail.kind == "offer")) == 1


def test_two_offers_by_one_agent_on_two_complaints_at_once_never_overspend_the_month(
        app, create_complaint, people):
    from portal.models import Complaint

    agent, _ = people
    agent.monthly_budget_cents, agent.mandate_per_complaint_cents = 3_000, 3_000
    complaints = []
    for _ in range(2):
        complaint, _token = create_complaint()
        work.claim(complaint, agent)
        complaints.append(complaint.id)
    db.session.commit()
    agent_id = agent.id

    def offer_on(complaint_id):
        return lambda: make_offer(db.session.get(Complaint, complaint_id), db.session.get(User, agent_id),
                                  amount_cents=2_000)

    results = run_together(app, [offer_on(complaints[0]), offer_on(complaints[1])])
    assert results == ["done", "done"], results
    states = sorted(db.session.scalars(select(Offer.state)).all())
    assert states == ["offered", "waiting_cosign"], "the second one is above what is left: a supervisor decides"
    agent = db.session.get(User, agent_id)
    assert mandate.spent_this_month(agent, datetime.now(timezone.utc), get_calendar()) == 2_000
