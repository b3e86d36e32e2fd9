using FleetMarket.Domain.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetMarket.Web.Features.WorkerDownloads;

/// <summary>Owners download the worker for their device's platform from the portal.</summary>
public static class WorkerDownloadsApi
{
    public static string PathFor(string runtimeId) => $"/downloads/worker/{runtimeId}";

    public static IEndpointRouteBuilder MapWorkerDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/downloads/worker/{runtimeId}", Download).RequireAuthorization(Roles.Owner).ExcludeFromDescription();
        return app;
    }

    public static Results<PhysicalFileHttpResult, ProblemHttpResult> Download(string runtimeId, WorkerBuilds builds) =>
        builds.Find(runtimeId) is { } build
            ? TypedResults.PhysicalFile(build.FullPath, "application/octet-stream", build.FileName)
            : TypedResults.Problem($"No worker for '{runtimeId}' is published on this server.", statusCode: StatusCodes.Status404NotFound,
                title: "Not found.");
}
