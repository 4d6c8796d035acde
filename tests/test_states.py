"""Every state has one definition (portal/states.py): no code or page uses a state no enum names,
and the database columns refuse one."""
import re

import pytest
from sqlalchemy import update
from sqlalchemy.exc import StatementError

from portal.config import ROOT
from portal.extensions import db
from portal.models import Complaint, Promise
from portal.states import ENUMS, MailStatus, OfferState, PromiseState, Status

# What a comparison with `.status` or `.state` may name.
ALLOWED = {"status": set(Status) | set(MailStatus), "state": set(PromiseState) | set(OfferState)}
COMPARISON = re.compile(r"""\.(status|state)\s*(?:==|!=|in|not in)\s*(\([^)]*\)|\[[^\]]*\]|"[^"]*"|'[^']*')""")
ASSIGNMENT = re.compile(r"""\b(status|state)\s*=\s*("[a-z_]+"|'[a-z_]+')""")


def used_states():
    for path in [*(ROOT / "portal").rglob("*.py"), *(ROOT / "templates").rglob("*.html"),
                 *(ROOT / "templates").rglob("*.txt")]:
        text = path.read_text(encoding="utf-8")
        for pattern in (COMPARISON, ASSIGNMENT):
            for match in pattern.finditer(text):
                for value in re.findall(r"""["']([^"']*)["']""", match.group(2)):
                    yield path.relative_to(ROOT), match.group(1), value


def test_every_state_the_code_and_the_pages_name_is_in_an_enum():
    found = list(used_states())
    assert any(value == "kept" for _path, _attr, value in found), "the scan sees the pages' states"
    unknown = [f"{path}: {attr} {value!r}" for path, attr, value in found if value not in ALLOWED[attr]]
    assert unknown == [], "use a state an enum in portal/states.py names"


def test_a_misspelt_state_is_refused_by_the_database_column(app, create_complaint):
    complaint, _token = create_complaint()
    complaint.status = "recieved"
    with pytest.raises(StatementError, match="is not a Status"):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(StatementError, match="is not a PromiseState"):
        db.session.execute(update(Promise).where(Promise.complaint_id == complaint.id).values(state="done"))
    db.session.rollback()


def test_states_come_back_as_their_enum_and_the_sets_work_in_sql(app, create_complaint):
    complaint, _token = create_complaint()
    db.session.expire_all()
    fresh = db.session.get(Complaint, complaint.id)
    assert fresh.status is Status.RECEIVED and fresh.promises[0].state is PromiseState.OPEN
    assert db.session.query(Complaint).filter(Complaint.status.in_(Status.OPEN)).count() == 1
    assert Status.OPEN.isdisjoint(Status.ENDED) and Status.OPEN | Status.ENDED == set(Status)


def test_every_enum_value_fits_its_column():
    assert all(len(member) <= 20 for enum in ENUMS for member in enum)
    assert all(len(member) <= 10 for member in PromiseState), "promises.state is 10 characters"
