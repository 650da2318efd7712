#!/usr/bin/env bash
# Build the one-folder app dist/studio-desk/ with PyInstaller (build.spec), report its
# size, and smoke-test the frozen app as a user would run it.
#
#   tools/build.sh               build, then smoke-test
#   tools/build.sh --smoke-only  smoke-test the folder already built
#
# Run it with the project's environment active (README: python3 -m venv .venv, then
# pip install -e .); PyInstaller is installed into it if missing. Needs no display: the
# window is started on Qt's offscreen platform.
#
# STUDIO_DESK_DIST (default dist) and STUDIO_DESK_WORK (default build) move the output
# and PyInstaller's work folder; STUDIO_DESK_MAX_MIB (default 200) is the size goal: above
# it the script warns (it does not fail: NumPy's and SciPy's two OpenBLAS and Qt's ICU
# data alone take about 85 MiB).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dist=${STUDIO_DESK_DIST:-$root/dist}
work=${STUDIO_DESK_WORK:-$root/build}
max_mib=${STUDIO_DESK_MAX_MIB:-200}
python=${PYTHON:-python3}
app="$dist/studio-desk"

if [ "${1:-}" != "--smoke-only" ]; then
  for tool in objdump readelf strip; do
    command -v "$tool" >/dev/null || {
      echo "PyInstaller needs $tool: apt-get install binutils" >&2; exit 1; }
  done
  if ! "$python" -c "import PyInstaller" 2>/dev/null; then
    echo "== Installing PyInstaller"
    "$python" -m pip install --quiet "pyinstaller>=6.10" || {
      echo "Could not install PyInstaller: activate the project's virtual environment" \
           "(see README) and run tools/build.sh again." >&2
      exit 1
    }
  fi
  echo "== Building $app"
  started=$(date +%s)
  "$python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$dist" --workpath "$work" build.spec
  echo "Built in $(( $(date +%s) - started )) s."
fi

[ -x "$app/studio-desk" ] || { echo "No app at $app: build it first." >&2; exit 1; }
mib=$(du -sm "$app" | cut -f1)
echo "== Size: $mib MiB ($app; goal: at most $max_mib MiB)"
if [ "$mib" -gt "$max_mib" ]; then
  echo "WARNING: the folder is larger than $max_mib MiB." >&2
fi

echo "== Smoke test"
smoke=$(mktemp -d)
trap 'rm -rf "$smoke"' EXIT
# Everything the frozen app writes stays in the temporary folder.
export STUDIO_DESK_DATA_DIR="$smoke/data" STUDIO_DESK_CONFIG_DIR="$smoke/config"
export XDG_CONFIG_HOME="$smoke/xdg-config" XDG_DATA_HOME="$smoke/xdg-data"
export XDG_STATE_HOME="$smoke/xdg-state" XDG_CACHE_HOME="$smoke/xdg-cache"
cli="$app/studio-desk-cli"
workspace="$smoke/Smoke studio.studiodesk"
step() { echo "\$ studio-desk $*"; }

step --version
version=$("$cli" --version)
echo "$version"
expected=$("$python" -c "import re,sys; print(re.search(r'__version__ = \"([^\"]+)\"', open('studio_desk/__init__.py').read()).group(1))")
[ "$version" = "studio-desk $expected" ] || { echo "Expected studio-desk $expected." >&2; exit 1; }

step demo "$workspace"
"$cli" demo "$workspace" --seed 7

step check --db "$workspace"
"$cli" check --db "$workspace"

step plan propose --db "$workspace" "Smoke plan"
"$cli" plan propose --db "$workspace" "Smoke plan" | tail -n 3

step plan print --db "$workspace" --out plan.pdf "Smoke plan"
"$cli" plan print --db "$workspace" --out "$smoke/plan.pdf" "Smoke plan"
[ "$(head -c 5 "$smoke/plan.pdf")" = "%PDF-" ] || { echo "plan.pdf is no PDF." >&2; exit 1; }

echo "\$ studio-desk --db $workspace   (the window, offscreen, quitting after 2 s)"
QT_QPA_PLATFORM=offscreen STUDIO_DESK_QUIT_AFTER_START=2000 \
  "$app/studio-desk" --db "$workspace" 2>"$smoke/window.err" || {
    cat "$smoke/window.err" >&2; echo "The window did not start and quit cleanly." >&2; exit 1; }
grep -v "does not support propagateSizeHints" "$smoke/window.err" || true
grep -q "window shown: .*icon set; workspace open" "$smoke/window.err" || {
  echo "The window did not report itself shown with its workspace open." >&2; exit 1; }
[ -s "$smoke/data/logs/studio-desk.log" ] || { echo "The window wrote no log." >&2; exit 1; }

echo "== Smoke test passed: $app ($mib MiB)"
