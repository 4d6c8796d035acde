"""A bounded load test on loopback: many customers filing at once lose nothing and see no server error.

LOAD_CLIENTS (default 50) clients file LOAD_COMPLAINTS complaints (default 300 in every run; 1,000 for
the full run) through the real question pages of a live, threaded server.
"""
import http.cookiejar
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from sqlalchemy import func, select
from werkzeug.serving import WSGIRequestHandler, make_server

from portal.extensions import db
from portal.models import Complaint, OutboxMail, Promise
from tests.fixtures.complaints import answers

CLIENTS = int(os.environ.get("LOAD_CLIENTS", "50"))
COMPLAINTS = int(os.environ.get("LOAD_COMPLAINTS", "300"))  # LOAD_COMPLAINTS=1000 for the full run


class Quiet(WSGIRequestHandler):
    def log(self, *args):
        pass


def file_one(base: str, number: int, statuses: list) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    data = answers(story=f"Load test story number {number}: my parcel got lost.")
    steps = [("/complaint/what-happened", {"story": data["story"]}),
             ("/complaint/about", {"category": data["category"]}),
             ("/complaint/wish", {"wish": "listen"}),
             ("/complaint/contact", {"name": data["name"], "email": f"load{number}@example.com",
                                     "contact_by": "email", "language": "nl"})]

    def send(path, form=None):
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with opener.open(base + path, data=body, timeout=60) as response:
                statuses.append(response.status)
                return response.read().decode()
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
            error.close()
            return ""

    for path, form in steps:
        send(path, form)
    page = send("/complaint/check")
    draft = re.search(r'name="draft" type="hidden" value="([^"]+)"|name="draft" value="([^"]+)"', page)
    key = next(group for group in draft.groups() if group) if draft else ""
    send("/complaint/check", {"draft": key})


def test_many_customers_filing_at_once_lose_nothing(app_config, app):
    app.config.update(RATELIMIT_ENABLED=False)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    statuses, numbers, lock = [], iter(range(COMPLAINTS)), threading.Lock()

    def client():
        while True:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            file_one(base, number, statuses)

    started = time.perf_counter()
    try:
        workers = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(600)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
    seconds = time.perf_counter() - started
    print(f"\n{COMPLAINTS} complaints by {CLIENTS} clients in {seconds:.1f} s: "
          f"{len(statuses) / seconds:.0f} requests/s")
    assert [s for s in statuses if s >= 500] == [], "no server errors"
    db.session.commit()
    assert db.session.scalar(select(func.count(Complaint.id))) == COMPLAINTS
    assert db.session.scalar(select(func.count(func.distinct(Complaint.reference)))) == COMPLAINTS
    assert db.session.scalar(select(func.count(Promise.id))) == 3 * COMPLAINTS
    assert db.session.scalar(select(func.count(OutboxMail.id))) == COMPLAINTS
