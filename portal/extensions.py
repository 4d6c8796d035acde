"""The Flask extensions, unbound; create_app binds them."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
import smtplib

from flask import current_app
from flask_mail import Connection, Mail
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
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


def init_migrations(app) -> None:
    """Flask-Migrate (Alembic) for the `flask db` commands and whoever upgrades a database in-process.

    Only then: a web worker never migrates, and Alembic with its templates costs every worker about
    15 MB and 0.2 s at start for nothing (bench/README.md, memory).
    """
    import os

    from flask_migrate import Migrate

    Migrate(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
