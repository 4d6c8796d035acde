"""Forms for the people who work complaints. None of them asks the customer for proof."""
from ..i18n import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, HiddenField, MultipleFileField, PasswordField, RadioField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import Regexp, ValidationError

from ..forms import (CONTACT_CHOICES, LANGUAGE_CHOICES, STAFF_EMAIL_TOO_LONG, WISH_CHOICES, choices, email_field,
                     phone_field)
from ..services.mandate import REMEDIES
from ..services.work import HANDLED_AS, ROOT_CAUSES
from ..validators import Amount, LengthBetween, Required, clean_line, clean_text

TEXT_MAX = 5000


class LoginForm(FlaskForm):
    email = StringField(_l("Email address"), filters=[clean_line],
                        validators=[Required(_l("Enter your email address"))])
    password = PasswordField(_l("Password"), validators=[Required(_l("Enter your password"))])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Your password now"), validators=[Required(_l("Enter your password now"))])
    new = PasswordField(_l("New password"), validators=[Required(_l("Enter a new password"))])
    repeat = PasswordField(_l("New password again"), validators=[Required(_l("Enter the new password again"))])


class ForgotPasswordForm(FlaskForm):
    email = StringField(_l("Email address"), filters=[clean_line],
                        validators=[Required(_l("Enter your email address"))])


class ResetPasswordForm(FlaskForm):
    new = PasswordField(_l("New password"), validators=[Required(_l("Enter a new password"))])
    repeat = PasswordField(_l("New password again"), validators=[Required(_l("Enter the new password again"))])


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), filters=[clean_line],
                       validators=[Required(_l("Enter the code from your app, or a recovery code"))])


class TwoStepConfirmForm(FlaskForm):
    code = StringField(_l("Code from your app"), filters=[clean_line],
                       validators=[Required(_l("Enter the 6 digits your app shows"))])


class PasswordCheckForm(FlaskForm):
    """Asked again before a change that weakens or replaces the second step."""
    password = PasswordField(_l("Your password"), validators=[Required(_l("Enter your password"))])


class NoticeLanguageForm(FlaskForm):
    language = RadioField(_l("Language of these mails"), choices=choices([("nl", "Nederlands"), ("en", "English")]),
                          validators=[Required(_l("Choose a language"))])


ERASURE_VIA = [("phone", _l("By phone")), ("letter", _l("By letter")), ("mail", _l("By mail to a colleague"))]


class ErasureRequestForm(FlaskForm):
    which = StringField(_l("Reference or email address"), filters=[clean_line],
                        validators=[Required(_l("Enter a reference or an email address"))])
    via = RadioField(_l("How did the customer ask?"), choices=choices(ERASURE_VIA),
                     validators=[Required(_l("Choose how the customer asked"))])


# What the reply means for the complaint's life (services/work.reply).
REPLY_THEN = [("continue", _l("I keep working on it")),
              ("question", _l("I ask the customer a question: wait for their answer (our dates pause)")),
              ("solved", _l("This answer is all the customer asked for: it is solved"))]


class ReplyForm(FlaskForm):
    # The text the lint warned about; sending that same text again means "send it anyway".
    checked = HiddenField()
    body = TextAreaField(
        _l("Your message to the customer"), filters=[clean_text],
        validators=[Required(_l("Write your message")),
                    LengthBetween(0, TEXT_MAX, "", _l("Your message must be 5,000 characters or less"))])
    then = RadioField(_l("After this message"), choices=choices(REPLY_THEN), default="continue",
                      validators=[Required(_l("Choose what happens after this message"))])
    files = MultipleFileField(_l("Photos or papers for the customer (optional)"))


class ManagerAnswerForm(FlaskForm):
    checked = HiddenField()  # the text the manager saw the plain-language warnings for
    body = TextAreaField(
        _l("Your answer to the customer, as the manager they asked for"), filters=[clean_text],
        validators=[Required(_l("Write your answer to the customer")),
                    LengthBetween(0, TEXT_MAX, "", _l("Your answer must be 5,000 characters or less"))])


