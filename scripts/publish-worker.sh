#!/usr/bin/env bash
# Publishes the FleetMarket Worker as one self-contained file per platform into artifacts/worker/<runtime>/, where the
# portal offers them to owners (WorkerDownloads:Path). Run from anywhere; name runtimes to publish only those.
#   scripts/publish-worker.sh                 # linux-x64 linux-arm64 win-x64 osx-arm64
#   scripts/publish-worker.sh linux-arm64     # one platform
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
runtimes=("$@")
if [ ${#runtimes[@]} -eq 0 ]; then
  runtimes=(linux-x64 linux-arm64 win-x64 osx-arm64)
fi

for runtime in "${runtimes[@]}"; do
  out="$root/artifacts/worker/$runtime"
  rm -rf "$out"
  dotnet publish "$root/FleetMarket.Worker" -c Release -r "$runtime" -o "$out" --nologo -v quiet
  echo "published $runtime: $(ls "$out")"
done
