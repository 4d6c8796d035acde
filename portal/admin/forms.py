"""Admin forms. The texts admins write are what customers read: the lint checks them in the view."""
from ..i18n import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, FieldList, Form, FormField, IntegerField, RadioField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import InputRequired, NumberRange, Optional

from ..forms import STAFF_EMAIL_TOO_LONG, choices, email_field
from ..services.people import PASSWORD_MAX, PASSWORD_MIN
from ..validators import LengthBetween, Required, clean_line, clean_text

UNIT_CHOICES = [("working_days", _l("working days")), ("working_hours", _l("working hours"))]
FROM_CHOICES = [("filing", _l("from filing")), ("previous", _l("from the step before"))]


class StepForm(Form):
    key = StringField(_l("Key"), filters=[clean_line])
    offset_amount = IntegerField(_l("After"), validators=[Optional()])
    offset_unit = SelectField(_l("Unit"), choices=choices(UNIT_CHOICES))
    relative_to = SelectField(_l("Counted"), choices=choices(FROM_CHOICES))
    label_nl = StringField(_l("What we promise (Dutch)"), filters=[clean_line])
    label_en = StringField(_l("What we promise (English)"), filters=[clean_line])
    explanation_nl = TextAreaField(_l("Explanation (Dutch, optional)"), filters=[clean_text])
    explanation_en = TextAreaField(_l("Explanation (English, optional)"), filters=[clean_text])


class TimelineForm(FlaskForm):
    steps = FieldList(FormField(StepForm), min_entries=0)


CARRY_OUT_CHECKS = [InputRequired(_l("Enter a number of working days")),
                    NumberRange(0, 30, _l("Enter a number from 0 to 30"))]


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name of the organisation"), filters=[clean_line],
                       validators=[Required(_l("Enter the name"))])
    contact_email = email_field(_l("Email address for customers"), _l("Enter an email address"), STAFF_EMAIL_TOO_LONG)
    contact_phone = StringField(_l("Phone number (optional)"), filters=[clean_line])
    contact_postal = StringField(_l("Postal address"), filters=[clean_line],
                                 validators=[Required(
                                     _l("Enter a postal address: customers need a way without a phone"))])
    default_language = RadioField(_l("Default language"), choices=choices([("nl", "Nederlands"), ("en", "English")]))
    max_handling_weeks = IntegerField(_l("Longest handling time, in weeks"),
                                      validators=[InputRequired(_l("Enter a number of weeks")),
                                                  NumberRange(1, 52, _l("Enter a number from 1 to 52"))])
    silent_ratio = IntegerField(_l("Silent customers for each complaint (for reports)"),
                                validators=[InputRequired(_l("Enter a number")),
                                            NumberRange(1, 1000, _l("Enter a number from 1 to 1000"))])
    retention_months = IntegerField(_l("Keep closed complaints for this many months"),
                                    validators=[InputRequired(_l("Enter a number of months")),
                                                NumberRange(1, 240, _l("Enter a number from 1 to 240"))])
    agent_idle_hours = IntegerField(_l("Log staff out after this many hours without activity"),
                                    validators=[InputRequired(_l("Enter a number of hours")),
                                                NumberRange(1, 24, _l("Enter a number from 1 to 24"))])
    notice_hours_before = IntegerField(_l("Tell staff of a promise this many working hours before it is due"),
                                       validators=[InputRequired(_l("Enter a number of hours")),
                                                   NumberRange(1, 40, _l("Enter a number from 1 to 40"))])
    admins_need_two_step = RadioField(_l("Admins must use two-step login"),
                                      choices=choices([("yes", _l("Yes")), ("no", _l("No"))]),
                                      coerce=lambda value: value in (True, "yes", "True"), default=False)
    ombudsman_name = StringField(_l("Where customers can go if they disagree (name)"), filters=[clean_line])
    ombudsman_url = StringField(_l("Its website"), filters=[clean_line])
    wait_days = IntegerField(_l("Wait this many working days for a customer's answer, then close it"),
                             validators=[InputRequired(_l("Enter a number of working days")),
                                         NumberRange(2, 60, _l("Enter a number from 2 to 60"))])
    close_after_days = IntegerField(_l("Close a solved complaint after this many working days without news"),
                                    validators=[InputRequired(_l("Enter a number of working days")),
                                                NumberRange(1, 60, _l("Enter a number from 1 to 60"))])
    # Colleagues who may make their own ambassador account (services/ambassador.py: join).
    colleague_domains = StringField(_l("Work addresses that may join the ambassador app (domains, with a comma "
                                       "between them; empty: only admins make accounts)"), filters=[clean_line],
                                    validators=[LengthBetween(0, 500, "", _l("Keep it to 500 characters"))])

    def validate_colleague_domains(self, field):
        from ..services.ambassador import domains_problem

        problem = domains_problem(field.data)
        if problem:
            from wtforms.validators import ValidationError

            raise ValidationError(problem)

    # Photos and papers with a story, a message or a reply (services/attachments.py).
    attachments_max_files = IntegerField(_l("Files a customer or colleague may add to one message"),
                                         validators=[InputRequired(_l("Enter a number of files")),
                                                     NumberRange(1, 10, _l("Enter a number from 1 to 10"))])
    attachment_max_mb = IntegerField(_l("Largest file, in MB"),
                                     validators=[InputRequired(_l("Enter a number of MB")),
                                                 NumberRange(1, 25, _l("Enter a number from 1 to 25"))])

    # The three questions after a complaint ended (services/satisfaction.py).
    surveys_on = RadioField(_l("Ask customers how we did after their complaint ended"),
                            choices=choices([("yes", _l("Yes")), ("no", _l("No"))]),
                            coerce=lambda value: value in (True, "yes", "True"), default=True)
    survey_quiet_days = IntegerField(_l("Ask an address at most once in this many days"),
                                     validators=[InputRequired(_l("Enter a number of days")),
                                                 NumberRange(1, 365, _l("Enter a number from 1 to 365"))])
    survey_sentence_nl = TextAreaField(_l("The sentence that asks (Dutch; empty: ours)"), filters=[clean_text],
                                       validators=[LengthBetween(0, 500, "", _l("Keep it to 500 characters"))])
    survey_sentence_en = TextAreaField(_l("The sentence that asks (English; empty: ours)"), filters=[clean_text],
                                       validators=[LengthBetween(0, 500, "", _l("Keep it to 500 characters"))])
    # Working days to carry out each remedy after the customer's yes (services/lifecycle.py).
    carry_fix = IntegerField(_l("Fix it or do it again"), validators=CARRY_OUT_CHECKS)
    carry_refund = IntegerField(_l("Money back (refund)"), validators=CARRY_OUT_CHECKS)
    carry_credit = IntegerField(_l("Credit on the account"), validators=CARRY_OUT_CHECKS)
    carry_voucher = IntegerField(_l("A voucher"), validators=CARRY_OUT_CHECKS)
    carry_gift = IntegerField(_l("A goodwill gift"), validators=CARRY_OUT_CHECKS)

    CARRY_OUT = ("fix", "refund", "credit", "voucher", "gift")


