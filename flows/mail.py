"""The mail sender: one deployment that drains the outbox, so no pupil's run ever sends mail.

A pupil's run, the clock and the demo only queue messages (in the transaction of the record that
causes them) and then ask for a sender run (`tasks.prefect_api.ask_for_sending`): one run per
short time slot, whatever the number of requests in it, and the deployment's concurrency limit of
one lets a single sender drain the outbox at its own pace. Exactly-once is the outbox's (a claim
with a lease, `sent` committed right after the server accepted the message). Messages that wait
for a retry get a sender run of their own at the time they are due.
"""

from __future__ import annotations

from collections import Counter

from prefect import flow, get_run_logger

from tasks.email import BATCH, send_pending_email, when_next_due
from tasks.prefect_api import ask_for_sending


@flow(name="overstap-post", persist_result=False, log_prints=False)
def mail_flow() -> dict[str, int]:
    """Send every due message of the outbox; ask for a later run for those that must wait."""
    totals: Counter[str] = Counter()
    while True:
        counts = send_pending_email(limit=BATCH)
        totals.update(counts)
        if counts["due"] < BATCH or counts["sent"] == 0:
            break  # the outbox is drained, or the server takes nothing now
    later = when_next_due()
    if later is not None:
        # What it sent is committed: a busy Prefect server must not fail the run (that is logged).
        ask_for_sending(after_seconds=later)
    get_run_logger().info(
        "Post: %d verstuurd, %d later opnieuw, %d mislukt.",
        totals["sent"],
        totals["retry"],
        totals["failed"],
    )
    return dict(totals)
