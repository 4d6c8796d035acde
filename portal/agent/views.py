"""Agent pages. Views load, check access, validate, call one service, and redirect."""
from __future__ import annotations


from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from ..i18n import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from charter.lint import lint

from ..access import role_required
from ..extensions import db
from ..forms import choices
from ..models import Attachment, Complaint, InboundMail, Offer, Promise, User, utcnow
from ..formatting import localized
from ..services import categories as category_service
from ..services import (attachments, complaints, desk, filing, inbound, insight, lifecycle, mandate, people,
                        reply_templates, saved_views, work)
from ..services.errors import DomainError
from ..services.money import parse_amount_cents
from ..services.organisation import get_calendar, organisation_snapshot
from ..services.queue import QueueView, neighbours, queue, waiting_for_cosign
from ..services.search import SearchRefused, search
from ..services.secrets import new_draft_key, normalise_reference
from ..states import STAFF, Kind, OfferState
from ..uploads import serve_attachment, uploaded
from ..wording.staff import QUEUE_VIEW_WORDS, readability_words
from . import bp, queue_views
from .forms import (TEXT_MAX, BulkForm, CarryOutForm, ClassifyForm, CloseForm, HandOverForm, ManagerAnswerForm,
                    MoveForm, NewComplaintForm, NoteForm, OfferForm, PasswordForm, RefuseForm, ReplyForm,
                    SavedViewForm, SearchForm)


def _warn_once(form, text: str, language: str, *, vague_words_too: bool = False) -> list:
    """Words that make what the customer reads less plain (jargon, long sentences): shown once before
    it goes out; the same text sent again goes as it is. Vague words are refused by the service,
    except in a conversation (a reply, the manager's answer), where they are warned of as well."""
    findings = [finding for finding in lint(text or "", language)
                if vague_words_too or finding.severity != "error"]
    if findings and form.checked.data != text:
        form.checked.data = text
        return findings
    return []


def _complaint_or_404(reference: str) -> Complaint:
    """The complaint a reference in the address names, typed in any case, with or without the dash. A page
    asked for with another spelling is sent to the written form, so links and the history stay one."""
    complaint = complaints.find_by_reference(reference)
    if complaint is None:
        abort(404)
    if reference != complaint.reference and request.method == "GET":
        args = dict(request.view_args or {}, reference=complaint.reference, **request.args.to_dict())
        abort(redirect(url_for(request.endpoint, **args), 301))
    return complaint


@bp.route("/password", methods=["GET", "POST"])
@role_required(STAFF)
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            people.change_password(current_user, form.current.data, form.new.data, form.repeat.data)
        except DomainError as error:
            getattr(form, error.field or "current").errors.append(error.message)
        else:
            login_user(current_user._get_current_object())  # this session goes on, with the new session version
            flash(_l("Your password is changed. You are logged out everywhere else."), "success")
            return redirect(url_for("agent.queue_page"))
    return render_template("agent/password.html", form=form), 400 if form.errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        people.log_out(current_user)  # a copied cookie stops working too
    logout_user()
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language
    return redirect(url_for("agent.login"))


