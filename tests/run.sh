#!/usr/bin/env bash
# Runs every test of MlTutor, after the same set-up as ./mltutor (packages, model, build).
# Tests read the user's real notes, the question sets and the benchmarks from ../shared beside the repository (or
# $MLTUTOR_SHARED); those that need a missing part are skipped, or fail with MLTUTOR_REQUIRE_SHARED=1 as in .ci/run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/src/setup.sh" --with-browser
cd "$root"
dotnet test MlTutor.sln -c Release --nologo "$@"
