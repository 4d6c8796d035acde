"""The customer's forms. Every message is a whole sentence a person reads, in their language."""
from ..i18n import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from ..forms import (CONTACT_CHOICES, LANGUAGE_CHOICES, SIGNAL_CHOICES, WISH_CHOICES, choices, email_field,
                     phone_field)
from ..i18n import form_translations
from ..wording.customer import (COME_BACK_CHOICES, COME_BACK_QUESTION, SOLVED_CHOICES, SOLVED_QUESTION,
                                TREATMENT_CHOICES, TREATMENT_QUESTION)
from ..services.filing import NAME_MAX, STORY_MAX, STORY_MIN, WHEN_MAX, WISH_OTHER_MAX
from ..validators import Amount, LengthBetween, Required, clean_line, clean_text

__all__ = ["CONTACT_CHOICES", "LANGUAGE_CHOICES", "SIGNAL_CHOICES", "WISH_CHOICES", "choices"]


class HoneypotMixin:
    """A field people never see and bots fill in. A person whose browser filled it gets a plain
    error they can fix, so no real complaint is lost."""

    website = StringField(_l("Leave this field empty"))

    def validate_website(self, field):
        if field.data:
            raise ValidationError(_l("Leave the field 'Website' empty"))


class Form(FlaskForm):
    """A customer's form. A refused CSRF token is told once, at the top of the page (see
    portal/errors.py), never as an English field error; the form still counts as not valid."""

    class Meta:
        def get_translations(self, form):
            return form_translations()

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        token = getattr(self, "csrf_token", None)
        if token is not None and token.errors:
            token.errors = []
            return False
        return valid


MESSAGE_MAX = 5000


class StoryForm(Form):
    story = TextAreaField(
        _l("What happened?"), filters=[clean_text],
        validators=[Required(_l("Tell us what happened")),
                    LengthBetween(STORY_MIN, STORY_MAX,
                                  _l("Tell us a little more: at least 10 characters"),
                                  _l("What happened must be 5,000 characters or less"))])
    happened_when = StringField(
        _l("When did it happen? (optional)"), filters=[clean_line],
        validators=[Optional(), LengthBetween(0, WHEN_MAX, "", _l("When it happened must be 200 characters or less"))])
    files = MultipleFileField(_l("Photos or papers (optional)"))


