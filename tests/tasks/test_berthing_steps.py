"""The berthing's procedure in isolation (trainer/tasks/berthing_steps.py): an RTL made
outside the envelope is refused and re-armed once backed off, an abort with no fault to
answer is judged unnecessary, RELEASE before MCC's GO is refused and named, and the
guides entered before the GO are a violation. A stand-in host and mechanism record what
the procedure says and commands."""

from __future__ import annotations

from typing import Any

from trainer.scenario.loader import load_scenario
from trainer.scoring.berthing import grade_berthing
from trainer.sim.cbm_metrics import BerthingMetrics
from trainer.tasks.berthing_log import BerthingLog
from trainer.tasks.berthing_steps import BerthingProcedure


class Host:
    def __init__(self) -> None:
        self.scenario = load_scenario("crs20-berthing")
        self.time_s = 300.0
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.calls: list[str] = []
        self.world = self

    def event(self, kind: str, **detail: Any) -> None:
        self.events.append((kind, detail))

    def say(self, text: str) -> None:
        self.calls.append(text)

    def set_arm_limp(self, limp: bool) -> None:
        self.events.append(("limp", {"limp": limp}))


class Mechanism:
    def __init__(self) -> None:
        self.commands: list[str] = []

    def first_stage(self, now_s: float, duration_s: float, stall: float | None) -> None:
        self.commands.append("first_stage")

    def release(self) -> None:
        self.commands.append("release")


def _procedure() -> tuple[BerthingProcedure, Host, Mechanism]:
    host = Host()
    spec = host.scenario.berthing
    assert spec is not None
    mechanism = Mechanism()
    log = BerthingLog("crew", 0.0)
    steps = BerthingProcedure(host, spec, log, mechanism)  # type: ignore[arg-type]
    steps.to("final_approach")
    log.go_for_final_s = 290.0
    return steps, host, mechanism


def _metrics(separation: float = 0.04, axial: float = 0.005) -> BerthingMetrics:
    return BerthingMetrics(separation, 0.002, 0.1, 0.05, axial, 0.0, 0.01)


def test_an_rtl_outside_the_envelope_is_refused_and_rearmed() -> None:
    steps, host, mechanism = _procedure()
    steps._judge_rtl(300.0, _metrics(axial=0.04), on_three=False)  # 0.04 > 0.03 allowed
    assert steps.log.rtl_rejections == 1 and steps.phase == "final_approach"
    assert mechanism.commands == [] and not steps.limp
    assert "outside the capture envelope (axial speed)" in host.calls[-1]
    assert steps.log.rtl is not None and steps.log.rtl["tier"] == "outside"
    steps._step_final_approach(301.0, _metrics(0.2), (False, False, False, False))
    assert host.calls[-1].startswith("RTLs clear")
    steps._judge_rtl(320.0, _metrics(axial=0.008), on_three=False)
    assert mechanism.commands == ["first_stage"] and steps.phase == "first_stage" and steps.limp


def test_an_abort_with_no_fault_is_unnecessary() -> None:
    steps, _host, mechanism = _procedure()
    steps.abort(cause="commanded")
    assert steps.phase == "back_out" and mechanism.commands == ["release"]
    assert steps.log.abort == {"time_s": 300.0, "cause": "commanded", "correct": False}


def test_an_abort_answering_a_failed_indicator_is_right() -> None:
    steps, _host, _mechanism = _procedure()
    steps.failed_rtl = 1
    steps.abort(cause="commanded")
    assert steps.log.abort is not None and steps.log.abort["correct"]


def test_release_before_the_go_is_refused_and_named() -> None:
    steps, host, _mechanism = _procedure()
    steps.release()
    assert steps.phase == "final_approach"
    assert ("procedure_violation", {"rule": "release_without_go"}) in host.events
    assert [v["rule"] for v in steps.log.violations] == ["release_without_go"]


def test_the_guides_before_the_go_are_a_violation_that_fails() -> None:
    steps, host, _mechanism = _procedure()
    steps.log.go_for_final_s = None
    steps.to("to_pre_install")

    class Seen:
        cameras_lost: tuple[str, ...] = ()

    steps._watch_guides(300.0, _metrics(0.3), Seen())  # type: ignore[arg-type]
    assert [v["rule"] for v in steps.log.violations] == ["guides_before_go"]
    from trainer.scoring.accumulate import ScoreAccumulator
    from trainer.scoring.report import SessionFacts

    facts = SessionFacts(
        scenario=host.scenario, seed=1, pilot="p", outcome="berthed", outcome_reason="r",
        free_drift_start_s=None, trigger=None, misses=0, captured_at_s=None,
        aborted_at_s=None, abort_correct=None, closing_speed_at_abort_m_s=None,
        peak_closing_speed_m_s=0.0, end_time_s=400.0,
        accumulator=ScoreAccumulator(host.scenario), recording=None,
        berthing=steps.log.to_dict(),
    )  # fmt: skip
    reasons, _notes, deductions, passed = grade_berthing(facts)
    assert not passed and "entered the alignment guides before MCC's GO" in reasons[0]
    assert deductions["procedure"] == 5.0
