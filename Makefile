# The two quick-start commands: `make demo` and `make test`. Both bootstrap .venv from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_OUT ?= demo-out

.PHONY: demo demo-servers test lint typecheck bench docs screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/binome simulate --config config/example.toml --months 3 --out $(DEMO_OUT) --seed 7

# The simulated month over real servers on this machine (Dovecot, SMTP, Radicale): see
# demo/servers.py. Dovecot comes from Debian (apt-get install dovecot-imapd dovecot-lmtpd).
demo-servers: $(STAMP)
	$(BIN)/python demo/servers.py

test: $(STAMP)
	$(BIN)/ruff check agent tests bench docs demo
	$(BIN)/mypy agent
	$(BIN)/lint-imports pyproject.toml
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_year.py
	$(BIN)/python bench/bench_google.py
	$(BIN)/python bench/bench_graph.py
	$(BIN)/python bench/bench_digest.py
	$(BIN)/python bench/bench_faults.py
	$(BIN)/python bench/bench_inbox.py
	$(BIN)/python bench/bench_upkeep.py

# The architecture picture and figures, drawn from the code (docs/architecture.md).
docs: $(STAMP)
	$(BIN)/python docs/architecture.py

# The admin guide's screenshots (docs/img), drawn by Debian's Chromium from the demo's output.
screenshots: demo
	$(BIN)/python docs/screenshots.py $(DEMO_OUT) docs/img

clean:
	rm -rf $(VENV) $(DEMO_OUT) demo-servers-out
