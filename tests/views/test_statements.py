"""Issue "Trust", say what we keep: a privacy and an accessibility statement, linked from every footer."""
import pytest

from portal.extensions import db
from portal.services.organisation import get_organisation
from tests.conftest import EN, soup, text_of


@pytest.mark.parametrize("url", ["/", "/rights", "/find", "/agent/login"])
def test_every_footer_links_to_both_statements(client, url):
    for headers, privacy, accessibility in ((EN, "Privacy", "Accessibility"), ({}, "Privacy", "Toegankelijkheid")):
        footer = soup(client.get(url, headers=headers)).find("footer")
        links = {a.get_text(strip=True): a["href"] for a in footer.find_all("a")}
        assert links.get(privacy) == "/privacy" and links.get(accessibility) == "/accessibility"


def test_the_privacy_statement_gives_the_retention_the_admin_set(client):
    get_organisation().retention_months = 18
    db.session.commit()
    text = text_of(soup(client.get("/privacy", headers=EN)))
    assert "we keep your details for 18 months" in text
    assert "Autoriteit Persoonsgegevens" in text and "never sell your details" in text
    dutch = text_of(soup(client.get("/privacy")))
    assert "18 maanden" in dutch and "Autoriteit Persoonsgegevens" in dutch


def test_the_accessibility_statement_says_how_it_is_tested_and_what_is_missing(client):
    text = text_of(soup(client.get("/accessibility", headers=EN)))
    assert "WCAG 2.2" in text and "axe-core" in text and "No person with a screen reader has tested" in text
    assert "WCAG 2.2" in text_of(soup(client.get("/accessibility")))
