"""Broken scenario files: each mistake is one line naming the file, the key path and the
value; every problem of a file is reported; nothing raises or prints a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.errors import ScenarioError, ValidationError
from trainer.resources import scenarios_dir
from trainer.scenario.commands import run_validate
from trainer.scenario.loader import load_scenario, validate_file

GOOD = (scenarios_dir() / "crs20-capture.yaml").read_text(encoding="utf-8")
FREE_DRIFT = (
    'event: free_drift, call: "Station, Houston: Dragon is in free drift, station thrusters '
    'inhibited."'
)


def broken(tmp_path: Path, old: str, new: str, name: str = "crs20-capture") -> Path:
    assert old in GOOD, old
    path = tmp_path / f"{name}.yaml"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    return path


def after(key_line: str, extra: str) -> tuple[str, str]:
    """Insert ``extra`` (an indented line) after the line starting with ``key_line``."""
    line = next(line for line in GOOD.splitlines() if line.startswith(key_line))
    return line, f"{line}\n{extra}"


# (case id, old text, new text, key path, words the message must hold)
CASES = [
    ("syntax", 'title: "CRS-20 Dragon capture"', "title: [unclosed", "line ", ["YAML syntax"]),
    (
        "bool-is-not-a-number",
        *after("  fixed:", "  mass_kg: true"),
        "vehicle.mass_kg",
        ["number", "true"],
    ),
    (
        "string-for-list",
        "position_m: [8.5, 0.0, -11.0]",
        "position_m: here",
        "vehicle.position_m",
        ["list of 3 numbers", "'here'"],
    ),
    (
        "missing-key",
        "arm:\n  initial_pose: capture_ready",
        "arm: {}",
        "arm.initial_pose",
        ["missing"],
    ),
    (
        "unknown-key",
        *after("  fixed:", "  mass_kgs: 7200"),
        "vehicle.mass_kgs",
        ["unknown key", "'mass_kg'"],
    ),
    (
        "misspelt-required-key",
        "  attitude_rpy_deg:",
        "  attitude_rpy_dg:",
        "vehicle.attitude_rpy_dg",
        ["unknown key", "'attitude_rpy_deg'"],
    ),
    (
        "nan",
        "position_m: [8.5, 0.0, -11.0]",
        "position_m: [.nan, 0.0, -11.0]",
        "vehicle.position_m[0]",
        ["finite", ".nan"],
    ),
    ("inf", *after("  fixed:", "  mass_kg: .inf"), "vehicle.mass_kg", ["finite", ".inf"]),
    (
        "exponent-as-text",
        *after("  fixed:", "  mass_kg: 7.2e3"),
        "vehicle.mass_kg",
        ["'7.2e3'", "1.0e+3"],
    ),
    ("negative-mass", *after("  fixed:", "  mass_kg: -5"), "vehicle.mass_kg", ["positive", "-5"]),
    (
        "negative-sigma",
        "attitude_deg: [1.0, 1.0, 1.0]",
        "attitude_deg: [1.0, -1.0, 1.0]",
        "vehicle.dispersions.attitude_deg[1]",
        ["non-negative", "-1.0"],
    ),
    (
        "negative-limit",
        "hard_limit_s: 240.0",
        "hard_limit_s: -240.0",
        "time_limits.hard_limit_s",
        ["positive", "-240.0"],
    ),
    (
        "inertia-triangle",
        *after("  fixed:", "  inertia_kg_m2: [1000, 2000, 9000]"),
        "vehicle.inertia_kg_m2",
        ["triangle"],
    ),
    (
        "tier-order",
        "lateral_offset_m: {full: 0.05, allowed: 0.10}",
        "lateral_offset_m: {full: 0.2, allowed: 0.10}",
        "envelope.lateral_offset_m",
        ["full (0.2)", "allowed (0.1)"],
    ),
    (
        "range-order",
        "allowed: [0.0, 0.20]}",
        "allowed: [0.3, 0.20]}",
        "envelope.axial_depth_m.allowed",
        ["lo <= hi", "[0.3, 0.2]"],
    ),
    (
        "range-inside",
        "full: [0.05, 0.15]",
        "full: [0.05, 0.25]",
        "envelope.axial_depth_m",
        ["inside"],
    ),
    (
        "roll-folded",
        "roll_misalignment_deg: {full: 5.0, allowed: 15.0}",
        "roll_misalignment_deg: {full: 5.0, allowed: 75.0}",
        "envelope.roll_misalignment_deg.allowed",
        ["60", "75.0"],
    ),
    (
        "time-order",
        "penalty_until_s: 180.0",
        "penalty_until_s: 90.0",
        "time_limits",
        ["full_credit_s (99.0)", "penalty_until_s (90.0)"],
    ),
    (
        "unknown-event",
        "event: free_drift,",
        "event: free_drfit,",
        "timeline[1].event",
        ["unknown event kind", "'free_drfit'", "'free_drift'"],
    ),
    (
        "bad-camera",
        FREE_DRIFT,
        "event: camera_loss, camera: cupola",
        "timeline[1].camera",
        ["'cupola'", "lee"],
    ),
    (
        "bad-joint",
        FREE_DRIFT,
        "event: brake_stuck, joint: elbo_pitch",
        "timeline[1].joint",
        ["'elbo_pitch'", "'elbow_pitch'"],
    ),
    (
        "bias-range",
        FREE_DRIFT,
        "event: hand_controller_bias, thc: [1.5, 0, 0]",
        "timeline[1].thc[0]",
        ["[-1, 1]", "1.5"],
    ),
    ("bias-empty", FREE_DRIFT, "event: hand_controller_bias", "timeline[1]", ["thc or rhc"]),
    (
        "unknown-param",
        FREE_DRIFT,
        'event: free_drift, cal: "x"',
        "timeline[1].cal",
        ["unknown key", "'call'"],
    ),
    ("missing-param", FREE_DRIFT, "event: call", "timeline[1].text", ["missing"]),
    (
        "restore-without-loss",
        FREE_DRIFT,
        "event: camera_restore, camera: lee",
        "timeline[1].camera",
        ["without an earlier camera_loss"],
    ),
    (
        "event-order",
        "{time_s: 5.0, event: free_drift",
        "{time_s: -5.0, event: free_drift",
        "timeline[1].time_s",
        ["non-negative", "-5.0"],
    ),
    (
        "unknown-pose",
        "initial_pose: capture_ready",
        "initial_pose: capture_redy",
        "arm.initial_pose",
        ["'capture_redy'", "'capture_ready'"],
    ),
    ("unknown-model", "model: dragon", "model: dargon", "vehicle.model", ["'dargon'", "'dragon'"]),
    (
        "id-mismatch",
        "id: crs20-capture\n",
        "id: crs20-capt\n",
        "id",
        ["file name 'crs20-capture'", "'crs20-capt'"],
    ),
    ("version-zero", "version: 1\n", "version: 0\n", "version", ["positive integer", "0"]),
    ("version-string", "version: 1\n", 'version: "1"\n', "version", ["positive integer", "'1'"]),
    (
        "altitude-in-metres",
        "altitude_km: 421.5",
        "altitude_km: 421500",
        "orbit.altitude_km",
        ["km", "421500"],
    ),
    ("fixed-not-bool", "fixed: false", "fixed: 0", "vehicle.fixed", ["true or false", "0"]),
    (
        "date-for-string",
        'title: "CRS-20 Dragon capture"',
        "title: 2020-03-09",
        "title",
        ["string", "date"],
    ),
    (
        "scoring-sum",
        "# scoring omitted",
        "scoring: {weights: {time: 20, lateral: 10, axial: 10, "
        "pitch_yaw: 10, roll: 5, speed: 10, rate: 5, contacts: 10, misses: 5, rate_exceedances: 5, "
        "reversals: 5, post_capture_loads: 5, abort_decision: 5}}\n#",
        "scoring.weights",
        ["sum to 100", "105"],
    ),
]


@pytest.mark.parametrize(
    ("case", "old", "new", "key_path", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_one_mistake_is_one_line(
    tmp_path: Path, case: str, old: str, new: str, key_path: str, words: list[str]
) -> None:
    path = broken(tmp_path, old, new)
    problems = validate_file(path)
    assert len(problems) == 1, problems
    line = problems[0]
    assert line.startswith(f"{path}: {key_path}"), line
    for word in words:
        assert word in line, (word, line)
    with pytest.raises(ValidationError) as raised:
        load_scenario(path)
    assert raised.value.problems == problems


def test_error_wording_is_pinned(tmp_path: Path) -> None:
    path = broken(tmp_path, *after("  fixed:", "  mass_kg: -5"))
    assert validate_file(path) == [
        f"{path}: vehicle.mass_kg: must be a positive finite number or null, got -5"
    ]
    path = broken(tmp_path, "event: free_drift,", "event: free_drfit,")
    assert validate_file(path) == [
        f"{path}: timeline[1].event: unknown event kind 'free_drfit' (did you mean "
        "'free_drift'?); known: go_for_capture, free_drift, call, camera_loss, camera_restore, "
        "brake_stuck, hand_controller_bias, crew_free_drift, approach, retreat_cue, "
        "offset_grapple, rtl_fault, latch_stall"
    ]


def test_a_fixed_vehicle_cannot_move(tmp_path: Path) -> None:
    path = broken(tmp_path, "fixed: false", "fixed: true")
    assert [line.split(": ")[1] for line in validate_file(path)] == [
        "vehicle.dispersions.velocity_m_s",
        "vehicle.dispersions.angular_velocity_deg_s",
    ]


def test_every_problem_of_a_file_is_reported(tmp_path: Path) -> None:
    text = (
        GOOD.replace("altitude_km: 421.5", "altitude_km: -1")
        .replace("position_m: [8.5, 0.0, -11.0]", "position_m: [8.5, .nan]")
        .replace("initial_pose: capture_ready", "initial_pose: nowhere")
        .replace("relative_rate_deg_s: {full: 0.1,", "relative_rate_deg_s: {full: 0.5,")
    )
    path = tmp_path / "crs20-capture.yaml"
    path.write_text(text, encoding="utf-8")
    problems = validate_file(path)
    paths = [line.split(": ")[1] for line in problems]
    assert paths == [
        "orbit.altitude_km",
        "vehicle.position_m",
        "arm.initial_pose",
        "envelope.relative_rate_deg_s",
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [("", "got null"), ("- a\n- b\n", "a mapping"), ("id: [\n", "YAML syntax")],
    ids=["empty", "list", "unclosed"],
)
def test_not_a_scenario_at_all(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    problems = validate_file(path)
    assert len(problems) == 1 and words in problems[0] and problems[0].startswith(f"{path}: ")


def test_unreadable_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    assert validate_file(missing) == [f"{missing}: (file): cannot read: no such file"]
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(missing)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00id")
    assert "not UTF-8" in validate_file(binary)[0]


def test_unknown_id_suggests_the_closest() -> None:
    with pytest.raises(ScenarioError, match="did you mean 'crs20-capture'") as raised:
        load_scenario("crs20-captur")
    assert not isinstance(raised.value, ValidationError)
    with pytest.raises(ScenarioError, match="known: basic-drill"):
        load_scenario("zzzz")


def test_validate_command_exits_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = []
    for index, (_, old, new, _, _) in enumerate(CASES):
        case_dir = tmp_path / str(index)
        case_dir.mkdir()
        paths.append(str(broken(case_dir, old, new)))
    good = str(scenarios_dir() / "basic-drill.yaml")
    assert run_validate([*paths, good, str(tmp_path / "missing.yaml")]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert captured.out.splitlines() == [f"ok: {good}"]
    err = captured.err.splitlines()
    assert len(err) == len(CASES) + 1
    assert all(
        ": " in line and line.split(": ")[0] in [*paths, str(tmp_path / "missing.yaml")]
        for line in err
    )