@bp.route("/")
@role_required("agent")
def queue_page():
    wanted = QueueView.from_args(request.args)
    view, category_id, kind = wanted.view, wanted.category_id, wanted.kind
    page = max(request.args.get("page", 1, type=int), 1)
    search_form = SearchForm(formdata=request.args)
    if search_form.q.data:  # an empty box shows the queue itself
        return _search_results(search_form, page)
    behind = _behind_a_figure()
    rows, total = queue(current_user, view, category_id, kind, page, behind=behind)
    categories = category_service.all_categories()
    bulk_form = BulkForm()
    bulk_form.to.choices = choices([("", "")] + [(str(u.id), u.name) for u in people.colleagues()
                                                 if u.can("agent")])
    return render_template("agent/queue.html", rows=rows, total=total, view=view, page=page, behind=behind,
                           queue_args=wanted.args(), view_words=QUEUE_VIEW_WORDS, bulk_form=bulk_form,
                           saved=saved_views.views_for(current_user), saved_view_args=queue_views.view_args,
                           save_form=SavedViewForm(),
                           behind_args={k: v for k, v in request.args.items() if k in insight.FIGURE_ARGS},
                           category_id=category_id, kind=kind, categories=categories, search_form=search_form,
                           pages=max((total + 24) // 25, 1), now=utcnow(),
                           calendar=organisation_snapshot().calendar)


def _came_from() -> QueueView:
    """The queue view an agent opened this complaint from: it travels along, for "next complaint"."""
    return QueueView.from_args(request.args)


def _case_url(reference: str, anchor: str = "") -> str:
    """The complaint page again after an action, in the same queue view."""
    return url_for("agent.complaint_page", reference=reference, **_came_from().args()) + anchor


def _behind_a_figure():
    """A link from a figure on the insight pages: its period and filters, or None (a wrong value in
    such a link shows the whole queue rather than an error: it came from a page, not a person)."""
    if not any(request.args.get(name) for name in ("from", "to")):
        return None
    try:
        today = organisation_snapshot().calendar.local_date(utcnow())
        return insight.period_from(request.args, today), insight.filters_from(
            {k: v for k, v in request.args.items() if k != "category"})
    except DomainError:
        return None


def _search_results(form: SearchForm, page: int):
    try:
        found = search(current_user, form.q.data, page)
    except SearchRefused as error:
        form.q.errors = [error.message]
        return render_template("agent/search.html", search_form=form, found=None), 400
    # A reference typed in the box (any case, with or without the dash) opens that complaint at once.
    if found.total == 1 and found.complaints[0].reference == normalise_reference(form.q.data):
        return redirect(url_for("agent.complaint_page", reference=found.complaints[0].reference))
    return render_template("agent/search.html", search_form=form, found=found)


def _detail_forms(complaint: Complaint):
    hand_over = HandOverForm(prefix="handover")
    # A supervisor may pick themselves: that takes the complaint over (an escalation, say).
    names = [(str(u.id), str(_l("%(name)s (you)", name=u.name)) if u.id == current_user.id else u.name)
             for u in people.colleagues(complaint.owner)
             if u.id != current_user.id or current_user.can("supervisor")]
    hand_over.to.choices = choices([("", "")] + names)
    return dict(reply_form=ReplyForm(prefix="reply"), note_form=NoteForm(prefix="note"),
                hand_over_form=hand_over, classify_form=ClassifyForm(prefix="classify"),
                carry_out_form=CarryOutForm(prefix="done"), close_form=CloseForm(prefix="close"),
                manager_form=ManagerAnswerForm(prefix="manager"))


def _render_detail(complaint: Complaint, status=200, **forms):
    context = _detail_forms(complaint)
    context.update(forms)
    classify = context["classify_form"]
    if request.method == "GET" and complaint.handled_as:
        classify.handled_as.data, classify.root_cause.data = complaint.handled_as, complaint.root_cause
        classify.chance_to_improve.data = "yes" if complaint.chance_to_improve else "no"
        classify.improvement_note.data = complaint.improvement_note
    context["page_errors"] = any(context[name].errors for name in DETAIL_FORMS)
    if "reply_templates" not in context:
        context["reply_templates"] = _filled_templates(complaint)
    mails = db.session.scalars(select(InboundMail).where(InboundMail.complaint_id == complaint.id)
                               .order_by(InboundMail.received_at)).all()
    context["mail_of_message"] = {mail.message_id: mail for mail in mails if mail.message_id is not None}
    context["mails_aside"] = [mail for mail in mails if mail.outcome in ("held", "answered")]
    context["files_of_message"] = attachments.by_message(complaint)
    context["upload_limits"] = attachments.limits()
    context["file_url"] = lambda attachment, small: url_for("agent.file", attachment_id=attachment.id,
                                                            size="small" if small else None)
    came_from = _came_from()
    context["previous_case"], context["next_case"] = neighbours(current_user, came_from, complaint)
    context["view_args"], context["view_name"] = came_from.args(), QUEUE_VIEW_WORDS[came_from.view]
    return render_template("agent/complaint.html", complaint=complaint, now=utcnow(), can_move=work.can_move,
                           calendar=get_calendar(),
                           accepted_offer=lifecycle.accepted_offer(complaint),
                           manager_answer_waits=work.manager_answer_waits(complaint), **context), status


def _filled_templates(complaint: Complaint) -> list:
    """Each fitting template filled in for this customer: its link puts it in the reply box (a new page);
    with the shortcuts on, its number key does the same at once."""
    values = reply_templates.values_for(complaint, current_user, get_calendar())
    return [(template, reply_templates.fill(template, values)) for template in reply_templates.for_complaint(complaint)]


DETAIL_FORMS = ("reply_form", "note_form", "hand_over_form", "classify_form", "carry_out_form", "close_form",
                "manager_form")


@bp.route("/complaints/<reference>")
@role_required("agent")
def complaint_page(reference):
    complaint = _complaint_or_404(reference)
    reply_form = ReplyForm(prefix="reply")
    filled = _filled_templates(complaint)
    chosen = request.args.get("start", "")
    for template, text in filled:
        if str(template.id) == chosen:
            reply_form.body.data = text
    return _render_detail(complaint, reply_form=reply_form, reply_templates=filled)


@bp.route("/complaints/<reference>/claim", methods=["POST"])
@role_required("agent")
def claim(reference):
    complaint = _complaint_or_404(reference)
    try:
        work.claim(complaint, current_user)
    except work.WorkError as error:
        flash(str(error.message), "error")
    return redirect(_case_url(reference))


@bp.route("/complaints/<reference>/seen", methods=["POST"])
@role_required("agent")
def clear_attention(reference):
    complaint = _complaint_or_404(reference)
    try:
        work.clear_attention(complaint, current_user)
    except work.WorkError as error:
        flash(str(error.message), "error")
    else:
        flash(_l("Taken off your list. A new message from the customer puts it back."), "success")
    return redirect(_case_url(reference))


@bp.route("/files/<int:attachment_id>")
@role_required("agent")
def file(attachment_id):
    """A photo or paper of a complaint, for agents, supervisors and admins (never a manager or a
    colleague); opening the file itself is in the complaint's history, a small picture is not."""
    found = db.session.get(Attachment, attachment_id)
    if found is None or found.complaint_id is None:
        abort(404)
    small = request.args.get("size") == "small"
    if not small:
        attachments.opened_by_staff(found, current_user)
    return serve_attachment(found, thumbnail=small)


def _held_mail(reference: str, inbound_id: int) -> tuple[Complaint, InboundMail]:
    complaint = _complaint_or_404(reference)
    found = db.session.get(InboundMail, inbound_id)
    if found is None or found.complaint_id != complaint.id:
        abort(404)
    return complaint, found


@bp.route("/complaints/<reference>/mails/<int:inbound_id>/add", methods=["POST"])
@role_required("agent")
def add_held_mail(reference, inbound_id):
    """A mail from another address than the complaint's: the owner adds it as the customer's message."""
    complaint, found = _held_mail(reference, inbound_id)
    try:
        inbound.add_held(found, current_user)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_l("The mail is in the conversation now."), "success")
    return redirect(_case_url(complaint.reference, "#messages"))


