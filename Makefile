# Two commands from a fresh clone:
#   make study   set up .venv from the runtime lock and run the whole study (snakemake --cores 4)
#   make test    check the system packages, set up .venv from the dev lock, run the test suite
# For a SLURM cluster (README, "On a cluster"):
#   make setup-cluster   .venv from the cluster lock: the runtime lock plus the SLURM plugins
# After changing a pin in pyproject.toml:
#   make lock    regenerate requirements/runtime.txt and requirements/dev.txt (with hashes)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
LOCK_RUNTIME := requirements/runtime.txt
LOCK_DEV := requirements/dev.txt
LOCK_CLUSTER := requirements/cluster.txt
# Debian packages. The study: WeasyPrint's Pango (and HarfBuzz-Subset, which changes
# how fonts are subset, so the PDF's bytes) and the report's DejaVu fonts. The tests add
# Chromium (tests/test_browser.py) and a single-node SLURM cluster (tests/test_slurm.py).
SYSTEM_STUDY := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-dejavu-extra
SYSTEM_TEST := $(SYSTEM_STUDY) chromium slurmctld slurmd slurm-client munge

.PHONY: study test setup setup-dev setup-cluster system system-study lock clean

setup: $(VENV)/.installed-runtime
setup-dev: $(VENV)/.installed-dev
setup-cluster: $(VENV)/.installed-cluster

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exactly the locked versions, each checked against its sha256; then the package
# itself, built with the locked setuptools (no unhashed download at build time).
$(VENV)/.installed-runtime: $(LOCK_RUNTIME) | $(BIN)/python
	$(PIP) install --require-hashes --no-deps -r $(LOCK_RUNTIME)
	$(PIP) install --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-dev: $(LOCK_DEV) | $(BIN)/python
	$(PIP) install --require-hashes --no-deps -r $(LOCK_DEV)
	$(PIP) install --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-cluster: $(LOCK_CLUSTER) | $(BIN)/python
	$(PIP) install --require-hashes --no-deps -r $(LOCK_CLUSTER)
	$(PIP) install --no-deps --no-build-isolation -e .
	touch $@

# The runtime lock from pyproject.toml's dependencies (plus the build backend), then
# the dev and cluster locks with their extras, held to the runtime lock's versions. uv keeps every
# version already in a lock unless a pin forces a change; hashes of every file on PyPI.
BUILD_REQUIRES = $(BIN)/python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['build-system']['requires'], sep='\n')"
UV_COMPILE = $(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes --custom-compile-command 'make lock'

lock: $(VENV)/.installed-dev
	$(BUILD_REQUIRES) | $(UV_COMPILE) pyproject.toml - -o $(LOCK_RUNTIME)
	$(BUILD_REQUIRES) | $(UV_COMPILE) pyproject.toml - --extra dev -c $(LOCK_RUNTIME) -o $(LOCK_DEV)
	$(BUILD_REQUIRES) | $(UV_COMPILE) pyproject.toml - --extra cluster -c $(LOCK_RUNTIME) -o $(LOCK_CLUSTER)

# Missing Debian packages are installed when running as root (CI); otherwise one line
# says which are missing and how to install them, and make stops.
# Without dpkg (not Debian) `make study` only names what the PDF needs; `make test` stops.
system-study:
	@$(MAKE) --no-print-directory _system PACKAGES="$(SYSTEM_STUDY)" NOT_DEBIAN=0
system:
	@$(MAKE) --no-print-directory _system PACKAGES="$(SYSTEM_TEST)" NOT_DEBIAN=1
_system:
	@command -v dpkg >/dev/null || { echo "make: not Debian; this needs the equivalents of: $(PACKAGES)" >&2; exit $(NOT_DEBIAN); }; \
	missing=$$(for p in $(PACKAGES); do dpkg -s $$p 2>/dev/null | grep -q '^Status: install ok installed' || echo $$p; done); \
	missing=$$(echo $$missing); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "make: installing Debian packages: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
		echo "make: missing Debian packages: $$missing; install them with: sudo apt-get install -y --no-install-recommends $$missing" >&2; exit 1; \
	fi

# The panel key links respondents across waves; it is made once per checkout
# and never committed (see README, "Panel linkage"); only its owner may read it
# (a cluster run refuses a key file others can read).
.panel-key:
	(umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > .panel-key)

study: system-study $(VENV)/.installed-runtime .panel-key
	$(BIN)/snakemake --cores 4

test: system $(VENV)/.installed-dev
	$(BIN)/python -m pytest

clean:
	rm -rf results logs .snakemake
