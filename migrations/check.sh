#!/usr/bin/env bash
# Fails when either provider's migration set is behind the model (CI runs this).
set -euo pipefail
configuration=${1:-Debug}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for context in SqliteFleetDbContext SqlServerFleetDbContext; do
  echo "checking $context"
  dotnet ef migrations has-pending-model-changes --no-build --configuration "$configuration" --project FleetMarket.Web --context "$context"
done