class CarryOutForm(FlaskForm):
    note = StringField(_l("Payment reference (the customer reads it; needed for money back)"), filters=[clean_line],
                       validators=[LengthBetween(0, 200, "", _l("The payment reference must be 200 characters "
                                                                 "or less"))])


CUSTOMER_AGREED = [("yes", _l("Yes, the customer agreed")), ("no", _l("No"))]


class CloseForm(FlaskForm):
    checked = HiddenField()  # the text the agent saw the plain-language warnings for (sent as it is then)
    customer_agreed = RadioField(_l("Did the customer agree to close it?"), choices=choices(CUSTOMER_AGREED),
                                 validators=[Required(_l("Choose yes or no"))])
    reason = TextAreaField(
        _l("The reason (the customer reads this)"), filters=[clean_text],
        validators=[Required(_l("Write the reason the customer reads")),
                    LengthBetween(0, 2000, "", _l("The reason must be 2,000 characters or less"))])


class NoteForm(FlaskForm):
    body = TextAreaField(
        _l("Internal note"), filters=[clean_text],
        validators=[Required(_l("Write your note")),
                    LengthBetween(0, TEXT_MAX, "", _l("Your note must be 5,000 characters or less"))])


class HandOverForm(FlaskForm):
    # Any value is checked by the service (active, not the owner): one plain sentence, never a 500.
    to = SelectField(_l("Colleague"), coerce=str, validate_choice=False,
                     validators=[Required(_l("Choose a colleague"))])
    note = TextAreaField(
        _l("Note for your colleague"), filters=[clean_text],
        validators=[Required(_l("Write a note for your colleague: what they need to know")),
                    LengthBetween(0, TEXT_MAX, "", _l("Your note must be 5,000 characters or less"))])


YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]


class ClassifyForm(FlaskForm):
    handled_as = RadioField(_l("What was it?"), choices=choices(HANDLED_AS.items()),
                             validators=[Required(_l("Choose what it was"))])
    root_cause = RadioField(_l("What caused it?"), choices=choices(ROOT_CAUSES.items()),
                            validators=[Required(_l("Choose what caused it"))])
    chance_to_improve = RadioField(_l("Is this a chance to improve?"), choices=choices(YES_NO),
                                   validators=[Required(_l("Choose yes or no"))])
    improvement_note = TextAreaField(
        _l("What could we improve? (needed when you chose yes)"), filters=[clean_text],
        validators=[LengthBetween(0, 2000, "", _l("The note must be 2,000 characters or less"))])

    def validate_improvement_note(self, field):
        if self.chance_to_improve.data == "yes" and not field.data:
            raise ValidationError(_l("Write what we could improve"))


class MoveForm(FlaskForm):
    checked = HiddenField()
    new_date = DateField(_l("New date"), validators=[Required(_l("Enter the new date, like 27-11-2026"))],
                         format="%Y-%m-%d")
    reason = TextAreaField(
        _l("The reason (the customer reads this)"), filters=[clean_text],
        validators=[Required(_l("Write the reason the customer reads")),
                    LengthBetween(0, 2000, "", _l("The reason must be 2,000 characters or less"))])


STALE_FORM = _l("This form is out of date. Open the mandate screen again and make your offer there.")


class OfferForm(FlaskForm):
    checked = HiddenField()
    remedy = RadioField(_l("What do you offer?"), choices=choices((k, v["label"]) for k, v in REMEDIES.items()),
                        validators=[Required(_l("Choose what you offer"))])
    amount = StringField(_l("Amount in euros (for money back, credit, a voucher or a gift)"), filters=[clean_line],
                         validators=[Amount(_l("Enter the amount as a number, like 25 or 25,50"),
                                            _l("The amount must be 1,000,000 euros or less"))])
    text = TextAreaField(
        _l("What the customer reads"), filters=[clean_text],
        validators=[Required(_l("Write what the customer reads about your offer")),
                    LengthBetween(0, 2000, "", _l("The text must be 2,000 characters or less"))])
    # Hidden, but a person can change them: anything but what the page put there is refused politely.
    request_key = HiddenField(validators=[Regexp(r"^[A-Za-z0-9_-]{16,64}$", message=STALE_FORM)])
    seen_counter = HiddenField(validators=[Regexp(r"^[0-9]{1,9}$", message=STALE_FORM)])

    def validate_amount(self, field):
        if self.remedy.data in REMEDIES and REMEDIES[self.remedy.data]["money"] and not field.data:
            raise ValidationError(_l("Enter the amount"))


