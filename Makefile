# Two commands do everything: `make demo` and `make test`. Both build a local
# virtual environment from scratch and install the package into it (not editable),
# so what runs is what a user gets from `pip install .`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml $(shell find advisor knowledge_base questionnaires reports samples -type f -not -name '*.pyc' 2>/dev/null)
	$(BIN)/python -m pip install --quiet ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/advisor demo

test: install
	$(BIN)/pytest -p no:cacheprovider

clean:
	rm -rf $(VENV) build dist *.egg-info
