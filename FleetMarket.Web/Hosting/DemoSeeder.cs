using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.CarFinancing;
using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Money;
using FleetMarket.Domain.Settlement;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Accounts;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Marketplace;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Hosting;

/// <summary>One account per role, a few devices and a buyer balance. Development only: see DatabaseMigrator.</summary>
internal sealed class DemoSeeder(UserManager<ApplicationUser> users, DeviceService devices, LedgerService ledger, FleetDbContext db,
    TimeProvider time, IOptions<DemoOptions> options, IOptions<MarketplaceOptions> marketplace, ILogger<DemoSeeder> logger)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.Value.Password) || await users.FindByEmailAsync(DemoOptions.EmailFor(Roles.Owner)) is not null)
        {
            return;
        }

        var accounts = new Dictionary<string, ApplicationUser>();
        foreach (var role in Roles.All)
        {
            var user = new ApplicationUser
            {
                UserName = DemoOptions.EmailFor(role),
                Email = DemoOptions.EmailFor(role),
                EmailConfirmed = true,
                DisplayName = $"Demo {role.ToLowerInvariant()}",
            };
            await users.CreateAsync(user, options.Value.Password);
            await users.AddToRoleAsync(user, role);
            accounts[role] = user;
        }

        var owner = accounts[Roles.Owner].Id;
        var currency = marketplace.Value.Currency;
        await devices.AddAsync(owner, new NewDevice("Model Y (HW4)", DeviceKind.Car, "HW4 FSD computer", 16_384, "us-west",
            Money.FromMajor(1.80m, currency)), cancellationToken);
        await devices.AddAsync(owner, new NewDevice("Gaming PC", DeviceKind.Pc, "RTX 4070", 12_288, "us-west", Money.FromMajor(1.20m, currency)),
            cancellationToken);
        await devices.AddAsync(owner, new NewDevice("Pixel 9 Pro", DeviceKind.Phone, "Tensor G4 NPU", 16_384, "us-west",
            Money.FromMajor(0.40m, currency)), cancellationToken);
        await ledger.TryAddAsync(SettlementEntries.TopUp(accounts[Roles.Buyer].Id, Money.FromMajor(50, currency).Minor, currency, "demo-seed",
            simulated: true, time.GetUtcNow()), cancellationToken);

        // A lease payment due in a few days: the walk's first payout run pays the owner's few cents of earnings, which
        // would otherwise wait below the payout minimum.
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var plan = new CarPaymentPlan(owner, marketplace.Value.Currency);
        plan.Update("Demo Auto Finance", Money.FromMajor(499, plan.Currency), dueDay: Math.Min(28, today.AddDays(3).Day), today.AddMonths(-2), today.AddYears(3));
        db.CarPaymentPlans.Add(plan);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Seeded demo accounts ({Domain}) with devices and a buyer balance", DemoOptions.EmailDomain);
    }
}