class RefuseForm(FlaskForm):
    reason = TextAreaField(
        _l("Why do you not sign? (the owner reads this)"), filters=[clean_text],
        validators=[Required(_l("Write why you do not sign")),
                    LengthBetween(0, 2000, "", _l("The reason must be 2,000 characters or less"))])


CHANNEL_CHOICES = [("phone", _l("On the phone")), ("counter", _l("At the counter")),
                   ("in_person", _l("In person, somewhere else")), ("letter", _l("By letter"))]


class NewComplaintForm(FlaskForm):
    """A complaint someone told us outside the portal: the customer gets the same mail and link."""

    # A random key from the page: the same form sent twice (a double click) files one complaint.
    submission_key = HiddenField()
    channel = RadioField(_l("How did the customer tell us?"), choices=choices(CHANNEL_CHOICES),
                         validators=[Required(_l("Choose how the customer told us"))])
    story = TextAreaField(
        _l("What happened, in the customer's words"), filters=[clean_text],
        validators=[Required(_l("Write what happened")),
                    LengthBetween(10, TEXT_MAX, _l("Write a little more: at least 10 characters"),
                                  _l("What happened must be 5,000 characters or less"))])
    category = SelectField(_l("What is it about?"), coerce=str,
                           validators=[Required(_l("Choose what it is about"))])
    wish = RadioField(_l("What would the customer like us to do?"), choices=choices(WISH_CHOICES),
                      validators=[Required(_l("Choose what the customer would like"))])
    name = StringField(_l("Customer's name"), filters=[clean_line],
                       validators=[Required(_l("Enter the customer's name")),
                                   LengthBetween(0, 200, "", _l("The name must be 200 characters or less"))])
    email = email_field(_l("Customer's email address"), _l("Enter the customer's email address"),
                        STAFF_EMAIL_TOO_LONG)
    phone = phone_field(_l("Customer's phone number (optional)"))
    contact_by = RadioField(_l("How would the customer like us to contact them?"), choices=choices(CONTACT_CHOICES),
                            default="email", validators=[Required(_l("Choose how we contact the customer"))])
    language = RadioField(_l("In which language do we write?"), choices=choices(LANGUAGE_CHOICES),
                          default="nl", validators=[Required(_l("Choose a language"))])


class SearchForm(FlaskForm):
    """The one search box on the queue: a GET form, so a search is a link (no CSRF token in it)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search complaints"), filters=[clean_line])


BULK_ACTIONS = [("claim", _l("Claim them: I handle them")), ("hand_over", _l("Hand them over to a colleague")),
                ("classify", _l("Classify them"))]


class BulkForm(FlaskForm):
    """What to do with the complaints ticked in the queue (services/bulk.py checks each one)."""
    action = RadioField(_l("What do you do with them?"), choices=choices(BULK_ACTIONS), validate_choice=False)
    to = SelectField(_l("Colleague"), coerce=str, validate_choice=False)
    note = TextAreaField(_l("One note for your colleague, on each complaint"), filters=[clean_text],
                         validators=[LengthBetween(0, TEXT_MAX, "", _l("Your note must be 5,000 characters or less"))])
    handled_as = SelectField(_l("What was it?"), choices=choices([("", "")] + list(HANDLED_AS.items())),
                             validate_choice=False)
    root_cause = SelectField(_l("What caused it?"), choices=choices([("", "")] + list(ROOT_CAUSES.items())),
                             validate_choice=False)


class SavedViewForm(FlaskForm):
    name = StringField(_l("Name of the view"), filters=[clean_line])
    shared = RadioField(_l("Who sees it?"), choices=choices([("no", _l("Only me")), ("yes", _l("The whole team"))]),
                        default="no", validate_choice=False)


class ShortcutsForm(FlaskForm):
    shortcuts = RadioField(_l("Keyboard shortcuts"), choices=choices([("on", _l("On")), ("off", _l("Off"))]),
                           validators=[Required(_l("Choose on or off"))])
