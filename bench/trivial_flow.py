"""The yardstick of `bench/burst.py`: a flow that does nothing but what every pupil's run must do.

It suspends once for a typed answer (like a question), then once without input (like a wait for
a date), then completes. Served or deployed exactly like Overstap's flows, it shows what Prefect
itself costs per suspend and resume on this machine.
"""

from __future__ import annotations

from prefect import flow
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput


class Antwoord(RunInput):
    beantwoord_door: str


@flow(name="overstap-maatstaf", persist_result=False, log_prints=False)
def trivial_flow(n: int) -> str:
    """Suspend for an answer, then for a date; then finish."""
    answer = suspend_flow_run(wait_for_input=Antwoord, key="vraag", timeout=None)
    suspend_flow_run(key="datum", timeout=None)
    return f"{n}: {answer.beantwoord_door}"
