namespace Platform.Api.Auth;

/// <summary>
/// What a refused caller is told. OpenAI clients always send a key (the SDKs refuse to start without one),
/// so a bare "invalid key" leaves a developer guessing: each message says what to send and where keys come from.
/// </summary>
public static class ApiKeyMessages
{
    public const string MalformedHeader = "The Authorization header must be 'Bearer <api key>'.";
    public const string UnknownKey = "The API key is not valid or has been revoked.";

    private const string HowToGetOne =
        "API keys are created by an administrator with POST /v1/admin/keys (admin key); a local run (eng/run.sh) prints a development key.";

    /// <param name="failure">Why authentication failed (null: no Authorization header was sent).</param>
    /// <param name="keysRequired">Auth:RequireApiKey.</param>
    public static string Challenge(string? failure, bool keysRequired) => (failure, keysRequired) switch
    {
        (null, _) => $"An API key is required: send 'Authorization: Bearer <key>'. {HowToGetOne}",
        (_, true) => $"{failure} {HowToGetOne}",
        // Keys are optional here (Development), yet the one presented is not known: accepting it as anonymous
        // would hide a mistake (a revoked or mistyped key), so say both ways out.
        (_, false) => $"{failure} This gateway does not require a key (Auth:RequireApiKey is false): send no Authorization header to call anonymously, or use a valid key. {HowToGetOne}",
    };
}
