# The two commands of the README are `make site` and `make test`.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup figures site serve test check clean

setup:
	@bash scripts/setup.sh

figures: setup
	$(PYTHON) -m generator build

site: figures
	$(VENV)/bin/mkdocs build --strict

serve: figures
	$(VENV)/bin/mkdocs serve

test:
	@bash scripts/setup.sh --browser
	$(PYTHON) -m pytest

check: setup
	$(PYTHON) -m generator check --cold

clean:
	rm -rf site .cache
