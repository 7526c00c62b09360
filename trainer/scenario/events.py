"""Timeline events of a scenario: their kinds, their parameters and how they are checked.

| kind                   | parameters                                   | what happens (session)            |
|------------------------|----------------------------------------------|-----------------------------------|
| ``go_for_capture``     | ``call``: str, optional                      | MCC-Houston's GO; the call shown  |
| ``free_drift``         | ``call``: str, optional                      | vehicle thrusters off; clock runs |
| ``call``               | ``text``: str                                | a voice call shown to the crew    |
| ``camera_loss``        | ``camera``: lee, elbow or external           | that monitor loses video          |
| ``camera_restore``     | ``camera``: lee, elbow or external           | video back                        |
| ``brake_stuck``        | ``joint``: an SSRMS joint name               | that joint's brake stays on       |
| ``hand_controller_bias`` | ``thc``, ``rhc``: [3] in [-1, 1], optional | a constant offset on the deflection |
| ``crew_free_drift``    | ``call``; ``within_s`` > 0, optional         | M2 commands free drift from now on (within that time, or the attempt ends) |
| ``approach``           | ``to_m``: [3]; ``go``: bool, ``speed_m_s`` > 0, ``call``, optional | go/no-go: with go, Dragon flies to ``to_m`` and holds |
| ``retreat_cue``        | ``cue``: closing_too_fast, loss_of_comm or fault; ``window_s`` > 0; ``call`` | answer with RETREAT or ABORT within the window |
| ``offset_grapple``     | ``hold_s`` > 0, optional; ``call``           | the offset-grapple drill: snares disabled, graded on alignment |
| ``rtl_fault``          | ``switch``: 1-4; ``call``, optional          | that ready-to-latch indicator never makes (berthing) |
| ``latch_stall``        | ``latch``: 1-4; ``fraction`` in (0, 1), optional; ``call`` | that capture latch stalls part way through first stage (berthing) |

Times are seconds of simulation time from the start of the session, non-decreasing.

Who handles a kind (docs/DESIGN.md §11): the session itself the calls and faults
(``SESSION_EVENT_KINDS``); every other kind belongs to the scenario's task
(``TASK_EVENT_KINDS``: trainer/tasks/), and a timeline may hold only its own task's.

| task                   | its events                                            | default when a scenario names no task |
|------------------------|-------------------------------------------------------|---------------------------------------|
| ``capture``            | ``go_for_capture``, ``free_drift``                    | otherwise                             |
| ``approach``           | those, ``crew_free_drift``, ``approach``, ``retreat_cue`` | the timeline holds one of these three |
| ``offset-grapple-drill`` | ``offset_grapple``                                  | the timeline holds ``offset_grapple`` |
| ``berthing``           | ``rtl_fault``, ``latch_stall``                        | never: named by ``task:``             |
| ``capture-and-berth``  | the capture's and the berthing's                      | never: named by ``task:``             |

``camera_loss`` and ``camera_restore`` name the LEE, elbow or external camera, or the CBCS
(the berthing camera at Harmony's hatch window, docs/REFERENCE.md §10).
"""

from __future__ import annotations

from typing import Any

from trainer.scenario import checks
from trainer.scenario.checks import Problems
from trainer.sim.joints import JOINT_NAMES

CAMERAS: tuple[str, ...] = ("lee", "elbow", "external", "cbcs")
# The berthing mechanism's four RTL switches and four capture latches (trainer/sim/cbm_geometry.py).
CBM_UNITS = 4

