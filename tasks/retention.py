"""The clock's purge of personal data that has outlived its purpose (`models.cases.retention`)."""

from __future__ import annotations

from datetime import date

from prefect import task
from prefect.cache_policies import NO_CACHE

from models.cases.retention import purge_due
from models.store.db import session_scope


@task(task_run_name="bewaartermijn", cache_policy=NO_CACHE, persist_result=False, retries=2)
def purge_expired(today: date) -> int:
    """Remove the personal data of every ended trajectory due on `today`; return how many."""
    with session_scope() as session:
        return len(purge_due(session, today, actor="klok"))
