"""Insight pages: read a period and filters from the query string, ask services/insight.py, show it."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from babel.dates import format_date
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from ..access import role_required
from ..extensions import db
from ..formatting import current_language
from ..models import Category, User, utcnow
from ..i18n import lazy_gettext as _l
from ..services import insight, insight_summary, review
from ..services.errors import DomainError
from ..services.mandate import REMEDIES
from ..services.organisation import get_calendar
from ..states import Channel, Kind, Role, RootCause
from ..services.work import HANDLED_AS, ROOT_CAUSES
from ..wording.staff import CHANNEL_NAMES, MEETS_WORDS, TREND_WORDS
from . import bp, charts

FILTER_ARGS = ("from", "to", "month", "category", "kind", "channel", "root_cause", "owner", "remedy")


def _up_to_date() -> None:
    """Fold what changed since the worker last did into the summary, and keep it (the figures then
    never lag behind the complaints; services/insight_summary.py)."""
    if insight_summary.bring_up_to_date():
        db.session.commit()


def _asked():
    """The period and filters in the query string, and the problems with them (then the default)."""
    _up_to_date()
    today = get_calendar().local_date(utcnow())
    problems = []
    try:
        period = insight.period_from(request.args, today)
    except DomainError as error:
        problems += error.problems
        period = insight.Period.last_days(30, today)
    try:
        filters = insight.filters_from(request.args)
    except DomainError as error:
        problems += error.problems
        filters = insight.Filters()
    return period, filters, problems


def _page(template: str, period, filters, problems, **figures):
    choices = dict(
        categories=db.session.scalars(select(Category).order_by(Category.position)).all(),
        owners=db.session.scalars(select(User).where(User.role != Role.MANAGER).order_by(User.name)).all(),
        kinds=list(Kind), channels=list(Channel), root_causes=list(RootCause), remedies=REMEDIES)
    names = dict(channel=CHANNEL_NAMES, root_cause=ROOT_CAUSES, handled_as=HANDLED_AS, trend=TREND_WORDS,
                 meets=MEETS_WORDS)
    args = {key: value for key, value in request.args.items() if key in FILTER_ARGS}
    # Links to the charts, the export and the other pages carry what was understood, never a wrong value.
    chosen = filters.as_dict()
    link_args = {"from": period.first.isoformat(), "to": period.last.isoformat(),
                 **{{"category_id": "category", "owner_id": "owner"}.get(key, key): str(value)
                    for key, value in chosen.items()}}
    return render_template(template, period=period, filters=filters, page_errors=problems, args=args, names=names,
                           link_args=link_args,
                           may_open=current_user.can(Role.AGENT),
                           may_see_personal=insight.may_see_personal(current_user),
                           bucket_unit=_("month") if period.days > 62 else _("week"), **choices,
                           **figures), 400 if problems else 200


@bp.route("/")
@role_required(Role.MANAGER)
def overview():
    period, filters, problems = _asked()
    found = insight.signals(period, filters)
    return _page("insight/overview.html", period, filters, problems, signals=found,
                 before=insight.signals(period.before(), filters),
                 silent=insight.silent_majority(found.complaints), costs=insight.costs(period, filters),
                 root_causes_found=insight.root_causes(period, filters, found),
                 top=insight.top_categories(period, filters, found=found),
                 effects=insight.improvement_effects(period.last))


@bp.route("/chart/<name>.svg")
@role_required(Role.MANAGER)
def chart(name):
    """A chart of the overview as an SVG image (its figures are in the page's tables too). Its own
    policy lets pygal's inline style work; an image cannot run scripts."""
    period, filters, problems = _asked()
    if problems or name not in ("signals", "costs"):
        abort(404)
    if name == "signals":
        svg = charts.signals_svg(insight.signals(period, filters), _("Signals"))
    else:
        svg = charts.costs_svg(insight.costs(period, filters), _("Offers in euros"), _("Offered"), _("Accepted"))
    return Response(svg, mimetype="image/svg+xml", headers={
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"})


@bp.route("/charter")
@role_required(Role.MANAGER)
def charter():
    period, filters, problems = _asked()
    return _page("insight/charter.html", period, filters, problems, rows=insight.scorecard(period, filters),
                 step_names=insight.step_names(current_language()))


@bp.route("/return")
@role_required(Role.MANAGER)
def complaints_return():
    period, filters, problems = _asked()
    return _page("insight/return.html", period, filters, problems,
                 figures=insight.complaints_return(period, filters))


class _Export:
    """What both exports read: the period and filters asked, whether names and addresses are in it,
    the header and the query. A manager never gets personal data; a supervisor or an admin only
    when they ask (personal=yes)."""

    def __init__(self, extension: str):
        self.period, self.filters, self.problems = _asked()
        self.personal = request.args.get("personal") == "yes"
        if self.personal and not self.problems and not insight.may_see_personal(current_user):
            abort(403)
        self.header = insight.EXPORT_COLUMNS + (insight.PERSONAL_COLUMNS if self.personal else ())
        self.query = insight.export_query(self.period, self.filters, self.personal)
        self.calendar = get_calendar()
        self.filename = f"complaints-{self.period.first.isoformat()}-{self.period.last.isoformat()}.{extension}"

    def refused(self):
        return _page("insight/overview.html", self.period, self.filters, self.problems, signals=None)

    def rows(self, connection):
        """The rows, read in batches from a streamed result, so memory stays flat."""
        result = connection.execution_options(stream_results=True, yield_per=1000).execute(self.query)
        return insight.export_rows(result, self.calendar)

    def attachment(self) -> dict:
        return {"Content-Disposition": f'attachment; filename="{self.filename}"'}


@bp.route("/export.csv")
@role_required(Role.MANAGER)
def export():
    """Streamed: the file goes out while the rows are read."""
    wanted = _Export("csv")
    if wanted.problems:
        return wanted.refused()
    # Sent after the view returned, on a connection of its own (the request's session is gone by then).
    connection = db.engine.connect()

    def lines():
        try:
            yield from _csv_lines(wanted.header, wanted.rows(connection))
        finally:
            connection.close()

    return Response(lines(), mimetype="text/csv", headers=wanted.attachment())


@bp.route("/export.xlsx")
@role_required(Role.MANAGER)
def export_xlsx():
    """The same rows as an Excel workbook. XlsxWriter in constant-memory mode writes each row to a
    temporary file as it comes, so memory stays flat; the finished file is then sent and deleted."""
    import tempfile

    import xlsxwriter

    wanted = _Export("xlsx")
    if wanted.problems:
        return wanted.refused()
    target = tempfile.TemporaryFile(suffix=".xlsx")
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False})
    sheet = workbook.add_worksheet(_("Complaints")[:31])
    sheet.write_row(0, 0, wanted.header)
    with db.engine.connect() as connection:
        for number, row in enumerate(wanted.rows(connection), start=1):
            sheet.write_row(number, 0, row)
    workbook.close()
    target.seek(0)
    return Response(_chunks(target), headers=wanted.attachment(),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _chunks(file, size=64 * 1024):
    try:
        while chunk := file.read(size):
            yield chunk
    finally:
        file.close()


def _csv_lines(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for number, row in enumerate(rows):
        writer.writerow(row)
        if number % 500 == 499:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# --- the monthly review -----------------------------------------------------------------------------

def _month_figures(month: str):
    period = review.month_period(month)
    if period is None:
        abort(404)
    _up_to_date()
    before = period.before()
    found = insight.signals(period)
    return dict(
        month=month, period=period, signals=found, signals_before=insight.signals(before),
        silent=insight.silent_majority(found.complaints), costs=insight.costs(period),
        costs_before=insight.costs(before), survey=insight.survey(period),
        survey_before=insight.survey(before), rows=insight.scorecard(period),
        causes=insight.root_causes(period, found=found), improvements=review.improvements_of(period),
        stories=review.stories(month), names=dict(root_cause=ROOT_CAUSES, trend=TREND_WORDS, meets=MEETS_WORDS),
        month_name=format_date(period.first, "LLLL yyyy", locale=current_language()))


@bp.route("/month/<month>")
@role_required(Role.MANAGER)
def month(month):
    figures = _month_figures(month)
    return render_template("insight/month.html", may_pick=current_user.can(Role.SUPERVISOR), pdf=False,
                           **figures)


@bp.route("/month/<month>.pdf")
@role_required(Role.MANAGER)
def month_pdf(month):
    """The same review as a PDF, made on the server (WeasyPrint), with the portal's own stylesheet."""
    from weasyprint import CSS, HTML

    html = render_template("insight/month_pdf.html", may_pick=False, pdf=True, **_month_figures(month))
    stylesheet = CSS(filename=str(Path(current_app.static_folder) / "css" / "gehoord.css"))
    document = HTML(string=html, base_url=current_app.static_folder).write_pdf(stylesheets=[stylesheet])
    return Response(document, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="review-{month}.pdf"'})


@bp.route("/month/<month>/stories", methods=["POST"])
@role_required(Role.SUPERVISOR)
def pick_story(month):
    form = FlaskForm()
    if review.month_period(month) is None:
        abort(404)
    if form.validate_on_submit():
        try:
            review.pick_story(current_user, month, request.form.get("reference", ""))
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_l("Added to this month's stories."), "success")
    return redirect(url_for("insight.month", month=month) + "#stories")


@bp.route("/month/<month>/stories/<int:story_id>/remove", methods=["POST"])
@role_required(Role.SUPERVISOR)
def remove_story(month, story_id):
    if FlaskForm().validate_on_submit():
        if not review.remove_story(month, story_id):
            abort(404)
        flash(_l("Removed from this month's stories."), "success")
    return redirect(url_for("insight.month", month=month) + "#stories")
