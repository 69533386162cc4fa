# The front door. Every target creates .venv on first use; a fresh machine needs only Python 3.11.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
KERNEL := plan-tracker

.DEFAULT_GOAL := help
.PHONY: help env report data validate test test-fast lab bench soak clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))" >/dev/null
	@# Notebooks are stored without outputs (but their key figures): see scripts/nbclean.py.
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
	  git config filter.nbclean.clean '.venv/bin/python scripts/nbclean.py'; fi
	@touch $(STAMP)

env: $(STAMP)  ## create .venv with the package, the test tools and the Jupyter kernel

PLAN ?= all

report: $(STAMP)  ## render today's reports of every plan (PLAN=name for one) into reports/<plan>/YYYY-MM-DD/
	$(BIN)/python -m helpers render --plan $(PLAN)

data: $(STAMP)  ## rebuild data/processed/<plan>/ of every plan from data/raw/
	@for p in $$(ls data/raw); do [ -f data/raw/$$p/plan.json ] && $(BIN)/python -m helpers build --plan $$p || exit 1; done

validate: $(STAMP)  ## check every plan's plan.json, targets.csv and statistics.csv
	@for p in $$(ls data/raw); do [ -f data/raw/$$p/plan.json ] && echo "$$p:" && $(BIN)/python -m helpers validate --plan $$p || exit 1; done

test: $(STAMP)  ## unit tests, bad-input suite, nbval over every notebook, browser check
	$(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

test-fast: $(STAMP)  ## unit tests only (no notebooks, no rendering, no browser)
	$(BIN)/python -m pytest tests -m "not slow and not browser" -p no:cacheprovider

LAB_PORT ?= 8888

lab: $(STAMP)  ## JupyterLab rooted at the repository, opening the tour (works as root; open the printed URL)
	$(BIN)/jupyter lab --notebook-dir=. --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb \
		--no-browser --ip=127.0.0.1 --port=$(LAB_PORT) \
		$$( [ "$$(id -u)" = 0 ] && echo --allow-root )

bench: $(STAMP)  ## benchmarks: gap engine throughput, extract on 1 MB of text, report render vs floor vs naive
	$(BIN)/python benchmarks/bench_gaps.py
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_render.py

SOAK_TRIALS ?= 50
SOAK_LOAD ?= 2

soak: $(STAMP)  ## interrupt SOAK_TRIALS renders at spread moments under SOAK_LOAD busy processes: hangs, leftovers, exit times
	$(BIN)/python benchmarks/soak_interrupts.py --trials $(SOAK_TRIALS) --load $(SOAK_LOAD)

clean:  ## remove .venv and build files (data/ and reports/ are kept)
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
	@# The notebooks' git filter runs .venv's Python: without it git would print an error per notebook.
	@git config --unset filter.nbclean.clean 2>/dev/null || true
