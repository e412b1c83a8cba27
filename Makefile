# storyline — two commands on a fresh machine with Python 3.11: `make demo`, `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STORYLINE := $(VENV)/bin/storyline
DEMO_DB ?= storyline.db

.PHONY: demo test install install-test install-bench bench clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or run make PYTHON=python3)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: $(PY) pyproject.toml
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e '.[test]'
	@touch $@

$(VENV)/.installed-bench: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e '.[bench]'
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-bench: $(VENV)/.installed-bench

demo: install
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(STORYLINE) ingest examples/corpus --source-from-dir --db $(DEMO_DB)
	$(STORYLINE) stats --db $(DEMO_DB)
	$(STORYLINE) stories --db $(DEMO_DB)
	$(STORYLINE) events --db $(DEMO_DB)
	@echo
	@echo "Browse it: $(STORYLINE) serve --db $(DEMO_DB)   (then open http://127.0.0.1:8000)"

test: install-test
	$(PY) -m pytest -q

# Benchmarks print figures; they read ../shared/data when present and skip what is absent.
# tilse's ROUGE-1.5.5 needs Debian's Perl XML parser: installed here when running as root.
bench: install-bench
	@perl -MXML::Parser -e1 2>/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq libxml-parser-perl; } || echo "warning: libxml-parser-perl missing; bench_timeline will fail to score"
	$(PY) bench/bench_ingest.py
	$(PY) bench/bench_ingest_dedup.py
	$(PY) bench/bench_cluster.py
	$(PY) bench/bench_dense.py
	$(PY) bench/bench_enrich.py
	$(PY) bench/bench_timeline.py
	$(PY) bench/bench_web.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