@bp.route("/complaints/<reference>/mails/<int:inbound_id>/set-aside", methods=["POST"])
@role_required("agent")
def set_aside_mail(reference, inbound_id):
    complaint, found = _held_mail(reference, inbound_id)
    try:
        inbound.set_aside(found, current_user)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_l("The mail is set aside. It stays on this page, and the customer's conversation is unchanged."),
              "success")
    return redirect(_case_url(complaint.reference, "#mails"))


@bp.route("/complaints/<reference>/reply", methods=["POST"])
@role_required("agent")
def reply(reference):
    complaint = _complaint_or_404(reference)
    form = ReplyForm(prefix="reply")
    if form.validate_on_submit():
        findings = lint(form.body.data, complaint.language)
        reading = readability_words(form.body.data, complaint.language)
        if request.form.get("preview"):
            # "How does it read?" without JavaScript: the words found and the score, nothing sent.
            return _render_detail(complaint, 200, reply_form=form, reply_findings=findings, reply_reading=reading,
                                  reply_previewed=True)
        if findings and form.checked.data != form.body.data:
            # Rights 3 and 4: a plain, firm answer. Warn once; the same text again is sent.
            form.checked.data = form.body.data
            return _render_detail(complaint, 200, reply_form=form, reply_findings=findings, reply_reading=reading)
        # The next complaint as the agent saw the view: a reply moves this one's next promise.
        following = neighbours(current_user, _came_from(), complaint)[1] if request.form.get("then_next") else None
        try:
            checked = attachments.check(uploaded(form.files))
            message = work.reply(complaint, current_user, form.body.data, asks_question=form.then.data == "question",
                                 resolves=form.then.data == "solved")
        except attachments.AttachmentError as error:
            form.files.errors.append(error.message)
        except work.WorkError as error:
            (form.then if error.field == "resolves" else form.body).errors.append(error.message)
        else:
            attachments.store(checked, added_by="agent", complaint=complaint, message=message)
            flash(_l("Your message is on the customer's page and is mailed."), "success")
            if following is not None:
                return redirect(_case_url(following.reference))
            return redirect(_case_url(reference, "#messages"))
    return _render_detail(complaint, 400, reply_form=form)


