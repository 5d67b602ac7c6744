using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Platform.Api.Errors;
using Platform.Api.Providers;

namespace Platform.Api.Tests.Errors;

public sealed class ExceptionTranslationTests
{
    [Fact]
    public void AnUnreachableDatabaseIsA503TheCallerMayRetry()
    {
        var error = Translate(new InvalidOperationException("retries exhausted", new UnreachableDatabase()));

        Assert.Equal((503, "service_unavailable", "server_error"), (error.StatusCode, error.Code, error.Type));
    }

    [Fact]
    public void AnUnexpectedExceptionSaysNothingOfItselfButTheRequestId()
    {
        var http = new DefaultHttpContext();

        var error = OpenAIExceptionHandler.Translate(http, new NullReferenceException("secret internals"));

        Assert.Equal((500, "internal_error"), (error.StatusCode, error.Code));
        Assert.Contains(Platform.Api.Chat.RequestIdMiddleware.GetRequestId(http), error.Message);
        Assert.DoesNotContain("secret", error.Message);
    }

    [Fact]
    public void WhatKestrelAndBindingRefuseKeepsItsStatus()
    {
        Assert.Equal((413, "request_too_large"), Pair(Translate(new BadHttpRequestException("too big", 413))));
        Assert.Equal((400, "invalid_json"), Pair(Translate(new BadHttpRequestException("bad", 400, new JsonException("x")))));
        Assert.Equal((400, "invalid_request"), Pair(Translate(new BadHttpRequestException("Failed to bind parameter \"int limit\" from \"x\".", 400))));
    }

    [Fact]
    public void ProviderFailuresAreGatewayErrors()
    {
        Assert.Equal((504, "upstream_timeout"), Pair(Translate(new UpstreamProviderException("p", null, true, "slow"))));
        Assert.Equal((502, "upstream_error"), Pair(Translate(new UpstreamProviderException("p", 503, false, "down"))));
        Assert.Equal((429, "rate_limit_exceeded"), Pair(Translate(new UpstreamProviderException("p", 429, false, "busy"))));
    }

    [Fact]
    public void AProviderFailureTellsTheCallerTheUpstreamStatusButNoHostOrAnswerText()
    {
        var unreachable = Translate(new UpstreamProviderException("p", null, false, "Provider 'p' could not be reached: Connection refused (llm.internal.corp:8443)"));
        var failed = Translate(new UpstreamProviderException("p", 500, false, "Provider 'p' answered 500: {\"error\":\"pod llm-7f9 on node 10.0.3.7 crashed\"}"));

        Assert.Equal(502, unreachable.StatusCode);
        Assert.DoesNotContain("llm.internal.corp", unreachable.Message);
        Assert.DoesNotContain("8443", unreachable.Message);
        Assert.Equal(502, failed.StatusCode);
        Assert.Contains("500", failed.Message);
        Assert.DoesNotContain("10.0.3.7", failed.Message);
        Assert.DoesNotContain("crashed", failed.Message);
    }

    [Fact]
    public void ADatabaseThatMissedItsDeadlineIsA503()
    {
        var error = Translate(new Platform.Api.Infrastructure.DatabaseUnavailableException(new TimeoutException()));

        Assert.Equal((503, "service_unavailable"), Pair(error));
    }

    private static Platform.Api.Chat.ChatGatewayException Translate(Exception e) => OpenAIExceptionHandler.Translate(new DefaultHttpContext(), e);

    private static (int, string?) Pair(Platform.Api.Chat.ChatGatewayException e) => (e.StatusCode, e.Code);

    private sealed class UnreachableDatabase() : DbException("connection refused")
    {
        public override bool IsTransient => true;
    }
}
