# Convolutional Networks from Scratch: every target sets itself up from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSIGNMENTS := $(notdir $(wildcard solutions/[0-9][0-9]_*))
# nbgrader runs `alembic` and `jupyter` from PATH: the venv comes first.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup demo test lint format release bundle lab work bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@# bubblewrap is the grader's sandbox; chromium drives the JupyterLab test; PostgreSQL's
	@# server backs the shared-gradebook test. All where we can.
	@missing=""; command -v bwrap >/dev/null || missing="bubblewrap"; \
	  command -v chromium >/dev/null || missing="$$missing chromium"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq $$missing >/dev/null || true; fi
	@command -v bwrap >/dev/null \
	  || echo "NOTE: bubblewrap is not installed; grading runs without the sandbox (limits only)."
	touch $(STAMP)

## make demo: grade the bundled sample class end to end and print the gradebook
demo: setup
	rm -rf build/demo
	for a in $$($(BIN)/python tests/make_class.py build/demo); do \
	  $(BIN)/python -m grader grade $$a --course build/demo || exit 1; done

## make test: lint, then every test (slow whole-notebook runs in parallel)
test: setup lint
	$(BIN)/python -m pytest -n auto

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make release: regenerate notebooks/ from solutions/ with nbgrader
release: setup
	for a in $(ASSIGNMENTS); do $(BIN)/nbgrader generate_assignment $$a --force || exit 1; done

## make bundle: the student bundle (released notebooks, data, package without hidden tests)
bundle: setup
	rm -rf build/student-bundle
	$(BIN)/python -m grader bundle build/student-bundle

## make lab: open your own copy of the course in JupyterLab (a terminal there has `python -m grader`)
# Its terminals read ~/.bashrc, then put the venv first, so `python` is the course's Python.
lab: setup work
	@printf '[ -f ~/.bashrc ] && . ~/.bashrc\nexport PATH="%s:$$PATH"\n' "$(CURDIR)/$(BIN)" \
	  > $(VENV)/terminal.rc
	cd work && $(CURDIR)/$(BIN)/jupyter lab \
	  --ServerApp.terminado_settings='{"shell_command": ["bash", "--rcfile", "$(CURDIR)/$(VENV)/terminal.rc", "-i"]}'

# work/ is the learner's copy of notebooks/: made once per notebook, never overwritten, not in git.
work:
	@mkdir -p work
	@for d in notebooks/*/; do [ -e "work/$$(basename $$d)" ] || cp -r "$$d" work/; done

## make bench: grading speed against nbgrader; convolution speed against NumPy's GEMM and PyTorch;
## the digits CNN of 07 against logistic regression and an MLP
bench: setup
	$(BIN)/python bench/grading_speed.py
	$(BIN)/python bench/conv_speed.py
	$(BIN)/python bench/digits_cnn.py

clean:
	rm -rf build .pytest_cache gradebook.db
