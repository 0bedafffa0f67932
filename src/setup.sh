#!/usr/bin/env bash
# MlTutor set-up: everything a fresh Debian/Ubuntu machine needs, idempotent and quick when already done.
#   1. Debian packages: FAISS (static library + headers), BLAS/LAPACK, cmake and g++ for the native shim.
#   2. The model: models/all-MiniLM-L6-v2, copied from $MLTUTOR_MODEL_MIRROR (checked against models/SHA256SUMS)
#      or downloaded from the model's public repository (checked by embedding reference sentences).
#   2b. The small GGUF chat model for --llm local, copied from $MLTUTOR_MODEL_MIRROR when it has one.
#   3. The study page's libraries (KaTeX, markdown-it, DOMPurify) from the npm registry: `npm ci` against the committed
#      package-lock.json in src/MlTutor.Cli/Web, once; the build copies them beside the program (serve).
#   4. dotnet build (which also builds the native FAISS shim with cmake).
#   With --with-browser (tests/run.sh), also Debian's chromium, which the browser tests drive; never a downloaded browser.
# Usage: src/setup.sh [--quiet] [--force] [--with-browser]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
quiet=0; force=0; browser=0
for a in "$@"; do case "$a" in --quiet) quiet=1;; --force) force=1;; --with-browser) browser=1;; esac; done
say() { [ "$quiet" = 1 ] || echo "setup: $*" >&2; }
die() { echo "mltutor setup: $*" >&2; exit 1; }

# --- 0. Nothing changed since the last complete set-up -------------------------------------------------------
# Every ./mltutor command runs this script first, and the checks below take about a tenth of a second. Once a set-up
# has completed, none of them can find work until something they read changes: the package database, the models'
# sums, the sources (the study page's lock file among them), or a stamp that went missing. One find tells.
done_stamp="$root/src/MlTutor.Cli/bin/Release/net10.0/.setup-done"
model_name="all-MiniLM-L6-v2"
chat_name="smollm2-135m-instruct"
chat_wanted() { [ -n "${MLTUTOR_MODEL_MIRROR:-}" ] && [ -d "$MLTUTOR_MODEL_MIRROR/$chat_name" ]; }
if [ "$force" = 0 ] && [ "$browser" = 0 ] && [ -f "$done_stamp" ] \
   && [ -f "$root/models/$model_name/.verified" ] && [ -f "$root/src/MlTutor.Cli/Web/node_modules/.mltutor-lock" ] \
   && { ! chat_wanted || [ -f "$root/models/$chat_name/.verified" ]; } \
   && [ -z "$(find /var/lib/dpkg/status "$root/models/SHA256SUMS" "$root/models/$chat_name.SHA256SUMS" "$root/src" \
        "$root/Directory.Build.props" "$root/appsettings.json" \( -name bin -o -name obj -o -name build -o -name node_modules \) -prune \
        -o -type f -newer "$done_stamp" -print -quit 2>/dev/null)" ]; then
  exit 0
fi

# --- 1. Debian packages ---------------------------------------------------------------------------------
packages=(libfaiss-dev libblas-dev liblapack-dev libgomp1 cmake g++ ca-certificates curl)
[ "$browser" = 1 ] && packages+=(chromium)
missing=()
# npm from Debian only where no Node.js with npm is installed (one from NodeSource, say, brings its own).
command -v npm >/dev/null || packages+=(nodejs npm)
# One dpkg-query for all of them: this runs before every ./mltutor command, and one call per package took 0.1-0.4 s.
installed=$'\n'"$(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null || true)"$'\n'
for p in "${packages[@]}"; do
  [[ "$installed" == *$'\n'"$p install ok installed"$'\n'* ]] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  command -v apt-get >/dev/null || die "apt-get not found: install ${missing[*]} with your package manager."
  $sudo apt-get update -qq >/dev/null || die "apt-get update failed: check the network or your package sources."
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]} (apt-get install failed)."
fi

# Copies the files named in a SHA256SUMS file from a mirror folder into models/NAME, whole or not at all: into a
# temporary folder first, checked against the sums, then moved into place and stamped with the sums' own hash.
copy_checked() { # NAME FROM SUMS STAMP_ID WHAT
  local name="$1" from="$2" sums_file="$3" stamp_id="$4" what="$5" tmp="$root/models/.incoming-$$"
  say "copying $what from $from"
  rm -rf "$tmp"; mkdir -p "$tmp"
  trap 'rm -rf "$tmp"' EXIT
  while read -r _ f; do
    [ -f "$from/$f" ] || die "the mirror $from lacks $f."
    cp "$from/$f" "$tmp/$f"
  done < "$sums_file"
  (cd "$tmp" && sha256sum --quiet -c "$sums_file") || die "$what in $from does not match models/$(basename "$sums_file"): the mirror is corrupt or another version."
  rm -rf "$root/models/$name"; mv "$tmp" "$root/models/$name"; trap - EXIT
  echo "$stamp_id" > "$root/models/$name/.verified"
}

