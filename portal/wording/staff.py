"""What staff read for a code: staff pages speak to staff (the customer lint does not apply)."""
from ..i18n import lazy_gettext as _l

STAFF_EVENT_TEXT = {
    "filed": _l("Filed (%(channel)s)"),
    "passed_on": _l("%(name)s passed on what a customer told them (no contact details)"),
    "customer_message": _l("The customer sent a message"),
    "mail_reply": _l("The customer answered by e-mail"),
    "mail_held": _l("A mail came in from another address than the customer's: it waits for the owner"),
    "mail_held_added": _l("%(name)s added a mail from another address to the conversation"),
    "mail_held_set_aside": _l("%(name)s set a mail from another address aside"),
    "contact_changed": _l("The customer changed their contact details"),
    "withdrawn": _l("The customer withdrew it"),
    "manager_asked": _l("The customer asked for a manager: %(reason)s"),
    "manager_asked/": _l("The customer asked for a manager"),
    "link_sent_again": _l("The status link was mailed again"),
    "promise_missed": _l("A promise was missed"),
    "promise_kept": _l("A promise was kept"),
    "claimed": _l("%(name)s claimed it"),
    "handed_over": _l("%(by)s handed it to %(name)s"),
    "taken_over": _l("%(name)s took it over from %(previous)s"),
    "reassigned": _l("It was opened again and went to %(name)s: %(previous)s no longer works here"),
    "agent_replied": _l("%(name)s replied"),
    "manager_answered": _l("%(name)s answered as the manager the customer asked for"),
    "classified": _l("Classified"),
    "note_added": _l("%(name)s wrote an internal note"),
    "promise_moved": _l("A date was moved: %(reason)s"),
    "promise_move_asked": _l("A second new date was asked of the customer: %(reason)s"),
    "new_date_agreed": _l("The customer agreed to the new date"),
    "new_date_declined": _l("The customer kept the promised date"),
    "offer_made": _l("An offer was made"),
    "cosign_asked": _l("An offer waits for a supervisor"),
    "cosign_refused": _l("A supervisor did not sign: %(reason)s"),
    "offer_replaced": _l("A newer offer replaced the offer that waited for a supervisor"),
    "offer_accepted": _l("The customer accepted the offer"),
    "offer_declined": _l("The customer declined the offer: %(reason)s"),
    "reopened": _l("The customer opened it again: %(reason)s"),
    "other_links_ended": _l("The customer stopped every other status link"),
    "wait_started": _l("Waiting for the customer's answer: open promises are paused"),
    "wait_ended": _l("The customer answered: %(moved)s paused promise(s) moved on by the waited time"),
    "wait_reminded": _l("The customer was reminded that we wait for their answer"),
    "carried_out": _l("%(name)s marked what was agreed as done. Payment reference: %(note)s"),
    "carried_out/": _l("%(name)s marked what was agreed as done"),
    "resolved": _l("Resolved: it closes by itself unless the customer writes"),
    "closed": _l("%(name)s closed it, as agreed with the customer: %(reason)s"),
    "closed_unanswered": _l("Closed: the customer did not answer in time"),
    "closed_in_time": _l("Closed on the announced day after it was resolved"),
    "closed_after_answer": _l("Closed by the answer (the customer can still answer)"),
    "opened_by_answer": _l("The customer answered, so it is open again"),
    "erasure_requested": _l("The customer asked us to erase their personal data"),
    "attention_cleared": _l("%(name)s read it: nothing to answer"),
    "erasure_requested_phone": _l("The customer asked by phone to erase their personal data (recorded by staff)"),
    "erasure_requested_letter": _l("The customer asked by letter to erase their personal data (recorded by staff)"),
    "erasure_requested_mail": _l("The customer asked by mail to erase their personal data (recorded by staff)"),
    "erasure_confirmed": _l("An admin confirmed the erasure of the personal data"),
    "anonymised": _l("The personal data was erased; the numbers for reports stay"),
    "survey_asked": _l("The customer was asked how we did"),
    "survey_reminded": _l("The customer was reminded of the questions about how we did"),
    "survey_answered": _l("The customer said how we did"),
    "survey_changed": _l("The customer changed their answer about how we did"),
}

# How a customer asked us to erase their data (Complaint.erasure_requested_via).
ERASURE_VIA_WORDS = {"web": _l("On the status page"), "phone": _l("By phone"), "letter": _l("By letter"),
                     "mail": _l("By mail to a colleague")}

PROMISE_STATE = {
    "open": _l("Open"), "kept": _l("Kept"), "missed": _l("Missed"), "moved": _l("Moved"),
    "proposed": _l("Asked of the customer"), "declined": _l("Not agreed"), "ended": _l("Ended"),
}

