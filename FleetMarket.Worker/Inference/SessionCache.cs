using Microsoft.ML.OnnxRuntime;

namespace FleetMarket.Worker.Inference;

/// <summary>
/// The loaded sessions by model SHA-256, at most <c>capacity</c> of them: a worker lives for weeks and
/// meets many models, and each session holds its weights in memory. The least recently used one
/// goes first, disposed only once the last run using it has returned.
/// </summary>
internal sealed class SessionCache(int capacity) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _bySha = new(StringComparer.OrdinalIgnoreCase);
    private readonly LinkedList<Entry> _recency = new();

    public bool Contains(string sha256)
    {
        lock (_gate)
        {
            return _bySha.ContainsKey(sha256);
        }
    }

    /// <summary>Adds a session unless one for the same model is there already, in which case the new one is disposed.</summary>
    public void Add(string sha256, InferenceSession session)
    {
        lock (_gate)
        {
            if (_bySha.ContainsKey(sha256))
            {
                session.Dispose();
                return;
            }

            _bySha[sha256] = _recency.AddFirst(new Entry(sha256, session));
            while (_recency.Count > capacity)
            {
                var oldest = _recency.Last!.Value;
                _recency.RemoveLast();
                _bySha.Remove(oldest.Sha256);
                oldest.Evict();
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> with the model's session, keeping it alive until the action returns.</summary>
    public T Use<T>(string sha256, Func<InferenceSession, T> action)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_bySha.TryGetValue(sha256, out var node))
            {
                throw new InvalidOperationException($"Model {sha256} is not loaded; call LoadModel first.");
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            entry = node.Value;
            entry.AddUser();
        }

        try
        {
            return action(entry.Session);
        }
        finally
        {
            entry.RemoveUser();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var entry in _recency)
            {
                entry.Evict();
            }

            _recency.Clear();
            _bySha.Clear();
        }
    }

    private sealed class Entry(string sha256, InferenceSession session)
    {
        private readonly Lock _gate = new();
        private int _users;
        private bool _evicted;

        public string Sha256 => sha256;

        public InferenceSession Session => session;

        public void AddUser()
        {
            lock (_gate)
            {
                _users++;
            }
        }

        public void RemoveUser()
        {
            lock (_gate)
            {
                if (--_users == 0 && _evicted)
                {
                    session.Dispose();
                }
            }
        }

        public void Evict()
        {
            lock (_gate)
            {
                _evicted = true;
                if (_users == 0)
                {
                    session.Dispose();
                }
            }
        }
    }
}
