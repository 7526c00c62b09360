"""Where a result was made: the environment fingerprint every recording carries
(docs/DESIGN.md §7 metadata, §10 the determinism domain).

A replay reproduces a session bit for bit within the determinism domain: the same trainer
version and lock file (so the same pybullet build and numpy), the same C library, and a
CPU on the same side of the line glibc draws for its libm (FMA and AVX2, or not:
pybullet's steps call ``sin`` and ``cos`` there). The fingerprint names each of those, and
what a user can set to change the machine's arithmetic (``OPENBLAS_*`` such as
``OPENBLAS_CORETYPE``, ``NPY_DISABLE_CPU_FEATURES``, ``GLIBC_TUNABLES``), so ``replay --verify`` can show an
instructor what differs between the machine that recorded a session and the one that
replays it (``differences``).

| key            | what                                                                  |
|----------------|-----------------------------------------------------------------------|
| trainer        | the trainer's version                                                 |
| lock_sha256    | SHA-256 of requirements.lock as shipped with the trainer (null: none) |
| python         | implementation, version and compiler                                  |
| numpy          | version and the SIMD groups it dispatches to (baseline + found)       |
| blas           | the BLAS numpy was built with, and the kernel OpenBLAS picked here    |
| pybullet       | version, API version and the SHA-256 of its compiled module (its build) |
| os, libc       | the operating system and C library                                    |
| cpu, simd_level | the CPU model and its x86-64 level (v1…v4)                           |
| libm_path      | the code glibc's libm runs here: fma, fma4, avx or sse2 (docs/DESIGN.md §10) |
| settings       | the environment variables above, when set                             |

Everything is read once per process and never raises: a value that cannot be read is
``"unknown"``. Nothing here feeds the simulation.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import hashlib
import importlib
import os
import platform
import sys
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from trainer import __version__

UNKNOWN = "unknown"
# The variables that change which arithmetic a process runs (docs/DESIGN.md §10): every
# OPENBLAS_* (kernel, cache sizes, threads) and these.
SETTINGS = ("NPY_DISABLE_CPU_FEATURES", "NPY_ENABLE_CPU_FEATURES", "GLIBC_TUNABLES")
_LOCK_NAME = "requirements.lock"
_PACKAGE_DIR = Path(__file__).resolve().parent

# x86-64 micro-architecture levels (the psABI's), by the /proc/cpuinfo flags each needs.
_LEVELS: tuple[tuple[str, frozenset[str]], ...] = (
    ("x86-64-v2", frozenset({"cx16", "lahf_lm", "popcnt", "sse4_1", "sse4_2", "ssse3"})),
    (
        "x86-64-v3",
        frozenset({"avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"}),
    ),
    ("x86-64-v4", frozenset({"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"})),
)


def lock_path() -> Path | None:
    """requirements.lock: inside an installed wheel, or at the top of a source checkout."""
    for candidate in (_PACKAGE_DIR / "_data" / _LOCK_NAME, _PACKAGE_DIR.parent / _LOCK_NAME):
        if candidate.is_file():
            return candidate
    return None


def _lock_sha256() -> str | None:
    path = lock_path()
    if path is None:
        return None
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _cpu_info() -> tuple[str, frozenset[str]]:
    """The CPU's model name and flags (Linux /proc/cpuinfo; elsewhere what platform says)."""
    model, flags = platform.processor() or UNKNOWN, frozenset[str]()
    with contextlib.suppress(OSError, UnicodeDecodeError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition(":")
            key = key.strip()
            if key == "model name" and model in (UNKNOWN, "", platform.machine()):
                model = value.strip()
            elif key == "flags" and not flags:
                flags = frozenset(value.split())
            if flags and model not in (UNKNOWN, ""):
                break
    return model, flags


def simd_level(flags: frozenset[str]) -> str:
    """The highest x86-64 level every flag of which the CPU has."""
    if not flags:
        return UNKNOWN
    level = "x86-64-v1"
    for name, needs in _LEVELS:
        if not needs <= flags:
            break
        level = name
    return level


def libm_path(flags: frozenset[str], tunables: str) -> str:
    """Which code glibc's libm (sin, cos, exp, …) selects on this CPU: its FMA build needs
    FMA and AVX2, then FMA4, then AVX, else the SSE2 baseline; ``glibc.cpu.hwcaps`` in
    GLIBC_TUNABLES can switch features off (sysdeps/x86_64/fpu/multiarch/ifunc-avx-fma4.h)."""
    if not flags:
        return UNKNOWN
    off: set[str] = set()
    for item in tunables.split(":"):
        name, _, value = item.partition("=")
        if name.strip() == "glibc.cpu.hwcaps":
            off.update(v[1:].lower() for v in value.split(",") if v.startswith("-"))
    usable = flags - {f.removesuffix("_usable") for f in off}
    if {"fma", "avx2"} <= usable:
        return "fma"
    if "fma4" in usable:
        return "fma4"
    if "avx" in usable:
        return "avx"
    return "sse2"


def _numpy_simd() -> str:
    """numpy's SIMD groups: the build's baseline and those found and enabled here (what
    numpy.show_runtime() prints)."""
    try:
        umath: Any = importlib.import_module("numpy._core._multiarray_umath")  # as show_runtime()

        baseline = list(umath.__cpu_baseline__)
        found = [f for f in umath.__cpu_dispatch__ if umath.__cpu_features__.get(f)]
    except (ImportError, AttributeError):
        return UNKNOWN
    return f"baseline {' '.join(baseline) or '-'}; found {' '.join(found) or '-'}"


def numpy_simd_found() -> list[str]:
    """The SIMD groups numpy found and enabled above its baseline (``numpy.show_runtime``)."""
    text = _numpy_simd()
    _, _, found = text.partition("found ")
    return [] if found in ("", "-") else found.split()


def _blas() -> str:
    """The BLAS numpy was built with, and the kernel OpenBLAS chose on this CPU."""
    try:
        import numpy as np

        config: Any = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        text = f"{blas.get('name', UNKNOWN)} {blas.get('version', '')}".strip()
    except (ImportError, KeyError, TypeError, AttributeError):
        return UNKNOWN
    core = _openblas_core()
    return f"{text}, kernel {core}" if core else text


def _openblas_core() -> str | None:
    """OpenBLAS's own name of the kernel set it runs (Haswell, SkylakeX, …), asked through
    the library numpy loaded; None when it is not OpenBLAS or cannot be asked."""
    try:
        import numpy as np
    except ImportError:
        return None
    libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for library in sorted(libs.glob("lib*openblas*.so*")) if libs.is_dir() else []:
        try:
            handle = ctypes.CDLL(str(library))
        except OSError:
            continue
        for symbol in (
            "scipy_openblas_get_corename64_",
            "scipy_openblas_get_corename",
            "openblas_get_corename64_",
            "openblas_get_corename",
        ):
            function = getattr(handle, symbol, None)
            if function is not None:
                function.restype = ctypes.c_char_p
                name = function()
                return name.decode("ascii", "replace") if name else None
    return None


def _pybullet() -> str:
    """pybullet's version and the hash of its compiled module, as its wheel's RECORD
    lists it: the build, not only the version, is in the domain."""
    try:
        dist = metadata.distribution("pybullet")
    except metadata.PackageNotFoundError:
        return UNKNOWN
    build = UNKNOWN
    for entry in dist.files or ():
        if entry.name.startswith("pybullet.") and entry.name.endswith((".so", ".pyd")):
            if entry.hash is not None:
                build = f"{entry.hash.mode}:{entry.hash.value}"
            break
    return f"{dist.version} ({build})"


def _libc() -> str:
    name, version = platform.libc_ver()
    return f"{name} {version}".strip() or UNKNOWN


@functools.cache
def fingerprint() -> dict[str, str | None]:
    """This process's environment fingerprint (module docstring), read once."""
    model, flags = _cpu_info()
    names = sorted(k for k in os.environ if k.startswith("OPENBLAS_")) + list(SETTINGS)
    settings = "; ".join(f"{k}={os.environ[k]}" for k in names if os.environ.get(k))
    try:
        import numpy as np

        numpy_version = np.__version__
    except ImportError:
        numpy_version = UNKNOWN
    return {
        "trainer": __version__,
        "lock_sha256": _lock_sha256(),
        "python": f"{platform.python_implementation()} {platform.python_version()} "
        f"({platform.python_compiler()})",
        "numpy": f"{numpy_version} ({_numpy_simd()})",
        "blas": _blas(),
        "pybullet": _pybullet(),
        "os": platform.platform(),
        "libc": _libc(),
        "cpu": f"{model} ({platform.machine() or UNKNOWN})",
        "simd_level": simd_level(flags),
        "libm_path": libm_path(flags, os.environ.get("GLIBC_TUNABLES", "")),
        "settings": settings or None,
    }


# What decides the arithmetic of a replay (docs/DESIGN.md §10): a difference in any of
# these can change the bits; the others (the OS release, the CPU model) are shown for the
# record.
DECIDING = ("trainer", "lock_sha256", "python", "numpy", "pybullet", "libc", "libm_path")


def differences(
    recorded: Mapping[str, object], here: Mapping[str, object] | None = None
) -> list[tuple[str, object, object]]:
    """(key, recorded, here) for every fingerprint key whose values differ."""
    now = fingerprint() if here is None else here
    keys = list(now) + [k for k in recorded if k not in now]
    return [(k, recorded.get(k), now.get(k)) for k in keys if recorded.get(k) != now.get(k)]


def main() -> int:
    """``python -m trainer.fingerprint``: print this machine's fingerprint."""
    for key, value in fingerprint().items():
        print(f"{key:12} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