OFFER_STATE = {
    "waiting_cosign": _l("Waits for a supervisor"), "offered": _l("Offered"), "accepted": _l("Accepted"),
    "declined": _l("Declined"), "refused": _l("Not signed"), "replaced": _l("Replaced by a newer offer"),
    "ended": _l("Ended"), "carried_out": _l("Done"),
}


# The queue's views (services/queue.FILTERS), as the queue's tabs name them.
QUEUE_VIEW_WORDS = {
    "open": _l("All open"), "mine": _l("Mine"), "unassigned": _l("Unassigned"), "overdue": _l("Overdue"),
    "escalated": _l("Escalated"), "attention": _l("Needs my attention"), "all": _l("Everything"),
}

# Reply templates (services/reply_templates.py): what each can be for, and what each placeholder becomes.
TEMPLATE_SCOPE_WORDS = {
    "all": _l("Every complaint, compliment and idea"),
    "kind:complaint": _l("Complaints, of every category"),
    "kind:compliment": _l("Compliments"),
    "kind:suggestion": _l("Ideas and suggestions"),
}
PLACEHOLDER_WORDS = {
    "first_name": _l("the customer's first name, as they wrote it"),
    "name": _l("the customer's name, as they wrote it"),
    "reference": _l("the reference, like KM4T-7XRA"),
    "next_promise_date": _l("the date of the next promise we owe, like 12 December 2026"),
    "agent_name": _l("your name"),
}

STATUS_WORDS = {
    "received": _l("Received"), "in_progress": _l("In progress"), "proposal_made": _l("Proposal made"),
    "agreed": _l("Agreed, to carry out"),
    "resolved": _l("Resolved"), "closed": _l("Closed"), "withdrawn": _l("Withdrawn"),
}


# A promise as the work it asks of us, in staff words (the customer's own text is quoted beside it).
# Keyed by the step's key; a step an admin added gets the fallback, which quotes its label.
PROMISE_TASKS = {
    "contact": _l("Read it and contact the customer"),
    "proposal": _l("Send the customer a proposal or an answer"),
    "resolved": _l("Carry out what was agreed"),
    "passed_on": _l("Pass the compliment on to the people it is about"),
    "answered": _l("Tell the customer what we do with the idea"),
    "manager": _l("A manager looks at it and contacts the customer"),
    "decision": _l("Decide on the compensation: a supervisor co-signs"),
    "new_proposal": _l("Send the customer a new proposal"),
}
PROMISE_TASK_OTHER = _l("Keep the promise the customer reads below")


# How a reply reads (charter.readability.verdict), shown under the reply box as the agent types.
READABILITY_WORDS = {
    "easy": _l("Reading score %(score)s: easy to read."),
    "fair": _l("Reading score %(score)s: fairly easy. Shorter sentences make it easier."),
    "hard": _l("Reading score %(score)s: hard to read. Use shorter sentences and shorter words."),
}


def readability_words(text: str, language: str) -> str:
    """The score and a plain verdict for the text, in the reader's (the agent's) language."""
    from charter.readability import readability, verdict

    score = readability(text, language)
    # Flesch's formula runs past both ends for very short or very long words; 0-100 is what people know.
    return str(READABILITY_WORDS[verdict(score)] % {"score": max(0, min(100, round(score)))})

# Insight (templates/insight/): the door a signal came in by, and what an indicator's figure says.
CHANNEL_NAMES = {
    "web": _l("The portal"), "phone": _l("On the phone"), "counter": _l("At the counter"),
    "in_person": _l("In person, somewhere else"), "letter": _l("By letter"),
    "ambassador": _l("Passed on by a colleague"),
    "api": _l("Through another system (the API)"),
    "mail": _l("By e-mail"),
}
TREND_WORDS = {"better": _l("better than the period before"), "worse": _l("worse than the period before"),
               "same": _l("the same as the period before"), None: _l("nothing to compare with")}
MEETS_WORDS = {True: _l("On target"), False: _l("Below target"), None: _l("Nothing to measure in this period")}


