namespace FleetMarket.Web.Features;

public static class FormFileExtensions
{
    /// <summary>The uploaded file's bytes; uploads are checked whole (model load, .npy/.npz parse) before anything is stored.</summary>
    public static async Task<byte[]> ReadAllBytesAsync(this IFormFile file, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream((int)Math.Min(file.Length, int.MaxValue));
        await file.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
