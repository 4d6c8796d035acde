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
TARGETS = {
    "status": ("rps_ratio", 0.50, "status page ≥ 50% of the ceiling's requests/s"),
    "start": ("rps_ratio", 0.60, "start page ≥ 60% of the ceiling's requests/s"),
    "filing": ("rps_ratio", 0.30, "filing ≥ 30% of the ceiling's one-row insert"),
    "queue": ("p95_ms", 100.0, "agent queue p95 < 100 ms with one connection"),
    "memory": ("rss_mb", 150.0, "peak memory < 150 MB per worker"),
}


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

def measure(label: str, wrk: str, port: int, script: Path, args, *, warmup_script: Path | None = None,
            threads: int | None = None, connections: int | None = None) -> dict:
    threads = threads or args.threads
    connections = connections or args.connections
    base = f"http://127.0.0.1:{port}"
    if args.warmup > 0:
        run_wrk(wrk, base, warmup_script or script, args.warmup, threads, connections)
    figures = run_wrk(wrk, base, script, args.duration, threads, connections)
    say(f"  {label:<34} {figures['rps']:8.1f} req/s   p50 {figures['p50_ms']:7.1f} ms   "
        f"p95 {figures['p95_ms']:7.1f} ms   p99 {figures['p99_ms']:7.1f} ms   errors {figures['errors']}"
        + (f"   reused {figures['reused']}" if figures["reused"] else ""))
    return figures