WEEKDAYS = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday")]


class CalendarForm(FlaskForm):
    timezone = StringField(_l("Time zone"), filters=[clean_line],
                           validators=[Required(_l("Enter a time zone, like Europe/Amsterdam"))])
    holiday_country = StringField(_l("Country for public holidays (code, like NL)"), filters=[clean_line],
                                  validators=[Required(_l("Enter a country code, like NL"))])
    holiday_subdiv = StringField(_l("Region (optional)"), filters=[clean_line])
    liberation_day_every_year = RadioField(_l("Closed on 5 May every year?"),
                                           choices=choices([("yes", _l("Yes")), ("no", _l("No"))]))
    # Opening hours: one "09:00-17:00" per weekday, empty for closed.
    hours_0 = StringField(WEEKDAYS[0], filters=[clean_line])
    hours_1 = StringField(WEEKDAYS[1], filters=[clean_line])
    hours_2 = StringField(WEEKDAYS[2], filters=[clean_line])
    hours_3 = StringField(WEEKDAYS[3], filters=[clean_line])
    hours_4 = StringField(WEEKDAYS[4], filters=[clean_line])
    hours_5 = StringField(WEEKDAYS[5], filters=[clean_line])
    hours_6 = StringField(WEEKDAYS[6], filters=[clean_line])


class ClosingDayForm(FlaskForm):
    day = DateField(_l("Day"), validators=[InputRequired(_l("Enter the day, like 24-12-2026"))])
    closed_from = StringField(_l("Closed from (optional, like 12:00; empty is the whole day)"), filters=[clean_line])
    reason = StringField(_l("Reason (optional)"), filters=[clean_line])


