"""Gehoord benchmarks: the portal against a bare-Flask ceiling, under gunicorn, measured with wrk.

    .venv/bin/python bench/run.py                      # SQLite file in bench/.data/
    .venv/bin/python bench/run.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
                                                       # PostgreSQL: a dedicated `gehoord_bench`
                                                       # database on that server, dropped and made again

One run: seed a fresh database (demo data + 100,000 complaints), start the portal and the ceiling app
(bench/ceiling.py) under gunicorn with the same settings (2 sync workers), and measure with wrk,
alternating ceiling and portal so both see the same machine:

  status page  GET /s/<token>           vs ceiling GET /page/<ref> (one indexed read, same page size)
  start page   GET /                    vs ceiling GET /page/<ref> (start page size)
  filing       POST /complaint/check    vs ceiling POST /insert (one row inserted and committed)
  agent queue  GET /agent/ (1 connection, 100,000 complaints in the database): p95, absolute

and the peak RSS (VmHWM) of every gunicorn worker. Targets are checked as ratios against the ceiling
measured in the same run. Results go to bench/results/latest.json and .md; --update-readme also puts
the table in bench/README.md.

Nothing is installed: wrk must be on the PATH (Debian/Ubuntu: `apt-get install wrk`).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / ".data"
RESULTS = BENCH / "results"
sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(ROOT))

import seed as seeding  # noqa: E402

USER_AGENT = "gehoord-bench"  # the same for the login and for wrk (Flask-Login checks it)


def say(*args):
    print(*args, flush=True)


# --- wrk ------------------------------------------------------------------------------------------

def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is not installed, and this script installs nothing.\n"
                 "  Debian/Ubuntu:  sudo apt-get install -y wrk\n"
                 "  macOS:          brew install wrk\n"
                 "  from source:    https://github.com/wg/wrk (make; put `wrk` on the PATH)")
    return wrk


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def wrk_script(name: str, items: list[str], mode: str, method: str = "GET", path: str = "/",
               headers: dict | None = None, once: bool = False, threads: int = 2) -> Path:
    """A Lua script for wrk: bench/lua/rotate.lua with its settings in front."""
    lua_dir = DATA / "lua"
    lua_dir.mkdir(parents=True, exist_ok=True)
    data_file = lua_dir / f"{name}.txt"
    data_file.write_text("\n".join(items) + "\n")
    headers = {"User-Agent": USER_AGENT, **(headers or {})}
    settings = "\n".join([
        f"DATA_FILE = {lua_string(str(data_file))}",
        f"MODE = {lua_string(mode)}",
        f"METHOD = {lua_string(method)}",
        f"PATH = {lua_string(path)}",
        "HEADERS = {" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()) + "}",
        f"ONCE = {'true' if once else 'false'}",
        f"THREADS = {threads}",
    ])
    script = lua_dir / f"{name}.lua"
    script.write_text(settings + "\n\n" + (BENCH / "lua" / "rotate.lua").read_text())
    return script


def run_wrk(wrk: str, base: str, script: Path, seconds: float, threads: int, connections: int) -> dict:
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(int(round(seconds)), 1)}s", "--timeout", "30s",
               "-s", str(script), base]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    line = next((out for out in result.stdout.splitlines() if out.startswith("BENCH_JSON ")), None)
    if result.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    figures = json.loads(line.removeprefix("BENCH_JSON "))
    seconds_run = figures["duration_us"] / 1e6
    errors = sum(figures[k] for k in figures if k.startswith("errors_"))
    return dict(rps=figures["requests"] / seconds_run, p50_ms=figures["p50_us"] / 1000,
                p95_ms=figures["p95_us"] / 1000, p99_ms=figures["p99_us"] / 1000,
                max_ms=figures["max_us"] / 1000, requests=figures["requests"], errors=errors,
                errors_status=figures["errors_status"], reused=figures["reused"],
                bytes_per_response=figures["bytes"] / max(figures["requests"], 1),
                threads=threads, connections=connections, seconds=round(seconds_run, 2))


# --- a tiny HTTP client (production cookies are Secure: a cookie jar would not send them over http) --

class Client:
    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"User-Agent": USER_AGENT}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, dict(response.getheaders()), text

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
    if not match:
        raise RuntimeError("no csrf_token on the page")
    return match.group(1)


# --- gunicorn -------------------------------------------------------------------------------------

class Server:
    def __init__(self, name: str, module: str, port: int, workers: int, url: str):
        self.name, self.port = name, port
        gunicorn = Path(sys.executable).parent / "gunicorn"
        if not gunicorn.exists():
            sys.exit(f"gunicorn not found next to {sys.executable}: run `make install` first")
        self.log = open(DATA / f"{name}.log", "w")
        env = {**os.environ, "BENCH_DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
        env.pop("DATABASE_URL", None)
        # The same settings for both: sync workers, default timeouts, no access log (status links
        # carry a secret in their path, and `make serve` has none either).
        self.process = subprocess.Popen(
            [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--chdir", str(BENCH),
             "--timeout", "60", module],
            stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=str(BENCH), start_new_session=True)

    def wait(self, path: str, seconds: float = 60) -> None:
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: see {self.log.name}")
            try:
                Client(self.port).request("GET", path)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within {seconds} s: see {self.log.name}")

    def workers(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return sorted(pids)

    def peak_rss_mb(self) -> dict[int, float]:
        """VmHWM, the peak resident set size of each worker since it started."""
        peaks = {}
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                peaks[pid] = int(match.group(1)) / 1024
        return peaks

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop, master and workers
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.log.close()


# --- the run --------------------------------------------------------------------------------------

def cpu_seconds(server: Server) -> float:
    """User + system CPU seconds of the gunicorn master and its workers so far (/proc/<pid>/stat)."""
    total = 0.0
    for pid in [server.process.pid] + server.workers():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    return total


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# What is measured, in order: (key, label, ceiling key or None, options). The ceiling of a pair runs
# just before the portal's page, so both see the same machine.
PAGES = [
    ("status_cold", "status page, cold: a random page of {filed:,} `GET /s/<token>`", "ceiling_cold", {}),
    ("status_kept", "status page, the same page again (what a cache would serve)", "ceiling_kept", {}),
    ("start", "start page `GET /`", "ceiling_start", {}),
    ("question_first", "first question page, a first visit `GET /complaint/what-happened`", "ceiling_form", {}),
    ("question_about", "question page `GET /complaint/about`", "ceiling_form", {}),
    ("question_wish", "question page `GET /complaint/wish`", "ceiling_form", {}),
    ("question_contact", "question page `GET /complaint/contact`", "ceiling_form", {}),
    ("check", "check page `GET /complaint/check`", "ceiling_form", {}),
    ("answer_what-happened", "answer `POST /complaint/what-happened`", "ceiling_insert", {}),
    ("answer_about", "answer `POST /complaint/about`", "ceiling_insert", {}),
    ("answer_wish", "answer `POST /complaint/wish`", "ceiling_insert", {}),
    ("answer_contact", "answer `POST /complaint/contact`", "ceiling_insert", {}),
    ("filing", "filing `POST /complaint/check`", "ceiling_insert", {}),
    ("agent_page", "agent's complaint page `GET /agent/complaints/<ref>`, 1 connection", None, {"single": True}),
    ("queue", "agent queue `GET /agent/`, 1 connection", None, {"single": True}),
    ("search", "search `GET /agent/?q=…`, 1 connection", None, {"single": True}),
]
CEILINGS = {
    "ceiling_cold": "ceiling: a random row of {complaints:,}, read and rendered (status size)",
    "ceiling_kept": "ceiling: the same row again (status size)",
    "ceiling_start": "ceiling: a random row, start page size",
    "ceiling_form": "ceiling: a bare form page (question page size)",
    "ceiling_insert": "ceiling: insert one row",
}
# Targets (issue 19): a share of the ceiling's requests per second, or a p95 with one connection.
TARGETS = {
    "status_cold": ("ratio", 0.40), "status_kept": ("ratio", 0.80), "start": ("ratio", 0.60),
    "question_first": ("ratio", 0.50), "question_about": ("ratio", 0.50), "question_wish": ("ratio", 0.50),
    "question_contact": ("ratio", 0.50), "check": ("ratio", 0.50), "filing": ("ratio", 0.40),
    "agent_page": ("p95_ms", 50.0), "queue": ("p95_ms", 100.0), "search": ("p95_ms", 200.0),
}
POSTGRES_TARGETS = {"filing": ("ratio", 0.30)}
MEMORY_MB = 150.0
ANSWERS = {
    "what-happened": {"story": "Het pakket is nat aangekomen en het boek erin is kapot.", "happened_when": "dinsdag"},
    "about": {"category": "delivery"},
    "wish": {"wish": "compensation", "amount": "25,50"},
    "contact": {"name": "Fatima el Amrani", "email": "bench-questions@example.com", "phone": "", "contact_by": "email",
                "language": "nl", "website": ""},
}
MODES = {  # --quick: the whole set in minutes; --smoke (with --quick): seconds, every page answers
    "full": dict(complaints=100_000, filed=10_000, drafts=20_000, duration=10, warmup=2),
    "quick": dict(complaints=20_000, filed=10_000, drafts=4_000, duration=3, warmup=1),
    "smoke": dict(complaints=300, filed=30, drafts=300, duration=1, warmup=0),
}


def measure(label: str, wrk: str, server: Server, script: Path, args, *, warmup_script: Path | None = None,
            single: bool = False) -> dict:
    threads, connections = (1, 1) if single else (args.threads, args.connections)
    base = f"http://127.0.0.1:{server.port}"
    if args.warmup > 0:
        run_wrk(wrk, base, warmup_script or script, args.warmup, threads, connections)
    before = cpu_seconds(server)
    figures = run_wrk(wrk, base, script, args.duration, threads, connections)
    figures["cpu_ms"] = (cpu_seconds(server) - before) * 1000 / max(figures["requests"], 1)
    figures["peak_rss_mb"] = max(server.peak_rss_mb().values(), default=0.0)  # which page makes a worker grow
    say(f"  {label[:60]:<60} {figures['rps']:8.1f} req/s  p95 {figures['p95_ms']:6.1f} ms  "
        f"CPU {figures['cpu_ms']:5.2f} ms/req  peak {figures['peak_rss_mb']:.0f} MB  errors {figures['errors']}"
        + (f"  reused {figures['reused']}" if figures["reused"] else ""))
    return figures


def log_in_agent(port: int) -> Client:
    agent = Client(port)
    _, _, page = agent.request("GET", "/agent/login")
    code, _, body = agent.request("POST", "/agent/login", {
        "csrf_token": csrf_token(page), "email": "agent@gehoord.example", "password": "demo-agent"})
    if code != 302:
        raise RuntimeError(f"agent login failed: {code} {body[:500]}")
    return agent


def customer_with_a_draft(port: int) -> tuple[Client, str]:
    """A customer who answered every question (as a browser would), with the CSRF token of their session."""
    customer = Client(port)
    code, _, page = customer.request("GET", "/complaint/what-happened")
    token = csrf_token(page)
    for slug, answers in ANSWERS.items():
        code, headers, body = customer.request("POST", f"/complaint/{slug}", {"csrf_token": token, **answers})
        if code != 302:
            raise RuntimeError(f"answering {slug} did not go on: {code} {body[:800]}")
    code, _, page = customer.request("GET", "/complaint/check")
    if code != 200 or "draft" not in page:
        raise RuntimeError(f"the check page did not show the answers: {code}")
    return customer, token


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the portal against a bare-Flask ceiling.")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", seeding.DEFAULT_SQLITE),
                        help="SQLite URL (default: a file in bench/.data) or a PostgreSQL URL; PostgreSQL "
                             "uses a dedicated database (gehoord_bench unless the name contains 'bench'), "
                             "dropped and created again")
    parser.add_argument("--quick", action="store_true",
                        help="a developer's check: 20,000 complaints, 3 s runs (the whole set in minutes)")
    parser.add_argument("--smoke", action="store_true",
                        help="with --quick: a tiny seed and 1 s runs, asserting only that every page answers "
                             "200/302 and the script works (part of `make test`)")
    parser.add_argument("--complaints", type=int, help="bulk complaints (default 100,000; --quick 20,000)")
    parser.add_argument("--filed", type=int, help="complaints filed through the service, whose status pages "
                                                  "are read at random (default 10,000)")
    parser.add_argument("--drafts", type=int, help="finished drafts for the filing runs")
    parser.add_argument("--duration", type=float, help="seconds per measured wrk run (default 10; --quick 3)")
    parser.add_argument("--warmup", type=float, help="seconds of warm-up before each run (default 2)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure every pair this many times; the report takes the median of each figure")
    parser.add_argument("--port", type=int, default=8761, help="the portal's port; the ceiling uses the next")
    parser.add_argument("--reuse-seed", action="store_true",
                        help="skip seeding; use bench/.data/seed.json from the last run (filing runs then "
                             "need drafts that were not filed yet: seed again when in doubt)")
    parser.add_argument("--open-share", type=float, default=0.1,
                        help="share of the seeded complaints still open (default 0.1: 10,000 of 100,000)")
    parser.add_argument("--open-days", type=int, default=56,
                        help="the open ones were filed in the last N days (default 56: 8 weeks of backlog)")
    parser.add_argument("--schema", choices=("migrations", "create_all"), default="migrations")
    parser.add_argument("--update-readme", action="store_true", help="write the table into bench/README.md")
    args = parser.parse_args(argv)
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    for name, value in MODES[mode].items():
        if getattr(args, name) is None:
            setattr(args, name, value)

    wrk = require_wrk()
    data = DATA / "smoke" if mode == "smoke" else DATA
    data.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    url = seeding.normalise_url(args.database)
    if mode == "smoke" and url == seeding.DEFAULT_SQLITE:
        url = f"sqlite:///{data / 'bench.sqlite'}"  # never the full run's database
    if url.startswith("postgresql"):
        url = seeding.dedicated_postgres_url(url)
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    started = time.time()
    load_before = os.getloadavg()[0]
    if load_before > (os.cpu_count() or 1) * 0.5:
        say(f"note: load average {load_before:.1f} on {os.cpu_count()} CPUs: other work on this machine "
            "will make the figures noisy (the ratios and CPU per request, measured side by side, suffer least)")

    seed_file = data / "seed.json"
    if args.reuse_seed and seed_file.exists():
        info = json.loads(seed_file.read_text())
        if info["database"] != url:
            sys.exit(f"{seed_file} is for {info['database']}, not {url}: seed again")
        say(f"reusing the seeded database ({info['complaints']:,} complaints)")
    else:
        say(f"seeding {backend} ({url.rsplit('@', 1)[-1]}) with {args.complaints:,} complaints, "
            f"{args.filed:,} of them through the service ...")
        info = seeding.seed(url, args.complaints, args.drafts, filed=args.filed, open_share=args.open_share,
                            open_days=args.open_days, schema=args.schema, out=seed_file, quiet=mode == "smoke")

    import ceiling

    ceiling.prepare(url)
    portal = Server("portal", "wsgi:app", args.port, args.workers, url)
    top = Server("ceiling", "ceiling:app", args.port + 1, args.workers, url)
    results: dict = {}
    try:
        portal.wait("/")
        top.wait(f"/page/{info['ceiling_references'][0]}")
        say(f"portal on :{args.port} (workers {portal.workers()}), ceiling on :{args.port + 1} "
            f"(workers {top.workers()})")

        # Page sizes, so the ceiling renders pages as large as the ones it stands for.
        probe = Client(args.port)
        status_sizes = []
        for token in info["tokens"][:20]:
            code, _, body = probe.request("GET", f"/s/{token}")
            assert code == 200, (code, body[:500])
            status_sizes.append(len(body.encode()))
        status_size = sum(status_sizes) // len(status_sizes)
        code, _, body = probe.request("GET", "/")
        assert code == 200, code
        start_size = len(body.encode())
        code, _, body = Client(args.port).request("GET", "/complaint/what-happened")
        assert code == 200, code
        form_size = len(body.encode())

        customer, token = customer_with_a_draft(args.port)
        session = {"Cookie": customer.cookie_header()}
        form_headers = {**session, "Content-Type": "application/x-www-form-urlencoded"}
        # The filing POSTs: a session with a CSRF token (CSRF stays on), and one finished draft each.
        filer = Client(args.port)
        _, _, page = filer.request("GET", "/complaint/what-happened")
        filing_token = csrf_token(page)
        drafts = info["draft_keys"]
        code, headers, body = filer.request("POST", "/complaint/check", {"csrf_token": filing_token,
                                                                         "draft": drafts[0]})
        if code != 302 or "/s/" not in headers.get("Location", ""):
            raise RuntimeError(f"a filing POST did not file: {code} {headers.get('Location')} {body[:800]}")
        spare_drafts = drafts[1:]
        filing_headers = {"Cookie": filer.cookie_header(), "Content-Type": "application/x-www-form-urlencoded"}

        agent = log_in_agent(args.port)
        code, _, queue_page = agent.request("GET", "/agent/")
        if code != 200 or "<table" not in queue_page:
            raise RuntimeError(f"the agent queue did not render: {code}")
        agent_reference = info["agent_page"]["reference"]
        code, _, complaint_page = agent.request("GET", f"/agent/complaints/{agent_reference}")
        if code != 200 or "Bericht 5 van de klant" not in complaint_page:
            raise RuntimeError(f"the agent's complaint page did not render: {code}")
        agent_headers = {"Cookie": agent.cookie_header()}
        sizes = dict(status=status_size, start=start_size, form=form_size, queue=len(queue_page.encode()),
                     agent_page=len(complaint_page.encode()))

        threads = args.threads
        rng = random.Random(19)
        tokens, refs = list(info["tokens"]), list(info["ceiling_references"])
        searches = ["pakket", "rekening", "Fatima", "customer42@example.com", agent_reference, "nat boek",
                    "bezorger regen", "Jan de Boer"]

        def shuffled(items):
            items = list(items)
            rng.shuffle(items)
            return items

        def answer_body(slug):
            return urllib.parse.urlencode({"csrf_token": token, **ANSWERS[slug]})

        scripts = {
            "ceiling_cold": lambda n: wrk_script(
                f"ceiling_cold_{n}", [f"/page/{r}?size={status_size}" for r in shuffled(refs)], "path",
                threads=threads),
            "status_cold": lambda n: wrk_script(f"status_cold_{n}", [f"/s/{t}" for t in shuffled(tokens)], "path",
                                                threads=threads),
            "ceiling_kept": lambda n: wrk_script("ceiling_kept", [f"/page/{refs[0]}?size={status_size}"], "path",
                                                 threads=threads),
            "status_kept": lambda n: wrk_script("status_kept", [f"/s/{tokens[0]}"], "path", threads=threads),
            "ceiling_start": lambda n: wrk_script("ceiling_start", [f"/page/{r}?size={start_size}" for r in refs[:50]],
                                                  "path", threads=threads),
            "start": lambda n: wrk_script("start", ["/"], "path", threads=threads),
            "ceiling_form": lambda n: wrk_script("ceiling_form", [f"/form?size={form_size}"], "path", threads=threads),
            "question_first": lambda n: wrk_script("question_first", ["/complaint/what-happened"], "path",
                                                   threads=threads),
            "check": lambda n: wrk_script("check", ["/complaint/check"], "path", headers=session, threads=threads),
            "ceiling_insert": lambda n: wrk_script(
                "ceiling_insert", ["story=" + urllib.parse.quote(seeding.draft_answers(0)["story"])], "body",
                method="POST", path="/insert", headers={"Content-Type": "application/x-www-form-urlencoded"},
                threads=threads),
            "agent_page": lambda n: wrk_script("agent_page", [f"/agent/complaints/{agent_reference}"], "path",
                                               headers=agent_headers, threads=1),
            "queue": lambda n: wrk_script("queue", ["/agent/"], "path", headers=agent_headers, threads=1),
            "search": lambda n: wrk_script("search", ["/agent/?q=" + urllib.parse.quote(q) for q in searches], "path",
                                           headers=agent_headers, threads=1),
        }
        for slug in ("about", "wish", "contact"):
            scripts[f"question_{slug}"] = (lambda n, slug=slug: wrk_script(
                f"question_{slug}", [f"/complaint/{slug}"], "path", headers=session, threads=threads))
        for slug in ANSWERS:
            scripts[f"answer_{slug}"] = (lambda n, slug=slug: wrk_script(
                f"answer_{slug}", [answer_body(slug)], "body", method="POST", path=f"/complaint/{slug}",
                headers=form_headers, threads=threads))
        # Filing: every request its own finished draft, never one twice (ONCE), a fresh slice per round.
        per_round = len(spare_drafts) // args.rounds
        filing_body = f"csrf_token={urllib.parse.quote(filing_token)}&draft={{}}"
        filing_scripts = {}
        for number in range(args.rounds):
            mine = spare_drafts[number * per_round:(number + 1) * per_round]
            warm, measured = mine[:per_round // 5], mine[per_round // 5:]
            filing_scripts[number] = [
                wrk_script(name, [filing_body.format(d) for d in keys], "body", method="POST",
                           path="/complaint/check", headers=filing_headers, once=True, threads=threads)
                for name, keys in ((f"filing_warmup_{number}", warm), (f"filing_{number}", measured))]

        say(f"measuring ({mode}): {args.rounds} round(s), {args.duration:g} s per run after {args.warmup:g} s "
            f"warm-up, {threads} threads, {args.connections} connections; load average {os.getloadavg()[0]:.1f}")
        for number in range(args.rounds):
            if args.rounds > 1:
                say(f" round {number + 1}")
            ceilings_done = set()
            for key, label, ceiling_key, options in PAGES:
                if ceiling_key and (ceiling_key not in ceilings_done or ceiling_key in ("ceiling_cold",)):
                    ceilings_done.add(ceiling_key)
                    results.setdefault(ceiling_key, []).append(measure(
                        CEILINGS[ceiling_key].format(complaints=len(refs)), wrk, top, scripts[ceiling_key](number),
                        args))
                if key == "filing":
                    warm, measured = filing_scripts[number]
                    figures = measure(label, wrk, portal, measured, args, warmup_script=warm)
                else:
                    figures = measure(label.format(filed=len(tokens)), wrk, portal, scripts[key](number), args,
                                      **options)
                results.setdefault(key, []).append(figures)
        load_after = os.getloadavg()[0]

        # Every filing request filed exactly one complaint (and no request failed).
        filed = count_filed(url)
        memory = {"portal": portal.peak_rss_mb(), "ceiling": top.peak_rss_mb()}
    finally:
        portal.stop()
        top.stop()

    report = build_report(args, mode, url, backend, info, results, memory, filed, sizes=sizes,
                          elapsed=time.time() - started, load=(load_before, load_after))
    if mode == "smoke":
        return smoke_verdict(report)
    # One set of files and one table in the README per database and mode, so one run keeps the others'.
    name = ("latest" if backend == "sqlite" else f"latest-{backend}") + ("-quick" if mode == "quick" else "")
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2))
    table = markdown(report)
    (RESULTS / f"{name}.md").write_text(table)
    say("\n" + table)
    if args.update_readme and mode == "full":
        update_readme(table, "figures" if backend == "sqlite" else f"figures-{backend}")
    return 0


def smoke_verdict(report: dict) -> int:
    """The smoke run asserts only that the script works and every page answered 200 or 302."""
    problems = [f"{key}: {row['errors']} errors ({row['errors_status']} not 200/302) in {row['requests']} requests"
                for key, row in report["rows"].items() if row["errors"] or not row["requests"]]
    problems += [f"{key}: {row['ceiling']['errors']} ceiling errors" for key, row in report["rows"].items()
                 if row.get("ceiling") and row["ceiling"]["errors"]]
    if report["filed"]["complaints"] == 0:
        problems.append("the filing runs filed nothing")
    for problem in problems:
        say("smoke: " + problem)
    say("smoke: every page answered" if not problems else "smoke: FAILED")
    return 1 if problems else 0


def count_filed(url: str) -> dict:
    """What the filing runs stored: complaints, and their promises and mails (none may be missing)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        counts = dict(connection.execute(text(
            "SELECT count(*) AS complaints, "
            "(SELECT count(*) FROM promises p JOIN complaints c ON c.id = p.complaint_id "
            " WHERE c.email LIKE 'bench-filer-%') AS promises, "
            "(SELECT count(*) FROM outbox o JOIN complaints c ON c.id = o.complaint_id "
            " WHERE c.email LIKE 'bench-filer-%') AS mails "
            "FROM complaints WHERE email LIKE 'bench-filer-%'")).mappings().one())
    engine.dispose()
    return counts


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def combine(runs: list[dict]) -> dict:
    """The median of each figure over the rounds (errors and reused drafts: the sum)."""
    combined = {key: median([run[key] for run in runs]) for key in runs[0]
                if isinstance(runs[0][key], (int, float))}
    for key in ("errors", "errors_status", "reused", "requests"):
        combined[key] = sum(run[key] for run in runs)
    combined["rounds"] = len(runs)
    return combined