@bp.route("/readability", methods=["POST"])
@role_required("agent")
def readability():
    """The reply box's reading score as the agent types (the enhancement of "How does it read?")."""
    text = (request.form.get("text") or "")[:TEXT_MAX]
    language = request.form.get("language")
    if language not in current_app.config["LANGUAGES"]:
        return {"error": str(_l("Choose a language."))}, 400
    return {"words": readability_words(text, language) if text.strip() else ""}


@bp.route("/complaints/<reference>/note", methods=["POST"])
@role_required("agent")
def note(reference):
    complaint = _complaint_or_404(reference)
    form = NoteForm(prefix="note")
    if form.validate_on_submit():
        work.add_note(complaint, current_user, form.body.data)
        return redirect(_case_url(reference, "#notes"))
    return _render_detail(complaint, 400, note_form=form)


@bp.route("/complaints/<reference>/hand-over", methods=["POST"])
@role_required("agent")
def hand_over(reference):
    complaint = _complaint_or_404(reference)
    form = _detail_forms(complaint)["hand_over_form"]
    if form.validate_on_submit():
        wanted = form.to.data.strip()
        colleague = db.session.get(User, int(wanted)) if wanted.isdigit() and len(wanted) < 10 else None
        try:
            work.hand_over(complaint, current_user, colleague, form.note.data)
        except work.WorkError as error:
            form.to.errors.append(error.message)
        else:
            flash(_l("You own this complaint now. The customer hears your name.") if colleague.id == current_user.id
                  else _l("%(name)s owns this complaint now. The customer hears it.", name=colleague.name), "success")
            return redirect(_case_url(reference))
    return _render_detail(complaint, 400, hand_over_form=form)


@bp.route("/complaints/<reference>/classify", methods=["POST"])
@role_required("agent")
def classify(reference):
    complaint = _complaint_or_404(reference)
    form = ClassifyForm(prefix="classify")
    if form.validate_on_submit():
        work.classify(complaint, current_user, handled_as=form.handled_as.data,
                      root_cause=form.root_cause.data, chance_to_improve=form.chance_to_improve.data == "yes",
                      improvement_note=form.improvement_note.data)
        flash(_l("Saved what it was."), "success")
        return redirect(_case_url(reference, "#classify"))
    return _render_detail(complaint, 400, classify_form=form)


@bp.route("/complaints/<reference>/offers/<int:offer_id>/done", methods=["POST"])
@role_required("agent")
def carried_out(reference, offer_id):
    complaint = _complaint_or_404(reference)
    offer = db.session.get(Offer, offer_id)
    if offer is None or offer.complaint_id != complaint.id:
        abort(404)
    form = CarryOutForm(prefix="done")
    if form.validate_on_submit():
        try:
            lifecycle.mark_carried_out(complaint, offer, current_user, form.note.data)
        except DomainError as error:
            form.note.errors.append(error.message)
        else:
            flash(_l("Marked as done. The customer reads it, with the day it closes."), "success")
            return redirect(_case_url(reference, "#promises"))
    return _render_detail(complaint, 400, carry_out_form=form)


