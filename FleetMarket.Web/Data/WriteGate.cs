using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FleetMarket.Web.Data;

/// <summary>
/// Lets one writer at a time into the SQLite database, whatever code writes. SQLite has a single writer: writers that
/// race for its lock back off and sleep, so under load queueing them here is several times faster. SQL Server locks
/// rows and needs no gate; it is registered for SQLite only.
/// <para>
/// The rule, kept here and nowhere else: a context enters the gate when it starts a write and leaves when that write
/// ends. A write is a transaction (Microsoft.Data.Sqlite begins them IMMEDIATE, taking SQLite's lock at once) from
/// its start to its commit or rollback, or a statement that writes outside a transaction (ExecuteUpdate, ExecuteDelete,
/// ExecuteSql, a one-statement SaveChanges) while it runs. A larger SaveChanges starts a transaction of its own. Reads
/// outside a transaction never wait. Everything a context runs inside its own transaction passes, so a batch is one
/// pass through the gate however many statements it takes.
/// </para>
/// <para>
/// The gate is held per context, not per flow: code that writes through a second context while the first holds a
/// transaction would wait for itself. Nothing does (one context per scope; UI operations and background work each get
/// their own scope), and SQLite's own lock would stall such code as surely. So that a mistake stalls one request and
/// not every writer in the process, a writer that waited <see cref="Patience"/> goes on without the gate and leaves
/// SQLite to arbitrate, with a warning. A transaction disposed without commit or rollback is let go when its connection
/// closes, which EF Core does once the transaction that opened it ends, or the context is disposed.
/// </para>
/// </summary>
internal sealed class SqliteWriteGate(ILogger<SqliteWriteGate> logger) : IDbTransactionInterceptor, IDbCommandInterceptor, IDbConnectionInterceptor
{
    /// <summary>As long as a command waits for SQLite's lock (the connection string's Default Timeout).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>The contexts inside the gate, and how; weak, so a context dropped without closing is not kept alive.</summary>
    private readonly ConditionalWeakTable<DbContext, Hold> _holds = [];

    private sealed class Hold(bool gated, bool statement)
    {
        public static readonly Hold Transaction = new(true, false);
        public static readonly Hold TransactionUngated = new(false, false);
        public static readonly Hold Statement = new(true, true);
        public static readonly Hold StatementUngated = new(false, true);

        /// <summary>Whether the semaphore was taken (not when the writer ran out of patience).</summary>
        public bool Gated { get; } = gated;

        /// <summary>A statement outside a transaction, rather than a transaction.</summary>
        public bool IsStatement { get; } = statement;
    }

