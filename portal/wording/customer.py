"""What the customer reads for a code: plain (B1), kind, no hedge words (the charter lint checks it)."""
from flask_babel import gettext

from ..i18n import lazy_gettext as _l

STATUS_HEADLINE = {
    ("complaint", "received"): _l("We have received your complaint"),
    ("complaint", "in_progress"): _l("A person is working on your complaint"),
    ("complaint", "proposal_made"): _l("We have made you a proposal"),
    ("complaint", "agreed"): _l("We are doing what we agreed with you"),
    ("complaint", "resolved"): _l("Your complaint is solved"),
    ("complaint", "closed"): _l("Your complaint is closed"),
    ("complaint", "withdrawn"): _l("You have withdrawn your complaint"),
    ("signal", "received"): _l("We have received your message"),
    ("signal", "in_progress"): _l("A person is working on your message"),
    ("signal", "proposal_made"): _l("We have sent you an answer"),
    ("signal", "agreed"): _l("We are doing what we agreed with you"),
    ("signal", "resolved"): _l("We have answered your message"),
    ("signal", "closed"): _l("Your message is closed"),
    ("signal", "withdrawn"): _l("You have withdrawn your message"),
}

STATUS_EXPLANATION = {
    "received": _l("A person reads it and contacts you. Below you see by when."),
    "in_progress": _l("Your contact person is working on it. Below you see what happens next and by when."),
    "proposal_made": _l("Read our proposal below. You decide if it solves your complaint."),
    "agreed": _l("You said yes to our proposal. Below you see by when it is done."),
    "resolved": _l("We have put it right. Thank you for letting us do that."),
    "closed": _l("We have stopped working on it. Do you want to know why? Contact us in one of the ways below."),
    "withdrawn": _l("We no longer work on it. We keep your story, so we can learn from it."),
}

# Closed with a reason written for the customer: the page shows it under the headline.
CLOSED_WITH_REASON = _l("We have stopped working on it. Below you see why.")
# Closed on the announced day after it was solved, and a compliment or idea closed by our answer.
CLOSED_AFTER_SOLVED = _l("It was solved, and we have closed it.")
CLOSED_AFTER_ANSWER = _l("We have answered you. You can still answer us: then it opens again.")

# Who can read what the link opens, in the word for what they sent.
KEEP_LINK = {
    "complaint": _l("Keep this link to yourself: anyone who has it can read your complaint."),
    "compliment": _l("Keep this link to yourself: anyone who has it can read your compliment."),
    "suggestion": _l("Keep this link to yourself: anyone who has it can read your idea."),
}

KIND_NAME = {
    "complaint": _l("Complaint"),
    "compliment": _l("Compliment"),
    "suggestion": _l("Idea or suggestion"),
}

CUSTOMER_EVENT_TEXT = {
    "filed": _l("You sent it to us"),
    "erasure_requested": _l("You asked us to erase your personal details"),
    "customer_message": _l("You sent a message"),
    "contact_changed": _l("You changed how we reach you"),
    "withdrawn": _l("You withdrew it"),
    "manager_asked": _l("You asked for a manager to look at it"),
    "manager_answered": _l("%(name)s, a manager, answered you"),
    "link_sent_again": _l("We mailed you the link to this page again"),
    "promise_missed": _l("We did not keep a promise"),
    "claimed": _l("%(name)s picked it up and is your contact person"),
    "handed_over": _l("%(name)s is your contact person from now on"),
    "agent_replied": _l("%(name)s sent you a message"),
    "offer_made": _l("We made you a proposal"),
    "offer_accepted": _l("You accepted our proposal"),
    "offer_declined": _l("You said our proposal does not solve it"),
    "promise_moved": _l("We moved a date, and told you why"),
    "promise_move_asked": _l("We asked you about a new date"),
    "new_date_agreed": _l("You agreed to the new date"),
    "new_date_declined": _l("You kept the date we promised"),
    "reopened": _l("You opened it again"),
    "other_links_ended": _l("You stopped the other links to this page"),
    "wait_started": _l("We asked for your answer. Our dates wait for it"),
    "wait_ended": _l("You answered. Our dates moved on by the time we waited for you"),
    "wait_reminded": _l("We reminded you that we wait for your answer"),
    "carried_out": _l("%(name)s did what we agreed with you"),
    "resolved": _l("It is solved"),
    "closed": _l("%(name)s closed it, as agreed with you"),
    "closed_unanswered": _l("We closed it: we did not hear from you"),
    "closed_in_time": _l("We closed it on the day we told you"),
    "closed_after_answer": _l("We answered and closed it. You can still answer us"),
    "opened_by_answer": _l("You answered us, so it is open again"),
    "survey_answered": _l("You told us how we did. Thank you"),
    "survey_changed": _l("You changed your answer about how we did"),
}

