"""The Flask extensions, unbound; create_app binds them."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
import smtplib

from flask import current_app
from flask_mail import Connection, Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()


class TimedConnection(Connection):
    """Flask-Mail's connection with a time limit: a mail server that never answers cannot hang the
    worker (Flask-Mail itself opens the socket without one)."""

    def configure_host(self):
        timeout = current_app.config.get("MAIL_TIMEOUT", 30)
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=timeout)
        host.set_debuglevel(int(self.mail.debug))
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


class TimedMail(Mail):
    def connect(self) -> TimedConnection:
        return TimedConnection(current_app.extensions["mail"])


mail = TimedMail()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)
