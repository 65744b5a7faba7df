import { describe, expect, it } from "vitest";
import {
  checkQuery,
  describeIssue,
  expandGrafanaVariables,
  promqlCalls,
  promqlGroupingLabels,
  promqlSelectors,
  type QueryLanguage,
} from "../../src/query/parse.js";

/** Columns of the issues, for compact assertions. */
const columns = (lang: QueryLanguage, expr: string) => checkQuery(lang, expr).map((i) => i.column);

describe("checkQuery accepts valid queries", () => {
  const valid: [QueryLanguage, string][] = [
    ["promql", 'sum by (method, path) (rate(http_requests_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))'],
    ["promql", 'histogram_quantile(0.95, sum by (le, method, path) (rate(http_request_duration_seconds_bucket{job="fastapi"}[5m])))'],
    ["promql", 'time() - process_start_time_seconds{job="fastapi"}'],
    ["promql", 'sum(fastapi_requests_total{app_name="PixErase", path!="/metrics"}) by (status_code)'],
    ["promql", 'sum by ($label) (increase(x{a=~"${instance:regex}"}[${__range}] offset $__interval)) > $threshold'],
    ["promql", "rate(x[[[interval]]]) / $__range_s"],
    ["promql", 'topk($k, rate($metric[5m])) and on($l) group_left(${other}) y'],
    ["promql", "rate(x[5m] offset 1m) + rate((y[5m])) + max_over_time(rate(z[5m])[1h:$__interval])"],
    ["promql", "quantile_over_time(0.9, x[10m]) + predict_linear(y[1h] @ end(), 3600)"],
    ["logql", '{container_name="pix_erase.api"} | json | line_format "{{.log_level}} trace_id={{.log_trace_id}} {{.log_event}}"'],
    ["logql", 'sum by (log_level) (count_over_time({container_name="pix_erase.api"} | json [$__auto]))'],
    ["logql", 'sum by ($label) (rate({app="$app"} |= "$search" | logfmt | duration > $min [$__interval])) > $t'],
    ["logql", 'quantile_over_time(0.99, {a="b"} | unwrap latency [$__range]) by (x)'],
    ["traceql", "{status=error}"],
    ["traceql", "{duration>5s}"],
    ["traceql", '{resource.service.name="fastapi-backend" && status=error}'],
    ["traceql", '{.job_id="abc123"}'],
    ["traceql", '{resource.service.name="$service" && duration > ${min}} | rate() by (${group})'],
  ];
  it.each(valid)("%s: %s", (lang, expr) => {
    expect(checkQuery(lang, expr)).toEqual([]);
  });
});

