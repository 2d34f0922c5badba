# The two quick-start commands: `make demo` and `make test`. Both bootstrap .venv from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_OUT ?= demo-out

.PHONY: demo test lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/binome simulate --config config/example.toml --months 3 --out $(DEMO_OUT) --seed 7

test: $(STAMP)
	$(BIN)/ruff check agent tests bench
	$(BIN)/mypy agent
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_year.py
	$(BIN)/python bench/bench_google.py
	$(BIN)/python bench/bench_digest.py

clean:
	rm -rf $(VENV) $(DEMO_OUT)
