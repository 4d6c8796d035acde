"""Fuzzing every public form: random Unicode, huge and empty input, malformed requests and odd addresses.

Whatever arrives, the portal answers with one of its own pages and never with a server error: a form
with a problem says "There is a problem" (or "Er is een probleem") above the form and says what to
fix, and nothing a customer typed comes back as markup. Each test is bounded (SETTINGS) so the whole
file runs in seconds; a failure prints the exact request hypothesis made.
"""
from __future__ import annotations

import os
import re
from urllib.parse import quote, urlencode

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings, strategies as st
from werkzeug.datastructures import MultiDict

from portal.services import filing
from portal.extensions import db
from portal.public.views import FLOWS, STEP_ANSWERS
from portal.services import complaints as service, mandate, work
from portal.services.organisation import get_calendar
from portal.services.secrets import new_draft_key
from tests.fixtures.complaints import answers, working_day_after
from tests.fixtures.people import person

# The same examples in every run (CI stays reproducible); FUZZ_EXPLORE=1 draws new ones each run.
SETTINGS = settings(max_examples=60, deadline=None, derandomize=os.environ.get("FUZZ_EXPLORE") != "1",
                    print_blob=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.large_base_example])

MARK = "gehoordxss"  # in every markup payload, so an unescaped echo can be told from the templates
PAYLOADS = [
    f"<script>{MARK}(1)</script>",
    f"\"><script>{MARK}(2)</script>",
    f"</textarea><script>{MARK}(3)</script>",
    f"'><img src=x onerror={MARK}(4)>",
    f"<svg onload={MARK}(5)>",
    f"<a href=\"javascript:{MARK}(6)\">click</a>",
    f"{{{{ 7*7 }}}}{MARK}{{% raw %}}",  # template syntax is text, never run
    f"<SCRIPT SRC=//evil.example/{MARK}.js></SCRIPT>",
]
ODD = ["", " ", "\t\n\r ", "\x00", "\x00\x00story\x00", "\x1b[31mred\x1b[0m", "\u202eevil.exe\u202c",
       "\u200b\ufeff\u200d", "שלום, החבילה שלי הגיעה שבורה", "طردي وصل مكسورا ولم يرد أحد",
       "👩‍👩‍👧‍👦🏳️‍🌈🙂" * 20, "e\u0301" * 300, "Z̸̢̛͎a̷͍l̶g̵o̶", "%00%ZZ%", "../../etc/passwd",
       "' OR 1=1 --", "Robert'); DROP TABLE complaints;--", "\\", "\r\n\r\n", "null", "None", "0",
       "-1", "1e309", "NaN", "25,50", "€ 1.250,00", "fatima@example.com", "a@b", "06 12345678",
       "+31 (20) 123-4567", "KM4T-7XRA", "\ud7ff\ue000\uffff", "\U0010ffff", "ǅ" * 50]
HUGE = st.builds(lambda piece, times: piece * times,
                 st.sampled_from(["a", "🙂", "\u202e", "<", "\x00", "é", "ab\n", "<script>"]),
                 st.sampled_from([4_999, 5_000, 5_001, 20_000, 100_000]))
TEXT = st.one_of(
    st.text(max_size=80),  # all of Unicode except surrogates (hypothesis leaves those out)
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "So"]), max_size=40),
    st.sampled_from(ODD), st.sampled_from(PAYLOADS), HUGE,
    st.builds(lambda a, b: a + b, st.sampled_from(PAYLOADS), st.text(min_size=10, max_size=40)),
)
LANGUAGES = st.sampled_from([None, "nl", "en", "en-GB,en;q=0.9", "de", "*", "x" * 300, "nl;q=abc", "😀"])

# Every public form, with its fields and the values that let a form through (so the happy path
# is fuzzed too, not only the errors).
FIELDS = {
    "what-happened": {"story": answers()["story"], "happened_when": "last Tuesday"},
    "about": {"category": "delivery"},
    "wish": {"wish": "compensation", "amount": "25,50", "wish_other": ""},
    "contact": {"name": "Fatima el Amrani", "email": "fatima@example.com", "phone": "",
                "contact_by": "email", "language": "nl", "website": ""},
    "message": {"kind": "compliment", "story": "The driver carried it all the way upstairs."},
    "check": {"draft": ""},
    "find": {"reference": "KM4T-7XRA", "email": "fatima@example.com", "website": ""},
}
CHOICES = {"category": ["delivery", "other", "billing", "../admin"], "wish": ["fix", "other", "listen"],
           "contact_by": ["email", "phone"], "language": ["nl", "en"], "kind": ["compliment", "suggestion"],
           "answer": ["accept", "decline", "yes", "no"]}
