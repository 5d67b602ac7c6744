using Microsoft.Extensions.AI;

namespace Platform.Api.Providers;

/// <summary>Creates the client that talks to a configured provider: the innermost stage of its chat pipeline.</summary>
public interface IChatProviderFactory
{
    /// <param name="providerName">A name under <c>Providers</c>.</param>
    IChatClient Create(string providerName);
}
