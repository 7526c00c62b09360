"""The Foxglove layout shipped for ``fly --live`` (assets/foxglove-live-layout.json,
docs/DESIGN.md §12) names only what the live server streams and serves: its topics, the
/state fields its plots read (the channel's JSON schema), its services, and a fault
request the server's own check accepts once the token is pasted in."""

from __future__ import annotations

import json
from typing import Any

import orjson

from trainer.live.protocol import CAMERA_TOPIC, SERVICES
from trainer.live.requests import check_request
from trainer.record.instructor import InstructorAction
from trainer.record.schemas import CHANNELS, STATE_SCHEMA
from trainer.resources import assets_dir

LAYOUT = json.loads((assets_dir() / "foxglove-live-layout.json").read_text(encoding="utf-8"))
TOPICS = {topic for topic, _ in CHANNELS} | {CAMERA_TOPIC}


def _panels(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    return _panels(node["first"]) + _panels(node["second"])


def _state_field(path: str) -> bool:
    schema: dict[str, Any] = STATE_SCHEMA
    for part in path.split("."):
        properties = schema.get("properties", {})
        if part not in properties:
            return False
        schema = properties[part]
    return True


def test_every_panel_is_configured_and_names_what_the_server_has() -> None:
    configs = LAYOUT["configById"]
    assert sorted(_panels(LAYOUT["layout"])) == sorted(configs)
    assert configs["3D!arm"]["topics"] == {"/tf": {"visible": True}}
    assert configs["3D!arm"]["followTf"] == "lvlh"  # the world frame of /tf (trainer/sim/frames.py)
    assert configs["Image!lee"]["imageMode"]["imageTopic"] == CAMERA_TOPIC
    for key, config in configs.items():
        for path in config.get("paths", []):
            topic, _, field = path["value"].partition(".")
            assert topic == "/state" and _state_field(field), (key, path["value"])
        if "topicPath" in config:
            assert config["topicPath"] in TOPICS, key
        if key.startswith("CallService!"):
            assert config["serviceName"] in SERVICES
            request = json.loads(config["requestPayload"])
            request["token"] = "7KQ2-M9XD-40TB"
            checked = check_request(
                config["serviceName"], orjson.dumps(request), "json", request["token"], 1
            )
            assert isinstance(checked, InstructorAction)
