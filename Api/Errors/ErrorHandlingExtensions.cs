using Platform.Api.Errors;

namespace Microsoft.Extensions.Hosting;

public static class ErrorHandlingExtensions
{
    /// <summary>
    /// Every failure of every endpoint becomes OpenAI's error object: the exception handler, and
    /// problem details (status code pages, the exception handler's fallback) in the same shape.
    /// </summary>
    public static IHostApplicationBuilder AddOpenAIErrors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddExceptionHandler<OpenAIExceptionHandler>();
        // Ahead of AddProblemDetails' default writer: the first writer that can write is the one used.
        builder.Services.AddSingleton<IProblemDetailsWriter, OpenAIProblemDetailsWriter>();
        builder.Services.AddProblemDetails();
        // A parameter that cannot be bound (a query value of the wrong type, say) throws a
        // BadHttpRequestException that says which one, instead of an empty 400 outside Development.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
    }

    /// <summary>First in the application's pipeline, so it catches what every later middleware and endpoint throws.</summary>
    public static WebApplication UseOpenAIErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Unknown routes (404), wrong methods (405) and bodies refused before an endpoint ran (413)
        // have a status and no body: they get an error object too.
        app.UseStatusCodePages();
        return app;
    }
}
