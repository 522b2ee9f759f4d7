"""Size, time and query count of the pages a national and a provincial user open first.

Run against a COPY of the demo database (the pages only read, but the login writes a session):
    cp var/ytcs.sqlite3 /tmp/bench-national.sqlite3
    DATABASE_URL=sqlite:////tmp/bench-national.sqlite3 .venv/bin/python bench/national_pages.py
Each page is requested through Django's test client as the demo user, once to warm up and then
``--repeat`` times; the table gives the body size, the median and worst time and the query count.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ytcs.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from ytcs.accounts.models import User  # noqa: E402
from ytcs.orgunits.models import OrgUnit  # noqa: E402


def pages() -> list[tuple[str, str, dict[str, str]]]:
    """(user, path, query) of every page measured; the drill-down uses the demo province's code."""
    demo_province = User.objects.get(username="demo_province").org_unit
    code = demo_province.code if demo_province is not None else ""
    commune = OrgUnit.objects.filter(parent=demo_province, valid_to__isnull=True).order_by("name").first()
    word = commune.name.split()[-1] if commune is not None else ""
    return [
        ("demo_national", "/", {}),
        ("demo_national", "/", {"province": code}),
        ("demo_national", "/surveillance/completeness/", {}),
        ("demo_national", "/surveillance/completeness/", {"province": code}),
        ("demo_national", "/surveillance/completeness/", {"q": word}),
        ("demo_province", "/", {}),
        ("demo_province", "/surveillance/completeness/", {}),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print("| user | page | status | bytes | p50 ms | max ms | queries |")
    print("|---|---|---|---|---|---|---|")
    clients: dict[str, Client] = {}
    for username, path, query in pages():
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        client.get(path, query)  # warm-up
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(path, query)
                times.append((time.perf_counter() - start) * 1000)
        shown = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        print(f"| {username} | `{shown}` | {response.status_code} | {len(response.content):,} | "
              f"{statistics.median(times):.0f} | {max(times):.0f} | {len(queries.captured_queries)} |")


if __name__ == "__main__":
    main()
