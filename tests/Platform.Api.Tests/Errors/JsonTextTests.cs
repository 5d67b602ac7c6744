using System.Text;
using Platform.Api.Infrastructure;

namespace Platform.Api.Tests.Errors;

public sealed class JsonTextTests
{
    [Theory]
    [InlineData("""{"a":"plain"}""")]
    [InlineData("""{"a":"\u00e9\u4e2d"}""")]
    [InlineData("""{"a":"\ud83d\ude00"}""")]
    [InlineData("""{"a":"\uD83D\uDE00 and \ud83d\ude00"}""")]
    [InlineData("""{"a":"\\ud800"}""")]
    [InlineData("""{"a":"\"\\ud800\""}""")]
    [InlineData("""{"\\udc00":"x"}""")]
    [InlineData("""{"a":"\u12"}""")]
    public void TextThatIsUnicodeIsAccepted(string json) =>
        Assert.Null(JsonText.FindEncodingError(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"a":"\ud800"}""", 6)]
    [InlineData("""{"a":"x\udfff"}""", 7)]
    [InlineData("""{"a":"\ud800\u0041"}""", 6)]
    [InlineData("""{"a":"\ud800x"}""", 6)]
    [InlineData("""{"a":"\\\ud800"}""", 8)]
    [InlineData("""{"ok":"\ud83d\ude00","\udbff":1}""", 22)]
    public void AnEscapedLoneSurrogateIsFoundWhereItIs(string json, int offset) =>
        Assert.Equal(offset, JsonText.FindLoneSurrogateEscape(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void InvalidUtf8IsReported() =>
        Assert.Contains("UTF-8", JsonText.FindEncodingError([(byte)'"', 0xC0, 0xAF, (byte)'"']));
}