@bp.route("/complaints/<reference>/manager-answer", methods=["POST"])
@role_required("supervisor")
def manager_answer(reference):
    """Right 10: the manager the customer asked for answers, without taking the complaint over."""
    complaint = _complaint_or_404(reference)
    form = ManagerAnswerForm(prefix="manager")
    if form.validate_on_submit():
        if findings := _warn_once(form, form.body.data, complaint.language, vague_words_too=True):
            return _render_detail(complaint, 200, manager_form=form, manager_findings=findings)
        try:
            work.answer_as_manager(complaint, current_user, form.body.data)
        except DomainError as error:
            form.body.errors.append(error.message)
        else:
            flash(_l("Your answer is on the customer's page and is mailed. The owner goes on with it."), "success")
            return redirect(_case_url(reference, "#messages"))
    return _render_detail(complaint, 400, manager_form=form)


@bp.route("/complaints/<reference>/close", methods=["POST"])
@role_required("agent")
def close(reference):
    complaint = _complaint_or_404(reference)
    form = CloseForm(prefix="close")
    if form.validate_on_submit():
        if findings := _warn_once(form, form.reason.data, complaint.language):
            return _render_detail(complaint, 200, close_form=form, close_findings=findings)
        try:
            lifecycle.close_by_owner(complaint, current_user, form.reason.data, form.customer_agreed.data == "yes")
        except DomainError as error:
            (form.customer_agreed if error.field == "customer_agreed" else form.reason).errors.append(error.message)
        else:
            flash(_l("Closed. The customer reads your reason on their page and by mail."), "success")
            return redirect(_case_url(reference))
    return _render_detail(complaint, 400, close_form=form)


@bp.route("/complaints/<reference>/promises/<int:promise_id>/move", methods=["GET", "POST"])
@role_required("agent")
def move_promise(reference, promise_id):
    complaint = _complaint_or_404(reference)
    promise = db.session.get(Promise, promise_id)
    if promise is None or promise.complaint_id != complaint.id:
        abort(404)
    form = MoveForm()
    findings = []
    if form.validate_on_submit() and not (findings := _warn_once(form, form.reason.data, complaint.language)):
        try:
            work.extend_promise(promise, current_user, form.new_date.data, form.reason.data, get_calendar())
        except work.WorkError as error:
            (form.reason if error.field == "reason" else form.new_date).errors.append(error.message)
        else:
            flash(_l("The new date is on the customer's page and is mailed."), "success")
            return redirect(_case_url(reference, "#promises"))
    return render_template("agent/move.html", complaint=complaint, promise=promise, form=form, findings=findings,
                           times_moved=work.times_moved(promise)), 400 if form.errors else 200


@bp.route("/complaints/<reference>/mandate", methods=["GET", "POST"])
@role_required("agent")
def mandate_page(reference):
    complaint = _complaint_or_404(reference)
    calendar = get_calendar()
    form = OfferForm()
    findings = []
    if request.method == "GET":
        form.request_key.data = new_draft_key()
        form.seen_counter.data = str(complaint.offer_counter)
    elif form.validate_on_submit() and not (findings := _warn_once(form, form.text.data, complaint.language)):
        try:
            offer = mandate.make_offer(
                complaint, current_user, remedy=form.remedy.data,
                amount_cents=parse_amount_cents(form.amount.data) or 0, text=form.text.data,
                request_key=form.request_key.data, seen_counter=int(form.seen_counter.data), calendar=calendar)
        except mandate.MandateError as error:
            (form.text if error.field == "text" else form.remedy).errors.append(error.message)
        else:
            flash(_l("Your offer is on the customer's page and is mailed.") if offer.state == OfferState.OFFERED
                  else _l("Your offer waits for a supervisor to co-sign. The customer sees a date for it."),
                  "success")
            return redirect(_case_url(reference))
    if form.request_key.errors or form.seen_counter.errors:
        # Hidden fields have no place on the page: say it once, at the top, and give a fresh form.
        form.remedy.errors.insert(0, form.request_key.errors[0] if form.request_key.errors
                                  else form.seen_counter.errors[0])
        form.request_key.errors, form.seen_counter.errors = [], []
        form.request_key.data, form.seen_counter.data = new_draft_key(), str(complaint.offer_counter)
    return render_template("agent/mandate.html", complaint=complaint, form=form, findings=findings,
                           mandate=mandate.mandate_of(current_user, complaint, calendar),
                           offer_to_answer=mandate.open_offer(complaint),
                           offer_to_sign=mandate.offer_waiting_for_cosign(complaint),
                           remedies=mandate.REMEDIES), 200 if not form.errors else 400


