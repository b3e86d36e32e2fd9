namespace FleetMarket.Web.Data;

/// <summary>
/// Lets one writer at a time into the database on the hot path. SQLite has a single writer: writers that
/// race for its lock back off and sleep, so under load queueing them here is several times faster. SQL
/// Server locks rows and needs no gate.
/// </summary>
public interface IWriteGate
{
    ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken);
}

internal sealed class SqliteWriteGate : IWriteGate
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        return new Exit(_writer);
    }

    private sealed class Exit(SemaphoreSlim writer) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                writer.Release();
            }
        }
    }
}

internal sealed class OpenWriteGate : IWriteGate
{
    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }

    private static readonly Nothing Open = new();

    public ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IDisposable>(Open);
}
