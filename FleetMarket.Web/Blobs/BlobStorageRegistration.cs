namespace FleetMarket.Web.Blobs;

public static class BlobStorageRegistration
{
    /// <summary>The blob store configuration selects: the data folder (the embedded default) or Azure Blob Storage.</summary>
    public static IServiceCollection AddBlobStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BlobStorageOptions>().BindConfiguration(BlobStorageOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Kind != BlobStorageKind.AzureBlob || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "BlobStorage:ConnectionString is required when BlobStorage:Kind is AzureBlob.")
            .ValidateOnStart();
        services.AddScoped<UploadSweepTask>();
        if (BlobStorageOptions.KindIn(configuration) == BlobStorageKind.AzureBlob)
        {
            services.AddSingleton<AzureBlobStore>();
            services.AddSingleton<IBlobStore>(provider => provider.GetRequiredService<AzureBlobStore>());
            services.AddHostedService<BlobContainerStartup>();
        }
        else
        {
            services.AddSingleton<IBlobStore, LocalFolderBlobStore>();
        }

        return services;
    }

    /// <summary>Creates the container before the app serves: a wrong connection string fails the start, not a buyer's upload.</summary>
    private sealed class BlobContainerStartup(AzureBlobStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.EnsureContainerAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
