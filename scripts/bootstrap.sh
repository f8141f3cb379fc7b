#!/usr/bin/env bash
# Installs everything `make render` and `make test` need, skipping what is already there.
# Debian packages (as root), then a .venv with torch 2.13.0 (the CPU build on disk: asking
# pip for torch first keeps it from pulling a multi-GB CUDA build), then this project.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES="libcairo2-dev libpango1.0-dev pkg-config texlive-latex-base texlive-latex-recommended \
texlive-latex-extra texlive-fonts-recommended dvisvgm cm-super-minimal fonts-noto-cjk"
# fonts-noto-cjk: "Noto Sans CJK SC" for --lang zh (without it pango draws empty boxes)
PYTHON=${PYTHON:-python3}
# the tests also check the gallery page and the HTML deck in a real browser, and open the pptx
# deck in LibreOffice Impress (drawn to PDF, read back with poppler's pdfinfo and pdftoppm)
# deck (and Chromium prints the PDF handout, `roll slides --to pdf`)
[ "${1:-}" = "test" ] && PACKAGES="$PACKAGES chromium libreoffice-impress poppler-utils"

missing=""
for pkg in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages:$missing" >&2
    echo "setup: run as root, then repeat this command:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends$missing" >&2
    exit 1
  fi
  echo "setup: installing Debian packages:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing torch 2.13.0 (CPU) and the project into .venv"
  .venv/bin/pip install -q --disable-pip-version-check torch==2.13.0 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/pip install -q --disable-pip-version-check -e '.[test]' 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import manim, torch, landscapes, scenes" || { echo "setup: install failed" >&2; exit 1; }
  touch "$stamp"
fi

# reveal.js for the HTML deck and the PDF handout (`roll slides --to html|pdf`): npm's package,
# into the git-ignored .vendor/, from which each deck copies the files it needs beside itself
REVEAL=6.0.2
installed=$(sed -n 's/^\t"version": *"\([^"]*\)".*/\1/p' .vendor/node_modules/reveal.js/package.json 2>/dev/null || true)
if [ "$installed" != "$REVEAL" ]; then
  if command -v npm >/dev/null; then
    echo "setup: fetching reveal.js $REVEAL with npm into .vendor/"
    mkdir -p .vendor
    npm install --prefix .vendor --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "reveal.js@$REVEAL" >/dev/null
  elif [ "${1:-}" = "test" ]; then
    echo "setup: npm is missing; the tests need reveal.js: apt-get install -y npm, then repeat" >&2
    exit 1
  else
    echo "setup: npm not found: roll slides --to html|pdf needs reveal.js (install npm, run make setup)" >&2
  fi
fi
