"""Does the status-page cache pay its way for real visitors? A replay of a simulated trace.

The trace: `--customers` customers (10,000), each opening their own status page a uniformly random
1-5 times (the same counts in every variant), and each complaint changed 0-3 times (an agent
replies, a promise moves: the complaint's version goes up, so a kept page no longer matches).
Three variants of when the visits happen:

- uniform:   every visit and every change at a uniformly random moment in `--days` (14) days.
- spread:    the complaint is filed at a uniformly random moment in those days; the first visit is
             right after it (half the customers click the confirmation mail within 2 minutes, the
             rest come back after an exponential delay, mean 1 day), each revisit an exponential
             delay after the one before (mean 2 days); the changes at uniform moments in the 14
             days after the filing. Visits may run past the last day.
- clustered: as spread, but each revisit is, with probability 30%, a re-click within 10 minutes
             (uniform) of the visit before (people open the mail link again).

Each visit goes to one of `--workers` (4) worker processes at random (a load balancer; round robin
over the arrival order is shown too), and each worker has its own `PageCache` -- the real class
from portal/page_cache.py, nothing else of the portal is used and no app is created. A visit is
replayed as `serve()` does it: `get(key, version, now)`, and after a miss
`put(key, version, now + MAX_SECONDS, html, now)`, with `now` the trace's simulated time and pages
of `--page-bytes` characters. Key and fingerprint are as on the status page: ("status", token,
language, organisation fingerprint) and the complaint's version.

Printed per variant: visits, hits and hit rate as deployed (PAGE_CACHE_SIZE pages per worker), with
round robin, with unbounded caches (the bound set by the 5-minute life), with one worker, and -- not
possible with MAX_SECONDS, for scale only, counted without PageCache -- a cache that keeps every page
until the complaint changes; and the CPU the hits save, from the costs measured in bench/README.md.
Deterministic for a given --seed.

    cd /work/main && .venv/bin/python bench/page_cache_trace.py [--customers N] [--workers N]
        [--days N] [--seed N] [--page-bytes N]
"""
from __future__ import annotations

import argparse
import bisect
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.config import Config  # noqa: E402
from portal.page_cache import MAX_CHARACTERS, MAX_SECONDS, PageCache  # noqa: E402

DAY = 86_400.0
T0 = 1_798_761_600.0  # 2027-01-01 00:00 UTC: the trace's clock, in seconds since the epoch
UNBOUNDED = 10**12
# In-process cost of one status page, bench/README.md ("Status page"): built 11.9-12.2 ms
# (PAGE_CACHE_SIZE=0), kept 1.6-2.4 ms. What a hit saves, roughly:
BUILT_MS, KEPT_MS = 12.0, 2.0
LANGUAGE, ORGANISATION = "nl", hash("organisation settings")


def build_trace(variant: str, customers: int, days: float, seed: int):
    """[(time, customer)] sorted by time, and each customer's sorted change times."""
    counts_rng, rng = random.Random(seed), random.Random(f"{seed}-{variant}")
    span = days * DAY
    visits, changes = [], []
    for customer in range(customers):
        count, n_changes = counts_rng.randint(1, 5), counts_rng.randint(0, 3)
        if variant == "uniform":
            times = [T0 + rng.uniform(0, span) for _ in range(count)]
            changed = [T0 + rng.uniform(0, span) for _ in range(n_changes)]
        else:
            filed = T0 + rng.uniform(0, span)
            t = filed + (rng.uniform(0, 120) if rng.random() < 0.5 else rng.expovariate(1 / DAY))
            times = [t]
            for _ in range(count - 1):
                if variant == "clustered" and rng.random() < 0.3:
                    t += rng.uniform(0, 600)
                else:
                    t += rng.expovariate(1 / (2 * DAY))
                times.append(t)
            changed = [filed + rng.uniform(0, span) for _ in range(n_changes)]
        visits += [(t, customer) for t in times]
        changes.append(sorted(changed))
    visits.sort()
    return visits, changes


def replay(visits, changes, workers, size, route, page_bytes):
    """Hits, and the most pages one worker kept at once."""
    caches = [PageCache(size, MAX_CHARACTERS if size != UNBOUNDED else UNBOUNDED)
              for _ in range(workers)]
    html = "x" * page_bytes
    hits = most = 0
    for (now, customer), worker in zip(visits, route):
        cache = caches[worker % workers]
        key = ("status", f"token-{customer}", LANGUAGE, ORGANISATION)
        version = bisect.bisect_right(changes[customer], now)  # changes made before this visit
        if cache.get(key, version, now) is not None:
            hits += 1
        else:
            cache.put(key, version, now + MAX_SECONDS, html, now)
            most = max(most, len(cache))
    return hits, most


def kept_until_changed(visits, changes):
    """Hits of one cache that keeps every page until its complaint changes (no 5-minute life)."""
    seen, hits = {}, 0
    for now, customer in visits:
        version = bisect.bisect_right(changes[customer], now)
        hits += seen.get(customer) == version
        seen[customer] = version
    return hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--days", type=float, default=14)
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--page-bytes", type=int, default=20_000, help="characters per kept page")
    args = parser.parse_args()
    size = Config.PAGE_CACHE_SIZE
    print(f"{args.customers:,} customers, 1-5 visits each, 0-3 changes each, {args.days:g} days, "
          f"{args.workers} workers, {size} pages of {args.page_bytes:,} characters per worker "
          f"(at most {MAX_CHARACTERS:,} characters), pages live {MAX_SECONDS:g} s, seed {args.seed}")
    for variant in ("uniform", "spread", "clustered"):
        visits, changes = build_trace(variant, args.customers, args.days, args.seed)
        rng = random.Random(f"{args.seed}-route")
        random_route = [rng.randrange(args.workers) for _ in visits]
        round_robin = list(range(len(visits)))
        repeats = len(visits) - args.customers
        print(f"\n{variant}: {len(visits):,} visits ({repeats:,} of them revisits)")
        rows = [
            (f"as deployed: {args.workers} workers, {size} pages, random", args.workers, size,
             random_route),
            (f"{args.workers} workers, {size} pages, round robin", args.workers, size, round_robin),
            (f"{args.workers} workers, unbounded", args.workers, UNBOUNDED, random_route),
            (f"1 worker, {size} pages", 1, size, random_route),
            ("1 worker, unbounded", 1, UNBOUNDED, random_route),
        ]
        for i, (label, workers, cache_size, route) in enumerate(rows):
            hits, most = replay(visits, changes, workers, cache_size, route, args.page_bytes)
            print(f"  {label:<48} hits {hits:>6,}  hit rate {hits / len(visits):6.2%}"
                  f"  (most pages in one worker: {most:,})")
            if i == 0:
                saved = hits * (BUILT_MS - KEPT_MS) / 1000
        hits = kept_until_changed(visits, changes)
        print(f"  {'(not allowed) kept until the complaint changes':<48} hits {hits:>6,}"
              f"  hit rate {hits / len(visits):6.2%}")
        print(f"  as deployed, the hits save about {saved:,.1f} s of CPU in all "
              f"({BUILT_MS - KEPT_MS:g} ms each, bench/README.md)")


if __name__ == "__main__":
    main()
