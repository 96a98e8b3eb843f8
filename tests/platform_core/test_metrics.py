"""/metrics: Prometheus text, protected (loopback or a token), labelled by URL rule; scraped from a real
`gongdan run` with several workers, whose counts add up across processes."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from gongdan import create_app
from tests.conftest import PASSWORD, Api, app_config, empty_database
from tests.platform_core.test_run import Running
from tests.support.servers import wait_until

P1 = {"title": "Payroll system down", "category": "software", "urgency": "high", "impact": "company",
      "description": "Nobody can log in to payroll", "region": "north"}


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(found, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_by_url_rule_and_are_protected(app, admin, make_user):
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code == 201
    client = app.test_client()
    before = samples(client.get("/metrics").get_data(as_text=True))
    created = [admin.post("/api/v1/tickets", json={"type": "it-incident", "data": P1}).json for _ in range(3)]
    for ticket in created:
        assert admin.get(f"/api/v1/tickets/{ticket['id']}").status_code == 200
    assert admin.post("/api/v1/tickets", json={"type": "it-incident", "data": {}}).status_code == 422  # rolled back

    response = client.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    after = samples(response.get_data(as_text=True))
    rule = "/api/v1/tickets/<int:ticket_id>"
    assert value(after, "gongdan_http_requests_total", method="GET", route=rule, status="200") - value(
        before, "gongdan_http_requests_total", method="GET", route=rule, status="200") == 3
    assert not any(f"/api/v1/tickets/{created[0]['id']}" in dict(labels).get("route", "") for _n, labels in after)
    assert value(after, "gongdan_http_request_duration_seconds_count", method="GET", route=rule) >= 3
    assert value(after, "gongdan_events_total", event="ticket_created") - value(
        before, "gongdan_events_total", event="ticket_created") == 3  # the refused one is not counted
    assert ("gongdan_sla_sweep_due", ()) in after and ("gongdan_outbox_backlog", ()) in after
    assert value(after, "gongdan_read_only") == 0
    assert ("gongdan_job_last_started_seconds_ago", (("job", "sla_sweep"),)) in after

    # Not from another machine; with a token, only with the token.
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 403
    app.config["METRICS_TOKEN"] = "s3cret-metrics"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"},
                      headers={"Authorization": "Bearer s3cret-metrics"}).status_code == 200


@pytest.fixture
def run_app(database_url, tmp_path):
    """Jobs inline, as under `gongdan run` without Redis."""
    app = create_app(app_config(database_url, tmp_path, REDIS_URL=None))
    empty_database(app)
    yield app
    app.extensions["gongdan_db"].engine.dispose()


@pytest.mark.long
def test_a_real_gongdan_run_with_several_workers_is_scraped(run_app, make_user, tmp_path):
    app = run_app
    make_user("admin@example.com", ["admin"], name="Ada")
    admin = Api(app.test_client())
    assert admin.login("admin@example.com", PASSWORD).status_code == 200
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code == 201

    server = Running(app, tmp_path, "--workers", "3", intervals="sla_sweep=2")
    try:
        folder = tmp_path / "instance" / "prometheus"
        wait_until(lambda: server.health_job("sla_sweep")["last_status"] == "succeeded", timeout=60, interval=0.2)
        # Several connections, so the creates land on several workers.
        pids = set()
        for _ in range(4):
            with httpx.Client(base_url=server.base, timeout=30) as http:
                login = http.post("/api/v1/auth/login", json={"email": "admin@example.com", "password": PASSWORD})
                assert login.status_code == 200
                headers = {"X-CSRF-Token": login.json()["csrf_token"]}
                for _ in range(3):
                    created = http.post("/api/v1/tickets", json={"type": "it-incident", "data": P1}, headers=headers)
                    assert created.status_code == 201, created.text
                pids.update(int(p.stem.rsplit("_", 1)[-1]) for p in folder.glob("counter_*.db"))

        def scraped() -> dict:
            response = httpx.get(f"{server.base}/metrics", timeout=30)
            assert response.status_code == 200, response.text
            return samples(response.text)

        assert pids  # usually three (the kernel spreads the connections), but one is allowed on a busy machine
        found = scraped()
        assert value(found, "gongdan_events_total", event="ticket_created") == 12
        assert value(found, "gongdan_http_requests_total", method="POST", route="/api/v1/tickets", status="201") == 12
        assert value(found, "gongdan_http_requests_total", method="POST", route="/api/v1/auth/login",
                     status="200") == 4
        # The scheduler process writes its job timings to the same folder.
        wait_until(lambda: value(scraped(), "gongdan_job_duration_seconds_count", job="sla_sweep") >= 2,
                   timeout=60, interval=0.5)
        assert len({p.name for p in folder.glob("*.db")}) >= 2  # one file per process and kind at least
        # Every scrape agrees, whichever worker answers it.
        assert all(value(scraped(), "gongdan_events_total", event="ticket_created") == 12 for _ in range(6))
        assert re.search(r"^gongdan_outbox_backlog ", httpx.get(f"{server.base}/metrics").text, re.M)
    finally:
        server.stop()
    assert Path(folder).is_dir()
