#!/usr/bin/env bash
# Installs what the browser tests (tests/browser) need beyond pip:
#   - Debian's chromium (driven by Python playwright with executable_path; never `playwright install`),
#   - a Java runtime for the Nu HTML checker, DejaVu fonts for stable screenshots (apt),
#   - the Nu HTML checker itself: npm vnu-jar, pinned in package.json / package-lock.json.
# Idempotent; run as root (or with sudo available). apt is skipped entirely when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "install-system.sh: run as root (or install sudo)" >&2; exit 1
    fi
fi

# --- apt: chromium, java, fonts (and node/npm only if the machine lacks them) -----------------
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q "ok installed" || packages+=(fonts-dejavu-core)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

if [ "${#packages[@]}" -gt 0 ]; then
    echo "install-system.sh: apt-get install ${packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
else
    echo "install-system.sh: chromium, java and fonts already installed; skipping apt"
fi

# --- npm: vnu-jar (its postinstall would download a JDK from the internet: --ignore-scripts) ---
want=$(node -p "require('./package-lock.json').packages['node_modules/vnu-jar'].version")
have=$(node -p "try { require('./node_modules/vnu-jar/package.json').version } catch (e) { '' }")
if [ "$want" = "$have" ] && [ -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
    echo "install-system.sh: vnu-jar $have already installed"
else
    echo "install-system.sh: npm ci (vnu-jar $want)"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

# --- what the tests will use -------------------------------------------------------------------
/usr/bin/chromium --version 2>/dev/null || { echo "install-system.sh: chromium does not run" >&2; exit 1; }
java -version 2>&1 | head -n 1
test -f node_modules/vnu-jar/build/dist/vnu.jar || { echo "install-system.sh: vnu.jar missing" >&2; exit 1; }