EXTRA_NAMES = ["csrf_token", "draft", "id", "status", "kind", "reference", "__proto__", "story[]", "", "\x00",
               "ö", "a" * 500, "offer-answer", "date-answer", "reopen-reason", "body"]
QUESTION_URLS = sorted({f"/{flow.name}/{step.slug}" for flow in FLOWS.values() for step in flow.steps}
                       | {f"/{name}/check" for name in FLOWS} | {"/find"})
ALL_METHODS = ["GET", "POST", "POST", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"]


# --- what every answer must be ----------------------------------------------------------------------

def check_page(response, *, method: str, allowed: set[int], expect_errors: bool = False) -> BeautifulSoup | None:
    """The rules for any answer to a customer. Returns the parsed page, if it is one."""
    status = response.status_code
    assert status < 500, f"server error {status}"
    assert status in allowed, f"{method} answered {status}, expected one of {sorted(allowed)}"
    if method in ("HEAD", "OPTIONS") or status in (301, 302, 303, 307, 308):
        return None
    if not response.mimetype == "text/html":
        return None
    html = response.get_data(as_text=True)
    # Nothing typed comes back as markup: the only script is the portal's own file.
    for match in re.finditer(r"<script\b[^>]*>", html, flags=re.IGNORECASE):
        assert re.fullmatch(r'<script src="/static/[^"<>]+"( defer)?>', match.group(0)), match.group(0)
    for raw in (f"<img src=x onerror={MARK}", f"<svg onload={MARK}", f"<a href=\"javascript:{MARK}"):
        assert raw not in html, f"typed markup came back unescaped: {raw}"
    page = BeautifulSoup(html, "html.parser")
    for tag in page.find_all(True):
        assert MARK not in tag.name, f"typed markup became a <{tag.name}> element"
        for name, value in tag.attrs.items():
            assert not name.startswith("on"), f"an event handler attribute {name!r} on <{tag.name}>"
            assert MARK not in name, f"typed markup became an attribute {name!r}"
            if MARK in str(value):
                assert name == "value" and tag.name == "input", f"typed text in <{tag.name} {name}=…>"
    # A page of the portal: a title, one h1, no duplicate ids.
    assert page.title and page.title.get_text(strip=True), "every page has a title"
    assert len(page.find_all("h1")) == 1, "every page has exactly one h1"
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), f"duplicate ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    # A problem is named at the top, in words, and each message says what to do.
    summary = page.find(class_="error-summary")
    has_field_errors = page.find(class_="error-message") is not None
    if expect_errors or has_field_errors:
        assert summary is not None, "a form with a problem has an error summary at the top"
    if summary is not None:
        words = summary.get_text(" ", strip=True)
        assert "Er is een probleem" in words or "There is a problem" in words, words
        messages = [item.get_text(" ", strip=True) for item in summary.find_all("li")]
        assert messages and all(messages), "the summary says what the problem is"
        assert page.title.get_text().startswith(("Fout:", "Error:")), "the title starts with Error:"
    return page


def quoted(path: str) -> str:
    """A path as a browser sends it: every character percent-encoded as UTF-8 where needed."""
    return quote(path, safe="/?=&%")


# --- strategies for a form submission --------------------------------------------------------------

@st.composite
def form_fields(draw, known: dict[str, str]) -> MultiDict:
    """Some of the form's fields (with a valid value, random text or nothing), perhaps twice,
    perhaps with fields the form does not have."""
    pairs = []
    for name, good in known.items():
        how = draw(st.sampled_from(["good", "good", "random", "random", "missing", "twice"]), label=name)
        if how == "missing":
            continue
        choice = st.sampled_from(CHOICES.get(name.split("-")[-1], [good]))
        value = draw(choice if how == "good" else TEXT, label=f"{name} value")
        pairs.append((name, value))
        if how == "twice":
            pairs.append((name, draw(st.one_of(choice, TEXT), label=f"{name} again")))
    for _ in range(draw(st.integers(0, 3), label="extra fields")):
        pairs.append((draw(st.one_of(st.sampled_from(EXTRA_NAMES), st.text(max_size=20))), draw(TEXT)))
    return MultiDict(pairs)


def headers_for(language) -> dict:
    return {"Accept-Language": language} if language is not None else {}


