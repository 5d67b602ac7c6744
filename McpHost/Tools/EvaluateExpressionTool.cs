using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using Platform.McpHost.Tools.Expressions;

namespace Platform.McpHost.Tools;

internal sealed class EvaluateExpressionTool() : HostTool(
    "evaluate_expression",
    "Evaluate arithmetic",
    "Evaluates an arithmetic expression exactly as written (double precision). Operators: + - * / % ^ (power, right-associative), parentheses. " +
    "Functions: sqrt abs min max round(x[,digits]) floor ceil log(x[,base]) ln log10 exp sin cos tan asin acos atan (radians). Constants: pi e tau.",
    """
    {
      "type": "object",
      "properties": {
        "expression": { "type": "string", "description": "e.g. (2 + 3) * sqrt(16) ^ 2 / max(1, 4)", "maxLength": 2000 }
      },
      "required": ["expression"],
      "additionalProperties": false
    }
    """,
    """
    {
      "type": "object",
      "properties": {
        "expression": { "type": "string" },
        "result": { "type": "number" }
      },
      "required": ["expression", "result"]
    }
    """)
{
    protected override CallToolResult Invoke(ToolArguments arguments)
    {
        var expression = arguments.GetString("expression");
        var result = ExpressionParser.Evaluate(expression);
        return Structured(new JsonObject
        {
            ["expression"] = expression,
            ["result"] = result,
        });
    }

}
