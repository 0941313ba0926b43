# scalewatch: build, run, test and install.
#   make run      install what is missing, build, run the agent with config/agent.yml
#   make test     install what is missing, run the whole test suite (what CI runs)
#   make install  install the release binary, the systemd unit and the default config
#   make bench    side-by-side benchmarks against node_exporter, promtool's TSDB and
#                 VictoriaMetrics (not part of the tests; `make bench-store SCALE=20` adds the
#                 20-host scale run)
#   make fuzz     every libFuzzer target for FUZZ_SECONDS each (docs/fuzzing.md)
#   make sanitize the unit tests under AddressSanitizer, then ThreadSanitizer (slow: not in CI)

PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc
UNITDIR ?= /lib/systemd/system
RUN_DATA_DIR ?= $(CURDIR)/.scalewatch-data
SWIFT_BUILD_FLAGS ?=
# The shipped binary is linked as node_exporter's is: not position-independent, and exporting no
# symbols (the static stdlib's link file asks for -export-dynamic). At start the dynamic loader
# then has no 2.9 MB of relocations to read and apply (which also copied 1.1 MB of relocated
# data per process) and no 1.7 MB symbol table to page in: VmRSS after 100 scrapes went from
# 34.5 to 27.5 MB. Crash backtraces read .symtab, which stays.
RELEASE_FLAGS = -c release --static-swift-stdlib -Xlinker --no-export-dynamic -Xlinker -no-pie

# Debian packages the build, the tests and the benchmarks need.
APT_PACKAGES = pkg-config libsystemd-dev libzstd-dev zlib1g-dev libre2-dev zstd python3 python3-pip curl \
	systemd systemd-journal-remote prometheus prometheus-node-exporter wrk \
	postgresql python3-psycopg2 prometheus-postgres-exporter prometheus-alertmanager \
	openssl apache2-utils chromium w3m nginx haproxy cron
PIP_PACKAGES = prometheus_client
# Only the benchmarks' peers.
BENCH_APT_PACKAGES = victoria-metrics hyperfine

DEBUG_BIN = .build/debug/scalewatch
RELEASE_BIN = .build/release/scalewatch

.PHONY: all deps bench-deps apt-install bench-store build release run test unit-test integration-test install install-files uninstall bench clean fuzz sanitize sanitize-address sanitize-thread

all: build

# Idempotent: installs only what is missing, and asks apt for its lists only then.
deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"
	@python3 -c 'import prometheus_client' 2>/dev/null || python3 -m pip install -q $(PIP_PACKAGES)

bench-deps: deps
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(BENCH_APT_PACKAGES)"

apt-install:
	@missing=""; for p in $(PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps
	swift build $(SWIFT_BUILD_FLAGS)

release: deps
	swift build $(RELEASE_FLAGS)

# `make run` builds only when a source is newer than the binary: a no-op `swift build` still
# spends ~15 s planning here. `make build` always asks SwiftPM.
BUILD_INPUTS := Package.swift $(shell find Sources -type f 2>/dev/null)

$(DEBUG_BIN): $(BUILD_INPUTS)
	swift build $(SWIFT_BUILD_FLAGS)
	@touch $@

run: deps $(DEBUG_BIN)
	@mkdir -p $(RUN_DATA_DIR)
	$(DEBUG_BIN) agent --config config/agent.yml --data-dir $(RUN_DATA_DIR)

# The fuzz step's per-input limit is 30 s, not make fuzz's 10: a legitimate but heavy query
# under AddressSanitizer on a shared 2-core CI machine must not read as a hang; a real hang
# (no progress) still shows.
test: deps
	@$(MAKE) --no-print-directory unit-test integration-test fuzz FUZZ_SECONDS=20 FUZZ_TIMEOUT=30

unit-test:
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	@# Serial: the store's crash-simulation tests are CPU-bound and would starve the
	@# concurrency pool that the runner's deadline tests time.
	swift test --skip-build --no-parallel $(SWIFT_BUILD_FLAGS)

integration-test:
	bash scripts/integration_tests.sh $(DEBUG_BIN)

# Fuzzing: our modules instrumented (libFuzzer + AddressSanitizer), the dependencies as built.
# FUZZ_BUILD_PATH=.build (the default) shares the debug build's dependencies, so only our three
# modules compile again (~1.5 min), but the next plain build compiles them back; a path of its
# own (.build-fuzz) keeps the debug build as it is at the cost of building every dependency once.
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 2
FUZZ_BUILD_PATH ?= .build
FUZZ_TIMEOUT ?= 10

fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) FUZZ_BUILD_PATH=$(FUZZ_BUILD_PATH) FUZZ_TIMEOUT=$(FUZZ_TIMEOUT) bash Fuzz/run.sh

# Everything, dependencies included, built again with the sanitizer in a scratch path of its own.
sanitize: sanitize-address sanitize-thread

sanitize-address:
	swift build --build-tests --sanitize address --scratch-path .build-asan
	SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 swift test --skip-build --no-parallel --sanitize address --scratch-path .build-asan

sanitize-thread:
	swift build --build-tests --sanitize thread --scratch-path .build-tsan -Xswiftc -DSCALEWATCH_TSAN
	SWIFT_BACKTRACE=enable=no swift test --skip-build --no-parallel --sanitize thread --scratch-path .build-tsan -Xswiftc -DSCALEWATCH_TSAN

install: release
	@$(MAKE) --no-print-directory install-files BIN=$(RELEASE_BIN)

# The copying half of install, on its own so the tests can check it with the debug binary.
install-files:
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/scalewatch
	install -D -m 0644 config/scalewatch.service $(DESTDIR)$(UNITDIR)/scalewatch.service
	sed -i 's|/usr/local/bin/scalewatch|$(PREFIX)/bin/scalewatch|' $(DESTDIR)$(UNITDIR)/scalewatch.service
	@# The shipped rule pack is replaced by each install: operators override it from agent.yml
	@# (disabled_alerts, their own rule files), never by editing it.
	install -d $(DESTDIR)$(SYSCONFDIR)/scalewatch/rules
	install -m 0644 config/rules/*.yml $(DESTDIR)$(SYSCONFDIR)/scalewatch/rules/
	@# Never overwrite an operator's edited config.
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/scalewatch/agent.yml ]; then \
		echo "keeping existing $(DESTDIR)$(SYSCONFDIR)/scalewatch/agent.yml"; \
	else \
		install -D -m 0644 config/agent.yml $(DESTDIR)$(SYSCONFDIR)/scalewatch/agent.yml; \
	fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/scalewatch $(DESTDIR)$(UNITDIR)/scalewatch.service

bench: bench-deps release
	bash scripts/bench_agent.sh $(RELEASE_BIN)
	bash scripts/bench_store.sh .build/release

bench-store: bench-deps release
	SCALE=$(SCALE) bash scripts/bench_store.sh .build/release

clean:
	rm -rf .build $(RUN_DATA_DIR)