describe("checkQuery rejects broken queries at the right column", () => {
  it("reports unbalanced parentheses where the expression ends", () => {
    expect(checkQuery("promql", "sum(rate(x[5m])")).toEqual([{ message: "syntax error at column 16: unexpected end of expression", column: 16 }]);
    expect(columns("promql", "sum(rate(x[5m])))")).toEqual([17]);
  });

  it("explains a range function called on an instant vector", () => {
    expect(checkQuery("promql", "rate(http_requests_total)")).toEqual([
      { message: "rate() needs a range vector such as rate(x[$__rate_interval]); got an instant vector at column 6", column: 6 },
    ]);
  });

  it("checks the argument that must be a range, for each range function", () => {
    expect(columns("promql", "quantile_over_time(0.9, x)")).toEqual([25]);
    expect(columns("promql", "sum(increase(rate(x[5m]))) + avg_over_time(y)")).toEqual([14, 44]);
    expect(checkQuery("promql", "rate()")[0].message).toContain("got no argument at column 6");
    expect(checkQuery("promql", "deriv(42)")[0].message).toContain("got a number");
  });

  it("follows Grafana in reading [[var]] as a variable, so x[[interval]] loses its range", () => {
    expect(columns("promql", "rate(x[[interval]])")).toEqual([6]);
  });

  it("reports the token that breaks a grouping clause", () => {
    expect(checkQuery("promql", "sum by (le (x)")).toEqual([{ message: 'syntax error at column 12: unexpected "("', column: 12 }]);
  });

  it("reports columns in the original expression after long macros and variables", () => {
    expect(columns("promql", "rate(x[$__rate_interval]) +* 2")).toEqual([28]);
    expect(columns("promql", 'rate(x{a=~"${instance:regex}"}[${__rate_interval}]) > > 1')).toEqual([55]);
    expect(columns("logql", 'sum(count_over_time({app="$app"} [$__auto])) by ($label) )')).toEqual([58]);
  });

  it("explains a LogQL range aggregation without [range], once", () => {
    expect(checkQuery("logql", 'count_over_time({a="b"})')).toEqual([
      {
        message: 'count_over_time() needs a log range such as count_over_time({job="app"} [$__auto]); got a log stream without [range] at column 17',
        column: 17,
      },
    ]);
    expect(columns("logql", 'sum(rate({a="b"} | json))')).toEqual([10]);
    expect(columns("logql", 'bytes_rate({a="b"} |= "x") + absent_over_time({c="d"})')).toEqual([12, 47]);
  });

  it("rejects TraceQL syntax errors", () => {
    expect(checkQuery("traceql", "{status=}")).toEqual([{ message: 'syntax error at column 9: unexpected "}"', column: 9 }]);
    expect(columns("traceql", "{duration>5s")).toEqual([13]);
  });

  it("rejects unscoped TraceQL attributes, as Tempo does, and says how to scope them", () => {
    const [issue] = checkQuery("traceql", '{job_id="abc123"}');
    expect(issue.column).toBe(2);
    expect(issue.message).toContain(".job_id, span.job_id or resource.job_id");
  });

  it("rejects empty expressions", () => {
    expect(checkQuery("promql", "")).toEqual([{ message: "empty PromQL expression", column: 1 }]);
    expect(checkQuery("logql", "  \n")).toHaveLength(1);
    expect(checkQuery("traceql", "")[0].message).toBe("empty TraceQL expression");
  });
});

describe("expandGrafanaVariables", () => {
  const expand = (lang: QueryLanguage, expr: string) => {
    const out = expandGrafanaVariables(expr, lang);
    expect(out).toHaveLength(expr.length);
    return out;
  };

  it("turns macros in ranges and after offset into zero-padded durations the parser accepts", () => {
    expect(expand("promql", "rate(x[$__rate_interval])")).toBe("rate(x[000000000000001m])");
    expect(expand("promql", "x[${__range}:$__interval] offset $shift")).toBe("x[000000001m:0000000001m] offset 00001m");
    expect(expand("promql", "x offset -$s")).toBe("x offset -1m");
    expect(expand("promql", "rate(x[[[interval]]])")).toBe("rate(x[00000000001m])");
    expect(expand("logql", 'count_over_time({a="b"} | json [$__auto])')).toBe('count_over_time({a="b"} | json [000001m])');
  });

  it("fills strings with letters, label positions with identifiers and the rest with numbers", () => {
    expect(expand("promql", 'x{job=~"$job", i="${i:regex}"}')).toBe('x{job=~"xxxx", i="xxxxxxxxxx"}');
    expect(expand("promql", "sum by (le, $label) (x) > $threshold")).toBe("sum by (le, v_____) (x) > 0000000001");
    expect(expand("promql", "x and ignoring([[l]]) y / $__range_s")).toBe("x and ignoring(v____) y / 0000000001");
    expect(expand("promql", '$metric{a="b"} + ${prefix}_total + x{$l="v"}')).toBe('v______{a="b"} + v_________total + x{v_="v"}');
    expect(expand("logql", '{a="b"} | $label = "y"')).toBe('{a="b"} | v_____ = "y"');
  });

  it("leaves escapes, quotes and comments alone", () => {
    expect(expand("promql", 'x{a="\\"$v"} # $v\ny > $t')).toBe('x{a="\\"xx"} # $v\ny > 01');
    expect(expand("promql", 'label_replace(x, "a", "$1", "b", "(.*)")')).toBe('label_replace(x, "a", "xx", "b", "(.*)")');
  });

  it("expands TraceQL durations, attribute names and by() fields", () => {
    expect(expand("traceql", "{duration > $min && span.$attr = $v}")).toBe("{duration > 001m && span.v____ = 01}");
    expect(expand("traceql", '{.a="$x"} | rate() by (${group})')).toBe('{.a="xx"} | rate() by (.v______)');
  });
});