def put_draft(app, client, flow_name: str, how: str) -> str | None:
    """Give the client a draft: none, one half answered, or one ready to send. Returns its key."""
    if how == "none":
        return None
    flow = FLOWS[flow_name]
    draft = filing.start_draft(flow.kind)
    data = answers(kind="compliment")
    if how == "half":
        keep = STEP_ANSWERS[flow.steps[0].slug]
        data = {key: value for key, value in data.items() if key in keep}
    filing.save_answers(draft, data)
    db.session.commit()
    with client.session_transaction() as session:
        session[f"draft_{flow_name}"] = draft.key
    return draft.key


# --- the question pages, check your answers, find -------------------------------------------------

@settings(SETTINGS, max_examples=100)
@given(data=st.data())
def test_question_pages_never_fail_and_always_say_what_to_fix(app, data):
    client = app.test_client()
    url = data.draw(st.sampled_from(QUESTION_URLS), label="url")
    flow_name, slug = (url.strip("/").split("/") + [""])[:2] if url != "/find" else ("", "find")
    key = None
    if flow_name:
        key = put_draft(app, client, flow_name, data.draw(st.sampled_from(["none", "half", "ready"]), label="draft"))
    known = dict(FIELDS[slug])
    if slug == "check" and key:
        known["draft"] = key
    fields = data.draw(form_fields(known), label="form")
    method = data.draw(st.sampled_from(ALL_METHODS), label="method")
    query = data.draw(st.sampled_from(["", "?change=1", "?change=", "?change=%00", "?change=1&change=2",
                                       "?x=" + "y" * 3000]), label="query")
    language = data.draw(LANGUAGES, label="Accept-Language")
    response = client.open(url + query, method=method, data=fields if method != "GET" else None,
                           headers=headers_for(language))
    allowed = {"GET": {200, 302}, "HEAD": {200, 302}, "OPTIONS": {200},
               "POST": {200, 302} | ({429} if slug == "check" else set())}.get(method, {405})
    check_page(response, method=method, allowed=allowed,
               expect_errors=method == "POST" and response.status_code == 200)


@SETTINGS
@given(data=st.data())
def test_malformed_form_encodings_are_read_or_refused_politely(app, data):
    """Bodies no browser sends: broken percent escapes, wrong charsets, broken multipart, JSON, bytes."""
    client = app.test_client()
    url = data.draw(st.sampled_from(QUESTION_URLS), label="url")
    slug = url.rsplit("/", 1)[-1]
    flow_name = url.strip("/").split("/")[0] if slug != "find" else ""
    if flow_name:
        put_draft(app, client, flow_name, data.draw(st.sampled_from(["none", "ready"]), label="draft"))
    name = data.draw(st.sampled_from(sorted(FIELDS[slug]) + ["x"]), label="field")
    value = data.draw(TEXT, label="value")
    encoded = urlencode({name: value}).encode()
    body, content_type = data.draw(st.sampled_from([
        (encoded, "application/x-www-form-urlencoded"),
        (encoded + b"&" + encoded, "application/x-www-form-urlencoded"),
        (f"{name}=%ZZ%{name}=%".encode(), "application/x-www-form-urlencoded"),
        (b"\xff\xfe\xfd=\xc3\x28&" + name.encode() + b"=\xed\xa0\x80\xc0\xaf", "application/x-www-form-urlencoded"),
        (value.encode("utf-16"), "application/x-www-form-urlencoded; charset=utf-16"),
        (encoded, "application/x-www-form-urlencoded; charset=nonsense"),
        (b"&&&===&" * 100, "application/x-www-form-urlencoded"),
        (b";" * 1000, "application/x-www-form-urlencoded"),
        (encoded, "multipart/form-data"),  # no boundary
        (b"--b\r\nContent-Disposition: form-data; name=\"" + name.encode() + b"\"\r\n\r\nabc",
         "multipart/form-data; boundary=b"),
        (b"--b\r\ngarbage\r\n--b--\r\n", "multipart/form-data; boundary=b"),
        (b"--b\r\nContent-Disposition: form-data; name=\"" + name.encode() + b"\"; filename=\"x.exe\"\r\n"
         b"Content-Type: application/octet-stream\r\n\r\nMZ\x00\x00\r\n--b--\r\n", "multipart/form-data; boundary=b"),
        (b'{"story": "' + value.encode("utf-8", "replace")[:200].replace(b'"', b"") + b'"}', "application/json"),
        (b"\x00" * 100, "text/plain"),
        (encoded, ""),
        (encoded, "application/x-www-form-urlencoded; boundary=x; charset"),
    ]), label="body")
    headers = headers_for(data.draw(LANGUAGES, label="Accept-Language"))
    response = client.open(url, method="POST", data=body, content_type=content_type or None, headers=headers)
    allowed = {200, 302, 400, 413} | ({429} if slug == "check" else set())
    check_page(response, method="POST", allowed=allowed, expect_errors=response.status_code == 200)


