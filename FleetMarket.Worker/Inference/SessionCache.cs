using Microsoft.ML.OnnxRuntime;

namespace FleetMarket.Worker.Inference;

/// <summary>
/// The loaded sessions by model SHA-256, at most <c>capacity</c> of them: a worker lives for weeks and
/// meets many models, and each session holds its weights in memory. The least recently used one
/// goes first, disposed only once the last run using it has returned.
/// </summary>
internal sealed class SessionCache(int capacity) : IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> bySha = new(StringComparer.OrdinalIgnoreCase);
    private readonly LinkedList<Entry> recency = new();

    public bool Contains(string sha256)
    {
        lock (gate)
        {
            return bySha.ContainsKey(sha256);
        }
    }

    /// <summary>Adds a session unless one for the same model is there already, in which case the new one is disposed.</summary>
    public void Add(string sha256, InferenceSession session)
    {
        lock (gate)
        {
            if (bySha.ContainsKey(sha256))
            {
                session.Dispose();
                return;
            }

            bySha[sha256] = recency.AddFirst(new Entry(sha256, session));
            while (recency.Count > capacity)
            {
                var oldest = recency.Last!.Value;
                recency.RemoveLast();
                bySha.Remove(oldest.Sha256);
                oldest.Evict();
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> with the model's session, keeping it alive until the action returns.</summary>
    public T Use<T>(string sha256, Func<InferenceSession, T> action)
    {
        Entry entry;
        lock (gate)
        {
            if (!bySha.TryGetValue(sha256, out var node))
            {
                throw new InvalidOperationException($"Model {sha256} is not loaded; call LoadModel first.");
            }

            recency.Remove(node);
            recency.AddFirst(node);
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
        lock (gate)
        {
            foreach (var entry in recency)
            {
                entry.Evict();
            }

            recency.Clear();
            bySha.Clear();
        }
    }

    private sealed class Entry(string sha256, InferenceSession session)
    {
        private readonly Lock gate = new();
        private int users;
        private bool evicted;

        public string Sha256 => sha256;

        public InferenceSession Session => session;

        public void AddUser()
        {
            lock (gate)
            {
                users++;
            }
        }

        public void RemoveUser()
        {
            lock (gate)
            {
                if (--users == 0 && evicted)
                {
                    session.Dispose();
                }
            }
        }

        public void Evict()
        {
            lock (gate)
            {
                evicted = true;
                if (users == 0)
                {
                    session.Dispose();
                }
            }
        }
    }
}
