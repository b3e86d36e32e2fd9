using FleetMarket.Domain.Validation;
using FleetMarket.Protocol.Validation;

namespace FleetMarket.Domain.CarFinancing;

/// <summary>
/// The car payment (a lease or a loan: owners call it their car lease) an owner wants their devices' earnings to
/// offset: a monthly amount to the lessor, due on one day of the month, from a start to an end date.
/// </summary>
public sealed class CarPaymentPlan
{
    private CarPaymentPlan()
    {
    }

    public CarPaymentPlan(string ownerId, string currency)
    {
        Id = Guid.NewGuid();
        OwnerId = ownerId;
        Currency = currency;
    }

    public Guid Id { get; private set; }
    public string OwnerId { get; private set; } = "";
    public string Lessor { get; private set; } = "";
    public long MonthlyPaymentMinor { get; private set; }
    public string Currency { get; private set; } = "";

    /// <summary>The monthly payment as money; stored as its two columns.</summary>
    public Money.Money MonthlyPayment => new(MonthlyPaymentMinor, Currency);

    /// <summary>Day of the month the payment is due: 1 to 28, so every month has it.</summary>
    public int DueDay { get; private set; } = 1;
    public DateOnly StartsOn { get; private set; }
    public DateOnly EndsOn { get; private set; }

    public void Update(string lessor, Money.Money monthlyPayment, int dueDay, DateOnly startsOn, DateOnly endsOn)
    {
        if (string.IsNullOrWhiteSpace(lessor))
        {
            throw new DomainException("Name the lessor.");
        }

        if (monthlyPayment.Currency != Currency)
        {
            throw new DomainException($"The monthly payment must be in {Currency}.");
        }

        if (monthlyPayment.Minor is <= 0 or > FieldLimits.MaxMonthlyPaymentMinor)
        {
            throw new DomainException($"The monthly payment must be above zero and at most {new Money.Money(FieldLimits.MaxMonthlyPaymentMinor, Currency).ToMajorText()}.");
        }

        if (dueDay is < 1 or > 28)
        {
            throw new DomainException("The due day must lie between 1 and 28.");
        }

        if (endsOn <= startsOn)
        {
            throw new DomainException("The lease must end after it starts.");
        }

        Lessor = PlainText.Require(lessor, "The lessor", FieldLimits.Lessor);
        MonthlyPaymentMinor = monthlyPayment.Minor;
        DueDay = dueDay;
        StartsOn = startsOn;
        EndsOn = endsOn;
    }

    /// <summary>Whether a payment falls in the month that starts on <paramref name="monthStart"/>.</summary>
    public bool IsDueIn(DateOnly monthStart) =>
        monthStart >= new DateOnly(StartsOn.Year, StartsOn.Month, 1) && monthStart <= EndsOn;

    /// <summary>The first payment day on or after <paramref name="from"/> while the plan runs; null after its last payment.</summary>
    public DateOnly? NextDueDate(DateOnly from)
    {
        var thisMonth = new DateOnly(from.Year, from.Month, DueDay);
        var due = thisMonth >= from ? thisMonth : thisMonth.AddMonths(1);
        if (due < StartsOn)
        {
            due = new DateOnly(StartsOn.Year, StartsOn.Month, DueDay);
            due = due >= StartsOn ? due : due.AddMonths(1);
        }

        return due <= EndsOn ? due : null;
    }

    /// <summary>
    /// How much of the month's payment the earnings cover, in hundredths of a percent (rounded down: "covered" never
    /// overstates), at most 999 %; 0 when nothing is due. USD 1.53 of a USD 499 payment is 30 (0.30 %), which whole
    /// percent would show as nothing.
    /// </summary>
    public int CoveredBasisPoints(DateOnly monthStart, long earningsMinor) =>
        IsDueIn(monthStart) ? (int)Math.Min(99_900, earningsMinor * 10_000 / MonthlyPaymentMinor) : 0;
}