@settings(SETTINGS, max_examples=40)
@given(data=st.data())
def test_with_csrf_on_a_missing_or_forged_token_gets_the_form_expired_page(app, data):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    url = data.draw(st.sampled_from(QUESTION_URLS), label="url")
    slug = url.rsplit("/", 1)[-1]
    page = BeautifulSoup(client.get(url, follow_redirects=True).get_data(as_text=True), "html.parser")
    real = page.find("input", {"name": "csrf_token"})["value"]
    token = data.draw(st.one_of(st.just(real), st.just(real), st.just(real[:-1]), st.just(real + "x"),
                                st.just(real.upper()), TEXT, st.none()), label="csrf_token")
    fields = data.draw(form_fields(FIELDS[slug]), label="form")
    fields.setlist("csrf_token", [] if token is None else [token])
    if data.draw(st.booleans(), label="token twice"):
        fields.add("csrf_token", data.draw(st.sampled_from([real, "forged"])))
    headers = headers_for(data.draw(LANGUAGES, label="Accept-Language"))
    if data.draw(st.booleans(), label="no session cookie"):
        client.delete_cookie("session")
    response = client.post(url, data=fields, headers=headers)
    # 413: more than MAX_CONTENT_LENGTH (fuzzed fields can be huge), answered with its own kind page.
    page = check_page(response, method="POST", allowed={200, 302, 400, 413} | ({429} if slug == "check" else set()),
                      expect_errors=response.status_code == 200)
    if response.status_code == 400:
        assert page is not None and page.find("h1").get_text(strip=True)


# --- the status page and its forms ----------------------------------------------------------------

def status_world(app, state: str) -> dict:
    """A complaint in a given state, with a token and the ids its status-page forms post to."""
    agent = person("agent")
    draft = filing.start_draft("compliment" if state == "compliment" else "complaint")
    filing.save_answers(draft, answers(kind="compliment"))
    complaint = filing.file_draft(draft, calendar=get_calendar()).complaint
    token = service.add_status_link(complaint)
    offer_id = promise_id = None
    if state in ("offer", "resolved", "moved"):
        work.claim(complaint, agent)
        offer = mandate.make_offer(complaint, agent, remedy="apology", amount_cents=0, text="We are sorry.",
                              request_key=new_draft_key(), seen_counter=complaint.offer_counter,
                              calendar=get_calendar())
        offer_id = offer.id
        if state == "resolved":
            mandate.accept(complaint, offer)
    if state == "moved":  # a second move waits for the customer's yes or no
        promise = next(p for p in complaint.promises if p.state == "open")
        first = work.extend_promise(promise, agent, working_day_after(promise.due_at, 3), "Busy week.")
        second = work.extend_promise(first, agent, working_day_after(first.due_at, 3), "Still busy.")
        promise_id = second.id
    if state == "withdrawn":
        service.withdraw(complaint)
    if state == "escalated":
        service.ask_for_manager(complaint, "Please look.", get_calendar())
    db.session.commit()
    other = complaint.promises[0].id
    return dict(token=token, offer_id=offer_id or 1, promise_id=promise_id or other, other_promise=other)


STATUS_FIELDS = {
    "": {"body": "Here is the receipt number: 12345."},
    "/contact": FIELDS["contact"],
    "/manager": {"reason": "Nobody answers."},
    "/withdraw": {},
    "/reopen": {"reopen-reason": "It broke again."},
    "/offer": {"offer-answer": "accept", "offer-reason": ""},
    "/date": {"date-answer": "yes"},
}
# Ids a database column can hold; larger ones have their own test below.
IDS = st.one_of(st.sampled_from(["real", "real", "other"]), st.sampled_from([0, 1, 2**31 - 1]),
                st.integers(min_value=0, max_value=2**31 - 1))


