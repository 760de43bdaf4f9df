# kzcrisis: `make reproduce` runs the analysis, `make test` checks it.
# Both create .venv from the pinned lock file on first use; only Python 3.11 and make are needed.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-12)
CORPORA ?= ../shared/corpora
# torch build: cpu (default; the local wheel when pip finds one, else PyTorch's CPU index) or cuda
KZCRISIS_TORCH ?= cpu
CORPUS ?=
LAB_PORT ?= 8888
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg

.PHONY: venv reproduce lab test lint unit nbval bench lock models eval-models eval clean-reports resources

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	KZCRISIS_TORCH=$(KZCRISIS_TORCH) sh scripts/install-torch.sh $(PY) requirements.lock
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

# make reproduce CORPUS=my_articles/ runs the analysis and every numbered notebook on another
# corpus (written under reports/, the notebooks with CORPUS as their parameter)
reproduce: venv
	$(PY) -m kzcrisis analyze $(or $(CORPUS),data/raw) --out reports --figures
	$(PY) -m kzcrisis.notebooks --out reports/notebooks $(if $(CORPUS),--corpus $(CORPUS))
	@echo "Results: reports/tables/ (CSV), reports/figures/ (PNG, SVG, PDF),"
	@echo "         reports/articles/ (annotated HTML), reports/notebooks/ (executed, HTML),"
	@echo "         reports/manifest.json (inputs, versions, model checksums)"

# JupyterLab on the project's venv, notebooks/ open (LAB_PORT=8888; --allow-root for containers)
lab: venv
	$(VENV)/bin/jupyter lab --no-browser --port=$(LAB_PORT) --notebook-dir=notebooks \
		$(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

test: venv lint unit nbval

lint: venv
	$(VENV)/bin/ruff check kzcrisis tests benchmarks

unit: venv
	$(PY) -m pytest -q

nbval: venv
	$(PY) -m pytest -q $(NBVAL) notebooks/

bench: venv
	$(PY) -m benchmarks

lock:
	$(PY) -m piptools compile --quiet --all-extras --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.lock pyproject.toml
	# pip-compile records the local CPU wheel as torch==2.13.0+cpu, a version PyPI lacks
	sed -i 's/^torch==\([0-9.]*\)+cpu/torch==\1/' requirements.lock

# the CLDR state rows of the actor base (needs Babel, a dev dependency); rebuilds identically
resources: venv
	$(PY) -m kzcrisis.resources.build_states

models: venv
	$(PY) -m kzcrisis.models.train --corpora $(CORPORA)

eval: venv
	$(PY) -m kzcrisis.eval_attribution --corpora $(CORPORA)
	$(PY) -m kzcrisis.evaluate --out reports/stance_claims_eval.csv

eval-models: venv
	$(PY) -m kzcrisis.models.evaluate --corpora $(CORPORA) --out reports/model_scores.csv
