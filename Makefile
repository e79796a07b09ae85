# One command per job: `make demo`, `make test`, `make pkg`, `make bench`. Each installs what it is missing first.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# The toolchain that builds wasm32 here, as scripts/setup.sh found it (empty on a normal rustup machine).
WITH_TOOLCHAIN := source target/toolchain.env &&
WASM_TARGET := --target wasm32-unknown-unknown
WASM_RUNNER := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
# The three engines of the browser suites, each as wasm-bindgen-test-runner drives it (one driver variable
# set, or it takes the first driver on PATH). WebKitGTK's WebKitWebDriver speaks the W3C protocol the runner's
# Safari driver speaks, and needs a display (Xvfb).
ENGINES := "chromium CHROMEDRIVER=$$(command -v chromedriver)" "firefox GECKODRIVER=$$(command -v geckodriver)" \
  "webkit SAFARIDRIVER=$$(command -v WebKitWebDriver) xvfb-run -a"
DEMO_PORT ?= 8080
# The browser build's flags (pkg): panic = "immediate-abort" needs nightly and std rebuilt (-Z build-std); the
# legacy mangling keeps the closure shims' export names short (nightly's v0 names run to 200 characters); a
# panic that traps at once never reports where it was, so the source locations go too (0.3 KiB gzip).
BROWSER_RUSTFLAGS := -Zunstable-options -Cpanic=immediate-abort -Csymbol-mangling-version=legacy -Zlocation-detail=none

# The fuzz targets (fuzz/fuzz_targets) and how long `make fuzz` runs each, in seconds.
FUZZ_TARGETS := decoders encoders notification html_form next_action parse_return integrity url json
FUZZ_SECONDS ?= 30
# Inputs may grow to the size limits (256 KiB bodies and documents), where the worst shapes live.
FUZZ_MAX_LEN ?= 262144
# No sanitizer: the core forbids unsafe code (src/core/mod.rs), so AddressSanitizer has nothing to find there and
# would cost four to five times the executions (json: 11,000 against 52,000 a second); bounds checks stay on.
FUZZ := cd fuzz && cargo +nightly fuzz
FUZZ_FLAGS := -O -s none

.PHONY: setup test lint test-native test-wasm test-package test-packaging test-fuzz pkg demo bench fuzz clean

setup:
	@bash scripts/setup.sh

test: setup lint test-native test-wasm test-package test-packaging test-fuzz
	@echo "make test: every suite passed"

lint:
	@echo "== rustfmt, clippy (host, wasm32, and the fuzz targets on the nightly toolchain cargo-fuzz uses)"
	cargo fmt --check
	cd fuzz && cargo fmt --check
	$(WITH_TOOLCHAIN) cargo clippy --quiet --all-targets -- -D warnings
	$(WITH_TOOLCHAIN) cargo clippy --quiet --all-targets $(WASM_TARGET) -- -D warnings
	$(WITH_TOOLCHAIN) cargo clippy --quiet --all-targets $(WASM_TARGET) --no-default-features -- -D warnings
	cd fuzz && cargo +nightly clippy --quiet --all-targets -- -D warnings

test-native:
	@echo "== native tests (core, property tests, doc tests)"
	$(WITH_TOOLCHAIN) cargo test --quiet

test-wasm:
	@echo "== wasm-bindgen-test: the full build in Node; the browser build in a page and a dedicated worker of Chromium, Firefox and WebKitGTK"
	$(WITH_TOOLCHAIN) $(WASM_RUNNER) cargo test $(WASM_TARGET) --test wasm_node
	@for engine in $(ENGINES); do \
	  set -- $$engine; name=$$1; shift; \
	  for suite in wasm_browser wasm_worker; do \
	    echo "wasm-bindgen-test: $$suite in $$name"; \
	    ($(WITH_TOOLCHAIN) env $(WASM_RUNNER) "$$@" cargo test $(WASM_TARGET) --test $$suite --no-default-features 2>&1 \
	      | grep -E "^Running headless tests in|^test result|FAILED|panicked|^error") || exit 1; \
	  done; \
	done

