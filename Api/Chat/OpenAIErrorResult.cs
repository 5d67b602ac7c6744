using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using System.Reflection;
using Platform.Api.Chat.Wire;

namespace Platform.Api.Chat;

/// <summary>An OpenAI error object with its HTTP status.</summary>
public sealed class OpenAIErrorResult(int statusCode, OpenAIError error) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public int StatusCode { get; } = statusCode;
    int? IStatusCodeHttpResult.StatusCode => StatusCode;
    public OpenAIError Error { get; } = error;

    public static OpenAIErrorResult From(ChatGatewayException e) =>
        new(e.StatusCode, new OpenAIError { Message = e.Message, Type = e.Type, Param = e.Param, Code = e.Code });

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        return httpContext.Response.WriteAsJsonAsync(
            new OpenAIErrorEnvelope { Error = Error }, ChatWireJsonContext.Default.OpenAIErrorEnvelope, contentType: null, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(OpenAIErrorEnvelope), ["application/json"]));
}
