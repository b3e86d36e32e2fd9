using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Data;

/// <summary>The resolved, existing folder that holds the embedded databases and the blob store.</summary>
public sealed class DataFolder
{
    public DataFolder(IOptions<DatabaseOptions> options, IHostEnvironment environment)
    {
        Path = System.IO.Path.GetFullPath(options.Value.DataPath, environment.ContentRootPath);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);
}
