"""The one way our side effects become Prefect tasks."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from prefect import Task, task
from prefect.cache_policies import NO_CACHE

P = ParamSpec("P")
R = TypeVar("R")


def idempotent_task(
    run_name: str | Callable[[], str],
) -> Callable[[Callable[P, R]], Task[P, R]]:
    """A task whose side effect is idempotent in our tables; `run_name` shows its step in the UI.

    Caching is off on purpose: Prefect's default cache key includes a task's source code, so a
    code change between suspend and resume would re-run a cached task. Idempotency lives in our
    tables (unique keys and "already recorded?" checks), so running a task twice is harmless and
    retries are safe.
    """
    return task(
        task_run_name=run_name,
        cache_policy=NO_CACHE,
        persist_result=False,
        retries=3,
        retry_delay_seconds=[1, 5, 20],
        log_prints=False,
    )
