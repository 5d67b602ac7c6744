namespace Platform.Api.Errors;

/// <summary>
/// The Api answers every error in OpenAI's shape, so the problem details that ASP.NET Core writes by
/// itself (status code pages, the exception handler's fallback, the developer exception page) come
/// out as OpenAI error objects instead: the status and any detail are kept, stack traces never written.
/// </summary>
public sealed class OpenAIProblemDetailsWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var error = context.Exception is { } exception
            ? OpenAIExceptionHandler.Translate(http, exception)
            : OpenAIErrorWriter.ForStatus(http, context.ProblemDetails.Status ?? http.Response.StatusCode, context.ProblemDetails.Detail);
        return new ValueTask(OpenAIErrorWriter.WriteAsync(http, error));
    }
}
