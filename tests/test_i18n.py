"""Templates look their translations up once per page and language (portal/i18n.py): a mail in the
customer's language, rendered in the middle of a page in another language, still gets its own words."""
from datetime import datetime, timezone

from flask import render_template_string
from flask_babel import force_locale, refresh

from portal.extensions import db
from portal.formatting import when
from portal.services.organisation import get_organisation
from tests.conftest import EN


def test_a_forced_language_inside_a_page_gets_its_own_words_and_the_page_keeps_its_own(app):
    page = "{{ _('Back') }}"
    with app.test_request_context("/", headers=EN):
        assert render_template_string(page) == "Back"
        with force_locale("nl"):  # the customer's mail, in Dutch
            assert render_template_string(page) == "Terug"
            assert render_template_string(
                "{{ ngettext('due in %(num)s working hour', 'due in %(num)s working hours', 2) }}") == "nog 2 werkuren"
        assert render_template_string(page) == "Back"


def test_a_language_switch_in_the_middle_of_a_request_is_seen_at_once(app):
    with app.test_request_context("/", headers=EN):
        assert render_template_string("{{ _('Back') }}") == "Back"
        from flask import g

        g.forced_language = "nl"
        refresh()
        assert render_template_string("{{ _('Back') }}") == "Terug"


def test_dates_follow_the_language_and_the_organisations_time_zone(app):
    moment = datetime(2026, 11, 24, 16, 0, tzinfo=timezone.utc)
    with app.test_request_context("/", headers={"Accept-Language": "nl"}):
        assert when(moment) == "dinsdag 24 november 2026, 17:00"
        with force_locale("en"):
            assert when(moment) == "Tuesday 24 November 2026, 17:00"
        get_organisation().timezone = "Europe/London"
        db.session.flush()  # the settings snapshot (and so the zone) is renewed at the flush
        assert when(moment) == "dinsdag 24 november 2026, 16:00"


def test_placeholders_are_escaped_in_pages_and_left_alone_in_plain_text_mails(app):
    from flask import current_app

    words = "{{ _('From %(name)s, on %(when)s.', name=name, when='x') }}"
    with app.test_request_context("/", headers=EN):
        assert render_template_string(words, name="Ann & <b>Bo</b>") == "From Ann &amp; &lt;b&gt;Bo&lt;/b&gt;, on x."
        plain = current_app.jinja_env.overlay(autoescape=False).from_string(words)
        assert plain.render(name="Ann & Bo") == "From Ann & Bo, on x."
        assert render_template_string("{{ _('100%% sure') }}") == "100% sure"  # always a format string