pkg: setup
	@echo "== building the npm package into pkg/"
	@# Each build: cargo, then wasm-bindgen's glue for ES modules (target/bindgen/<build>), which
	@# scripts/assemble-pkg.mjs shrinks with wasm-opt and merges with pkg-config/.
	@# The full build serves servers and edge workers, where speed counts more than bytes: opt-level "s" decodes
	@# 35% faster than the browser build's "z" (Cargo.toml) for 16 KiB more gzip (README, Benchmark).
	$(WITH_TOOLCHAIN) CARGO_PROFILE_RELEASE_OPT_LEVEL=s cargo build --quiet --release --lib $(WASM_TARGET)
	wasm-bindgen --target web --out-dir target/bindgen/full --out-name threeds_kit \
	  target/wasm32-unknown-unknown/release/threeds_kit.wasm
	@# The browser build is compiled on nightly, with std rebuilt for panic = "immediate-abort": a panic traps at
	@# once, as it already does with "abort" (wasm32 has nowhere to print), but core's panic paths no longer
	@# format their messages, which takes 8 KiB gzip off what a checkout page downloads (README, Benchmark).
	@# Its own target directory keeps these flags from rebuilding the stable builds' cache.
	RUSTFLAGS="$(BROWSER_RUSTFLAGS)" cargo +nightly build --quiet --release --lib $(WASM_TARGET) --no-default-features \
	  -Z build-std=std,panic_abort --target-dir target/browser
	wasm-bindgen --target web --out-dir target/bindgen/browser --out-name threeds_kit \
	  target/browser/wasm32-unknown-unknown/release/threeds_kit.wasm
	node scripts/assemble-pkg.mjs

# The browser suites run in each engine over WebDriver (tests/package/browsers.mjs); engine-report.mjs records
# each scenario's result per engine, and browser-table.mjs holds the README's browser table to that record.
test-package: pkg
	@echo "== the packed package, as users import it: Node, workerd, and Chromium, Firefox ESR, WebKitGTK"
	$(WITH_TOOLCHAIN) cargo build --quiet --example differential
	node tests/package/install.mjs
	node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
	  --test-reporter=./tests/package/engine-report.mjs --test-reporter-destination=stdout tests/package/
	node scripts/browser-table.mjs --check

# Each bundler's scratch project (tests/packaging/projects: exact versions, a lockfile) installs its own
# dependencies into tests/packaging/scratch on the first run, and again only when its lockfile changes.
test-packaging: pkg
	@echo "== the packed package built by Vite 5-8, webpack, Parcel, esbuild, Rollup and Next.js, run in Chromium, Firefox ESR and WebKitGTK"
	node --test --test-concurrency=1 tests/packaging/

test-fuzz:
	@echo "== every fuzz target over its checked-in corpus (fuzz/corpus), nightly toolchain"
	$(FUZZ) build $(FUZZ_FLAGS)
	@for t in $(FUZZ_TARGETS); do \
	  echo "fuzz replay: $$t ($$(ls fuzz/corpus/$$t | wc -l) inputs)"; \
	  ($(FUZZ) run $(FUZZ_FLAGS) $$t corpus/$$t -- -runs=0 -max_len=$(FUZZ_MAX_LEN) -rss_limit_mb=2048 2>&1 | tail -n 2) || exit 1; \
	done

fuzz: setup
	@echo "== fuzzing each target for $(FUZZ_SECONDS) s (FUZZ_SECONDS=...); new inputs land in fuzz/corpus"
	@for t in $(FUZZ_TARGETS); do \
	  ($(FUZZ) run $(FUZZ_FLAGS) $$t corpus/$$t -- -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) -rss_limit_mb=2048 -print_final_stats=1 2>&1 \
	    | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)|SUMMARY|panicked") || exit 1; \
	done

demo: pkg
	node www/server.mjs --port $(DEMO_PORT)

bench: pkg
	node benches/run.mjs
	@echo "== cost of the worst-case inputs (tests/cost/shapes.rs), host, release"
	$(WITH_TOOLCHAIN) cargo bench --quiet --bench cost

clean:
	rm -rf pkg target/bindgen target/browser tests/package/scratch tests/packaging/scratch fuzz/target fuzz/artifacts
