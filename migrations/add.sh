#!/usr/bin/env bash
# Adds one migration to both provider sets, so they stay in step: migrations/add.sh AddDevicePolicies
set -euo pipefail
name=${1:?usage: migrations/add.sh MigrationName}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Sqlite SqlServer; do
  dotnet ef migrations add "$name" --project FleetMarket.Web --context "${provider}FleetDbContext" \
    --output-dir "Data/Migrations/$provider"
done
dotnet build FleetMarket.Web >/dev/null
migrations/script.sh
