"""Benchmark: what a hostile scenario file costs before it is refused (docs/DESIGN.md §5).

Builds the files the tests' corpus holds (an alias bomb, deep nesting, a multi-megabyte
file, thousands of unknown keys, a Python tag) and times ``validate_file`` on each, in
process, with the peak Python memory it allocated (tracemalloc). Then the same through
the real command line (``python -m trainer.cli validate``), wall time per file including
the interpreter's start, for comparison with the shell's own ``python -c pass``. The
unplugged-pad stop is measured by tests/control/test_controlled_stop.py, not here.

Run: ``python bench/bench_bad_input.py``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from trainer.scenario.loader import validate_file


def corpus() -> dict[str, bytes]:
    bomb = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    return {
        "alias bomb (10**9 values)": "\n".join(bomb).encode(),
        "nested 5,000 levels": b"x: " + b"[" * 5000 + b"]" * 5000,
        "3 MiB of text": b"junk: " + b"x" * (3 * 1024 * 1024),
        "250 KiB of unknown keys": "\n".join(f"k{i}: {i}" for i in range(19_000)).encode(),
        "3,000 unknown keys": "\n".join(f"key{i}: {i}" for i in range(3000)).encode(),
        "python tag": b"id: !!python/object/apply:os.system ['true']\n",
    }


def main() -> None:
    files = corpus()
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for i, (name, data) in enumerate(files.items()):
            paths[name] = Path(tmp) / f"case{i}.yaml"
            paths[name].write_bytes(data)
        print(f"{'file':<28} {'size':>10} {'in process':>11} {'peak alloc':>11} {'lines':>6}")
        for name, path in paths.items():
            t0 = time.perf_counter()
            problems = validate_file(path)
            elapsed = time.perf_counter() - t0
            tracemalloc.start()  # a second run: tracemalloc slows the first one down 2-3x
            validate_file(path)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(
                f"{name:<28} {path.stat().st_size:>10,} {elapsed * 1e3:>8.1f} ms "
                f"{peak / 1e6:>8.2f} MB {len(problems):>6}"
            )
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare = time.perf_counter() - t0
        print(f"\ncommand line (python -c pass takes {bare * 1e3:.0f} ms here):")
        for name, path in paths.items():
            t0 = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "trainer.cli", "validate", str(path)],
                capture_output=True,
                text=True,
                check=False,
            )
            elapsed = time.perf_counter() - t0
            lines = len(result.stderr.splitlines())
            print(f"{name:<28} exit {result.returncode}  {elapsed * 1e3:>6.0f} ms  {lines} line(s)")


if __name__ == "__main__":
    main()
