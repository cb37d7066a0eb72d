# Two commands from a fresh clone:
#   make study   set up .venv and run the whole study (snakemake --cores 4)
#   make test    set up .venv and run the test suite (includes a real snakemake run)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: study test setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# The panel key links respondents across waves; it is made once per checkout
# and never committed (see README, "Panel linkage").
.panel-key:
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > .panel-key

study: $(STAMP) .panel-key
	$(BIN)/snakemake --cores 4

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf results logs .snakemake
