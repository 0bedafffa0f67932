#!/usr/bin/env bash
# Runs every test of MlTutor, after the same set-up as ./mltutor (packages, model, build).
# Tests read the user's real notes and the model mirror from ../shared beside the repository.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/src/setup.sh"
cd "$root"
dotnet test MlTutor.sln -c Release --nologo "$@"
