using Microsoft.AspNetCore.Http.Metadata;

namespace Platform.Api.Infrastructure;

/// <summary>
/// An endpoint's request body limit as routing metadata: routing sets the server's
/// <c>IHttpMaxRequestBodySizeFeature</c> from it before the endpoint runs, so a body past it is refused
/// by the server as it arrives (413), whoever reads it. Endpoints without one get Kestrel's
/// <c>Kestrel:Limits:MaxRequestBodySize</c> (appsettings.json), small because they expect no body.
/// </summary>
public sealed class RequestBodyLimit(long maxBytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = maxBytes;
}

public static class RequestBodyLimitExtensions
{
    /// <summary>
    /// One byte over <paramref name="maxBytes"/>: the endpoint's own reader (<see cref="JsonRequestReader"/>) sees
    /// the oversize body first and answers 413 naming the setting; the server's limit is the backstop.
    /// </summary>
    public static TBuilder WithRequestBodyLimit<TBuilder>(this TBuilder builder, long maxBytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestBodyLimit(maxBytes + 1));
}
