"""The customer's pages. Views load, check, validate, call one service, and redirect."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Response, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import refresh as refresh_locale
from ..i18n import lazy_gettext as _l
from sqlalchemy import select

from ..access import safe_next
from ..formatting import current_language, localized
from ..extensions import db, limiter
from ..models import Category, Offer, Promise, utcnow
from ..services import complaints as service
from ..services import categories as category_service
from ..services import attachments, filing, lifecycle, mandate, privacy, satisfaction, work
from ..services import improvements as improvement_service
from ..services.errors import DomainError
from ..services.money import parse_amount_cents
from ..services.organisation import get_calendar, organisation_snapshot
from ..states import PromiseState, Status
from ..uploads import serve_attachment, uploaded
from . import bp
from .forms import (AboutForm, AnswerOfferForm, ConfirmForm, ContactForm, FeedbackForm, FindForm, ManagerForm,
                    MessageForm, NewDateForm, ReopenForm, SendForm, SignalForm, StoryForm, WishForm, choices)


@dataclass(frozen=True)
class Step:
    slug: str
    form: type
    template: str
    title: str


@dataclass(frozen=True)
class Flow:
    name: str
    kind: str
    steps: tuple[Step, ...]

    def step(self, slug: str) -> Step:
        for step in self.steps:
            if step.slug == slug:
                return step
        abort(404)

    def number(self, step: Step) -> int:
        return self.steps.index(step) + 1


FLOWS = {
    "complaint": Flow("complaint", "complaint", (
        Step("what-happened", StoryForm, "public/step_story.html", _l("What happened?")),
        Step("about", AboutForm, "public/step_about.html", _l("What is your complaint about?")),
        Step("wish", WishForm, "public/step_wish.html", _l("What would you like us to do?")),
        Step("contact", ContactForm, "public/step_contact.html", _l("How can we reach you?")),
    )),
    "compliment": Flow("compliment", "compliment", (
        Step("message", SignalForm, "public/step_signal.html", _l("What would you like to pass on?")),
        Step("contact", ContactForm, "public/step_contact.html", _l("How can we reach you?")),
    )),
}

# Which draft answers each step fills in; the check page needs them all.
STEP_ANSWERS = {
    "what-happened": ("story",),
    "about": ("category",),
    "wish": ("wish",),
    "contact": ("name", "email", "language"),
    "message": ("kind", "story"),
}


def _flow(name: str) -> Flow:
    flow = FLOWS.get(name)
    if flow is None:
        abort(404)
    return flow


def _session_key(flow: Flow) -> str:
    return f"draft_{flow.name}"


def _current_draft(flow: Flow):
    return filing.get_draft(session.get(_session_key(flow)))


def _category_choices(categories) -> list[tuple[str, str]]:
    pairs = [(c.slug, localized(c, "name")) for c in categories] + [("other", str(_l("Something else")))]
    return choices(pairs)


def _first_missing_step(flow: Flow, answers: dict) -> Step | None:
    for step in flow.steps:
        if any(not answers.get(key) for key in STEP_ANSWERS[step.slug]):
            return step
    return None


def _answers_from(form) -> dict:
    answers = {name: field.data for name, field in form._fields.items() if name not in ("csrf_token", "files")}
    if "amount" in answers:
        answers["wish_amount_cents"] = parse_amount_cents(answers["amount"]) if answers["amount"] else None
    return answers


@bp.route("/")
def start():
    return render_template("public/start.html")


@bp.route("/language/<code>")
def choose_language(code):
    if code in current_app.config["LANGUAGES"]:
        session["language"] = code
    return redirect(safe_next(request.args.get("next"), "/"))


@bp.route("/rights")
def rights():
    return render_template("public/rights.html")


@bp.route("/privacy")
def privacy_statement():
    """What we keep, why, how long (the admin's retention setting), who sees it, how to erase it."""
    return render_template("public/privacy.html", retention_months=organisation_snapshot().retention_months)


# The day this statement was last checked against the pages (update it with the text).
ACCESSIBILITY_STATEMENT_DATE = date(2026, 12, 3)


@bp.route("/accessibility")
def accessibility_statement():
    return render_template("public/accessibility.html", statement_date=ACCESSIBILITY_STATEMENT_DATE)


@bp.route("/you-said-we-did")
def improvements():
    return render_template("public/improvements.html", improvements=improvement_service.published_improvements())


@bp.route("/<flow_name>/<slug>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["QUESTION_LIMIT"], methods=["POST"])
def question(flow_name, slug):
    flow = _flow(flow_name)
    step = flow.step(slug)
    draft = _current_draft(flow)
    answers = draft.data if draft else {}
    form = step.form(data=answers if request.method == "GET" else None)
    categories = []
    if isinstance(form, AboutForm):
        categories = category_service.active_categories()
        form.category.choices = _category_choices(categories)
    if isinstance(form, ContactForm) and not form.language.data:
        form.language.data = current_language()

    kept_files = attachments.of_draft(draft.key) if draft is not None and "files" in form._fields else []
    checked, valid = [], form.validate_on_submit()
    if valid and "files" in form._fields:
        try:
            checked = attachments.check(uploaded(form.files), already=len(kept_files))
        except attachments.AttachmentError as error:  # the story stays in the form; choose the files again
            form.files.errors.append(error.message)
            valid = False
    if valid:
        if draft is None:
            draft = filing.start_draft(flow.kind)
            session[_session_key(flow)] = draft.key
        filing.save_answers(draft, _answers_from(form))
        if checked:  # held by the draft until it is sent (services/filing.py gives them to the complaint)
            attachments.store(checked, added_by="customer", draft_key=draft.key)
        index = flow.steps.index(step)
        if request.args.get("change") or index == len(flow.steps) - 1:
            missing = _first_missing_step(flow, draft.data)
            if missing is None:
                return redirect(url_for("public.check_answers", flow_name=flow.name))
            return redirect(url_for("public.question", flow_name=flow.name, slug=missing.slug))
        next_step = flow.steps[index + 1]
        return redirect(url_for("public.question", flow_name=flow.name, slug=next_step.slug))

    index = flow.steps.index(step)
    back = (url_for("public.question", flow_name=flow.name, slug=flow.steps[index - 1].slug)
            if index else url_for("public.start"))
    if request.args.get("change"):
        back = url_for("public.check_answers", flow_name=flow.name)
    return render_template(step.template, form=form, flow=flow, step=step, number=index + 1,
                           total=len(flow.steps), back=back, categories=categories, kept_files=kept_files,
                           upload_limits=attachments.limits())


@bp.post("/<flow_name>/check")
@limiter.limit(lambda: current_app.config["FILING_LIMIT"])
def send_answers(flow_name):
    """The one button on the check page: file what the draft holds."""
    flow = _flow(flow_name)
    form = SendForm()
    if not form.validate_on_submit():
        return check_answers(flow_name)
    key = form.draft.data
    draft = filing.finished_draft(key)
    if draft is None and filing.was_filed(key):
        return _sent_before(key, flow)
    if draft is None or _first_missing_step(flow, draft.data) is not None:
        return redirect(url_for("public.question", flow_name=flow.name, slug=flow.steps[0].slug))
    try:
        filed = filing.file_draft(draft)
    except filing.TooManyOpen as error:
        return render_template("errors/too_many_open.html", limit=error.limit), 429
    except filing.InvalidAnswers as error:  # a draft from before a rule changed: ask that question again
        step = next((s for s in flow.steps if error.field in STEP_ANSWERS[s.slug]), flow.steps[0])
        return redirect(url_for("public.question", flow_name=flow.name, slug=step.slug))
    if not filed.created:  # the same key at the same moment on another worker (a double click)
        return _sent_before(key, flow)
    session.pop(_session_key(flow), None)
    # Only this browser's session can come back to the confirmation (the back button, sending again).
    session["filed"] = [key, filed.token]
    return redirect(url_for("public.status_confirmation", token=filed.token))


def _sent_before(key: str, flow: Flow):
    """These answers were sent already. The session that sent them goes back to its confirmation;
    anyone else holding the key learns nothing and gets no link."""
    if session.get("filed", [None])[0] == key:
        return redirect(url_for("public.status_confirmation", token=session["filed"][1]))
    if session.get(_session_key(flow)) == key:  # sent twice before the first answer arrived
        token = filing.link_for_the_filer(key)
        if token is not None:
            session.pop(_session_key(flow), None)
            session["filed"] = [key, token]
            return redirect(url_for("public.status_confirmation", token=token))
    return render_template("public/sent_before.html")


@bp.get("/<flow_name>/check")
def check_answers(flow_name):
    flow = _flow(flow_name)
    form = SendForm()
    draft = _current_draft(flow)
    if draft is None and session.get("filed"):
        # The Back button right after sending: say it was sent, never an empty form to send it twice.
        filed = service.complaint_for_token(session["filed"][1])
        if filed is not None:
            return render_template("public/sent_already.html", complaint=filed, token=session["filed"][1],
                                   flow=flow)
    if draft is None:
        return redirect(url_for("public.question", flow_name=flow.name, slug=flow.steps[0].slug))
    missing = _first_missing_step(flow, draft.data)
    if missing is not None:
        return redirect(url_for("public.question", flow_name=flow.name, slug=missing.slug))
    form.draft.data = draft.key
    category = None
    if draft.data.get("category") not in (None, "other"):
        category = db.session.scalar(select(Category).where(Category.slug == draft.data["category"]))
    back = url_for("public.question", flow_name=flow.name, slug=flow.steps[-1].slug)
    return render_template("public/check.html", flow=flow, answers=draft.data, form=form,
                           category=category, back=back, files=attachments.of_draft(draft.key))


def _complaint_or_404(token):
    complaint = service.complaint_for_token(token)
    if complaint is None:
        abort(404)
    # The page speaks the language the customer chose when they filed (or changed it to), not the
    # language of whatever browser opens the link; the language switch still wins.
    g.page_language = complaint.language
    refresh_locale()
    return complaint


@bp.route("/s/<token>/confirmation")
def status_confirmation(token):
    complaint = _complaint_or_404(token)
    return render_template("public/confirmation.html", complaint=complaint, token=token,
                           status_url=service.status_url(token))


@bp.route("/s/<token>/copy.txt")
def status_copy(token):
    complaint = _complaint_or_404(token)
    text = render_template("public/copy.txt", complaint=complaint, status_url=service.status_url(token))
    return Response(text, mimetype="text/plain",
                    headers={"Content-Disposition": f'attachment; filename="{complaint.reference}.txt"'})


def _status_page(complaint, token, status=200, **forms):
    # Only the forms this page shows (each costs a CSRF token and a little time on every view).
    offer, can_reopen = mandate.open_offer(complaint), work.can_reopen(complaint)
    asks_date = any(promise.state == PromiseState.PROPOSED for promise in complaint.promises)
    context = dict(form=forms.pop("form", None) or MessageForm(), offer=offer, can_reopen=can_reopen,
                   sent=request.args.get("sent"),
                   offer_form=AnswerOfferForm(prefix="offer") if offer else None,
                   date_form=NewDateForm(prefix="date") if asks_date else None,
                   reopen_form=ReopenForm(prefix="reopen") if can_reopen else None)
    if can_reopen:
        context["reopen_until"] = work.reopen_until(complaint)
    context["can_write"] = (complaint.is_open or complaint.status == Status.RESOLVED
                            or lifecycle.opens_again_on_message(complaint))
    context["survey_open"] = satisfaction.can_answer(complaint)
    context["carried_out"] = next((o for o in reversed(complaint.offers) if o.carried_out_at), None)
    if offer is not None and lifecycle.carry_out_days(offer.remedy) > 0:
        context["offer_done_by"] = get_calendar().add(utcnow(), lifecycle.carry_out_days(offer.remedy),
                                                      "working_days")
    context["files_of_message"] = attachments.by_message(complaint)
    context["upload_limits"] = attachments.limits()
    context["file_url"] = lambda attachment, small: url_for(
        "public.status_file", token=token, attachment_id=attachment.id, size="small" if small else None)
    context.update(forms)  # a form sent with errors is shown with them
    context["page_errors"] = any(context[name] is not None and context[name].errors
                                 for name in ("form", "offer_form", "date_form", "reopen_form"))
    return render_template("public/status.html", complaint=complaint, token=token, **context), status


@bp.route("/s/<token>/offer/<int:offer_id>", methods=["POST"])
def answer_offer(token, offer_id):
    complaint = _complaint_or_404(token)
    offer = db.session.get(Offer, offer_id)
    if offer is None or offer.complaint_id != complaint.id:
        abort(404)
    form = AnswerOfferForm(prefix="offer")
    if form.validate_on_submit():
        try:
            if form.answer.data == "accept":
                mandate.accept(complaint, offer)
            else:
                mandate.decline(complaint, offer, form.reason.data, get_calendar())
        except DomainError:
            pass  # answered before (a double click, another tab), or withdrawn: the page shows how it stands
        return redirect(url_for("public.status", token=token) + "#offer")
    return _status_page(complaint, token, offer_form=form)


@bp.route("/s/<token>/date/<int:promise_id>", methods=["POST"])
def answer_new_date(token, promise_id):
    complaint = _complaint_or_404(token)
    promise = db.session.get(Promise, promise_id)
    if promise is None or promise.complaint_id != complaint.id:
        abort(404)
    form = NewDateForm(prefix="date")
    if form.validate_on_submit():
        try:
            work.answer_new_date(promise, form.answer.data == "yes")
        except DomainError:
            pass  # answered before: the page shows the answer
        return redirect(url_for("public.status", token=token) + "#promises")
    return _status_page(complaint, token, date_form=form)


@bp.route("/s/<token>/reopen", methods=["POST"])
def reopen(token):
    complaint = _complaint_or_404(token)
    form = ReopenForm(prefix="reopen")
    if form.validate_on_submit():
        try:
            work.reopen(complaint, form.reason.data, get_calendar())
        except work.WorkError as error:
            form.reason.errors.append(error.message)
        else:
            return redirect(url_for("public.status", token=token) + "#promises")
    return _status_page(complaint, token, reopen_form=form)


@bp.route("/s/<token>", methods=["GET", "POST"])
def status(token):
    complaint = _complaint_or_404(token)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            checked = attachments.check(uploaded(form.files))
        except attachments.AttachmentError as error:  # the words stay in the form; choose the files again
            form.files.errors.append(error.message)
            return _status_page(complaint, token, 400, form=form)
        try:
            message = service.add_customer_message(complaint, form.body.data)
        except service.NotAllowed as error:  # the words stay in the form, to copy
            form.body.errors.append(error.message)
            return _status_page(complaint, token, 409, form=form)
        attachments.store(checked, added_by="customer", complaint=complaint, message=message)
        return redirect(url_for("public.status", token=token, sent=1) + "#messages")
    return _status_page(complaint, token, form=form)


@bp.route("/s/<token>/files/<int:attachment_id>")
def status_file(token, attachment_id):
    """A photo or paper of this complaint, for the customer who holds its link."""
    complaint = _complaint_or_404(token)
    return serve_attachment(attachments.of(complaint, attachment_id), thumbnail=request.args.get("size") == "small")


@bp.route("/s/<token>/feedback", methods=["GET", "POST"])
def feedback(token):
    """Did we put it right? Opening this page (as a mail scanner does) records nothing: the answer a
    mail's link carried is only preselected, and only the customer's POST stores it."""
    complaint = _complaint_or_404(token)
    if not satisfaction.can_answer(complaint):
        abort(404)
    answer = complaint.survey_answer
    may_change = satisfaction.can_change(answer)
    form = FeedbackForm(obj=answer if request.method == "GET" and answer is not None else None)
    if request.method == "GET" and answer is not None:
        form.treatment.data = str(answer.treatment)
    if request.method == "GET" and answer is None and request.args.get("solved") in {"yes", "partly", "no"}:
        form.solved.data = request.args["solved"]
    if may_change and form.validate_on_submit():
        try:
            satisfaction.record_answer(complaint, form.solved.data, form.treatment.data, form.come_back.data,
                                       form.comment.data)
        except satisfaction.SurveyError as error:
            getattr(form, error.field or "solved").errors.append(error.message)
        else:
            return redirect(url_for("public.feedback", token=token, thanks=1))
    can_reopen = work.can_reopen(complaint)
    return render_template(
        "public/feedback.html", complaint=complaint, token=token, form=form, answer=complaint.survey_answer,
        may_change=satisfaction.can_change(complaint.survey_answer), thanks=request.args.get("thanks"),
        change_until=satisfaction.change_until(answer) if answer is not None else None,
        not_solved=satisfaction.not_solved(complaint.survey_answer), can_reopen=can_reopen,
        reopen_form=ReopenForm(prefix="reopen") if can_reopen else None,
        reopen_until=work.reopen_until(complaint)), 400 if form.errors else 200


@bp.route("/s/<token>/contact", methods=["GET", "POST"])
def status_contact(token):
    complaint = _complaint_or_404(token)
    form = ContactForm(obj=complaint if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            service.update_contact(complaint, name=form.name.data, email=form.email.data,
                                   phone=form.phone.data, contact_by=form.contact_by.data,
                                   language=form.language.data)
        except DomainError as error:  # withdrawn or closed in another tab
            form.name.errors.append(error.message)
        else:
            return redirect(url_for("public.status", token=token, changed=1))
    return render_template("public/status_contact.html", complaint=complaint, token=token, form=form)


@bp.route("/s/<token>/manager", methods=["GET", "POST"])
def status_manager(token):
    complaint = _complaint_or_404(token)
    form = ManagerForm()
    if complaint.escalated_at is None and complaint.is_open and form.validate_on_submit():
        service.ask_for_manager(complaint, form.reason.data, get_calendar())
        return redirect(url_for("public.status", token=token) + "#promises")
    return render_template("public/status_manager.html", complaint=complaint, token=token, form=form,
                           manager_due=service.manager_due(complaint, get_calendar()))


@bp.route("/s/<token>/withdraw", methods=["GET", "POST"])
def status_withdraw(token):
    complaint = _complaint_or_404(token)
    form = ConfirmForm()
    if complaint.is_open and form.validate_on_submit():
        service.withdraw(complaint)
        return redirect(url_for("public.status", token=token))
    return render_template("public/status_withdraw.html", complaint=complaint, token=token, form=form)


@bp.route("/s/<token>/links", methods=["GET", "POST"])
def status_links(token):
    """"I think someone else has my link": end every other link to this page."""
    complaint = _complaint_or_404(token)
    form = ConfirmForm()
    if form.validate_on_submit():
        service.end_other_links(complaint, token)
        return redirect(url_for("public.status", token=token, links=1))
    return render_template("public/status_links.html", complaint=complaint, token=token, form=form)


@bp.route("/s/<token>/erase", methods=["GET", "POST"])
def status_erase(token):
    """Charter right 5 (control): the customer asks us to erase their personal details."""
    complaint = _complaint_or_404(token)
    form = ConfirmForm()
    if complaint.erasure_requested_at is None and form.validate_on_submit():
        privacy.request_erasure(complaint)
        return redirect(url_for("public.status", token=token, erase=1))
    return render_template("public/status_erase.html", complaint=complaint, token=token, form=form)


@bp.route("/find", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["FIND_LIMIT"], methods=["POST"])
def find():
    form = FindForm()
    if form.validate_on_submit():
        service.resend_status_link(form.reference.data, form.email.data)
        session["find_email"] = form.email.data
        return redirect(url_for("public.find_sent"))
    return render_template("public/find.html", form=form)


@bp.route("/find/sent")
def find_sent():
    return render_template("public/find_sent.html", email=session.get("find_email"))
