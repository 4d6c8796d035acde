"""Configuration per environment, read from environment variables."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Config:
    """Settings shared by every environment."""

    TEMPLATES_DIR = str(ROOT / "templates")
    STATIC_DIR = str(ROOT / "static")
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # valid as long as the session: a slow writer is not punished

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "klachten@gehoord.example")
    MAIL_TIMEOUT = 10
    # A mail is tried again (at most hourly) until it is this old; only then it counts as failed.
    MAIL_GIVE_UP_AFTER_HOURS = int(os.environ.get("MAIL_GIVE_UP_AFTER_HOURS", 7 * 24))
    # Replies by e-mail (services/inbound.py): the complaints address customers answer to. Each mail
    # about a complaint gets a Reply-To with a tag of its own (klacht+<tag>@…); a mail to the plain
    # address is a new signal. Empty: no Reply-To, and nothing is read.
    MAIL_REPLY_ADDRESS = os.environ.get("MAIL_REPLY_ADDRESS")
    INBOUND_MAX_BYTES = int(os.environ.get("INBOUND_MAX_BYTES", 25_000_000))  # a larger mail gets a kind answer
    # Photos and papers (services/storage.py): a folder in the instance path, or "s3" with a bucket on
    # any S3-compatible server (credentials as boto3 reads them: AWS_ACCESS_KEY_ID, …).
    ATTACHMENTS_STORAGE = os.environ.get("ATTACHMENTS_STORAGE", "folder")
    ATTACHMENTS_FOLDER = os.environ.get("ATTACHMENTS_FOLDER")  # default: instance/uploads
    S3_BUCKET = os.environ.get("S3_BUCKET")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")
    S3_REGION = os.environ.get("S3_REGION")
    # `flask portal fetch-mail`: the mailbox the complaints address delivers to (IMAPS by default).
    IMAP_HOST = os.environ.get("IMAP_HOST")
    IMAP_PORT = int(os.environ.get("IMAP_PORT", "993"))
    IMAP_USER = os.environ.get("IMAP_USER")
    IMAP_PASSWORD = os.environ.get("IMAP_PASSWORD")
    IMAP_FOLDER = os.environ.get("IMAP_FOLDER", "INBOX")
    IMAP_DONE_FOLDER = os.environ.get("IMAP_DONE_FOLDER", "Gehoord-verwerkt")  # read mail is moved here
    IMAP_CA_FILE = os.environ.get("IMAP_CA_FILE")  # a certificate authority of your own (else the system's)

    # Public base URL for links in mail sent from a worker (no request to read it from).
    # Production has no default: a mail with a link to 127.0.0.1 reaches no customer.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")

    # Limits shared by every process and server: Redis. "memory://" counts per process (tests, the demo,
    # or one process on purpose, said explicitly with RATELIMIT_STORAGE_URI).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Check every limit of a page, also after one is broken, so the 429 page can tell when all of
    # them (the hour's and the day's) have room again.
    RATELIMIT_FAIL_ON_FIRST_BREACH = False
    FILING_LIMIT = os.environ.get("FILING_LIMIT", "20 per hour;240 per day")
    FIND_LIMIT = os.environ.get("FIND_LIMIT", "10 per hour;50 per day")
    # Answers on the question pages, per address: each can start a draft. Generous: one complaint
    # takes 4 answers, and a few more when an answer needs fixing.
    QUESTION_LIMIT = os.environ.get("QUESTION_LIMIT", "120 per hour")
    MAX_OPEN_PER_EMAIL = int(os.environ.get("MAX_OPEN_PER_EMAIL", "10"))  # open complaints per address
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))  # load balancers in front (for the client IP)
    # Failed attempts only. Per account *and* address: an attacker elsewhere cannot lock the real
    # person out; a ceiling per account (a guess spread over many addresses) and one per address.
    LOGIN_LIMIT = os.environ.get("LOGIN_LIMIT", "5 per 15 minutes")
    LOGIN_ACCOUNT_LIMIT = os.environ.get("LOGIN_ACCOUNT_LIMIT", "50 per hour")
    LOGIN_ADDRESS_LIMIT = os.environ.get("LOGIN_ADDRESS_LIMIT", "50 per 15 minutes")

    SHOW_DEV_OUTBOX = False
    DRAFT_LIFETIME_DAYS = 7
    # The largest request we read: a story is at most 5,000 characters, so 1 MB is far more than any
    # form needs, and a flood of bytes is answered with a kind page (413) before it is read.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 1_000_000))


class DevelopmentConfig(Config):
    """The embedded demo: SQLite in the instance folder, mails visible on a page."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-secret")  # see DEVELOPMENT_SECRETS
    SHOW_DEV_OUTBOX = True
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")  # `make run`
    MAIL_REPLY_ADDRESS = os.environ.get("MAIL_REPLY_ADDRESS", "klacht@gehoord.example")


class TestingConfig(Config):
    """The test suite: a database chosen by the fixtures, no limits unless a test asks."""

    TESTING = True
    SECRET_KEY = "test-only-secret"
    SHOW_DEV_OUTBOX = True
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_SERVER = None
    SERVER_NAME = None
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    MAIL_REPLY_ADDRESS = "klacht@gehoord.example"


class ProductionConfig(Config):
    """Production: every secret from the environment; secure cookies."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SESSION_COOKIE_SECURE = True


# Keys that are in this repository: production refuses to start with one of them.
DEVELOPMENT_SECRETS = {"development-only-secret", "test-only-secret"}

CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def database_url_for(app_instance_path: str) -> str:
    """DATABASE_URL, or an SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL")
    if url:
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://"):]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return "sqlite:///" + str(Path(app_instance_path) / "gehoord.sqlite")
