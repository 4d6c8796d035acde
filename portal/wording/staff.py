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


# Empathy first (seed text 000: listen before you solve): each opening acknowledges, then the substance.
# They are rendered in the customer's language and put in the reply box, where the agent edits them.
REPLY_TEMPLATES = {
    "listen": (_l("Listen and acknowledge"),
               _l("Dear %(name)s,\n\nThank you for telling us what happened. I understand that this annoyed you, "
                  "and I am sorry. My name is %(agent)s. I handle your complaint from start to end.\n\n")),
    "sorry": (_l("Say sorry, then what you do"),
              _l("Dear %(name)s,\n\nYou are right: this should not have happened. I am sorry. "
                 "This is what I do now:\n\n")),
    "question": (_l("Ask one clear question"),
                 _l("Dear %(name)s,\n\nThank you for your story. To put it right, I need to know one thing: \n\n")),
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