def build_report(args, mode, url, backend, info, results, memory, filed, sizes, elapsed, load) -> dict:
    targets = {**TARGETS, **(POSTGRES_TARGETS if backend == "postgresql" else {})}
    rows = {}
    for key, label, ceiling_key, _options in PAGES:
        figures = combine(results[key])
        figures["label"] = label.format(filed=len(info["tokens"]))
        if ceiling_key:
            figures["ceiling"] = combine(results[ceiling_key])
            figures["ceiling_label"] = CEILINGS[ceiling_key].format(complaints=len(info["ceiling_references"]))
            # The ratio of each round (portal and ceiling measured side by side), then the median.
            rounds = list(zip(results[key], results[ceiling_key][-len(results[key]):], strict=True))
            figures["ratio"] = median([p["rps"] / c["rps"] for p, c in rounds])
            figures["ratios"] = [round(p["rps"] / c["rps"], 3) for p, c in rounds]
        if key in targets:
            kind, bound = targets[key]
            figures["target"] = [kind, bound]
            figures["met"] = figures["ratio"] >= bound if kind == "ratio" else figures["p95_ms"] < bound
        rows[key] = figures
    peak_portal = max(memory["portal"].values(), default=0.0)
    complete = filed["promises"] == 3 * filed["complaints"] and filed["mails"] == filed["complaints"]
    return dict(
        when=datetime.now(timezone.utc).isoformat(timespec="seconds"), mode=mode,
        command=" ".join([".venv/bin/python bench/run.py"] + sys.argv[1:]),
        backend=backend, complaints=info["complaints"], open_complaints=info.get("open_complaints"),
        status_pages=len(info["tokens"]), filed_shares=info.get("filed_shares"), agent_page=info.get("agent_page"),
        open_days=args.open_days, cpus=os.cpu_count(), load_average=[round(x, 1) for x in load],
        workers=args.workers, duration=args.duration, threads=args.threads, connections=args.connections,
        rounds=args.rounds, page_bytes=sizes, rows=rows, memory_mb=memory,
        memory_met=0 < peak_portal < MEMORY_MB, filed=filed,
        filing_note=(f"The filing runs stored {filed['complaints']:,} complaints with {filed['promises']:,} promises "
                     f"and {filed['mails']:,} mails in the outbox (for the mail worker to write and send)"
                     + (" (all complete)" if complete else " (**some incomplete**)")
                     + (f"; {rows['filing']['reused']} requests re-used a draft (too few drafts)"
                        if rows["filing"]["reused"] else "")),
        seconds=round(elapsed))


