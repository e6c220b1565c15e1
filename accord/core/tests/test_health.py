"""/healthz: the database and the worker's heartbeat, as JSON for load balancers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from accord.core.health import heartbeat_record
from accord.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthz_is_healthy_when_the_database_answers_and_a_worker_beat_lately(client):
    heartbeat_record(worker_id="worker-a")

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["worker"]["ok"] is True
    assert body["worker"]["age_seconds"] < 5
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_no_worker_has_ever_beaten(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["worker"] == {
        "ok": False,
        "last_heartbeat": None,
        "stale_after_seconds": 300,
    }
    assert response.json()["database"]["ok"] is True


def test_healthz_reports_a_stale_heartbeat_beyond_the_threshold(client, settings):
    settings.ACCORD_HEALTH_WORKER_STALE_SECONDS = 60
    WorkerHeartbeat.objects.create(
        worker_id="old", seen_at=timezone.now() - dt.timedelta(seconds=61)
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"
    assert response.json()["worker"]["ok"] is False
    assert response.json()["worker"]["age_seconds"] >= 61


def test_healthz_refuses_a_write(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_a_worker_records_its_heartbeat_on_each_loop():
    call_command("worker", "--once", "--no-tasks", "--worker-id", "beat-test")

    beat = WorkerHeartbeat.objects.get(worker_id="beat-test")
    assert timezone.now() - beat.seen_at < dt.timedelta(seconds=30)


def test_heartbeats_of_long_gone_workers_are_forgotten():
    WorkerHeartbeat.objects.create(worker_id="gone", seen_at=timezone.now() - dt.timedelta(days=8))

    heartbeat_record(worker_id="alive")

    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]
