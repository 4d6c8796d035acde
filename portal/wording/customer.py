"""What the customer reads for a code: plain (B1), kind, no hedge words (the charter lint checks it)."""
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
}


def kind_group(kind: str) -> str:
    return "complaint" if kind == "complaint" else "signal"
