"""Load test of the web app: N concurrent clients for T seconds against a loopback `newsproof serve`.

Most clients loop over a weighted mix of reads: `GET /v1/reports/{id}` (JSON), `GET /reports/{id}` (the
HTML report page) and `GET /healthz`; `--check-clients` of them post real articles to `POST /v1/check`
back to back (Reuters-21578 from shared/data, else the fixture articles). Checks run one at a time on the
server, so they queue; the reads show what users see while checks run. Requests still in flight when the
time is up are cancelled and counted as unfinished, not as errors. Prints requests/s (completed in the
window), p50/p95/p99 latency per request kind and the error count.

Run:  .venv/bin/python benchmarks/bench_web_load.py                      # 50 clients, 30 s, own server
      .venv/bin/python benchmarks/bench_web_load.py --clients 10 --duration 5 --check-clients 1
      .venv/bin/python benchmarks/bench_web_load.py --url http://127.0.0.1:8000 --api-key KEY
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np

from newsproof.paths import shared_data_dir

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MIX = "report=6,page=3,health=1"


def sample_articles(n: int = 200) -> list[str]:
    """Real newswire articles of 400-3000 characters (Reuters-21578), else the fixture articles."""
    root = shared_data_dir()
    path = root / "news" / "reuters21578.jsonl" if root else None
    if path is None or not path.is_file():
        folder = REPO / "tests" / "resources" / "articles"
        return [(folder / name).read_text("utf-8") for name in ("accurate_strike.txt", "soleimani_fake.txt")]
    out: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            text = record.get("text") or ""
            if 400 <= len(text) <= 3000:
                out.append(f"{record.get('title') or ''}\n\n{text}")
                if len(out) == n:
                    break
    return out


@contextlib.contextmanager
def local_server(api_key: str) -> Iterator[str]:
    """Start `newsproof serve` on a free loopback port with a throwaway state folder."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as state, (Path(state) / "server.log").open("w+b") as log:
        script = Path(sys.executable).with_name("newsproof")
        command = [str(script)] if script.is_file() else [sys.executable, "-c", "from newsproof.cli import main; main()"]
        process = subprocess.Popen(command + ["serve", "--port", str(port), "--state-dir", state],
                                   env=dict(os.environ, NEWSPROOF_API_KEY=api_key),
                                   stdout=log, stderr=subprocess.STDOUT)  # a file: a full pipe would stall it
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 900
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    log.seek(0)
                    raise SystemExit(f"server exited:\n{log.read().decode(errors='replace')[-3000:]}")
                with contextlib.suppress(httpx.TransportError):
                    if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                        break
                time.sleep(0.5)
            yield url
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def parse_mix(text: str) -> dict[str, float]:
    """'report=6,check=1' -> weights."""
    mix = {name: float(weight) for name, weight in (part.split("=") for part in text.split(","))}
    unknown = set(mix) - {"report", "page", "health"}
    if unknown:
        raise SystemExit(f"unknown request kinds {sorted(unknown)}; use report, page, health")
    return mix


class Tally:
    """Latencies of completed requests, errors and in-flight requests per kind."""

    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.inflight: dict[str, int] = defaultdict(int)


async def client_loop(client: httpx.AsyncClient, rng: random.Random, mix: dict[str, float], report_id: str,
                      articles: list[str], tally: Tally) -> None:
    """One simulated client: back-to-back requests until cancelled."""
    kinds, weights = list(mix), list(mix.values())
    while True:
        kind = rng.choices(kinds, weights)[0]
        started = time.perf_counter()
        tally.inflight[kind] += 1
        try:
            if kind == "check":
                response = await client.post("/v1/check", json={"text": rng.choice(articles)})
            elif kind == "report":
                response = await client.get(f"/v1/reports/{report_id}")
            elif kind == "page":
                response = await client.get(f"/reports/{report_id}")
            else:
                response = await client.get("/healthz")
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        finally:
            tally.inflight[kind] -= 1
        if ok:
            tally.samples[kind].append(time.perf_counter() - started)
        else:
            tally.errors[kind] += 1


async def run_load(url: str, api_key: str, clients: int, check_clients: int, duration: float,
                   mix: dict[str, float], articles: list[str], seed: int) -> dict:
    """Drive the server for `duration` seconds and summarise latencies."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, headers={"X-API-Key": api_key}, timeout=600, limits=limits) as client:
        first = await client.post("/v1/check", json={"text": articles[0]})
        first.raise_for_status()
        report_id = first.headers["x-report-id"]
        tally = Tally()
        tasks = [asyncio.create_task(client_loop(client, random.Random(seed + n),
                                                 {"check": 1.0} if n < check_clients else mix,
                                                 report_id, articles, tally)) for n in range(clients)]
        await asyncio.sleep(duration)
        unfinished = dict(tally.inflight)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return summarise(tally, unfinished, duration, clients, check_clients)


def summarise(tally: Tally, unfinished: dict[str, int], elapsed: float, clients: int, check_clients: int) -> dict:
    """Requests/s and latency percentiles (ms), per kind and overall."""
    def stats(values: list[float], failed: int, left: int) -> dict:
        ms = np.array(values) * 1000 if values else np.array([np.nan])
        return {"requests": len(values), "errors": failed, "unfinished": left,
                "rps": round(len(values) / elapsed, 1),
                "p50_ms": round(float(np.percentile(ms, 50)), 1), "p95_ms": round(float(np.percentile(ms, 95)), 1),
                "p99_ms": round(float(np.percentile(ms, 99)), 1), "max_ms": round(float(np.max(ms)), 1)}

    kinds = sorted(set(tally.samples) | set(tally.errors) | {k for k, n in unfinished.items() if n})
    return {"clients": clients, "check_clients": check_clients, "seconds": elapsed,
            "total": stats([v for k in kinds for v in tally.samples[k]], sum(tally.errors.values()),
                           sum(unfinished.values())),
            "by_kind": {k: stats(tally.samples[k], tally.errors[k], unfinished.get(k, 0)) for k in kinds}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--check-clients", type=int, default=2, help="clients that only post checks")
    parser.add_argument("--mix", default=DEFAULT_MIX, help=f"read kinds and weights (default {DEFAULT_MIX})")
    parser.add_argument("--url", help="an already running server (default: start one on a free port)")
    parser.add_argument("--api-key", default="bench-key", help="X-API-Key to send (and to start our server with)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    articles = sample_articles()
    mix = parse_mix(args.mix)
    with contextlib.ExitStack() as stack:
        url = args.url or stack.enter_context(local_server(args.api_key))
        result = asyncio.run(run_load(url, args.api_key, args.clients, min(args.check_clients, args.clients),
                                      args.duration, mix, articles, args.seed))
    result["mix"] = args.mix
    print(f"{args.clients} clients ({result['check_clients']} checking), {args.duration:g} s, reads {args.mix}")
    print(f"{'kind':8} {'requests':>9} {'errors':>7} {'unfin.':>7} {'req/s':>8} {'p50 ms':>9} {'p95 ms':>9} "
          f"{'p99 ms':>9} {'max ms':>9}")
    for kind, row in [*result["by_kind"].items(), ("total", result["total"])]:
        print(f"{kind:8} {row['requests']:>9} {row['errors']:>7} {row['unfinished']:>7} {row['rps']:>8} "
              f"{row['p50_ms']:>9} {row['p95_ms']:>9} {row['p99_ms']:>9} {row['max_ms']:>9}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), "utf-8")
    if result["total"]["errors"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
