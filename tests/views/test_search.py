"""The search box on the queue: a GET form (a search is a link), results, no hits, bad input, access."""
import pytest

from portal.extensions import db
from portal.services import complaints as service
from tests.conftest import EN, text_of
from tests.views.test_access import ROLES


@pytest.fixture
def filed(create_complaint):
    complaint, _token = create_complaint(story="De bezorger liet het pakket in de regen staan.")
    service.add_customer_message(complaint, "Ik heb nog een foto van de natte doos.")
    db.session.commit()
    return complaint


def test_the_queue_has_a_search_box_with_a_visible_label(client_request, auth):
    auth.login("agent")
    page = client_request.get("/agent/")
    form = page.select_one("form[role=search]")
    assert form["method"] == "get" and form["action"] == "/agent/"
    field = form.select_one("input[name=q]")
    assert form.select_one(f"label[for={field['id']}]").get_text(strip=True) == "Zoek klachten"
    assert form.select_one("button[type=submit]").get_text(strip=True) == "Zoeken"


def test_a_search_lists_what_it_found_with_a_link_to_each(client_request, auth, filed):
    auth.login("agent")
    page = client_request.get("/agent/?q=foto")
    assert page.h1.get_text(strip=True) == "Zoekresultaten voor “foto”"
    assert "1 klacht gevonden" in text_of(page)
    assert [a["href"] for a in page.select("main tbody a")] == [f"/agent/complaints/{filed.reference}"]
    assert page.select_one("input[name=q]")["value"] == "foto"  # the box keeps what was searched for


def test_a_reference_typed_in_any_case_and_without_its_dash_opens_the_complaint(client_request, auth, filed):
    auth.login("agent")
    for typed in (filed.reference.replace("-", "").lower(), filed.reference.lower(), f" {filed.reference} "):
        response = client_request.get(f"/agent/?q={typed}", headers=EN, expected_status=302)
        assert response.headers["Location"] == f"/agent/complaints/{filed.reference}"


def test_the_complaint_page_takes_its_reference_in_any_case(client_request, auth, filed):
    auth.login("agent")
    lower = filed.reference.lower()
    response = client_request.get(f"/agent/complaints/{lower}", expected_status=301)
    assert response.headers["Location"] == f"/agent/complaints/{filed.reference}"
    response = client_request.get(f"/agent/complaints/{filed.reference.replace('-', '')}/mandate", expected_status=301)
    assert response.headers["Location"] == f"/agent/complaints/{filed.reference}/mandate"
    client_request.get(f"/agent/complaints/{filed.reference}")
    # A POST with the other spelling acts on the same complaint (no redirect loses a form).
    client_request.post(f"/agent/complaints/{lower}/claim", data={}, expected_status=302)
    client_request.get("/agent/complaints/AAAA-AAAA", expected_status=404)


def test_no_hits_says_so_in_the_staff_language(client_request, auth, filed):
    auth.login("agent")
    page = client_request.get("/agent/?q=olifant")
    assert "Geen klacht past bij “olifant”. Kijk of het goed gespeld is, of zoek op minder woorden." in text_of(page)
    assert page.select("main table") == []
    page = client_request.get("/agent/?q=olifant", headers=EN)
    assert "No complaint matches “olifant”. Check the spelling, or search for fewer words." in text_of(page)


@pytest.mark.parametrize("typed", ["!!!", "*", '"', "-", "x" * 201])
def test_bad_input_gets_a_sentence_at_the_field_not_an_error_page(client_request, auth, filed, typed):
    auth.login("agent")
    page = client_request.get("/agent/", query_string={"q": typed}, expected_status=400, headers=EN)
    assert page.title.string.startswith("Error:")
    summary_link = page.select_one(".error-summary a")
    assert summary_link["href"] == "#q"
    assert page.select_one("#q")["aria-describedby"].split()[-1] == "q-error"
    assert page.select_one("#q-error").get_text(" ", strip=True).removeprefix("Error: ") == summary_link.get_text()


@pytest.mark.parametrize("typed", ['"regen', "regen*", "NEAR(regen pakket)", "regen OR", "-regen", "regen'; --"])
def test_the_engines_syntax_never_gives_an_error_page(client, auth, filed, typed):
    auth.login("agent")
    assert client.get("/agent/", query_string={"q": typed}).status_code == 200


def test_an_empty_box_shows_the_queue(client_request, auth, filed):
    auth.login("agent")
    page = client_request.get("/agent/?q=+++")
    assert page.h1.get_text(strip=True) == "Wachtrij"


def test_what_was_searched_for_is_shown_as_text_never_as_html(client_request, auth, filed):
    auth.login("agent")
    page = client_request.get("/agent/", query_string={"q": "<b>foto</b>"})
    assert page.select("main h1 b") == [] and "<b>foto</b>" in page.h1.get_text()


def test_pages_of_results_keep_the_search(client_request, auth, create_complaint):
    for number in range(27):
        create_complaint(story=f"Klacht {number}: de koffiemachine lekt.")
    auth.login("agent")
    page = client_request.get("/agent/?q=koffiemachine")
    assert "27 klachten gevonden" in text_of(page) and len(page.select("main tbody tr")) == 25
    next_page = page.select_one("nav .pagination a")
    assert next_page.get_text(strip=True) == "Volgende pagina"
    page = client_request.get(next_page["href"])
    assert len(page.select("main tbody tr")) == 2 and "Pagina 2 van 2" in text_of(page)


@pytest.mark.parametrize("role", ROLES)
def test_only_people_who_work_complaints_can_search(client, auth, filed, role):
    if role in ("agent", "supervisor", "admin", "manager", "colleague"):
        auth.login(role)
    if role == "customer":
        client.get("/s/not-theirs")  # a visitor of the customer pages is still no agent
    response = client.get("/agent/?q=foto")
    if role in ("manager", "colleague"):  # never a customer's story or address
        assert response.status_code == 403 and filed.reference not in response.get_data(as_text=True)
    elif role in ("anonymous", "customer"):
        assert response.status_code == 302 and "/agent/login" in response.headers["Location"]
        assert filed.reference not in response.get_data(as_text=True)
    else:
        assert response.status_code == 200 and filed.reference in response.get_data(as_text=True)