# kind -> (required parameters, optional parameters)
EVENT_PARAMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "go_for_capture": ((), ("call",)),
    "free_drift": ((), ("call",)),
    "call": (("text",), ()),
    "camera_loss": (("camera",), ()),
    "camera_restore": (("camera",), ()),
    "brake_stuck": (("joint",), ()),
    "hand_controller_bias": ((), ("thc", "rhc")),
    "crew_free_drift": ((), ("call", "within_s")),
    "approach": (("to_m",), ("go", "speed_m_s", "call")),
    "retreat_cue": (("cue", "window_s"), ("call",)),
    "offset_grapple": ((), ("hold_s", "call")),
    "rtl_fault": (("switch",), ("call",)),
    "latch_stall": (("latch",), ("fraction", "call")),
}
RETREAT_CUES: tuple[str, ...] = ("closing_too_fast", "loss_of_comm", "fault")
EVENT_KINDS: tuple[str, ...] = tuple(EVENT_PARAMS)
SESSION_EVENT_KINDS: tuple[str, ...] = (
    "call",
    "camera_loss",
    "camera_restore",
    "brake_stuck",
    "hand_controller_bias",
)
_CAPTURE_EVENTS = ("go_for_capture", "free_drift")
_APPROACH_EVENTS = ("crew_free_drift", "approach", "retreat_cue")
_BERTHING_EVENTS = ("rtl_fault", "latch_stall")
# task -> the timeline kinds it handles (the contract trainer/tasks/ implements)
TASK_EVENT_KINDS: dict[str, tuple[str, ...]] = {
    "capture": _CAPTURE_EVENTS,
    "approach": _CAPTURE_EVENTS + _APPROACH_EVENTS,
    "offset-grapple-drill": ("offset_grapple",),
    "berthing": _BERTHING_EVENTS,
    "capture-and-berth": _CAPTURE_EVENTS + _BERTHING_EVENTS,
}
TASKS: tuple[str, ...] = tuple(TASK_EVENT_KINDS)
_ONCE_ONLY = (
    "go_for_capture",
    "free_drift",
    "crew_free_drift",
    "offset_grapple",
    "rtl_fault",
    "latch_stall",
)


def _params(problems: Problems, kind: str, node: dict[str, Any], path: str) -> dict[str, Any]:
    """Check one event's parameters; returns the good ones as plain values."""
    out: dict[str, Any] = {}
    for key in ("call", "text"):
        if key in node:
            text = checks.string(problems, node[key], checks.join(path, key))
            if text is not None:
                out[key] = text
    if "camera" in node:
        camera = checks.choice(
            problems, node["camera"], checks.join(path, "camera"), CAMERAS, "camera"
        )
        if camera is not None:
            out["camera"] = camera
    if "joint" in node:
        joint = checks.choice(
            problems, node["joint"], checks.join(path, "joint"), JOINT_NAMES, "SSRMS joint"
        )
        if joint is not None:
            out["joint"] = joint
    for key in ("within_s", "speed_m_s", "window_s", "hold_s"):
        if key in node:
            value = checks.number(problems, node[key], checks.join(path, key), sign="positive")
            if value is not None:
                out[key] = value
    for key in ("switch", "latch"):
        if key in node:
            unit = node[key]
            if isinstance(unit, bool) or not isinstance(unit, int) or not 1 <= unit <= CBM_UNITS:
                checks.wrong(problems, checks.join(path, key), f"an integer 1 to {CBM_UNITS}", unit)
            else:
                out[key] = unit
    if "fraction" in node:
        fraction = checks.number(
            problems, node["fraction"], checks.join(path, "fraction"), within=(0.0, 1.0),
            open_high=True, sign="positive",
        )  # fmt: skip
        if fraction is not None:
            out["fraction"] = fraction
    if "go" in node:
        go = checks.boolean(problems, node["go"], checks.join(path, "go"))
        if go is not None:
            out["go"] = go
    if "to_m" in node:
        to = checks.vector(problems, node["to_m"], checks.join(path, "to_m"))
        if to is not None:
            out["to_m"] = to
    if "cue" in node:
        cue = checks.choice(
            problems, node["cue"], checks.join(path, "cue"), RETREAT_CUES, "retreat cue"
        )
        if cue is not None:
            out["cue"] = cue
    if kind == "hand_controller_bias":
        if "thc" not in node and "rhc" not in node:
            problems.add(path, "hand_controller_bias needs thc or rhc (or both)")
        for key in ("thc", "rhc"):
            if key not in node:
                continue
            key_path = checks.join(path, key)
            bias = checks.vector(problems, node[key], key_path)
            if bias is None:
                continue
            outside = [(i, b) for i, b in enumerate(bias) if abs(b) > 1.0]
            for i, b in outside:
                problems.add(
                    checks.join(key_path, i),
                    f"must lie in [-1, 1] (a hand-controller deflection), got {checks.show(b)}",
                )
            if not outside:
                out[key] = bias
    return out


