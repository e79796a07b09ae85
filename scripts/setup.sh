#!/usr/bin/env bash
# Installs everything `make` needs, idempotently, and says in one line per step what it did.
# Writes target/toolchain.env, which the Makefile sources, naming the Rust toolchain that can build wasm32.
#
# Why this exists: the rustup toolchains on the project's machines have no wasm32 standard library and cannot
# download one. Debian's rustc-web ships the std source and a wasm-capable LLVM, so the std is built once here.
# On a normal rustup machine the usual `rustup target add` is enough and the Debian route is never taken.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }
started=$(date +%s)
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated = 0 ]; then as_root apt-get -o DPkg::Lock::Timeout=300 update -qq; apt_updated=1; fi
  say "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

wasm_std_in() { # $1: a rustup toolchain name, or "" for the active one
  local sysroot
  sysroot=$(RUSTUP_TOOLCHAIN="$1" rustc --print sysroot 2>/dev/null) || return 1
  compgen -G "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib" >/dev/null
}

# 1. A Rust toolchain that targets wasm32.
toolchain=""
route=${THREEDS_RUST_ROUTE:-auto} # "debian" forces the Debian route, to test it on a machine that needs none
if [ "$route" = debian ]; then
  debian_route=1
elif [ -n "${RUSTUP_TOOLCHAIN:-}" ] && wasm_std_in "$RUSTUP_TOOLCHAIN"; then
  toolchain=$RUSTUP_TOOLCHAIN; say "rust: using $toolchain (RUSTUP_TOOLCHAIN), it has the wasm32 std"
elif env -u RUSTUP_TOOLCHAIN bash -c "$(declare -f wasm_std_in); wasm_std_in ''"; then
  say "rust: the active toolchain has the wasm32 std"
elif have rustup && rustup toolchain list 2>/dev/null | grep -q '^sysweb' && wasm_std_in sysweb; then
  toolchain=sysweb; say "rust: using the Debian toolchain 'sysweb' built earlier (it has the wasm32 std)"
elif have rustup && timeout 20 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 \
     && env -u RUSTUP_TOOLCHAIN bash -c "$(declare -f wasm_std_in); wasm_std_in ''"; then
  say "rust: added wasm32-unknown-unknown with rustup"
else
  debian_route=1
fi
if [ "${debian_route:-0}" = 1 ]; then
  say "rust: rustup cannot add wasm32 here; building its std from Debian's rustc-web (once, ~3 min)"
  apt_install rustc-web cargo-web rust-web-src rust-web-clippy lld-22
  llvm_lld=$(ls -d /usr/lib/llvm-*/bin/lld 2>/dev/null | sort -V | tail -n 1)
  as_root mkdir -p /usr/lib/rustlib/x86_64-unknown-linux-gnu/bin
  as_root ln -sf "$llvm_lld" /usr/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld
  have rustup && { rustup toolchain list | grep -q '^sysweb' || rustup toolchain link sysweb /usr; }
  if ! compgen -G "/usr/lib/rustlib/wasm32-unknown-unknown/lib/libstd-*.rlib" >/dev/null; then
    scratch=$(mktemp -d)
    (cd "$scratch" && /usr/bin/cargo new --lib --name wasmstdseed seed -q && cd seed &&
      RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Cembed-bitcode=yes" /usr/bin/cargo build -q --release \
        --target wasm32-unknown-unknown -Z build-std=std,panic_abort,panic_unwind,test)
    as_root mkdir -p /usr/lib/rustlib/wasm32-unknown-unknown/lib
    as_root cp "$scratch"/seed/target/wasm32-unknown-unknown/release/deps/lib*.rlib \
      /usr/lib/rustlib/wasm32-unknown-unknown/lib/
    as_root rm -f /usr/lib/rustlib/wasm32-unknown-unknown/lib/libwasmstdseed-*.rlib
    rm -rf "$scratch"
  fi
  toolchain=sysweb
fi
mkdir -p target
{ [ -n "$toolchain" ] && echo "export RUSTUP_TOOLCHAIN=$toolchain"; true; } > target/toolchain.env
if [ -n "$toolchain" ] && ! RUSTUP_TOOLCHAIN=$toolchain cargo clippy --version >/dev/null 2>&1; then
  apt_install rust-web-clippy
fi

# 2. wasm-bindgen-cli at exactly the version Cargo.lock pins (the Makefile runs it after cargo for each build).
[ -f Cargo.lock ] || RUSTUP_TOOLCHAIN=$toolchain cargo generate-lockfile -q
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" = "$bindgen_version" ]; then
  say "wasm-bindgen-cli $bindgen_version: present"
else
  say "installing wasm-bindgen-cli $bindgen_version (matches Cargo.lock; ~4 min)"
  # No --locked: its lock file pins a webpki-roots release the registry here does not serve.
  env -u RUSTUP_TOOLCHAIN cargo install -q wasm-bindgen-cli --version "$bindgen_version"
fi

# 2b. The nightly toolchain with the standard library's sources: the fuzzers need it (libFuzzer's sanitizer
# flags), and so does the browser build, which rebuilds std with panic = "immediate-abort" (Makefile, pkg).
if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  say "installing the nightly toolchain (cargo-fuzz, the browser build)"
  timeout 300 rustup toolchain install nightly --profile minimal >/dev/null \
    || { say "error: no nightly toolchain and none could be installed; the fuzz targets and the browser build need one"; exit 1; }
else say "nightly toolchain: present"; fi
if [ -d "$(rustc +nightly --print sysroot)/lib/rustlib/src/rust/library" ]; then say "nightly rust-src: present"; else
  say "adding rust-src to the nightly toolchain (the browser build rebuilds std from it)"
  timeout 300 rustup component add rust-src --toolchain nightly >/dev/null \
    || { say "error: rust-src could not be added to the nightly toolchain; the browser build needs it"; exit 1; }
fi
if have cargo-fuzz; then say "cargo-fuzz: present"; else
  say "installing cargo-fuzz (~1 min)"; env -u RUSTUP_TOOLCHAIN cargo install -q cargo-fuzz
fi

# 3. Browser and driver from Debian (wasm-opt comes from npm: Debian's is too old for externref tables).
if have chromium && have chromedriver; then say "chromium, chromedriver: present"
else apt_install chromium chromium-driver; say "chromium, chromedriver: installed"; fi

# 3b. The two other browser engines (wasm-bindgen-test's browser suites run in all three): Debian's Firefox ESR
# with geckodriver (from crates.io, pinned), and WebKitGTK's WebKitWebDriver, which needs a display: Xvfb.
if have firefox-esr && have WebKitWebDriver && have xvfb-run; then say "firefox-esr, WebKitWebDriver, Xvfb: present"
else apt_install firefox-esr webkit2gtk-driver xvfb xauth; say "firefox-esr, WebKitWebDriver, Xvfb: installed"; fi
if have geckodriver; then say "geckodriver: present"; else
  say "installing geckodriver 0.37.1 (~3 min)"; env -u RUSTUP_TOOLCHAIN cargo install -q geckodriver --version 0.37.1
fi

# 4. npm dev dependencies (playwright-core, workerd, the benchmark's peer).
if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  say "npm dev dependencies: present"
else
  # `npm install`, not `npm ci`: the registry here omits workerd's other-platform optional packages from the
  # lock file, which `npm ci` then refuses as out of sync. The lock still pins every installed version.
  say "installing npm dev dependencies"; npm install --no-audit --no-fund --loglevel=error
fi
say "ready ($(( $(date +%s) - started )) s)"
