using System.Net;
using FleetMarket.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetMarket.LoadTest;

internal enum FloorMode
{
    /// <summary>Each request opens a pooled connection and writes: concurrent writers meet SQLITE_BUSY.</summary>
    Plain,

    /// <summary>As <see cref="Plain"/>, with the app's connection string (<c>Cache=Shared</c>).</summary>
    SharedCache,

    /// <summary>Writes pass one at a time through an async gate, so no writer ever meets SQLITE_BUSY.</summary>
    Gated,
}

/// <summary>
/// The floor: the least a dispatch request could cost here. A bare ASP.NET Core endpoint in this process, on its
/// own loopback port, that binds the same JSON body a heartbeat carries and does one SQLite write (an INSERT
/// into a one-table file in WAL mode, through a pooled Microsoft.Data.Sqlite connection) per request.
/// </summary>
internal sealed class FloorServer : IAsyncDisposable
{
    public const string Route = "/floor";

    private readonly WebApplication _app;
    private readonly string _folder;

    private FloorServer(WebApplication app, string folder, Uri baseAddress, string connectionString)
    {
        _app = app;
        _folder = folder;
        BaseAddress = baseAddress;
        ConnectionString = connectionString;
    }

    public Uri BaseAddress { get; }

    public string ConnectionString { get; }

    public static async Task<FloorServer> StartAsync(FloorMode mode)
    {
        var folder = Directory.CreateTempSubdirectory("fleetmarket-floor-").FullName;
        var file = Path.Combine(folder, "floor.db");
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Cache = mode == FloorMode.SharedCache ? SqliteCacheMode.Shared : SqliteCacheMode.Default,
            DefaultTimeout = 30,
        }.ToString();
        await using (var setup = new SqliteConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var command = setup.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode=WAL;
                CREATE TABLE Beats (Id INTEGER PRIMARY KEY, DeviceId TEXT NOT NULL, SeenAt TEXT NOT NULL,
                    BatteryPercent INTEGER, ExecutionProvider TEXT NOT NULL);
                """;
            await command.ExecuteNonQueryAsync();
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var writer = new SemaphoreSlim(1, 1);
        app.MapPost(Route, async (HeartbeatRequest beat, HttpContext context) =>
        {
            if (mode == FloorMode.Gated)
            {
                await writer.WaitAsync(context.RequestAborted);
            }

            try
            {
                await WriteAsync(beat, context);
            }
            finally
            {
                if (mode == FloorMode.Gated)
                {
                    writer.Release();
                }
            }

            return TypedResults.Ok(new FloorResponse(true));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FloorServer(app, folder, new Uri(address), connectionString);

        async Task WriteAsync(HeartbeatRequest beat, HttpContext context)
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(context.RequestAborted);
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO Beats (DeviceId, SeenAt, BatteryPercent, ExecutionProvider) VALUES ($device, $seen, $battery, $provider)";
            command.Parameters.AddWithValue("$device", context.Request.Headers.Authorization.ToString());
            command.Parameters.AddWithValue("$seen", DateTimeOffset.UtcNow);
            command.Parameters.AddWithValue("$battery", (object?)beat.Conditions.BatteryPercent ?? DBNull.Value);
            command.Parameters.AddWithValue("$provider", beat.ExecutionProvider);
            await command.ExecuteNonQueryAsync(context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing connection: the OS cleans temporary folders.
        }
    }
}

internal sealed record FloorResponse(bool Written);