def split(items: list[str], first: int) -> tuple[list[str], list[str]]:
    return items[:first], items[first:]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the portal against a bare-Flask ceiling.")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", seeding.DEFAULT_SQLITE),
                        help="SQLite URL (default: a file in bench/.data) or a PostgreSQL URL; PostgreSQL "
                             "uses a dedicated database (gehoord_bench unless the name contains 'bench'), "
                             "dropped and created again")
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--drafts", type=int, default=20_000, help="finished drafts for the filing runs")
    parser.add_argument("--duration", type=float, default=10, help="seconds per measured wrk run")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up before each run")
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

    wrk = require_wrk()
    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    url = seeding.normalise_url(args.database)
    if url.startswith("postgresql"):
        url = seeding.dedicated_postgres_url(url)
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    started = time.time()
    load_before = os.getloadavg()[0]
    if load_before > (os.cpu_count() or 1) * 0.5:
        say(f"note: load average {load_before:.1f} on {os.cpu_count()} CPUs: other work on this machine "
            "will make the figures noisy (the ratios, measured side by side, suffer least)")

    seed_file = DATA / "seed.json"
    if args.reuse_seed and seed_file.exists():
        info = json.loads(seed_file.read_text())
        if info["database"] != url:
            sys.exit(f"{seed_file} is for {info['database']}, not {url}: seed again")
        say(f"reusing the seeded database ({info['complaints']:,} complaints)")
    else:
        say(f"seeding {backend} ({url.rsplit('@', 1)[-1]}) with {args.complaints:,} complaints ...")
        info = seeding.seed(url, args.complaints, args.drafts, open_share=args.open_share, open_days=args.open_days,
                            schema=args.schema, out=seed_file)

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
        client = Client(args.port)
        status_sizes = []
        for token in info["tokens"]:
            code, _, body = client.request("GET", f"/s/{token}")
            assert code == 200, (code, body[:500])
            status_sizes.append(len(body.encode()))
        code, _, body = client.request("GET", "/")
        assert code == 200, code
        start_size = len(body.encode())
        status_size = sum(status_sizes) // len(status_sizes)

        # A customer's session with a CSRF token, for the filing POSTs (CSRF stays on).
        filer = Client(args.port)
        code, _, page = filer.request("GET", "/complaint/what-happened")
        assert code == 200, code
        token = csrf_token(page)
        drafts = info["draft_keys"]
        check_draft, spare_drafts = drafts[0], drafts[1:]
        code, headers, body = filer.request("POST", "/complaint/check", {"csrf_token": token, "draft": check_draft})
        if code != 302 or "/s/" not in headers.get("Location", ""):
            raise RuntimeError(f"a filing POST did not file: {code} {headers.get('Location')} {body[:800]}")
        filing_headers = {"Cookie": filer.cookie_header(), "Content-Type": "application/x-www-form-urlencoded"}

        # An agent's session for the queue.
        agent = Client(args.port)
        code, _, page = agent.request("GET", "/agent/login")
        code, headers, body = agent.request("POST", "/agent/login", {
            "csrf_token": csrf_token(page), "email": "agent@gehoord.example", "password": "demo-agent"})
        if code != 302:
            raise RuntimeError(f"agent login failed: {code} {body[:500]}")
        code, _, queue_page = agent.request("GET", "/agent/")
        if code != 200 or "<table" not in queue_page:
            raise RuntimeError(f"the agent queue did not render: {code}")
        queue_size = len(queue_page.encode())

        threads = args.threads
        refs = info["ceiling_references"]
        filing_body = f"csrf_token={urllib.parse.quote(token)}&draft={{}}"
        scripts = {
            "ceiling_status": wrk_script("ceiling_status", [f"/page/{r}?size={status_size}" for r in refs], "path",
                                         threads=threads),
            "status": wrk_script("status", [f"/s/{t}" for t in info["tokens"]], "path", threads=threads),
            "ceiling_start": wrk_script("ceiling_start", [f"/page/{r}?size={start_size}" for r in refs], "path",
                                        threads=threads),
            "start": wrk_script("start", ["/"], "path", threads=threads),
            "queue": wrk_script("queue", ["/agent/"], "path", headers={"Cookie": agent.cookie_header()}, threads=1),
            "ceiling_insert": wrk_script(
                "ceiling_insert", ["story=" + urllib.parse.quote(seeding.draft_answers(0)["story"])], "body",
                method="POST", path="/insert", headers={"Content-Type": "application/x-www-form-urlencoded"},
                threads=threads),
        }
        # Filing: every request its own finished draft, never one twice (ONCE), a fresh slice per round.
        per_round = len(spare_drafts) // args.rounds
        for number in range(args.rounds):
            mine = spare_drafts[number * per_round:(number + 1) * per_round]
            warm, measured = mine[:per_round // 5], mine[per_round // 5:]
            for name, keys in ((f"filing_warmup_{number}", warm), (f"filing_{number}", measured)):
                scripts[name] = wrk_script(name, [filing_body.format(d) for d in keys], "body", method="POST",
                                           path="/complaint/check", headers=filing_headers, once=True,
                                           threads=threads)

        say(f"measuring: {args.rounds} round(s), {args.duration:g} s per run after {args.warmup:g} s warm-up, "
            f"{threads} threads, {args.connections} connections; load average {os.getloadavg()[0]:.1f}")
        ceiling_port = args.port + 1
        for number in range(args.rounds):
            if args.rounds > 1:
                say(f" round {number + 1}")
            runs = [
                ("ceiling_status", "ceiling: read one row, status size", ceiling_port, {}),
                ("status", "portal: status page /s/<token>", args.port, {}),
                ("ceiling_start", "ceiling: read one row, start size", ceiling_port, {}),
                ("start", "portal: start page /", args.port, {}),
                ("queue", "portal: agent queue, 1 connection", args.port, dict(threads=1, connections=1)),
                ("ceiling_insert", "ceiling: insert one row", ceiling_port, {}),
                ("filing", "portal: filing POST /complaint/check", args.port,
                 dict(warmup_script=scripts[f"filing_warmup_{number}"])),
            ]
            for key, label, port, options in runs:
                script = scripts[f"filing_{number}"] if key == "filing" else scripts[key]
                results.setdefault(key, []).append(measure(label, wrk, port, script, args, **options))
        load_after = os.getloadavg()[0]

        # Every filing request filed exactly one complaint (and no request failed).
        filed = count_filed(url)
        memory = {"portal": portal.peak_rss_mb(), "ceiling": top.peak_rss_mb()}
    finally:
        portal.stop()
        top.stop()

    report = build_report(args, url, backend, info, results, memory, filed,
                          sizes=dict(status=status_size, start=start_size, queue=queue_size),
                          elapsed=time.time() - started, load=(load_before, load_after))
    # One set of files and one table in the README per database, so a PostgreSQL run keeps SQLite's.
    name = "latest" if backend == "sqlite" else f"latest-{backend}"
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2))
    table = markdown(report)
    (RESULTS / f"{name}.md").write_text(table)
    say("\n" + table)
    if args.update_readme:
        update_readme(table, "figures" if backend == "sqlite" else f"figures-{backend}")
    return 0


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