describe("describeIssue", () => {
  it("prints the message, the expression and a caret under the column", () => {
    const expr = "rate(http_requests_total)";
    const [issue] = checkQuery("promql", expr);
    expect(describeIssue(expr, issue).split("\n")).toEqual([issue.message, "  rate(http_requests_total)", "       ^"]);
  });

  it("shows only the line holding the column of a multi-line expression", () => {
    const expr = "sum(\n\trate(x)\n)";
    const [issue] = checkQuery("promql", expr);
    expect(issue.column).toBe(12);
    expect(describeIssue(expr, issue).split("\n")).toEqual([issue.message, "  \trate(x)", "  \t     ^"]);
  });

  it("is a single line when there is no expression to show", () => {
    expect(describeIssue("", { message: "empty PromQL expression", column: 1 })).toBe("empty PromQL expression");
  });
});

describe("PromQL structure", () => {
  const expr = 'sum by (method, $group) (rate(http_requests_total{job=~"$job", path!="/metrics"}[$__rate_interval])) / on(instance) group_left(version) build_info';

  it("lists selectors with metric names, original matcher values and ranges", () => {
    expect(promqlSelectors(expr)).toEqual([
      {
        metric: "http_requests_total",
        matchers: [
          { label: "job", op: "=~", value: "$job" },
          { label: "path", op: "!=", value: "/metrics" },
        ],
        column: 31,
        hasRange: true,
      },
      { metric: "build_info", matchers: [], column: 137, hasRange: false },
    ]);
  });

  it("finds metric names given as __name__ or as a quoted name", () => {
    expect(promqlSelectors('{__name__="up", a=\'b\\\'c\'} + {"http.server.duration", le="+Inf"}').map((s) => [s.metric, s.matchers.length])).toEqual([
      ["up", 2],
      ["http.server.duration", 1],
    ]);
    expect(promqlSelectors('{__name__="up", a=\'b\\\'c\'}')[0].matchers[1]).toEqual({ label: "a", op: "=", value: "b'c" });
    expect(promqlSelectors("$metric[5m]")[0]).toMatchObject({ metric: "$metric", hasRange: true });
  });

  it("lists function calls and whether their range argument is a range vector", () => {
    expect(promqlCalls(expr)).toEqual([{ fn: "rate", column: 26, argIsRange: true }]);
    expect(promqlCalls("histogram_quantile(0.9, rate(x[5m])) + quantile_over_time(0.5, y) + abs(z)")).toEqual([
      { fn: "histogram_quantile", column: 1, argIsRange: false },
      { fn: "rate", column: 25, argIsRange: true },
      { fn: "quantile_over_time", column: 40, argIsRange: false },
      { fn: "abs", column: 69, argIsRange: false },
    ]);
  });

  it("lists grouping labels with their clause and original text", () => {
    expect(promqlGroupingLabels(expr)).toEqual([
      { label: "method", clause: "by", column: 9 },
      { label: "$group", clause: "by", column: 17 },
      { label: "instance", clause: "on", column: 107 },
      { label: "version", clause: "group", column: 128 },
    ]);
    expect(promqlGroupingLabels("sum without (pod) (x) * ignoring(a, b) group_right y")).toEqual([
      { label: "pod", clause: "without", column: 14 },
      { label: "a", clause: "ignoring", column: 34 },
      { label: "b", clause: "ignoring", column: 37 },
    ]);
  });
});
