"""Development only: the outbox as a page, so a demo user can follow the mailed status link.

It is registered only when SHOW_DEV_OUTBOX is set (development and tests), never in production.
"""
from flask import Blueprint, render_template
from sqlalchemy import select

from ..extensions import db
from ..models import OutboxMail
from ..services.outbox import write_waiting

bp = Blueprint("dev", __name__, url_prefix="/dev")


@bp.route("/outbox")
def outbox():
    write_waiting()  # as the mail worker would, so every mail shown here has its text and link
    mails = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id.desc()).limit(50)).all()
    return render_template("dev/outbox.html", mails=mails)


@bp.route("/outbox/<int:mail_id>")
def outbox_mail(mail_id):
    write_waiting()
    mail = db.get_or_404(OutboxMail, mail_id)
    return render_template("dev/outbox_mail.html", mail=mail)