def build_report(args, url, backend, info, results, memory, filed, sizes, elapsed, load) -> dict:
    def row(page, ceiling=None):
        figures = combine(results[page])
        if ceiling:
            figures["ceiling"] = combine(results[ceiling])
            # The ratio of each round (portal and ceiling measured minutes apart), then the median.
            rounds = list(zip(results[page], results[ceiling], strict=True))
            figures["ratio"] = median([p["rps"] / c["rps"] for p, c in rounds])
            figures["ratios"] = [round(p["rps"] / c["rps"], 3) for p, c in rounds]
        return figures

    rows = {"status": row("status", "ceiling_status"), "start": row("start", "ceiling_start"),
            "filing": row("filing", "ceiling_insert"), "queue": row("queue")}
    peak_portal = max(memory["portal"].values(), default=0.0)
    met = {
        "status": rows["status"]["ratio"] >= TARGETS["status"][1],
        "start": rows["start"]["ratio"] >= TARGETS["start"][1],
        "filing": rows["filing"]["ratio"] >= TARGETS["filing"][1],
        "queue": rows["queue"]["p95_ms"] < TARGETS["queue"][1],
        "memory": 0 < peak_portal < TARGETS["memory"][1],
    }
    complete = filed["promises"] == 3 * filed["complaints"] and filed["mails"] == filed["complaints"]
    return dict(
        when=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        command=" ".join([".venv/bin/python bench/run.py"] + sys.argv[1:]),
        backend=backend, complaints=info["complaints"], open_complaints=info.get("open_complaints"),
        open_days=args.open_days, cpus=os.cpu_count(), load_average=[round(x, 1) for x in load],
        workers=args.workers, duration=args.duration, threads=args.threads, connections=args.connections,
        rounds=args.rounds, page_bytes=sizes, rows=rows, memory_mb=memory, met=met, filed=filed,
        filing_note=(f"The filing runs stored {filed['complaints']:,} complaints with {filed['promises']:,} promises "
                     f"and {filed['mails']:,} mails in the outbox (for the mail worker to write and send)"
                     + (" (all complete)" if complete else " (**some incomplete**)")
                     + (f"; {rows['filing']['reused']} requests re-used a draft (too few drafts)"
                        if rows["filing"]["reused"] else "")),
        seconds=round(elapsed))


def markdown(report: dict) -> str:
    rows, met = report["rows"], report["met"]

    def mark(key):
        return "met" if met[key] else "**not met**"

    def line(name, row, target, key):
        c = row.get("ceiling")
        ceiling = (f"{c['rps']:.0f} | {c['p50_ms']:.1f} | {c['p99_ms']:.1f} | **{row['ratio']:.0%}**" if c
                   else f"– | – | – | p95 **{row['p95_ms']:.0f} ms**")
        return (f"| {name} | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {ceiling} "
                f"| {target} | {mark(key)} |")

    peaks = report["memory_mb"]
    portal_peaks = " / ".join(f"{v:.0f}" for v in peaks["portal"].values())
    ceiling_peaks = " / ".join(f"{v:.0f}" for v in peaks["ceiling"].values())
    rounds = f", median of {report['rounds']} rounds" if report["rounds"] > 1 else ""
    return "\n".join([
        f"`{report['command']}` — {report['when']}, {report['backend']}, {report['complaints']:,} complaints "
        f"({report['open_complaints']:,} open, filed in the last {report['open_days']} days); {report['cpus']} CPUs "
        f"(load average {report['load_average'][0]} before, {report['load_average'][1]} after); gunicorn "
        f"{report['workers']} sync workers each; wrk {report['threads']} threads, {report['connections']} "
        f"connections, {report['duration']:g} s per run (queue: 1 thread, 1 connection){rounds}.",
        "",
        "| page | portal req/s | p50 ms | p99 ms | ceiling req/s | ceiling p50 | ceiling p99 "
        "| portal ÷ ceiling | target | |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
        line("status page `GET /s/<token>`", rows["status"], "≥ 50%", "status"),
        line("start page `GET /`", rows["start"], "≥ 60%", "start"),
        line("filing `POST /complaint/check`", rows["filing"], "≥ 30% of one-row insert", "filing"),
        line("agent queue `GET /agent/`, 1 connection", rows["queue"], "p95 < 100 ms", "queue"),
        f"| peak RSS per worker | {portal_peaks} MB | | | {ceiling_peaks} MB | | | | < 150 MB | {mark('memory')} |",
        "",
        f"Page sizes: status {report['page_bytes']['status']:,} bytes, start {report['page_bytes']['start']:,}, "
        f"queue {report['page_bytes']['queue']:,} (the ceiling renders pages of the status and start sizes). "
        f"Errors (non-2xx/3xx, socket): status {rows['status']['errors']}, start {rows['start']['errors']}, "
        f"filing {rows['filing']['errors']}, queue {rows['queue']['errors']}, ceiling "
        f"{sum(rows[page]['ceiling']['errors'] for page in ('status', 'start', 'filing'))}. "
        f"{report['filing_note']}.",
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
