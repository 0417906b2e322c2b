"""Embedding after a publish is background work: a django-tasks task the worker runs. Until it
runs, search ranks the new page by its words; once it has run, by meaning too."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from search import service
from search.embedding import embed_search_passages
from search.engines import get_engine
from search.semantic.store import store_for

from .test_semantic import WORDS, WordsEmbedder

TASK = "search.embedding.embed_search_passages"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def model_after_publish(settings):
    settings.SEARCH_EMBEDDING_MODEL = WORDS
    settings.SEARCH_EMBED_AFTER_PUBLISH = True


@pytest.mark.django_db
def test_without_a_worker_search_is_lexical_until_the_queued_task_runs(
    model_after_publish, settings, tree, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        tree.article(title="Block a lost or stolen card", summary="Freeze the card in the app.")
    [queued] = DBTaskResult.objects.filter(task_path=TASK)
    assert queued.status == "READY"  # waiting for a worker
    store = store_for(get_engine())
    assert store.missing(WordsEmbedder.name) == 1
    outcome = service.search("stolen card", locale="en")
    assert outcome.results.hits[0].document.title == "Block a lost or stolen card"
    assert not outcome.semantic and outcome.answer is None  # nothing embedded yet

    call_command("db_worker", "--batch", "--no-startup-delay")  # the worker starts later
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and queued.return_value == 1
    assert store.missing(WordsEmbedder.name) == 0
    assert service.search("stolen card", locale="en").semantic


@pytest.mark.django_db
def test_without_a_task_backend_worker_the_pass_runs_after_the_commit(
    model_after_publish, tree, django_capture_on_commit_callbacks
):
    # The test settings run tasks at once (django-tasks' immediate backend), as a site
    # without a worker configured does.
    with django_capture_on_commit_callbacks(execute=True):
        tree.article(title="Find your invoice", summary="Open My account, then Invoices.")
    assert store_for(get_engine()).missing(WordsEmbedder.name) == 0
    assert embed_search_passages.call() == 0  # the periodic run finds nothing left to do


@pytest.mark.django_db
def test_the_task_does_nothing_when_the_model_is_off(settings, tree):
    settings.SEARCH_EMBEDDING_MODEL = "off"
    tree.article(title="Find your invoice", summary="Open My account, then Invoices.")
    assert embed_search_passages.call() == 0