# The three questions after it ended (services/satisfaction.py), each choice in words, never a bare number.
SOLVED_QUESTION = _l("Is your complaint solved?")
SOLVED_CHOICES = [("yes", _l("Yes")), ("partly", _l("Partly")), ("no", _l("No"))]
TREATMENT_QUESTION = _l("How did we treat you?")
TREATMENT_CHOICES = [("5", _l("Very well")), ("4", _l("Well")), ("3", _l("Not well, not badly")),
                     ("2", _l("Badly")), ("1", _l("Very badly"))]
COME_BACK_QUESTION = _l("Would you come back to us?")
COME_BACK_CHOICES = [("yes", _l("Yes")), ("maybe", _l("I do not know yet")), ("no", _l("No"))]


def kind_group(kind: str) -> str:
    return "complaint" if kind == "complaint" else "signal"


# The subject of each customer mail, in the word for what they sent: a compliment is never called
# a complaint. Called while the mail is rendered, so gettext answers in the customer's language.
MAIL_SUBJECTS = {
    ("filed", "complaint"): lambda ref: gettext("We have received your complaint (%(ref)s)", ref=ref),
    ("filed", "compliment"): lambda ref: gettext("We have received your compliment (%(ref)s)", ref=ref),
    ("filed", "suggestion"): lambda ref: gettext("We have received your idea (%(ref)s)", ref=ref),
    ("reply", "complaint"): lambda ref: gettext("A message about your complaint (%(ref)s)", ref=ref),
    ("reply", "compliment"): lambda ref: gettext("A message about your compliment (%(ref)s)", ref=ref),
    ("reply", "suggestion"): lambda ref: gettext("A message about your idea (%(ref)s)", ref=ref),
    ("link", "complaint"): lambda ref: gettext("The link to your complaint (%(ref)s)", ref=ref),
    ("link", "compliment"): lambda ref: gettext("The link to your compliment (%(ref)s)", ref=ref),
    ("link", "suggestion"): lambda ref: gettext("The link to your idea (%(ref)s)", ref=ref),
    ("address_changed", "complaint"): lambda ref: gettext(
        "The email address for your complaint has changed (%(ref)s)", ref=ref),
    ("address_changed", "compliment"): lambda ref: gettext(
        "The email address for your compliment has changed (%(ref)s)", ref=ref),
    ("address_changed", "suggestion"): lambda ref: gettext(
        "The email address for your idea has changed (%(ref)s)", ref=ref),
    ("withdrawn", "complaint"): lambda ref: gettext("You have withdrawn your complaint (%(ref)s)", ref=ref),
    ("withdrawn", "compliment"): lambda ref: gettext("You have withdrawn your compliment (%(ref)s)", ref=ref),
    ("withdrawn", "suggestion"): lambda ref: gettext("You have withdrawn your idea (%(ref)s)", ref=ref),
    ("handed_over", "complaint"): lambda ref: gettext("Your complaint has a new contact person (%(ref)s)", ref=ref),
    ("handed_over", "compliment"): lambda ref: gettext(
        "Your compliment has a new contact person (%(ref)s)", ref=ref),
    ("handed_over", "suggestion"): lambda ref: gettext("Your idea has a new contact person (%(ref)s)", ref=ref),
    ("improvement", "complaint"): lambda ref: gettext("Because you told us: what we changed (%(ref)s)", ref=ref),
    ("improvement", "compliment"): lambda ref: gettext("Because you told us: what we changed (%(ref)s)", ref=ref),
    ("improvement", "suggestion"): lambda ref: gettext("Your idea: what we changed (%(ref)s)", ref=ref),
}


def mail_subject(mail: str, complaint):
    """subject=mail_subject("reply", complaint): what `queue_mail` calls in the customer's language."""
    return lambda: MAIL_SUBJECTS[(mail, complaint.kind)](complaint.reference)