    // Transactions: entered before BEGIN, which is run here so that a BEGIN that fails leaves the gate at once.

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result)
    {
        if (result.HasResult || eventData.Context is not { } context || _holds.TryGetValue(context, out _))
        {
            return result;
        }

        Enter(context, statement: false);
        try
        {
            return InterceptionResult<DbTransaction>.SuppressWithResult(connection.BeginTransaction(eventData.IsolationLevel));
        }
        catch
        {
            Leave(context);
            throw;
        }
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
        TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (result.HasResult || eventData.Context is not { } context || _holds.TryGetValue(context, out _))
        {
            return result;
        }

        await EnterAsync(context, statement: false, cancellationToken);
        try
        {
            return InterceptionResult<DbTransaction>.SuppressWithResult(
                await connection.BeginTransactionAsync(eventData.IsolationLevel, cancellationToken));
        }
        catch
        {
            Leave(context);
            throw;
        }
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Leave(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Leave(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Leave(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Leave(eventData.Context);
        return Task.CompletedTask;
    }

    // Statements outside a transaction: run here, inside the gate.

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        if (result.HasResult || WriterOutsideTransaction(command, eventData, always: true) is not { } context)
        {
            return result;
        }

        Enter(context, statement: true);
        try
        {
            return InterceptionResult<int>.SuppressWithResult(command.ExecuteNonQuery());
        }
        finally
        {
            Leave(context);
        }
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (result.HasResult || WriterOutsideTransaction(command, eventData, always: true) is not { } context)
        {
            return result;
        }

        await EnterAsync(context, statement: true, cancellationToken);
        try
        {
            return InterceptionResult<int>.SuppressWithResult(await command.ExecuteNonQueryAsync(cancellationToken));
        }
        finally
        {
            Leave(context);
        }
    }

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        if (result.HasResult || WriterOutsideTransaction(command, eventData, always: false) is not { } context)
        {
            return result;
        }

        Enter(context, statement: true);
        try
        {
            return InterceptionResult<object>.SuppressWithResult(command.ExecuteScalar()!);
        }
        finally
        {
            Leave(context);
        }
    }

    public async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        if (result.HasResult || WriterOutsideTransaction(command, eventData, always: false) is not { } context)
        {
            return result;
        }

        await EnterAsync(context, statement: true, cancellationToken);
        try
        {
            return InterceptionResult<object>.SuppressWithResult((await command.ExecuteScalarAsync(cancellationToken))!);
        }
        finally
        {
            Leave(context);
        }
    }

    // A statement that returns rows (SaveChanges' INSERT ... RETURNING) commits when its reader is disposed.

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        if (result.HasResult || WriterOutsideTransaction(command, eventData, always: false) is not { } context)
        {
            return result;
        }

        Enter(context, statement: true);
        try
        {
            return InterceptionResult<DbDataReader>.SuppressWithResult(command.ExecuteReader());
        }
        catch
        {
            Leave(context);
            throw;
        }
    }

    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (result.HasResult || WriterOutsideTransaction(command, eventData, always: false) is not { } context)
        {
            return result;
        }

        await EnterAsync(context, statement: true, cancellationToken);
        try
        {
            return InterceptionResult<DbDataReader>.SuppressWithResult(await command.ExecuteReaderAsync(cancellationToken));
        }
        catch
        {
            Leave(context);
            throw;
        }
    }

    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        if (eventData.Context is { } context && _holds.TryGetValue(context, out var hold) && hold.IsStatement)
        {
            // Disposed first (EF Core's own dispose after this does nothing): the next writer must not find SQLite's lock still taken.
            eventData.DataReader.Dispose();
            Leave(context);
        }

        return result;
    }

    // A closed connection holds no lock: whatever its context still holds is let go.

    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Leave(eventData.Context);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Leave(eventData.Context);
        return Task.CompletedTask;
    }

    public void ConnectionDisposed(DbConnection connection, ConnectionEndEventData eventData) => Leave(eventData.Context);

    public Task ConnectionDisposedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Leave(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The context of a statement that must enter the gate: one outside a transaction, from a context not inside the
    /// gate already, that writes (every statement run for no rows does, or may: DML, DDL, PRAGMA).
    /// </summary>
    private DbContext? WriterOutsideTransaction(DbCommand command, CommandEventData eventData, bool always) =>
        command.Transaction is null && eventData.Context is { } context && (always || Writes(command.CommandText))
        && !_holds.TryGetValue(context, out _)
            ? context
            : null;

    /// <summary>Whether SQL that returns rows changes any: it starts with INSERT, UPDATE, DELETE or REPLACE (SaveChanges' RETURNING).</summary>
    private static bool Writes(string sql)
    {
        var text = sql.AsSpan();
        while (true)
        {
            text = text.TrimStart();
            if (!text.StartsWith("--"))
            {
                break;
            }

            var endOfLine = text.IndexOf('\n');
            text = endOfLine < 0 ? [] : text[(endOfLine + 1)..];
        }

        return text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
               || text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase) || text.StartsWith("REPLACE", StringComparison.OrdinalIgnoreCase);
    }

    private void Enter(DbContext context, bool statement) => Entered(context, statement, _writer.Wait(Patience));

    private async ValueTask EnterAsync(DbContext context, bool statement, CancellationToken cancellationToken) =>
        Entered(context, statement, await _writer.WaitAsync(Patience, cancellationToken));

    private void Entered(DbContext context, bool statement, bool gated)
    {
        if (!gated)
        {
            logger.LogWarning("A writer waited {Patience} for the SQLite write gate and goes on without it; a writer that never leaves, or one "
                              + "that writes through a second context inside its own transaction, holds it.", Patience);
        }

        _holds.AddOrUpdate(context, (gated, statement) switch
        {
            (true, false) => Hold.Transaction,
            (false, false) => Hold.TransactionUngated,
            (true, true) => Hold.Statement,
            (false, true) => Hold.StatementUngated,
        });
    }

    private void Leave(DbContext? context)
    {
        if (context is not null && _holds.TryGetValue(context, out var hold) && _holds.Remove(context) && hold.Gated)
        {
            _writer.Release();
        }
    }
}
