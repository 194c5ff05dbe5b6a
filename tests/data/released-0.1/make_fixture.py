"""Make the fixture of the released schema (commit 84f3ef8, the first release) with live data.

Run it with that release's code, not this checkout's:

    git worktree add /tmp/released 84f3ef8 && cd /tmp/released && make setup
    OVERSTAP_DATA_DIR=/tmp/fixture OVERSTAP_DATABASE_URL=sqlite:////tmp/fixture/overstap.db \
        .venv/bin/python <this checkout>/tests/data/released-0.1/make_fixture.py
    (and once more with OVERSTAP_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/X,
    then pg_dump --no-owner --no-privileges X, with the 'public.' prefixes and the search_path
    line removed, as overstap-postgresql.sql)

It creates the tables as that release did (`create_all`) and walks four pupils of cohort 2027,
without Prefect, to 15 April 2027, leaving each where a suspended flow run would: a regular pupil
whose admission decision is open on the toelating track, a PRO pupil whose TLV is open on the tlv
track, a pupil asked the definitive advice, and a pupil stopped at step 5. The migration test
upgrades these databases and walks the pupils on to the end with the new code.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from deployments.demo import NIET_IN_PLAN, PRO_TOEGELATEN, REGULIER, answer_source
from models.clock import now, pinned
from models.db import create_tables, session_scope
from models.plan import get_plan
from models.records import record_asking, record_track_wait, record_wait
from models.schools import seed_vo_schools
from models.tables import MAIN_TRACK, School
from models.trajectories import CheckedEnrollment, enroll, load_view, pause_key
from models.walk import Ask, Wait, WaitForTrack, apply_offline, next_action, walk_offline

DAY = date(2027, 4, 15)
PUPILS = (
    ("Anna", "Aalders", REGULIER, {(21, "toelating")}),
    ("Bram", "Bakker", PRO_TOEGELATEN, {(18, "tlv")}),
    ("Cato", "Claassen", REGULIER, {(20, "advies")}),
    ("Dirk", "Dekker", NIET_IN_PLAN, set()),
)


def carry_on(trajectory_id, day):  # type: ignore[no-untyped-def]
    """What the flows do on `day` until every track waits, and what each then waits for."""
    while True:
        with session_scope() as session, pinned(day):
            view = load_view(session, trajectory_id)
            tracks = [MAIN_TRACK, *(t for t, r in view.tracks.items() if r.status == "actief")]
            actions = {track: next_action(view, day, track) for track in tracks}
            ready = [
                a
                for a in actions.values()
                if a is not None and not isinstance(a, Ask | Wait | WaitForTrack)
            ]
            if ready:
                apply_offline(session, trajectory_id, ready[0])
                continue
            for track, action in actions.items():
                if isinstance(action, Ask):
                    key = pause_key(action.step, action.question, action.attempt)
                    record_asking(
                        session,
                        trajectory_id=trajectory_id,
                        step=action.step,
                        question=action.question,
                        pause_key=key,
                        due=action.due,
                    )
                elif isinstance(action, Wait):
                    record_wait(
                        session,
                        trajectory_id=trajectory_id,
                        step=action.step,
                        until=action.until,
                        due=action.due,
                        track=track,
                    )
                elif isinstance(action, WaitForTrack):
                    record_track_wait(
                        session, trajectory_id=trajectory_id, step=action.step, track=action.track
                    )
            return


def main() -> None:
    create_tables()
    with session_scope() as session:
        seed_vo_schools(session)
        session.add(School(brin="12AB", name="OBS De Klimop", kind="PO", created_at=now()))
    for first, last, overrides, hold in PUPILS:
        with session_scope() as session, pinned(date(2025, 9, 1)):
            school = session.exec(select(School).where(School.brin == "12AB")).one()
            checked = CheckedEnrollment(first, last, date(2014, 5, 1), school, 7, 2027, 8)
            trajectory_id = enroll(session, checked, plan=get_plan(), actor="fixture").id
        base = answer_source(overrides, 99)

        def source(view, action, day, base=base, hold=hold):  # type: ignore[no-untyped-def]
            return None if (action.step, action.question) in hold else base(view, action, day)

        walk_offline(trajectory_id, answers=source, until=DAY)
        carry_on(trajectory_id, DAY)


if __name__ == "__main__":
    main()