class AboutForm(Form):
    category = RadioField(_l("What is your complaint about?"), choices=[],
                          validators=[Required(_l("Select what your complaint is about"))],
                          validate_choice=False)

    def validate_category(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Select what your complaint is about"))


class WishForm(Form):
    wish = RadioField(_l("What would you like us to do?"), choices=choices(WISH_CHOICES),
                      validators=[Required(_l("Select what you would like us to do"))])
    amount = StringField(
        _l("If you would like compensation: what amount do you have in mind? (optional)"),
        filters=[clean_line],
        validators=[Amount(_l("Enter the amount as a number, like 25 or 25,50"),
                           _l("The amount must be 1,000,000 euros or less"))])
    wish_other = TextAreaField(
        _l("If something else: what would you like us to do? (optional)"), filters=[clean_text],
        validators=[LengthBetween(0, WISH_OTHER_MAX, "", _l("What you would like must be 2,000 characters or less"))])

    def validate(self, extra_validators=None):
        # The amount belongs to "compensation" and the words to "something else". When another
        # choice is made they are left-overs from before (the page keeps what was typed): forget them.
        if self.wish.data in dict(WISH_CHOICES):
            if self.wish.data != "compensation":
                self.amount.data = ""
            if self.wish.data != "other":
                self.wish_other.data = ""
        return super().validate(extra_validators)

    def validate_wish_other(self, field):
        if self.wish.data == "other" and not field.data:
            raise ValidationError(_l("Tell us what you would like us to do"))


class ContactForm(HoneypotMixin, Form):
    name = StringField(
        _l("Your name"), filters=[clean_line],
        validators=[Required(_l("Enter your name")),
                    LengthBetween(0, NAME_MAX, "", _l("Your name must be 200 characters or less"))])
    email = email_field(_l("Email address"), _l("Enter your email address"))
    phone = phone_field(_l("Phone number (optional)"))
    contact_by = RadioField(_l("How would you like us to contact you?"), choices=choices(CONTACT_CHOICES),
                            default="email",
                            validators=[Required(_l("Select how you would like us to contact you"))])
    language = RadioField(_l("In which language should we write to you?"), choices=choices(LANGUAGE_CHOICES),
                          validators=[Required(_l("Select the language we should write to you in"))])

    def validate_contact_by(self, field):
        if field.data == "phone" and not self.phone.data:
            raise ValidationError(_l("Enter a phone number, or choose to be contacted by email"))


class SignalForm(Form):
    kind = RadioField(_l("What would you like to pass on?"), choices=choices(SIGNAL_CHOICES),
                             validators=[Required(_l("Select a compliment or a suggestion"))])
    story = TextAreaField(
        _l("Your message"), filters=[clean_text],
        validators=[Required(_l("Enter your message")),
                    LengthBetween(STORY_MIN, STORY_MAX,
                                  _l("Tell us a little more: at least 10 characters"),
                                  _l("Your message must be 5,000 characters or less"))])


class SendForm(Form):
    """Check your answers: one button. The draft key makes a second click file nothing new."""

    draft = HiddenField()


class MessageForm(Form):
    body = TextAreaField(
        _l("Add information or reply"), filters=[clean_text],
        validators=[Required(_l("Enter your message")),
                    LengthBetween(0, MESSAGE_MAX, "", _l("Your message must be 5,000 characters or less"))])
    files = MultipleFileField(_l("Photos or papers (optional)"))


class ManagerForm(Form):
    reason = TextAreaField(
        _l("Why would you like a manager to look at it? (optional)"), filters=[clean_text],
        validators=[LengthBetween(0, 2000, "", _l("Your reason must be 2,000 characters or less"))])


class ConfirmForm(Form):
    """A yes on a page that asks one question (withdraw it, erase my details): only the CSRF token."""


class FindForm(HoneypotMixin, Form):
    reference = StringField(
        _l("Reference"), filters=[clean_line],
        validators=[Required(_l("Enter the reference of your complaint")),
                    LengthBetween(0, 40, "", _l("Enter the reference as it is in your mail, like KM4T-7XRA"))])
    email = email_field(_l("Email address"), _l("Enter your email address"))


class AnswerOfferForm(Form):
    """The customer's answer to an offer, on the status page."""

    answer = RadioField(_l("Does this solve your complaint?"),
                        choices=choices([("accept", _l("Yes, I accept this")),
                                         ("decline", _l("No, this does not solve it"))]),
                        validators=[Required(_l("Choose yes or no"))])
    reason = TextAreaField(
        _l("If not: what would solve it for you?"), filters=[clean_text],
        validators=[LengthBetween(0, 2000, "", _l("Your answer must be 2,000 characters or less"))])

    def validate_reason(self, field):
        if self.answer.data == "decline" and not field.data:
            raise ValidationError(_l("Tell us what would solve it for you"))


class NewDateForm(Form):
    answer = RadioField(_l("Is the new date all right?"),
                        choices=choices([("yes", _l("Yes, that is all right")),
                                         ("no", _l("No, keep the date you promised"))]),
                        validators=[Required(_l("Choose yes or no"))])


class ReopenForm(Form):
    reason = TextAreaField(
        _l("Why do you want to open it again?"), filters=[clean_text],
        validators=[Required(_l("Tell us in one sentence why")),
                    LengthBetween(0, 2000, "", _l("Your answer must be 2,000 characters or less"))])


class FeedbackForm(Form):
    """Three short questions after it ended (services/satisfaction.py), and room for more. Each choice
    is words; an answer out of the choices gets the same sentence as no answer."""

    solved = RadioField(SOLVED_QUESTION, choices=choices(SOLVED_CHOICES), validate_choice=False,
                        validators=[Required(_l("Choose yes, partly or no"))])
    treatment = RadioField(TREATMENT_QUESTION, choices=choices(TREATMENT_CHOICES), validate_choice=False,
                           validators=[Required(_l("Choose how we treated you"))])
    come_back = RadioField(COME_BACK_QUESTION, choices=choices(COME_BACK_CHOICES), validate_choice=False,
                           validators=[Required(_l("Choose one of the three answers"))])
    comment = TextAreaField(
        _l("Anything else you want to tell us? (optional)"), filters=[clean_text],
        validators=[LengthBetween(0, 2000, "", _l("Your answer must be 2,000 characters or less"))])

    @staticmethod
    def _one_of(field, message):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(message)

    def validate_solved(self, field):
        self._one_of(field, _l("Choose yes, partly or no"))

    def validate_treatment(self, field):
        self._one_of(field, _l("Choose how we treated you"))

    def validate_come_back(self, field):
        self._one_of(field, _l("Choose one of the three answers"))
