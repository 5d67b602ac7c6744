namespace Platform.Api.Providers.Offline;

/// <summary>Roughly four characters per token, as for English text with OpenAI's tokenizers.</summary>
internal static class OfflineTokenEstimator
{
    public const int CharsPerToken = 4;
    public const int PerMessageOverhead = 3;

    public static int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : (text.Length + CharsPerToken - 1) / CharsPerToken;
}
