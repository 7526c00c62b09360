# Two commands do all the setup on a fresh machine: `make fly` and `make test`.
# Both install the system libraries the window and its tests need (Mesa's EGL/GL, Xvfb,
# ImageMagick for the window's screenshots, Chromium for the debrief page test) when they
# are missing and this user may install them, then create .venv (Python 3.11 where present:
# pybullet ships wheels for it) and install the exact versions and hashes of
# requirements.lock, then the package itself (docs/DESIGN.md §10: a locked install is part
# of the determinism domain). `make lock` refreshes the lock from pyproject.toml's ranges.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LOCK := requirements.lock
HEADLESS := SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy

.PHONY: fly test lint typecheck pytest bench clean system-deps lock

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	sh tools/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check || { echo "$(LOCK) does not satisfy pyproject.toml: run make lock"; exit 1; }
	touch $(STAMP)

# The lock: every runtime, campaign (Dask, docs/DESIGN.md §12) and development dependency
# with its exact version and hashes, for every platform uv covers (Python 3.11 first);
# commit the result.
lock:
	test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet uv; }
	$(BIN)/uv pip compile pyproject.toml --extra campaign --extra dev --generate-hashes --universal \
		--python-version 3.11 --custom-compile-command "make lock" --quiet -o $(LOCK)

system-deps:
	sh tools/system-deps.sh

fly: $(STAMP)
	$(BIN)/canadarm-trainer fly crs20-capture

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(HEADLESS) $(BIN)/python -m pytest -q

bench: $(STAMP)
	$(HEADLESS) $(BIN)/python bench/bench_world.py
	$(HEADLESS) $(BIN)/python bench/bench_control.py
	$(HEADLESS) $(BIN)/python bench/bench_grade.py
	$(HEADLESS) $(BIN)/python bench/bench_batch.py
	$(HEADLESS) $(BIN)/python bench/bench_env.py
	$(HEADLESS) $(BIN)/python bench/bench_campaign.py
	$(HEADLESS) $(BIN)/python bench/bench_render.py
	$(HEADLESS) $(BIN)/python bench/bench_replay.py
	$(HEADLESS) $(BIN)/python bench/bench_bad_input.py
	$(BIN)/python bench/bench_window.py  # starts its own Xvfb
	$(BIN)/python bench/bench_live.py  # starts its own Xvfb

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
