using FleetMarket.Domain;
using MudBlazor;

namespace FleetMarket.Web.Components.Shared;

/// <summary>The one way a page shows that the marketplace refused what the user asked.</summary>
public static class SnackbarExtensions
{
    /// <summary>
    /// Runs <paramref name="action"/>; when the marketplace refuses it (a <see cref="DomainException"/>, or an exception
    /// <paramref name="alsoShow"/> accepts) its message shows as an error snackbar, else <paramref name="success"/>, if
    /// any, shows. Whether the action succeeded. Anything else is not the user's to fix and is left to propagate.
    /// </summary>
    public static async Task<bool> TryAsync(this ISnackbar snackbar, Func<Task> action, string? success = null,
        Severity successSeverity = Severity.Success, Func<Exception, bool>? alsoShow = null)
    {
        try
        {
            await action();
        }
        catch (Exception exception) when (exception is DomainException || alsoShow?.Invoke(exception) == true)
        {
            snackbar.Add(exception.Message, Severity.Error);
            return false;
        }

        if (success is not null)
        {
            snackbar.Add(success, successSeverity);
        }

        return true;
    }
}
