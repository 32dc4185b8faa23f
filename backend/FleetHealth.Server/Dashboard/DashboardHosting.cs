using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Dashboard;

/// <summary>Serves the built dashboard (a single-page app) from the same origin as the API.</summary>
public static class DashboardHosting
{
    internal static void AddDashboard(this WebApplicationBuilder builder) =>
        builder.Services.AddOptions<DashboardOptions>()
            .BindConfiguration(DashboardOptions.Section)
            .Validate(o => string.IsNullOrEmpty(o.Root) || Directory.Exists(o.Root), "Dashboard:Root names a folder that does not exist.")
            .ValidateOnStart();

    public static WebApplication MapDashboard(this WebApplication app)
    {
        // Unknown API paths answer 404 problem details, never the app's index.html.
        app.MapFallback("/api/{**path}", () => TypedResults.Problem("No such API endpoint.", statusCode: StatusCodes.Status404NotFound, title: "Not found"))
            .ExcludeFromDescription()
            .AllowAnonymous();
        var root = FindRoot(app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value, app.Environment);
        if (root is null)
        {
            app.MapGet("/", () => TypedResults.Text("FleetHealth is running; the dashboard is not built (run npm run build in frontend/).\n"))
                .ExcludeFromDescription()
                .AllowAnonymous();
            return app;
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        // Client-side routes (/sensors/s-1) load the app; API and websocket paths never fall back.
        // The app and its files are public (the login page is part of it); the data behind it is not.
        app.MapFallbackToFile("index.html", new StaticFileOptions { FileProvider = files }).AllowAnonymous();
        return app;
    }

    private static string? FindRoot(DashboardOptions options, IWebHostEnvironment environment)
    {
        if (!string.IsNullOrEmpty(options.Root))
        {
            return Path.GetFullPath(options.Root);
        }

        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "wwwroot"),
            Path.Combine(environment.ContentRootPath, "..", "..", "frontend", "dist"),
        ];
        return candidates.Select(Path.GetFullPath).FirstOrDefault(c => File.Exists(Path.Combine(c, "index.html")));
    }
}
