# Two commands do everything: `make demo` and `make test`. Both build a local
# virtual environment from scratch and install the package into it (not editable),
# so what runs is what a user gets from `pip install .`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint install clean bench test-pythons messages

# uv fetches and installs the packages in parallel: a fresh clone's install took
# 42 s with pip and takes 15 s with uv. pip only installs uv; where no uv can be
# had, pip installs everything, as before.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv>=0.5" || echo "uv no se pudo instalar: se instala con pip"

# Compiled bytecode goes in at install time: with PYTHONDONTWRITEBYTECODE set, no
# run would ever write it, and every process would compile advisor again.
$(STAMP): $(BIN)/python pyproject.toml $(shell find advisor knowledge_base questionnaires reports samples -type f -not -name '*.pyc' 2>/dev/null)
	if [ -x $(BIN)/uv ]; then \
	  $(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode --reinstall-package advisor ".[test,clips]"; \
	else \
	  $(BIN)/python -m pip install --quiet ".[test,clips]"; \
	fi
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/advisor demo

# Lint and types alone (``make test`` runs both too).
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy advisor

# Two workers: the machines this runs on (CI's included) have two cores. Work
# stealing keeps both busy to the end, whatever order the long tests come in.
# ruff first (it names the line at fault in a second); mypy, half a minute from a
# fresh clone, runs beside the suite, whose browser and server tests leave the
# cores idle part of the time, and fails the target if it finds anything.
JOBS ?= 2
# A part of the suite only: make test TESTS=tests/test_golden.py
TESTS ?=
test: install
	$(BIN)/ruff check .
	@$(BIN)/mypy advisor > $(VENV)/mypy.out 2>&1 & types=$$!; \
	$(BIN)/pytest -p no:cacheprovider -n $(JOBS) --dist worksteal $(TESTS); status=$$?; \
	if wait $$types; then tail -n 1 $(VENV)/mypy.out; else cat $(VENV)/mypy.out; status=1; fi; \
	exit $$status

# Timings live here, not in the tests.
bench: install
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/fact_layout.py
	$(BIN)/python benchmarks/hostile_inputs.py
	$(BIN)/python benchmarks/workshop_load.py
	$(BIN)/python benchmarks/report_pages.py
	$(BIN)/python benchmarks/whatif.py
	$(BIN)/python benchmarks/whatif.py --engine clips
	$(BIN)/python benchmarks/whatif_web.py
	$(BIN)/python benchmarks/whatif_web.py --engine clips
	$(BIN)/python benchmarks/attack.py

# Every gettext catalog brought up to the code's and templates' texts; then
# translate what it lacks (README, "Translations and how to add a language").
messages: install
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --omit-header -o $(VENV)/advisor.pot .
	$(BIN)/pybabel update -i $(VENV)/advisor.pot -d advisor/locale -D advisor --no-fuzzy-matching --ignore-obsolete -w 100

clean:
	rm -rf $(VENV) .venv-python3.* build dist *.egg-info .mypy_cache .ruff_cache

# The suite on every Python we claim (3.11–3.13), each in its own venv.
PYTHONS ?= python3.11 python3.12 python3.13
test-pythons:
	@for py in $(PYTHONS); do \
	  command -v $$py >/dev/null || { echo "$$py no está instalado"; exit 1; }; \
	  $(MAKE) --no-print-directory test PYTHON=$$py VENV=.venv-$$py || exit 1; \
	done
