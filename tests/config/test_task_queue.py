"""
The production queue: Django's Tasks API on RQ in a real Redis (started here on a private
socket), worked by RQ's own worker with django-tasks-rq's job class — the same pieces the
production profile runs as `manage.py rqworker --job-class django_tasks_rq.Job default`.
"""

import django_rq
import pytest
from django_tasks_rq import Job
from rq import SimpleWorker

from kyc import services
from kyc.models import KycStatus
from tests.kyc.documents import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def rq_tasks(settings, redis_url):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    return django_rq.get_queue("default", job_class=Job)


def work(queue):
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


def test_a_decision_email_waits_in_redis_until_an_rq_worker_sends_it(
    rq_tasks, alice, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    submission = submit(alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.kyc_approve(submission=submission, reviewer=reviewer)

    assert rq_tasks.count == 1 and mailoutbox == []  # queued, not run by the web process

    work(rq_tasks)

    assert rq_tasks.count == 0
    assert [m.to for m in mailoutbox] == [["alice@example.com"]]


def test_a_queue_outage_never_undoes_a_committed_decision(
    settings, alice, reviewer, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "unix:///nonexistent/redis.sock?db=0"}}
    submission = submit(alice)

    with django_capture_on_commit_callbacks(execute=True):
        decided = services.kyc_approve(submission=submission, reviewer=reviewer)

    decided.refresh_from_db()
    assert decided.status == KycStatus.VERIFIED
