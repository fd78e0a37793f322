"""
Load benchmark against a running profile (BASE_URL): each scenario runs for DURATION seconds
with CONCURRENCY clients on keep-alive connections, right after a run of the floor (a constant
JSON view through the same server), and prints requests/s, p50, p99 and the ratio to that floor.

    .ci/prod-profile -- .venv/bin/python .ci/loadbench.py

Loopback only: the clients and the server share this machine's cores, which the figures include.
"""

import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

BASE = urlsplit(os.environ.get("BASE_URL", "http://127.0.0.1:8100"))
DURATION = float(os.environ.get("DURATION", "10"))
CONCURRENCY = int(os.environ.get("CONCURRENCY", "32"))
# Each scenario runs ROUNDS times, each right after a floor run of its own; the round with the
# median ratio is reported (the floor alone drifts by ±20 % over a minute on a shared machine).
ROUNDS = int(os.environ.get("ROUNDS", "1"))
# Comma-separated words picking scenarios by name ("poll,invoice"); the floor runs before each.
SCENARIOS = [w for w in os.environ.get("SCENARIOS", "").split(",") if w]
PROXY = {"X-Forwarded-Proto": "https", "Host": BASE.hostname}


def fixtures():
    # Made in development mode against the same database, so the customers' accounts can be
    # verified by the sandbox (the profile itself refuses the sandbox, as production must).
    env = {
        **os.environ,
        "BENCH_FIXTURES": "1",
        "DJANGO_ENV": "development",
        "VERIFICATION_PROVIDER": "sandbox",
    }
    out = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "bench_fixtures", "--customers", str(CONCURRENCY)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(name, make_request, ok_statuses):
    latencies, errors, stop = [], [], time.monotonic() + DURATION
    lock = threading.Lock()

    def client(index):
        connection = http.client.HTTPConnection(BASE.hostname, BASE.port, timeout=30)
        mine = []
        while time.monotonic() < stop:
            method, path, headers, body = make_request(index)
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers={**PROXY, **headers})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(BASE.hostname, BASE.port, timeout=30)
                status = None
            mine.append(time.perf_counter() - started)
            if status not in ok_statuses:
                with lock:
                    errors.append(status)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CONCURRENCY)]
    begun = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - begun
    latencies.sort()
    return {
        "name": name,
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "errors": len(errors),
        "statuses": sorted({str(e) for e in errors})[:5],
    }


def main():
    data = fixtures()
    cookie = "__Host-sessionid"  # the production profile's cookie names
    data["csrf_cookie"] = "__Host-csrftoken"
    polls = data["polls"]
    csrf = {}

    def floor(i):
        return "GET", "/healthz/ping", {}, None

    def status_poll(i):
        poll = polls[i % len(polls)]
        path = f"/orders/{poll['order']}/status/?v={poll['version']}"
        return "GET", path, {"Cookie": f"{cookie}={poll['session']}", "HX-Request": "true"}, None

    def api_status_poll(i):
        poll = polls[i % len(polls)]
        headers = {"Authorization": f"Bearer {poll['token']}", "Content-Type": "application/json"}
        return "POST", "/api/fetch-order-status", headers, json.dumps({"order_id": poll["order"]})

    def invoice_create(i):
        body = json.dumps(
            {
                "amount": "500.00",
                "currency": "INR",
                "reference": f"load-{i}-{time.perf_counter_ns()}",
                "callback_url": "https://93.184.216.34/cb",  # an address: no DNS needed here
                "expires_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600)),
            }
        )
        headers = {"Authorization": f"Bearer {data['api_key']}", "Content-Type": "application/json"}
        return "POST", "/v1/ingress/invoice", headers, body

    def hosted_invoice(i):
        return "GET", f"/i/{data['invoice_token']}/", {}, None

    def token_for(i):
        if i not in csrf:
            poll = polls[i % len(polls)]
            connection = http.client.HTTPConnection(BASE.hostname, BASE.port)
            connection.request(
                "GET", "/buy/", headers={**PROXY, "Cookie": f"{cookie}={poll['session']}"}
            )
            response = connection.getresponse()
            page = response.read().decode()
            token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
            cookies = response.headers.get_all("Set-Cookie") or []
            csrf_cookie = next(
                c.split(";")[0] for c in cookies if c.startswith(data["csrf_cookie"])
            )
            csrf[i] = (token, f"{cookie}={poll['session']}; {csrf_cookie}")
        return csrf[i]

    def quote(i):
        token, cookies = token_for(i)
        body = (
            f"asset={data['asset_id']}&payment_method=INR_UPI"
            "&amount_in=fiat&amount=2500&action=quote"
        )
        headers = {
            "Cookie": cookies,
            "X-CSRFToken": token,
            "HX-Request": "true",
            "Referer": "https://127.0.0.1/buy/",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return "POST", "/buy/", headers, body

    for i in range(CONCURRENCY):
        token_for(i)
    scenarios = [
        ("floor (constant JSON)", floor, {200}),
        ("status poll, HTMX fragment (204)", status_poll, {204}),
        ("status poll, partner API (200, 429 past seed 002's pace)", api_status_poll, {200, 429}),
        ("quote (HTMX, 30 s quote stored)", quote, {200}),
        ("invoice create (API)", invoice_create, {201}),
        ("hosted invoice page", hosted_invoice, {200}),
    ]
    chosen = [scenarios[0]] + [
        s for s in scenarios[1:] if not SCENARIOS or any(w in s[0] for w in SCENARIOS)
    ]
    # The floor drifts by up to ±20 % over a minute on a shared machine: each scenario runs
    # right after a floor run of its own, and its ratio is to that one.
    results, failed = [], False
    for name, make, ok in chosen[1:] or chosen[:1]:
        rounds = []
        for _ in range(ROUNDS):
            floor_run = run(*chosen[0])
            result = run(name, make, ok) if name != chosen[0][0] else dict(floor_run)
            result["floor"] = floor_run["rps"]
            result["ratio"] = result["rps"] / floor_run["rps"]
            failed = failed or bool(result["errors"] or floor_run["errors"])
            rounds.append(result)
        rounds.sort(key=lambda r: r["ratio"])
        median = rounds[len(rounds) // 2]
        median["range"] = f"{rounds[0]['ratio']:.0%}–{rounds[-1]['ratio']:.0%}"
        median["errors"] = sum(r["errors"] for r in rounds)
        median["statuses"] = sorted({s for r in rounds for s in r["statuses"]})[:5]
        results.append(median)
    rounds_text = f", median of {ROUNDS} rounds" if ROUNDS > 1 else ""
    print(f"\n{CONCURRENCY} clients, {DURATION:.0f} s each{rounds_text}, {BASE.geturl()}\n")
    print("| scenario | req/s | p50 ms | p99 ms | floor req/s | vs floor | rounds | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        errors = f"{r['errors']} {r['statuses']}" if r["errors"] else "0"
        print(
            f"| {r['name']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
            f"| {r['floor']:.0f} | {r['ratio']:.0%} | {r['range']} | {errors} |"
        )
    return 1 if failed else 0  # a failed request fails the run


if __name__ == "__main__":
    sys.exit(main())
