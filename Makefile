# Two commands do all set-up on a fresh machine: `make site` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test check serve bench clean

$(STAMP): requirements.txt requirements-test.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

site: $(STAMP)
	$(PY) build.py build

check: $(STAMP)
	$(PY) build.py check

serve: $(STAMP)
	$(PY) build.py serve

# axe-core (accessibility checks in the browser tests) comes from npm, pinned in package-lock.json
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: the accessibility tests will be skipped"; fi

test: $(STAMP) node_modules/.installed
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/run.py
	$(PY) bench/reload.py

clean:
	rm -rf site .pytest_cache
