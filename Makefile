# The two commands of the README are `make site` and `make test`; `make help` lists the rest.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup figures site serve test check clean

help: ## this list
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: ## create .venv with the pinned packages (constraints.txt)
	@bash scripts/setup.sh

figures: setup ## train what is missing and render every stale figure (python -m generator build)
	$(PYTHON) -m generator build

site: figures ## figures, then the site into site/ (mkdocs build --strict)
	$(VENV)/bin/mkdocs build --strict

serve: figures ## figures, then preview at http://127.0.0.1:8000/ while you write
	$(VENV)/bin/mkdocs serve

test: ## every test (unit, smoke builds, pages, Chromium); installs chromium if missing
	@bash scripts/setup.sh --browser
	$(PYTHON) -m pytest

check: setup ## rebuild everything from scratch in a temp folder and compare bytes with figures/
	$(PYTHON) -m generator check --cold

clean: ## delete site/ and the model cache (the next build retrains)
	rm -rf site .cache
