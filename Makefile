# Two commands do all the setup on a fresh machine: `make fly` and `make test`.
# Both create .venv (Python 3.11 where present: pybullet ships wheels for it) and install
# the package with its development tools.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HEADLESS := SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy

.PHONY: fly test lint typecheck pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

fly: $(STAMP)
	$(BIN)/canadarm-trainer fly

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

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
