namespace FleetMarket.Domain.Ledger;

public sealed class Posting
{
    private Posting()
    {
    }

    internal Posting(Guid transactionId, string account, long amountMinor, string currency)
    {
        Id = Guid.NewGuid();
        TransactionId = transactionId;
        Account = account;
        AmountMinor = amountMinor;
        Currency = currency;
    }

    public Guid Id { get; private set; }
    public Guid TransactionId { get; private set; }
    public string Account { get; private set; } = "";
    public long AmountMinor { get; private set; }
    public string Currency { get; private set; } = "";
}