class CategoryForm(FlaskForm):
    name_nl = StringField(_l("Name (Dutch)"), filters=[clean_line], validators=[Required(_l("Enter the Dutch name"))])
    name_en = StringField(_l("Name (English)"), filters=[clean_line],
                          validators=[Required(_l("Enter the English name"))])
    hint_nl = StringField(_l("Description (Dutch, optional)"), filters=[clean_line])
    hint_en = StringField(_l("Description (English, optional)"), filters=[clean_line])
    can_do_nl = TextAreaField(_l("What we can do (Dutch)"), filters=[clean_text])
    can_do_en = TextAreaField(_l("What we can do (English)"), filters=[clean_text])
    cannot_do_nl = TextAreaField(_l("What we cannot do (Dutch)"), filters=[clean_text])
    cannot_do_en = TextAreaField(_l("What we cannot do (English)"), filters=[clean_text])
    disagree_nl = TextAreaField(_l("If the customer disagrees: where to go and the time limit (Dutch)"),
                                filters=[clean_text])
    disagree_en = TextAreaField(_l("If the customer disagrees: where to go and the time limit (English)"),
                                filters=[clean_text])
    disagree_url = StringField(_l("Their website (optional)"), filters=[clean_line])
    active = RadioField(_l("In the form for customers?"),
                        choices=choices([("yes", _l("Yes, active")), ("no", _l("No, archived"))]))


ROLE_CHOICES = [("agent", _l("Agent")), ("supervisor", _l("Supervisor")), ("admin", _l("Admin")),
                ("manager", _l("Manager: reads insight, works no complaints")),
                ("colleague", _l("Colleague: passes on what customers say, sees nothing else"))]


class PersonForm(FlaskForm):
    role = RadioField(_l("Role"), choices=choices(ROLE_CHOICES), validators=[Required(_l("Choose a role"))])
    mandate = IntegerField(_l("Most per complaint, in euros"),
                           validators=[InputRequired(_l("Enter an amount in whole euros")),
                                       NumberRange(0, 1_000_000, _l("Enter an amount from 0 to 1,000,000"))])
    budget = IntegerField(_l("Monthly budget, in euros"),
                          validators=[InputRequired(_l("Enter an amount in whole euros")),
                                      NumberRange(0, 100_000_000, _l("Enter an amount of 0 or more"))])
    active = RadioField(_l("Can log in?"), choices=choices([("yes", _l("Yes")), ("no", _l("No, switched off"))]))


class NewPersonForm(PersonForm):
    name = StringField(_l("Name"), filters=[clean_line], validators=[Required(_l("Enter the name"))])
    email = email_field(_l("Email address"), _l("Enter an email address"), STAFF_EMAIL_TOO_LONG)
    password = StringField(_l("First password (at least 10 characters; they change it later). Leave it empty to "
                              "send an invitation by mail instead"),
                           validators=[Optional(),
                                       LengthBetween(PASSWORD_MIN, PASSWORD_MAX,
                                                     _l("The password must be at least 10 characters"),
                                                     _l("The password must be 200 characters or less"))])


class ImprovementForm(FlaskForm):
    title_nl = StringField(_l("What changed (Dutch, one line)"), filters=[clean_line],
                           validators=[Required(_l("Write what changed"))])
    title_en = StringField(_l("What changed (English, one line)"), filters=[clean_line],
                           validators=[Required(_l("Write what changed"))])
    body_nl = TextAreaField(_l("More about it (Dutch)"), filters=[clean_text],
                            validators=[Required(_l("Write a few sentences about it"))])
    body_en = TextAreaField(_l("More about it (English)"), filters=[clean_text],
                            validators=[Required(_l("Write a few sentences about it"))])
    since = DateField(_l("Since"), validators=[InputRequired(_l("Enter the day it changed, like 1-12-2026"))])
    references = StringField(_l("References of the complaints that led to it (separated by spaces)"),
                             filters=[clean_line])


class ReplyTemplateForm(FlaskForm):
    """A reply template (services/reply_templates.py checks it); the view fills the scope's choices."""
    title = StringField(_l("Name (agents pick the template by it)"), filters=[clean_line])
    language = RadioField(_l("The customer reads it in"), choices=choices([("nl", "Nederlands"), ("en", "English")]),
                          validators=[Optional()])
    scope = SelectField(_l("For"), validate_choice=False)
    body = TextAreaField(_l("Text"), filters=[clean_text])
