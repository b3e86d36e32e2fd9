#!/usr/bin/env bash
# Writes the reviewed, idempotent SQL Server script that DBAs apply: migrations/sqlserver/FleetMarket.sql
set -euo pipefail
configuration=${1:-Debug}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
mkdir -p migrations/sqlserver
dotnet ef migrations script --idempotent --no-build --configuration "$configuration" --project FleetMarket.Web --context SqlServerFleetDbContext \
  --output migrations/sqlserver/FleetMarket.sql