@settings(SETTINGS, max_examples=80)
@given(data=st.data())
def test_status_page_forms_never_fail_and_always_say_what_to_fix(app, data):
    state = data.draw(st.sampled_from(["received", "offer", "resolved", "moved", "withdrawn", "escalated",
                                       "compliment"]), label="state")
    world = status_world(app, state)
    action = data.draw(st.sampled_from(sorted(STATUS_FIELDS)), label="action")
    path = f"/s/{world['token']}{action}"
    if action in ("/offer", "/date"):
        which = data.draw(IDS, label="id")
        real = world["offer_id"] if action == "/offer" else world["promise_id"]
        path += "/" + str({"real": real, "other": world["other_promise"]}.get(which, which))
    fields = data.draw(form_fields(STATUS_FIELDS[action]), label="form")
    method = data.draw(st.sampled_from(ALL_METHODS), label="method")
    language = data.draw(LANGUAGES, label="Accept-Language")
    response = app.test_client().open(path, method=method, data=fields if method != "GET" else None,
                                      headers=headers_for(language))
    post_only = action in ("/reopen", "/offer", "/date")
    allowed = {"GET": {405} if post_only else {200},
               "HEAD": {405} if post_only else {200},
               "OPTIONS": {200},
               "POST": {200, 302, 404, 409}}.get(method, {405})
    if action in ("/offer", "/date"):
        allowed |= {404}  # an id that is not this complaint's
    strict = action not in ("/manager", "/withdraw")  # those show the page again once it is done
    check_page(response, method=method, allowed=allowed,
               expect_errors=strict and method == "POST" and response.status_code in (200, 409))


# --- the language switch and odd addresses ----------------------------------------------------------

@SETTINGS
@given(code=st.one_of(st.sampled_from(["nl", "en", "NL", "de", ""]), st.text(max_size=20)),
       target=st.one_of(st.text(max_size=200), st.sampled_from([
           "/", "/find", "//evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example/",
           "/%2F/evil.example", "javascript:alert(1)", "/\t/evil.example", " //evil.example", "///evil.example",
           "/\u3002evil.example", "/s/abc?x=1#y"]),
           st.builds(lambda a, b: a + b, st.sampled_from(["/", "//", "/\\", "///"]), st.text(max_size=50))))
@example(code="en", target="/\r\nSet-Cookie: admin=1")  # a server error (a header may not hold a newline)
@example(code="nl", target="/find\n")
@example(code="en", target="////evil.example")  # sent on as Location: //evil.example, another site
@example(code="en", target="//")  # sent on as an empty Location: the browser asks the same address again
def test_the_language_switch_goes_back_to_our_own_pages_only(app, code, target):
    client = app.test_client()
    path = "/language/" + quote(code, safe="") + "?" + urlencode({"next": target})
    response = client.get(path)
    check_page(response, method="GET", allowed={302} if code in ("nl", "en") else {302, 404})
    if response.status_code == 302:
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location
        assert not re.search(r"[\x00-\x20\x7f]", location), "no control characters or spaces in a redirect"


SEGMENTS = st.one_of(
    st.text(max_size=30), st.sampled_from(["", ".", "..", "%00", "%2e%2e", "%ZZ", "s", "complaint", "compliment",
                                           "check", "what-happened", "static", "language", "confirmation",
                                           "copy.txt", "offer", "date", "reopen", "😀", "\u202e", "a" * 3000]),
    st.integers(min_value=-1, max_value=10**30).map(str))


@pytest.mark.parametrize("draft", ["\x00", "abc\x00def", "a" * 100_000, "é🙂", "' OR 1=1 --"])
def test_a_draft_key_that_cannot_exist_sends_the_customer_back_to_the_first_question(app, draft):
    """The hidden draft key on "check your answers" comes back from the browser: anything can be in it
    (PostgreSQL refuses a NUL in any text it is asked to compare)."""
    response = app.test_client().post("/complaint/check", data={"draft": draft})
    check_page(response, method="POST", allowed={302})
    assert response.headers["Location"].endswith("/complaint/what-happened")


@pytest.mark.parametrize("action", ["offer", "date"])
@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_ids_beyond_what_the_database_can_store_get_a_404(app, action, number):
    world = status_world(app, "offer")
    response = app.test_client().post(f"/s/{world['token']}/{action}/{number}",
                                      data={"offer-answer": "accept", "date-answer": "yes"})
    check_page(response, method="POST", allowed={404})


@SETTINGS
@given(data=st.data())
def test_odd_addresses_get_a_page_not_a_crash(app, data):
    world = status_world(app, "offer")
    prefix = data.draw(st.sampled_from(["", "/s/" + world["token"], "/s", "/complaint", "/compliment",
                                        "/language", "/find", "/static", "/rights"]), label="prefix")
    segments = data.draw(st.lists(SEGMENTS, max_size=4), label="segments")
    path = prefix + "/" + "/".join(segments)
    method = data.draw(st.sampled_from(["GET", "POST", "HEAD"]), label="method")
    response = app.test_client().open(quoted(path), method=method)
    check_page(response, method=method, allowed={200, 302, 308, 400, 404, 405})