def markdown(report: dict) -> str:
    rows = report["rows"]

    def target_words(row):
        if "target" not in row:
            return "–", ""
        kind, bound = row["target"]
        words = f"≥ {bound:.0%}" if kind == "ratio" else f"p95 < {bound:.0f} ms"
        return words, "met" if row["met"] else "**not met**"

    lines = []
    for row in rows.values():
        c = row.get("ceiling")
        words, verdict = target_words(row)
        result = f"**{row['ratio']:.0%}**" if c else f"p95 **{row['p95_ms']:.0f} ms**"
        ceiling = f"{c['rps']:.0f} | {c['cpu_ms']:.2f}" if c else "– | –"
        lines.append(f"| {row['label']} | {row['rps']:.0f} | {row['p95_ms']:.1f} | {row['cpu_ms']:.2f} | {ceiling} "
                     f"| {result} | {words} | {verdict} |")
    peaks = report["memory_mb"]
    portal_peaks = " / ".join(f"{v:.0f}" for v in peaks["portal"].values())
    ceiling_peaks = " / ".join(f"{v:.0f}" for v in peaks["ceiling"].values())
    rounds = f", median of {report['rounds']} rounds" if report["rounds"] > 1 else ""
    shares = report.get("filed_shares") or {}
    errors = sum(row["errors"] for row in rows.values())
    ceiling_errors = sum(row["ceiling"]["errors"] for row in rows.values() if row.get("ceiling"))
    agent_page = report.get("agent_page") or {}
    return "\n".join([
        f"`{report['command']}` — {report['when']}, {report['backend']}, {report['complaints']:,} complaints "
        f"({report['open_complaints']:,} open, filed in the last {report['open_days']} days); {report['cpus']} CPUs "
        f"(load average {report['load_average'][0]} before, {report['load_average'][1]} after); gunicorn "
        f"{report['workers']} sync workers each; wrk {report['threads']} threads, {report['connections']} "
        f"connections, {report['duration']:g} s per run (agent pages: 1 thread, 1 connection){rounds}.",
        "",
        "| page | portal req/s | p95 ms | CPU ms/req | ceiling req/s | ceiling CPU ms/req | portal ÷ ceiling "
        "| target | |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
        *lines,
        f"| peak RSS per worker | {portal_peaks} MB | | | {ceiling_peaks} MB | | | < {MEMORY_MB:.0f} MB "
        f"| {'met' if report['memory_met'] else '**not met**'} |",
        "",
        f"Cold status pages: {report['status_pages']:,} complaints filed through the service "
        f"({shares.get('message', 0):,} with a customer message, {shares.get('reply', 0):,} of them answered, "
        f"{shares.get('offer', 0):,} with an offer waiting, {shares.get('moved', 0):,} with a moved date), read in a "
        f"random order, each at most once per run; the ceiling reads random rows of all complaints. The agent's "
        f"complaint page has {agent_page.get('messages')} messages, {agent_page.get('promises')} promises, "
        f"{agent_page.get('offers')} offer and {agent_page.get('events')} events. CPU ms/req: user + system time of "
        f"the gunicorn master and workers during the run ÷ requests. Page sizes: status "
        f"{report['page_bytes']['status']:,} bytes, start {report['page_bytes']['start']:,}, question "
        f"{report['page_bytes']['form']:,}, queue {report['page_bytes']['queue']:,}, agent's complaint page "
        f"{report['page_bytes']['agent_page']:,}. Errors (non-2xx/3xx, socket): portal {errors}, ceiling "
        f"{ceiling_errors}. {report['filing_note']}.",
        "",
    ])


def update_readme(table: str, marker: str = "figures") -> None:
    readme = BENCH / "README.md"
    text = readme.read_text() if readme.exists() else ""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        readme.write_text(f"{before}{start}\n{table}\n{end}{after}")
        say(f"updated {readme}")
    else:
        say(f"{readme} has no {start} … {end} markers: table not written")


if __name__ == "__main__":
    sys.exit(main())
