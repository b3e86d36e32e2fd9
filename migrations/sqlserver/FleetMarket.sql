IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [AspNetRoles] (
        [Id] nvarchar(450) NOT NULL,
        [Name] nvarchar(256) NULL,
        [NormalizedName] nvarchar(256) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetRoles] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [AspNetUsers] (
        [Id] nvarchar(450) NOT NULL,
        [DisplayName] nvarchar(max) NOT NULL,
        [UserName] nvarchar(256) NULL,
        [NormalizedUserName] nvarchar(256) NULL,
        [Email] nvarchar(256) NULL,
        [NormalizedEmail] nvarchar(256) NULL,
        [EmailConfirmed] bit NOT NULL,
        [PasswordHash] nvarchar(max) NULL,
        [SecurityStamp] nvarchar(max) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        [PhoneNumber] nvarchar(max) NULL,
        [PhoneNumberConfirmed] bit NOT NULL,
        [TwoFactorEnabled] bit NOT NULL,
        [LockoutEnd] datetimeoffset NULL,
        [LockoutEnabled] bit NOT NULL,
        [AccessFailedCount] int NOT NULL,
        CONSTRAINT [PK_AspNetUsers] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [AuditLog] (
        [Id] uniqueidentifier NOT NULL,
        [At] datetimeoffset NOT NULL,
        [ActorId] nvarchar(450) NOT NULL,
        [Actor] nvarchar(256) NOT NULL,
        [Action] nvarchar(100) NOT NULL,
        [Subject] nvarchar(200) NOT NULL,
        [Reason] nvarchar(1000) NULL,
        CONSTRAINT [PK_AuditLog] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [BalanceGuards] (
        [Account] nvarchar(500) NOT NULL,
        [Version] bigint NOT NULL,
        CONSTRAINT [PK_BalanceGuards] PRIMARY KEY ([Account])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [DataProtectionKeys] (
        [Id] int NOT NULL IDENTITY,
        [FriendlyName] nvarchar(max) NULL,
        [Xml] nvarchar(max) NULL,
        CONSTRAINT [PK_DataProtectionKeys] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [LedgerTransactions] (
        [Id] uniqueidentifier NOT NULL,
        [IdempotencyKey] nvarchar(200) NOT NULL,
        [Cause] nvarchar(500) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_LedgerTransactions] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [Meterings] (
        [JobId] uniqueidentifier NOT NULL,
        [OwnerId] nvarchar(450) NOT NULL,
        [ChargeMicros] bigint NOT NULL,
        CONSTRAINT [PK_Meterings] PRIMARY KEY ([JobId], [OwnerId])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [ProcessedStripeEvents] (
        [Id] nvarchar(100) NOT NULL,
        [Type] nvarchar(100) NOT NULL,
        [ProcessedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_ProcessedStripeEvents] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [ReconciliationDifferences] (
        [Id] uniqueidentifier NOT NULL,
        [FoundAt] datetimeoffset NOT NULL,
        [Kind] nvarchar(40) NOT NULL,
        [Reference] nvarchar(100) NOT NULL,
        [LedgerMinor] bigint NULL,
        [StripeMinor] bigint NULL,
        [Note] nvarchar(1000) NOT NULL,
        [ResolvedAt] datetimeoffset NULL,
        [ResolvedBy] nvarchar(256) NULL,
        CONSTRAINT [PK_ReconciliationDifferences] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [SettlementRuns] (
        [Id] uniqueidentifier NOT NULL,
        [StartedAt] datetimeoffset NOT NULL,
        [FinishedAt] datetimeoffset NULL,
        [PeriodFrom] datetimeoffset NULL,
        [PeriodTo] datetimeoffset NULL,
        [UsageRecords] int NOT NULL,
        [ChargedMinor] bigint NOT NULL,
        [FeesMinor] bigint NOT NULL,
        CONSTRAINT [PK_SettlementRuns] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [AspNetRoleClaims] (
        [Id] int NOT NULL IDENTITY,
        [RoleId] nvarchar(450) NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetRoleClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetRoleClaims_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [ApiKeys] (
        [Id] uniqueidentifier NOT NULL,
        [BuyerId] nvarchar(450) NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [Prefix] nvarchar(16) NOT NULL,
        [Hash] nvarchar(64) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [RevokedAt] datetimeoffset NULL,
        CONSTRAINT [PK_ApiKeys] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ApiKeys_AspNetUsers_BuyerId] FOREIGN KEY ([BuyerId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserClaims] (
        [Id] int NOT NULL IDENTITY,
        [UserId] nvarchar(450) NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetUserClaims_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserLogins] (
        [LoginProvider] nvarchar(450) NOT NULL,
        [ProviderKey] nvarchar(450) NOT NULL,
        [ProviderDisplayName] nvarchar(max) NULL,
        [UserId] nvarchar(450) NOT NULL,
        CONSTRAINT [PK_AspNetUserLogins] PRIMARY KEY ([LoginProvider], [ProviderKey]),
        CONSTRAINT [FK_AspNetUserLogins_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserRoles] (
        [UserId] nvarchar(450) NOT NULL,
        [RoleId] nvarchar(450) NOT NULL,
        CONSTRAINT [PK_AspNetUserRoles] PRIMARY KEY ([UserId], [RoleId]),
        CONSTRAINT [FK_AspNetUserRoles_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_AspNetUserRoles_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserTokens] (
        [UserId] nvarchar(450) NOT NULL,
        [LoginProvider] nvarchar(450) NOT NULL,
        [Name] nvarchar(450) NOT NULL,
        [Value] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserTokens] PRIMARY KEY ([UserId], [LoginProvider], [Name]),
        CONSTRAINT [FK_AspNetUserTokens_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [CarPaymentPlans] (
        [Id] uniqueidentifier NOT NULL,
        [OwnerId] nvarchar(450) NOT NULL,
        [Lessor] nvarchar(200) NOT NULL,
        [MonthlyPaymentMinor] bigint NOT NULL,
        [Currency] nchar(3) NOT NULL,
        [DueDay] int NOT NULL,
        [StartsOn] date NOT NULL,
        [EndsOn] date NOT NULL,
        CONSTRAINT [PK_CarPaymentPlans] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_CarPaymentPlans_AspNetUsers_OwnerId] FOREIGN KEY ([OwnerId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [Devices] (
        [Id] uniqueidentifier NOT NULL,
        [OwnerId] nvarchar(450) NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [Kind] nvarchar(20) NOT NULL,
        [Accelerator] nvarchar(100) NOT NULL,
        [MemoryMb] int NOT NULL,
        [Region] nvarchar(50) NOT NULL,
        [AskingPricePerHourMinor] bigint NOT NULL,
        [Currency] nchar(3) NOT NULL,
        [Status] nvarchar(20) NOT NULL,
        [ExecutionProvider] nvarchar(40) NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [LastSeenAt] datetimeoffset NULL,
        [PairingCodeHash] nvarchar(64) NULL,
        [PairingCodeExpiresAt] datetimeoffset NULL,
        [CredentialHash] nvarchar(64) NULL,
        [Policy] nvarchar(4000) NOT NULL,
        [BenchmarkScore] float NULL,
        [AvailableProviders] nvarchar(200) NULL,
        [WorkerVersion] nvarchar(40) NULL,
        [ValidResults] int NOT NULL,
        [InvalidResults] int NOT NULL,
        [TimedOutResults] int NOT NULL,
        [ValidStreak] int NOT NULL,
        CONSTRAINT [PK_Devices] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Devices_AspNetUsers_OwnerId] FOREIGN KEY ([OwnerId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [PayoutAccounts] (
        [Id] uniqueidentifier NOT NULL,
        [OwnerId] nvarchar(450) NOT NULL,
        [ProviderAccountId] nvarchar(100) NOT NULL,
        [DetailsSubmitted] bit NOT NULL,
        [PayoutsEnabled] bit NOT NULL,
        [UpdatedAt] datetimeoffset NOT NULL,
        [LastBankPayoutStatus] nvarchar(20) NULL,
        [LastBankPayoutAt] datetimeoffset NULL,
        [LastBankPayoutFailure] nvarchar(500) NULL,
        CONSTRAINT [PK_PayoutAccounts] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_PayoutAccounts_AspNetUsers_OwnerId] FOREIGN KEY ([OwnerId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [Payouts] (
        [Id] uniqueidentifier NOT NULL,
        [OwnerId] nvarchar(450) NOT NULL,
        [AmountMinor] bigint NOT NULL,
        [Currency] nchar(3) NOT NULL,
        [Status] nvarchar(20) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [RunDate] date NOT NULL,
        [PayBy] date NOT NULL,
        [Anomalies] int NOT NULL,
        [ReviewedAt] datetimeoffset NULL,
        [ReviewedBy] nvarchar(256) NULL,
        [ReviewNote] nvarchar(1000) NULL,
        [TransferId] nvarchar(100) NULL,
        [Simulated] bit NOT NULL,
        [PaidAt] datetimeoffset NULL,
        [FailureReason] nvarchar(1000) NULL,
        CONSTRAINT [PK_Payouts] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Payouts_AspNetUsers_OwnerId] FOREIGN KEY ([OwnerId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [Reservations] (
        [Id] uniqueidentifier NOT NULL,
        [BuyerId] nvarchar(450) NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [WindowStart] datetimeoffset NOT NULL,
        [WindowEnd] datetimeoffset NOT NULL,
        [Requirements] nvarchar(1000) NOT NULL,
        [MaxPricePerHourMinor] bigint NOT NULL,
        [Currency] nchar(3) NOT NULL,
        [DeviceHours] int NOT NULL,
        [HeldMinor] bigint NOT NULL,
        [Status] nvarchar(20) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [CancelledAt] datetimeoffset NULL,
        [EscrowReleasedAt] datetimeoffset NULL,
        CONSTRAINT [PK_Reservations] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Reservations_AspNetUsers_BuyerId] FOREIGN KEY ([BuyerId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [Postings] (
        [Id] uniqueidentifier NOT NULL,
        [TransactionId] uniqueidentifier NOT NULL,
        [Account] nvarchar(500) NOT NULL,
        [AmountMinor] bigint NOT NULL,
        [Currency] nchar(3) NOT NULL,
        CONSTRAINT [PK_Postings] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Postings_LedgerTransactions_TransactionId] FOREIGN KEY ([TransactionId]) REFERENCES [LedgerTransactions] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [Jobs] (
        [Id] uniqueidentifier NOT NULL,
        [BuyerId] nvarchar(450) NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [ModelSha256] nvarchar(64) NOT NULL,
        [RowCount] int NOT NULL,
        [MaxPricePerHourMinor] bigint NOT NULL,
        [Currency] nchar(3) NOT NULL,
        [Priority] int NOT NULL,
        [ReservationId] uniqueidentifier NULL,
        [Verification_Mode] nvarchar(20) NOT NULL DEFAULT N'None',
        [Verification_Replicas] int NOT NULL DEFAULT 1,
        [Verification_AbsoluteTolerance] float NOT NULL,
        [Verification_RelativeTolerance] float NOT NULL,
        [HeldMinor] bigint NOT NULL,
        [EstimatedMicrosPerRow] bigint NOT NULL,
        [HoldTopUps] int NOT NULL,
        [HoldReviewBelowMinor] bigint NOT NULL,
        [PauseReason] nvarchar(500) NULL,
        [Status] nvarchar(20) NOT NULL,
        [FailureReason] nvarchar(1000) NULL,
        [OutputSha256] nvarchar(64) NULL,
        [OutputFileName] nvarchar(100) NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [CompletedAt] datetimeoffset NULL,
        [EscrowReleasedAt] datetimeoffset NULL,
        CONSTRAINT [PK_Jobs] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Jobs_AspNetUsers_BuyerId] FOREIGN KEY ([BuyerId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Jobs_Reservations_ReservationId] FOREIGN KEY ([ReservationId]) REFERENCES [Reservations] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [ReservedSlots] (
        [Id] uniqueidentifier NOT NULL,
        [ReservationId] uniqueidentifier NOT NULL,
        [DeviceId] uniqueidentifier NOT NULL,
        [StartsAt] datetimeoffset NOT NULL,
        [PricePerHourMinor] bigint NOT NULL,
        CONSTRAINT [PK_ReservedSlots] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ReservedSlots_Devices_DeviceId] FOREIGN KEY ([DeviceId]) REFERENCES [Devices] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_ReservedSlots_Reservations_ReservationId] FOREIGN KEY ([ReservationId]) REFERENCES [Reservations] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [WorkUnits] (
        [Id] uniqueidentifier NOT NULL,
        [JobId] uniqueidentifier NOT NULL,
        [Index] int NOT NULL,
        [Replica] int NOT NULL,
        [OwnerId] nvarchar(450) NULL,
        [DecisionVersion] int NOT NULL,
        [RowStart] int NOT NULL,
        [RowCount] int NOT NULL,
        [InputSha256] nvarchar(64) NOT NULL,
        [Status] nvarchar(20) NOT NULL,
        [Attempts] int NOT NULL,
        [LeaseId] uniqueidentifier NULL,
        [DeviceId] uniqueidentifier NULL,
        [LeaseExpiresAt] datetimeoffset NULL,
        [LeasedAt] datetimeoffset NULL,
        [PricePerHourMinor] bigint NOT NULL,
        [OutputSha256] nvarchar(64) NULL,
        [ComputeMilliseconds] bigint NOT NULL,
        [InferenceCount] bigint NOT NULL,
        [CompletedAt] datetimeoffset NULL,
        [FailureReason] nvarchar(1000) NULL,
        CONSTRAINT [PK_WorkUnits] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_WorkUnits_Jobs_JobId] FOREIGN KEY ([JobId]) REFERENCES [Jobs] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE TABLE [UsageRecords] (
        [Id] uniqueidentifier NOT NULL,
        [WorkUnitId] uniqueidentifier NOT NULL,
        [JobId] uniqueidentifier NOT NULL,
        [ReservationId] uniqueidentifier NULL,
        [BuyerId] nvarchar(450) NOT NULL,
        [DeviceId] uniqueidentifier NOT NULL,
        [OwnerId] nvarchar(450) NOT NULL,
        [ComputeMilliseconds] bigint NOT NULL,
        [InferenceCount] bigint NOT NULL,
        [PricePerHourMinor] bigint NOT NULL,
        [ChargeMinor] bigint NOT NULL,
        [ChargeMicros] bigint NOT NULL,
        [FeeMinor] bigint NOT NULL,
        [Currency] nchar(3) NOT NULL,
        [RecordedAt] datetimeoffset NOT NULL,
        [SettledAt] datetimeoffset NULL,
        [ReversedAt] datetimeoffset NULL,
        [ReversalReason] nvarchar(500) NULL,
        [ReversalSettledAt] datetimeoffset NULL,
        CONSTRAINT [PK_UsageRecords] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_UsageRecords_WorkUnits_WorkUnitId] FOREIGN KEY ([WorkUnitId]) REFERENCES [WorkUnits] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_ApiKeys_BuyerId] ON [ApiKeys] ([BuyerId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ApiKeys_Hash] ON [ApiKeys] ([Hash]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetRoleClaims_RoleId] ON [AspNetRoleClaims] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [RoleNameIndex] ON [AspNetRoles] ([NormalizedName]) WHERE [NormalizedName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserClaims_UserId] ON [AspNetUserClaims] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserLogins_UserId] ON [AspNetUserLogins] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserRoles_RoleId] ON [AspNetUserRoles] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [EmailIndex] ON [AspNetUsers] ([NormalizedEmail]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [UserNameIndex] ON [AspNetUsers] ([NormalizedUserName]) WHERE [NormalizedUserName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditLog_At] ON [AuditLog] ([At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditLog_Subject] ON [AuditLog] ([Subject]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_CarPaymentPlans_OwnerId] ON [CarPaymentPlans] ([OwnerId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_Devices_CredentialHash] ON [Devices] ([CredentialHash]) WHERE [CredentialHash] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_Devices_OwnerId] ON [Devices] ([OwnerId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_Devices_PairingCodeHash] ON [Devices] ([PairingCodeHash]) WHERE [PairingCodeHash] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_Jobs_BuyerId_CreatedAt] ON [Jobs] ([BuyerId], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_Jobs_ReservationId] ON [Jobs] ([ReservationId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_Jobs_Status] ON [Jobs] ([Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_LedgerTransactions_IdempotencyKey] ON [LedgerTransactions] ([IdempotencyKey]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_PayoutAccounts_OwnerId] ON [PayoutAccounts] ([OwnerId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_PayoutAccounts_ProviderAccountId] ON [PayoutAccounts] ([ProviderAccountId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Payouts_OwnerId_RunDate] ON [Payouts] ([OwnerId], [RunDate]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_Payouts_Status_CreatedAt] ON [Payouts] ([Status], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_Payouts_TransferId] ON [Payouts] ([TransferId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_Postings_Account_Currency] ON [Postings] ([Account], [Currency]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_Postings_TransactionId] ON [Postings] ([TransactionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ReconciliationDifferences_Kind_Reference] ON [ReconciliationDifferences] ([Kind], [Reference]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_Reservations_BuyerId_CreatedAt] ON [Reservations] ([BuyerId], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_Reservations_EscrowReleasedAt_WindowEnd] ON [Reservations] ([EscrowReleasedAt], [WindowEnd]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ReservedSlots_DeviceId_StartsAt] ON [ReservedSlots] ([DeviceId], [StartsAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_ReservedSlots_ReservationId] ON [ReservedSlots] ([ReservationId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_SettlementRuns_StartedAt] ON [SettlementRuns] ([StartedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_UsageRecords_JobId] ON [UsageRecords] ([JobId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_UsageRecords_OwnerId] ON [UsageRecords] ([OwnerId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_UsageRecords_ReservationId] ON [UsageRecords] ([ReservationId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_UsageRecords_ReversedAt_ReversalSettledAt] ON [UsageRecords] ([ReversedAt], [ReversalSettledAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_UsageRecords_SettledAt] ON [UsageRecords] ([SettledAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_UsageRecords_WorkUnitId] ON [UsageRecords] ([WorkUnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_WorkUnits_DeviceId_Status_LeaseExpiresAt] ON [WorkUnits] ([DeviceId], [Status], [LeaseExpiresAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_WorkUnits_JobId_Index_Replica] ON [WorkUnits] ([JobId], [Index], [Replica]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_WorkUnits_JobId_Status_Index] ON [WorkUnits] ([JobId], [Status], [Index]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_WorkUnits_LeaseId] ON [WorkUnits] ([LeaseId]) WHERE [LeaseId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    CREATE INDEX [IX_WorkUnits_Status_LeaseExpiresAt] ON [WorkUnits] ([Status], [LeaseExpiresAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207201247_Initial'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207201247_Initial', N'10.0.12');
END;

COMMIT;
GO

