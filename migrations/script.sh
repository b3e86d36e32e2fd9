#!/usr/bin/env bash
# Writes the reviewed, idempotent SQL Server script that DBAs apply: migrations/sqlserver/FleetMarket.sql
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
mkdir -p migrations/sqlserver
dotnet ef migrations script --idempotent --no-build --project FleetMarket.Web --context SqlServerFleetDbContext \
  --output migrations/sqlserver/FleetMarket.sql