# --- 2. The model ---------------------------------------------------------------------------------------
model_dir="$root/models/$model_name"
sums="$root/models/SHA256SUMS"
stamp="$model_dir/.verified"
sums_id="$(sha256sum "$sums" | cut -c1-64)"
if [ "$force" = 1 ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sums_id" ]; then
  mirror="${MLTUTOR_MODEL_MIRROR:-}"
  if [ -n "$mirror" ]; then
    src="$mirror/$model_name"; [ -d "$src" ] || src="$mirror"
    [ -f "$src/model.onnx" ] || die "MLTUTOR_MODEL_MIRROR=$mirror has no $model_name/model.onnx: point it at a folder holding $model_name/, or unset it to download the model."
    copy_checked "$model_name" "$src" "$sums" "$sums_id" "the model"
  elif [ ! -f "$model_dir/model.onnx" ] || [ "$force" = 1 ]; then
    # No mirror: the upstream repository's ONNX export has the same interface but not the same bytes,
    # so it is checked by embedding the reference sentences of models/reference.json after the build.
    base="https://huggingface.co/sentence-transformers/$model_name/resolve/main"
    say "downloading the model from $base"
    tmp="$root/models/.incoming-$$"; rm -rf "$tmp"; mkdir -p "$tmp"
    trap 'rm -rf "$tmp"' EXIT
    for f in onnx/model.onnx vocab.txt tokenizer.json tokenizer_config.json special_tokens_map.json config.json sentence_bert_config.json; do
      curl -fsSL --retry 3 -o "$tmp/$(basename "$f")" "$base/$f" \
        || die "could not download $base/$f. Without internet, set MLTUTOR_MODEL_MIRROR to a folder holding $model_name/."
    done
    rm -rf "$model_dir"; mv "$tmp" "$model_dir"; trap - EXIT
    echo "downloaded" > "$model_dir/.downloaded"
  fi
fi

# --- 2b. The local chat model (optional) -----------------------------------------------------------------
# The small GGUF chat model that --llm local uses by default, when the mirror has it; never downloaded (a user who wants
# generated answers picks a real model and sets Answering:Local:ModelPath).
chat_sums="$root/models/$chat_name.SHA256SUMS"
chat_stamp="$root/models/$chat_name/.verified"
chat_sums_id="$(sha256sum "$chat_sums" | cut -c1-64)"
chat_src="${MLTUTOR_MODEL_MIRROR:-}/$chat_name"
if [ -n "${MLTUTOR_MODEL_MIRROR:-}" ] && [ -d "$chat_src" ] \
   && { [ "$force" = 1 ] || [ ! -f "$chat_stamp" ] || [ "$(cat "$chat_stamp")" != "$chat_sums_id" ]; }; then
  copy_checked "$chat_name" "$chat_src" "$chat_sums" "$chat_sums_id" "the local chat model"
fi

# --- 3. The study page's libraries ----------------------------------------------------------------------
page="$root/src/MlTutor.Cli/Web"
page_stamp="$page/node_modules/.mltutor-lock"
lock_id="$(sha256sum "$page/package-lock.json" | cut -c1-64)"
if [ "$force" = 1 ] || [ ! -f "$page_stamp" ] || [ "$(cat "$page_stamp")" != "$lock_id" ]; then
  say "installing the study page's libraries (npm ci)"
  log="$(mktemp)"
  # Only the libraries' browser files are used: no install scripts, no audit or funding requests.
  if ! (cd "$page" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >"$log" 2>&1); then
    tail -20 "$log" >&2; rm -f "$log"
    die "npm ci failed in $page (output above): check the network or the npm registry settings."
  fi
  rm -f "$log"
  echo "$lock_id" > "$page_stamp"
  # The build copies them: build again.
  rm -f "$root/src/MlTutor.Cli/bin/Release/net10.0/.built"
fi

# --- 4. Build ---------------------------------------------------------------------------------------------
build_stamp="$root/src/MlTutor.Cli/bin/Release/net10.0/.built"
if [ "$force" = 1 ] || [ ! -f "$build_stamp" ] || [ -n "$(find "$root/src" "$root/Directory.Build.props" "$root/appsettings.json" \
      \( -name bin -o -name obj -o -name build -o -name node_modules \) -prune -o -type f -newer "$build_stamp" -print -quit)" ]; then
  say "building (dotnet build -c Release)"
  log="$(mktemp)"
  if ! dotnet build "$root/src/MlTutor.Cli/MlTutor.Cli.csproj" -c Release -nologo -v q >"$log" 2>&1; then
    grep -E "error" "$log" | sort -u | head -20 >&2; rm -f "$log"
    die "the build failed (errors above)."
  fi
  rm -f "$log"
  touch "$build_stamp"
fi

if [ -f "$model_dir/.downloaded" ] && [ ! -f "$stamp" ]; then
  say "checking the downloaded model against models/reference.json"
  MLTUTOR_HOME="$root" dotnet "$root/src/MlTutor.Cli/bin/Release/net10.0/mltutor.dll" model-check \
    || die "the downloaded model does not reproduce the reference embeddings; delete models/$model_name and set MLTUTOR_MODEL_MIRROR."
  echo "downloaded" > "$stamp"
fi
touch "$done_stamp"