# The admin audit in sentences (templates/admin/audit.html, via template_helpers.audit_sentence): one per
# action code that `services.audit.audit` is called with. %(who)s is the person, %(subject)s what it was about.
AUDIT_SENTENCES = {
    "login": _l("%(who)s logged in."),
    "logout": _l("%(who)s logged out."),
    "login_failed": _l("Someone tried to log in as %(subject)s with a wrong password."),
    "login_failed_code": _l("%(who)s entered a wrong two-step code."),
    "login_recovery_code": _l("%(who)s logged in with a recovery code."),
    "login_refused_reset_asked": _l("%(who)s could not log in: they must choose a new password first."),
    "password_changed": _l("%(who)s chose a new password."),
    "password_reset": _l("%(who)s set a new password with a mailed link."),
    "password_reset_asked": _l("A link to set a new password was asked for %(subject)s."),
    "password_reset_forced": _l("%(who)s asked %(subject)s to choose a new password."),
    "two_step_on": _l("%(who)s turned on two-step login."),
    "two_step_off": _l("%(who)s turned off two-step login for %(subject)s."),
    "person_created": _l("%(who)s added %(subject)s as %(role)s."),
    "person_changed": _l("%(who)s changed the settings of %(subject)s."),
    "role_changed": _l("%(who)s changed the role of %(subject)s from %(before_role)s to %(role)s."),
    "category_saved": _l("%(who)s saved the category “%(subject)s”."),
    "closing_day_added": _l("%(who)s added the closing day %(subject)s."),
    "closing_day_removed": _l("%(who)s removed the closing day %(subject)s."),
    "calendar_changed": _l("%(who)s changed the calendar."),
    "organisation_changed": _l("%(who)s changed the organisation's settings."),
    "insight_settings_changed": _l("%(who)s changed the insight settings."),
    "timeline_saved": _l("%(who)s saved a new version of the promise-timeline %(subject)s."),
    "improvement_saved": _l("%(who)s saved the improvement “%(subject)s”."),
    "improvement_published": _l("%(who)s published the improvement “%(subject)s” and %(mailed)s."),
    "erasure_recorded": _l("%(who)s recorded a request to erase the personal data of complaint %(subject)s."),
    "erasure_confirmed": _l("%(who)s erased the personal data of complaint %(subject)s."),
    "integration_created": _l("%(who)s made the integration “%(subject)s”."),
    "integration_revoked": _l("%(who)s revoked the integration “%(subject)s”."),
    "webhook_added": _l("%(who)s added a webhook: %(subject)s."),
    "webhook_removed": _l("%(who)s removed a webhook: %(subject)s."),
    "api_call": _l("An integration called %(subject)s; the answer was %(status)s."),
    "reply_template_added": _l("%(who)s wrote the reply template “%(subject)s”."),
    "reply_template_changed": _l("%(who)s changed the reply template “%(subject)s”."),
    "reply_template_removed": _l("%(who)s removed the reply template “%(subject)s”."),
    "view_shared": _l("%(who)s shared the queue view “%(subject)s” with the team."),
    "view_removed": _l("%(who)s removed the shared queue view “%(subject)s”."),
}
AUDIT_UNKNOWN = _l("%(who)s: %(subject)s (%(action)s).")
AUDIT_NOBODY = _l("Someone")
# The audit filter's choices: what kind of change, in words.
AUDIT_ACTION_WORDS = {
    "login": _l("Logged in"), "logout": _l("Logged out"), "login_failed": _l("Wrong password"),
    "login_failed_code": _l("Wrong two-step code"), "login_recovery_code": _l("Logged in with a recovery code"),
    "login_refused_reset_asked": _l("Log-in refused: new password needed"), "password_changed": _l("New password"),
    "password_reset": _l("New password by mailed link"), "password_reset_asked": _l("Link for a new password asked"),
    "password_reset_forced": _l("New password required"), "two_step_on": _l("Two-step login on"),
    "two_step_off": _l("Two-step login off"), "person_created": _l("Person added"),
    "person_changed": _l("Person changed"), "role_changed": _l("Role changed"), "category_saved": _l("Category saved"),
    "closing_day_added": _l("Closing day added"), "closing_day_removed": _l("Closing day removed"),
    "calendar_changed": _l("Calendar changed"), "organisation_changed": _l("Organisation changed"),
    "insight_settings_changed": _l("Insight settings changed"), "timeline_saved": _l("Promise-timeline saved"),
    "improvement_saved": _l("Improvement saved"), "improvement_published": _l("Improvement published"),
    "erasure_recorded": _l("Erasure request recorded"), "erasure_confirmed": _l("Personal data erased"),
    "integration_created": _l("Integration made"), "integration_revoked": _l("Integration revoked"),
    "webhook_added": _l("Webhook added"), "webhook_removed": _l("Webhook removed"), "api_call": _l("API call"),
    "reply_template_added": _l("Reply template written"), "reply_template_changed": _l("Reply template changed"),
    "reply_template_removed": _l("Reply template removed"), "view_shared": _l("Queue view shared"),
    "view_removed": _l("Shared queue view removed"),
}
