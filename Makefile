# chipsite: every command a reader or contributor needs. `make help` lists them.
# Only python3 (3.11+) and make are required; everything else comes from the lock file.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements/requirements.lock
DATA ?= data
ADDR ?= 127.0.0.1:8000
# pytest-xdist workers for `make test` (auto: one per CPU core; 0 runs the tests in one process).
TEST_WORKERS ?= auto
# How many times today's content `make bench-scale` builds beside today's site.
SCALE ?= 10
export PYTHONDONTWRITEBYTECODE := 1
# MkDocs 1.6 prints a notice about 2.0 on every run; the project stays on 1.x on purpose.
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help
.PHONY: help setup serve build validate test lint lint-workflows bench bench-scale new-page review lock clean

help: ## List every command
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	# The project itself, editable: the notebooks' kernel, the MkDocs hooks and the tests import
	# chipsite from scripts/. Its build backend (setuptools) comes from the lock above, so this
	# step needs no network and no hashes (a local folder has none).
	rm -f $(VENV)/lib/python3*/site-packages/chipsite.pth  # left by older versions of this Makefile
	$(BIN)/python -m pip install --quiet --no-index --no-deps --no-build-isolation --editable .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 > /dev/null
	touch $@

setup: $(STAMP) ## Create the Python environment from the lock file

serve: $(STAMP) ## Build and serve the site at http://127.0.0.1:8000 with live reload
	# --dirty: a rebuild renders only the pages whose inputs changed (scripts/chipsite/site/incremental.py).
	# The preview's own address: a plain build writes the published one (mkdocs.yml, site_url).
	SITE_URL="$${SITE_URL:-http://$(ADDR)/}" $(BIN)/mkdocs serve --strict --livereload --dirty -a $(ADDR)

build: $(STAMP) ## Build the static site into site/ (validates data, runs changed notebooks)
	$(BIN)/mkdocs build --strict

validate: $(STAMP) ## Validate the fact base (or another folder: make validate DATA=<folder>)
	@$(BIN)/python -m chipsite.validate $(DATA)

lint: $(STAMP) ## Lint code and notebooks, spelling and house style; notebooks stored without outputs
	$(BIN)/ruff check scripts tests notebooks
	@$(BIN)/ruff format --check scripts tests notebooks || { echo "Fix it with: .venv/bin/ruff format scripts tests notebooks"; exit 1; }
	$(BIN)/nbstripout --verify --keep-id notebooks/*.ipynb
	@$(BIN)/codespell docs notebooks README.md CONTRIBUTING.md data/README.md || { echo "Fix spelling as shown (American English; a wrongly flagged word goes in [tool.codespell] in pyproject.toml)"; exit 1; }
	$(BIN)/python -m chipsite.house_style

lint-workflows: $(STAMP) ## Lint the GitHub workflows with actionlint and zizmor
	$(BIN)/actionlint
	$(BIN)/zizmor --offline --min-severity high .github/workflows

test: $(STAMP) ## Run every check: lint, data, notebooks, strict build, browser tests
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory lint-workflows
	$(BIN)/python -m chipsite.validate data
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

bench: $(STAMP) ## Measure build time, page weight and Lighthouse scores against budgets
	$(BIN)/python -m chipsite.bench

bench-scale: $(STAMP) ## Build today's site and one with 10x the content: cold build, rebuilds, memory, time by phase
	$(BIN)/python -m chipsite.bench_scale --factor $(SCALE)

review: $(STAMP) ## Report what the working tree changes from BASE (default origin/main, else main): build/review/
	$(BIN)/python -m chipsite.review --base '$(subst ','\'',$(value BASE))'

new-page: $(STAMP) ## Scaffold a page: make new-page TITLE="..." [SECTION="..."] [SLUG="..."]
	$(BIN)/python -m chipsite.new_page --title '$(subst ','\'',$(value TITLE))' --section '$(subst ','\'',$(value SECTION))' --slug '$(subst ','\'',$(value SLUG))'

lock: $(STAMP) ## Re-create the lock files from requirements/*.in
	# rfc3987-syntax (and its lark) only adds jsonschema's optional IRI format check, which nothing here
	# uses, and building its grammar at import made every process that imports jsonschema a second slower.
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes \
		--no-emit-package rfc3987-syntax --no-emit-package lark requirements/requirements.in -o $(LOCK)
	# ProperDocs alone (the ProperDocs CI job); its dependencies are MkDocs' and come from the main lock.
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes --no-deps requirements/properdocs.in -o requirements/properdocs.lock

clean: ## Remove the built site and caches (keeps the environment)
	rm -rf site build .cache .pytest_cache
