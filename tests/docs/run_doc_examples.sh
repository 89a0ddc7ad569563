#!/usr/bin/env bash
# Runs run_doc_examples.py when its tools are here; exit 77 (ctest: skipped) otherwise.
for tool in python3 curl jq; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIPPED: $tool is not installed (scripts/setup installs it)"
    exit 77
  fi
done
exec python3 "$(dirname "$0")/run_doc_examples.py" "$@"
