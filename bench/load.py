"""Locust users of the load test (`bench/load`): planning staff signed in with their own sessions, each opening
the inbox, a goal grid and a case, and saving one goal cell of their own (so that no two users conflict).

Reads its setup from the JSON file named by BENCH_LOAD_CONFIG (written by bench/load_test.py)."""

from __future__ import annotations

import itertools
import json
import os
import re

from locust import HttpUser, between, task

CONFIG = json.loads(open(os.environ["BENCH_LOAD_CONFIG"], encoding="utf-8").read())
SESSIONS = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class PlanningStaff(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        n = next(SESSIONS)
        session = CONFIG["sessions"][n % len(CONFIG["sessions"])]
        self.client.cookies.set(CONFIG["cookie"], session)
        self.cell = CONFIG["cells"][n % len(CONFIG["cells"])]  # this user's own cost center and month
        self.value = 0

    @task(3)
    def inbox(self) -> None:
        self.client.get("/", name="bandeja")

    @task(3)
    def grid(self) -> None:
        self.client.get(CONFIG["grid"], name="cuadrícula de metas")

    @task(2)
    def case(self) -> None:
        self.client.get(CONFIG["case"], name="expediente")

    @task(1)
    def save(self) -> None:
        page = self.client.get(CONFIG["grid"], name="cuadrícula de metas").text
        token = CSRF.search(page)
        seen = re.search(rf'name="{self.cell}" value="([0-9]+)"', page)
        if token is None or seen is None:
            return
        self.value = int(seen.group(1)) + 1
        with self.client.post(
            CONFIG["save"],
            data={
                "csrfmiddlewaretoken": token.group(1),
                "subproducto": CONFIG["subproduct"],
                self.cell: str(self.value),
                f"o-{self.cell[2:]}": seen.group(1),
            },
            headers={"Referer": f"{self.host}{CONFIG['grid']}"},
            allow_redirects=False,
            name="guardar metas",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"guardar respondió {response.status_code}")
