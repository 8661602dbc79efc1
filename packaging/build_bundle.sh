#!/usr/bin/env bash
# Build the one-folder bundle with PyInstaller and smoke-test it on the demo service.
# Not part of every CI run (it takes minutes); run by hand or in a release job:
#   packaging/build_bundle.sh
# Prints the bundle's size and how long it took to start, open the window and load a case.
set -euo pipefail
cd "$(dirname "$0")/.."
HERE=$PWD
BUILD=build/bundle
rm -rf "$BUILD" dist/caseviewer
python3 -m venv "$BUILD/venv"
"$BUILD/venv/bin/python" -m pip install --quiet --upgrade pip
"$BUILD/venv/bin/python" -m pip install --quiet . pyinstaller
# Build from inside $BUILD so the checkout's caseviewer/ folder cannot shadow the installed package.
(cd "$BUILD" && venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
    --workpath work --distpath "$HERE/dist" "$HERE/packaging/caseviewer.spec")

echo "bundle: dist/caseviewer ($(du -sh dist/caseviewer | cut -f1))"
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
export CASEVIEWER_HOME=$(mktemp -d)
dist/caseviewer/caseviewer --version
start=$(date +%s%N)
dist/caseviewer/caseviewer --demo --smoke-test
end=$(date +%s%N)
echo "smoke test passed: start, first page, first case and exit in $(( (end - start) / 1000000 )) ms"
rm -rf "$CASEVIEWER_HOME"
