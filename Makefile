# The front door. Every target creates .venv on first use; a fresh machine needs only Python 3.11.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
KERNEL := plan-tracker

.DEFAULT_GOAL := help
.PHONY: help env report data validate test test-fast lab bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))" >/dev/null
	@touch $(STAMP)

env: $(STAMP)  ## create .venv with the package, the test tools and the Jupyter kernel

report: $(STAMP)  ## render today's dated HTML reports into reports/YYYY-MM-DD/
	$(BIN)/python -m helpers render

data: $(STAMP)  ## rebuild everything in data/processed/ from data/raw/
	$(BIN)/python -m helpers build

validate: $(STAMP)  ## check data/raw/targets.csv and data/raw/statistics.csv
	$(BIN)/python -m helpers validate

test: $(STAMP)  ## unit tests, bad-input suite, nbval over every notebook, browser check
	$(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

test-fast: $(STAMP)  ## unit tests only (no notebooks, no rendering, no browser)
	$(BIN)/python -m pytest tests -m "not slow and not browser" -p no:cacheprovider

lab: $(STAMP)  ## JupyterLab on the notebooks with the project's kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: $(STAMP)  ## benchmarks: gap engine throughput, report render vs floor vs naive
	$(BIN)/python benchmarks/bench_gaps.py
	$(BIN)/python benchmarks/bench_render.py

clean:  ## remove .venv and build files (data/ and reports/ are kept)
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
