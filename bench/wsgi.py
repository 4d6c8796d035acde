"""The portal as the benchmark serves it: production settings, the benchmark's database, no rate limits.

    BENCH_DATABASE_URL=sqlite:///... gunicorn --workers 2 --chdir bench wsgi:app

Production mode (secure cookies, the production secret-key check), with two changes a load test
needs: rate limits off (wrk fires thousands of filings from one address) and the benchmark's own
database. CSRF stays on: the filing benchmark posts a real token with a real session cookie.
"""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from portal import create_app  # noqa: E402

from seed import BENCH_SECRET_KEY  # noqa: E402

app = create_app({
    "GEHOORD_ENV": "production",
    "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", BENCH_SECRET_KEY),
    "SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URL"],
    "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://",
    "PUBLIC_BASE_URL": "http://127.0.0.1",
})