@bp.route("/desk")
@role_required("supervisor")
def desk_page():
    now, calendar = utcnow(), organisation_snapshot().calendar
    return render_template("agent/desk.html", team=desk.team_today(now, calendar),
                           items=desk.desk_items(current_user, now, calendar), now=now, calendar=calendar)


@bp.route("/cosign")
@role_required("supervisor")
def cosign_page():
    return _render_cosign(RefuseForm())


def _render_cosign(refuse_form, refusing=None, status=200):
    """The offers waiting for a co-sign, each with whether this supervisor can sign it, said before the button."""
    calendar, now = get_calendar(), utcnow()
    offers = [(offer, mandate.cosign_refusal(offer, current_user, calendar, now)) for offer in waiting_for_cosign()]
    mine = mandate.Mandate(current_user.mandate_per_complaint_cents, current_user.monthly_budget_cents,
                           mandate.spent_this_month(current_user, now, calendar), 0)
    return render_template("agent/cosign.html", offers=offers, refuse_form=refuse_form, refusing=refusing,
                           mine=mine), status


@bp.route("/offers/<int:offer_id>/cosign", methods=["POST"])
@role_required("supervisor")
def cosign(offer_id):
    offer = db.get_or_404(Offer, offer_id)
    try:
        mandate.cosign(offer, current_user, get_calendar())
    except mandate.MandateError as error:
        flash(str(error.message), "error")
    else:
        flash(_l("Signed. The offer is on the customer's page and is mailed."), "success")
    return redirect(url_for("agent.cosign_page"))


@bp.route("/offers/<int:offer_id>/refuse", methods=["POST"])
@role_required("supervisor")
def refuse(offer_id):
    offer = db.get_or_404(Offer, offer_id)
    form = RefuseForm()
    if form.validate_on_submit():
        try:
            mandate.refuse_cosign(offer, current_user, form.reason.data)
        except mandate.MandateError as error:
            flash(str(error.message), "error")
        return redirect(url_for("agent.cosign_page"))
    return _render_cosign(form, refusing=offer.id, status=400)


@bp.route("/new", methods=["GET", "POST"])
@role_required("agent")
def new_complaint():
    form = NewComplaintForm()
    categories = category_service.active_categories()
    form.category.choices = choices([("", "")] + [(c.slug, localized(c, "name")) for c in categories]
                                    + [("other", str(_l("Something else")))])
    if form.validate_on_submit():
        answers = {name: form[name].data for name in ("story", "category", "wish", "name", "email", "phone",
                                                      "contact_by", "language")}
        try:
            filed = filing.file_complaint(filing.validate_answers(answers, Kind.COMPLAINT), channel=form.channel.data,
                                          filed_by=current_user, submission_key=form.submission_key.data or None)
        except DomainError as error:
            for field, message in error.problems:
                form[field if field in form else "story"].errors.append(message)
        else:
            if filed.created:
                work.claim(filed.complaint, current_user)
            flash(_l("Filed. The customer gets the same mail, reference and link as on the web."), "success")
            return redirect(url_for("agent.complaint_page", reference=filed.complaint.reference))
    elif request.method == "GET":
        form.submission_key.data = new_draft_key()  # the same form sent twice files once
    return render_template("agent/new.html", form=form), 200 if not form.errors else 400
