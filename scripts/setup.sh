#!/usr/bin/env bash
# Installs what the build and tests need, only when it is missing:
#   Debian packages (as root, or with sudo when available) and npm packages (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."

# clang-14 + libclang-rt-14-dev: the ASan/UBSan and libFuzzer tier (scripts/sanitize.sh); llvm-14 symbolizes its reports.
# firefox-esr, webkit2gtk-driver (WebKitWebDriver + MiniBrowser) and xvfb: the Firefox and WebKit tier.
APT_PACKAGES=(cmake g++ make libeigen3-dev nlohmann-json3-dev libgtest-dev emscripten chromium python3
  fonts-lmodern python3-fonttools python3-brotli clang-14 libclang-rt-14-dev llvm-14
  firefox-esr webkit2gtk-driver xvfb)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci when node_modules is missing or older than the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