def check_event(
    problems: Problems, kind: str, node: dict[str, Any], path: str, extra: tuple[str, ...] = ()
) -> dict[str, Any]:
    """One event of ``kind``, its parameters given in ``node``, checked as a timeline's are
    (no other key but the caller's ``extra``); returns the good parameters. The instructor's
    faults and calls are checked by it (trainer/record/instructor.py, docs/DESIGN.md §12)."""
    required, optional = EVENT_PARAMS[kind]
    checks.mapping(problems, node, path, required, (*optional, *extra))
    return _params(problems, kind, node, path)


def parse_timeline(problems: Problems, node: Any, path: str = "timeline") -> list[dict[str, Any]]:
    """Check the timeline list; returns its events as ``{time_s, event, **params}`` dicts."""
    if node is checks.MISSING:
        return []
    if not isinstance(node, list):
        checks.wrong(problems, path, "a list of events", node)
        return []
    events: list[dict[str, Any]] = []
    last_time_s: float | None = None
    seen: set[str] = set()
    lost_cameras: set[str] = set()
    for index, item in enumerate(node):
        item_path = checks.join(path, index)
        if not isinstance(item, dict):
            checks.wrong(problems, item_path, "a mapping {time_s, event, ...}", item)
            continue
        kind = checks.choice(
            problems, item.get("event", checks.MISSING), checks.join(item_path, "event"),
            EVENT_KINDS, "event kind",
        )  # fmt: skip
        if "event" not in item:
            problems.add(checks.join(item_path, "event"), "required key is missing")
        if kind is None:  # the parameters of an unknown kind cannot be judged
            continue
        required, optional = EVENT_PARAMS[kind]
        checks.mapping(problems, item, item_path, ("time_s", "event", *required), optional)
        time_s = checks.number(
            problems, item.get("time_s", checks.MISSING), checks.join(item_path, "time_s"),
            sign="non-negative",
        )  # fmt: skip
        params = _params(problems, kind, item, item_path)
        if time_s is not None:
            if last_time_s is not None and time_s < last_time_s:
                problems.add(
                    checks.join(item_path, "time_s"),
                    f"events must be in time order, got {checks.show(time_s)} "
                    f"after {checks.show(last_time_s)}",
                )
            last_time_s = time_s
        if kind in _ONCE_ONLY and kind in seen:
            problems.add(checks.join(item_path, "event"), f"{kind} may appear only once")
        seen.add(kind)
        camera = params.get("camera")
        if kind == "camera_loss" and camera is not None:
            lost_cameras.add(camera)
        if kind == "camera_restore" and camera is not None:
            if camera not in lost_cameras:
                problems.add(
                    checks.join(item_path, "camera"),
                    f"camera_restore of {camera!r} without an earlier camera_loss",
                )
            lost_cameras.discard(camera)
        if time_s is not None:
            events.append({"time_s": time_s, "event": kind, **params})
    return events


def default_task(events: list[dict[str, Any]]) -> str:
    """The task a timeline implies when the scenario names none (the table above): the
    behaviour every scenario had before tasks were named."""
    kinds = {e["event"] for e in events}
    if "offset_grapple" in kinds:
        return "offset-grapple-drill"
    if kinds & set(_APPROACH_EVENTS):
        return "approach"
    return "capture"


def parse_task(problems: Problems, node: Any, events: list[dict[str, Any]]) -> str:
    """The scenario's task (``task``), or the one its timeline implies; every timeline
    event must belong to the session or to that task."""
    if node is checks.MISSING:
        task = default_task(events)
    else:
        chosen = checks.choice(problems, node, "task", TASKS, "task")
        if chosen is None:
            return default_task(events)
        task = chosen
    own = set(TASK_EVENT_KINDS[task]) | set(SESSION_EVENT_KINDS)
    for index, event in enumerate(events):
        if event["event"] not in own:
            owner = next(t for t, kinds in TASK_EVENT_KINDS.items() if event["event"] in kinds)
            problems.add(
                checks.join(checks.join("timeline", index), "event"),
                f"{event['event']} belongs to the {owner} task, not to this scenario's "
                f"task {task!r}",
            )
    return task
