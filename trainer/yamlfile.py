"""Reading a YAML file a user hands over, at a bounded cost (scenarios, bindings).

``yaml.safe_load`` refuses Python tags but nothing else a hostile or mistaken file can
ask for: a multi-megabyte file, nesting a few thousand levels deep (PyYAML's composer
recurses: a RecursionError), or a "billion laughs" alias bomb that expands a few hundred
bytes into 10**9 values for whatever walks the result. These two functions bound all of
it, so that a bad file is refused in a fraction of a second with one line:

| function        | bound                                        | raises                    |
|-----------------|----------------------------------------------|---------------------------|
| ``read_bounded``| a regular file (never blocks on a FIFO), at  | FileTooLargeError,        |
|                 | most ``max_bytes`` read, UTF-8               | UnicodeDecodeError, OSError |
| ``parse_bounded``| nesting depth and values (aliases expanded), | YamlBoundError (a        |
|                 | counted while composing; recursive aliases   | ``yaml.MarkedYAMLError``  |
|                 |                                              | naming line and column)   |

Each caller picks its bounds and says why (trainer.scenario.loader, trainer.input.bindings).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

from trainer.safeio import open_regular


class FileTooLargeError(Exception):
    """The file holds more than the bound; ``size`` when the file system told it."""

    def __init__(self, size: int | None, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.size = size
        self.limit = limit


class YamlBoundError(yaml.MarkedYAMLError):
    """A bound was crossed at ``problem_mark``; ``problem`` says which."""

    def __init__(self, problem: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem=problem, problem_mark=mark)


def read_bounded(path: Path, max_bytes: int) -> str:
    """The file's UTF-8 text, never reading more than ``max_bytes`` + 1 bytes. Only a
    regular file is read: a FIFO or a device is refused without blocking
    (trainer.safeio.open_regular: a NotRegularFileError, an OSError)."""
    with open_regular(path) as f:
        size = os.fstat(f.fileno()).st_size
        if size > max_bytes:
            raise FileTooLargeError(size, max_bytes)
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileTooLargeError(None, max_bytes)
    return data.decode("utf-8")


class _BoundedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that counts nesting depth and values (aliases expanded) as it
    composes, and stops at the first bound crossed; a recursive alias is refused too."""

    def __init__(self, stream: str, max_depth: int, max_values: int, what: str) -> None:
        super().__init__(stream)
        self._max_depth = max_depth
        self._max_values = max_values
        self._what = what
        self._depth = 0
        self._values = 0
        self._metrics: dict[int, tuple[int, int]] = {}  # id(node): (values, depth) expanded

    def _count(self, values: int, depth: int, mark: yaml.Mark | None) -> None:
        self._values += values
        if self._values > self._max_values:
            raise YamlBoundError(
                f"more than {self._max_values:,} values (aliases expanded): far more than "
                f"{self._what} holds (an alias bomb?)",
                mark,
            )
        if depth > self._max_depth:
            raise YamlBoundError(
                f"nested more than {self._max_depth} levels deep: not {self._what}", mark
            )

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            target = self.anchors.get(event.anchor)
            if target is not None:
                metrics = self._metrics.get(id(target))
                if metrics is None:
                    raise YamlBoundError(
                        f"alias *{event.anchor} refers to a node that contains it "
                        "(a recursive structure)",
                        event.start_mark,
                    )
                self._count(metrics[0], self._depth + metrics[1], event.start_mark)
            return super().compose_node(parent, index)
        mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
        self._depth += 1
        self._count(1, self._depth, mark)
        node = super().compose_node(parent, index)
        self._depth -= 1
        if node is None:
            return None
        children: list[Node] = []
        if isinstance(node, SequenceNode):
            children = list(node.value)
        elif isinstance(node, MappingNode):
            children = [n for pair in node.value for n in pair]
        values, depth = 1, 1
        for child in children:
            child_values, child_depth = self._metrics.get(id(child), (1, 1))
            values += child_values
            depth = max(depth, 1 + child_depth)
        self._metrics[id(node)] = (values, depth)
        return node


def parse_bounded(text: str, max_depth: int, max_values: int, what: str = "a file") -> Any:
    """``yaml.safe_load(text)`` within the bounds (``what`` names the kind of file in the
    messages). Raises YamlBoundError, or yaml.YAMLError for bad YAML."""
    if "\x00" in text:
        raise YamlBoundError(f"contains NUL bytes: a binary file, not {what}", None)
    loader = _BoundedLoader(text, max_depth, max_values, what)
    try:
        return loader.get_single_data()
    except RecursionError:  # the depth bound comes first; never a traceback regardless
        raise YamlBoundError(f"nested too deeply to read: not {what}", None) from None
    finally:
        loader.dispose()
