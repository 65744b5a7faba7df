// Every query of the LLM dashboard (the FastAPI/LLM stack's custom llm_* metrics), apart from the layout.
import type { Config } from "../../config/index.js";
import { TARGET } from "../_shared/variables.js";
import { errorRatio, quantile, ratio, regexLiteral, RI } from "../../src/query/build.js";

export const METRICS = {
  calls: "llm_calls_total",
  latency: "llm_latency_seconds",
  tokens: "llm_tokens_total",
  errors: "llm_errors_total",
} as const;

type Prices = Config["costs"]["llmModels"];

/** `target`: which jobs and instances (TARGET, or Home's rowTarget); `filters`: the dashboard's own variables. */
export function llmQueries(prices: Prices, target = TARGET, filters = ', model=~"$model", provider=~"$provider"') {
  const sel = (extra = "") => `{${target}${filters}${extra}}`;
  const total = (metric: string) => `sum(rate(${metric}${sel()}[${RI}]))`;
  const sum = (by: string[]) => (by.length ? `sum by (${by.join(", ")})` : "sum");
  const rate = (metric: string, by: string[] = [], extra = "") => `${sum(by)} (rate(${metric}${sel(extra)}[${RI}]))`;
  const models = Object.keys(prices).sort();

  /** USD per second of token use, per model: each priced (model, type) rate times its price. */
  const costPerSecond = (window = RI, fn = "rate") => {
    const terms = models.flatMap((model) =>
      (["prompt", "completion"] as const).map((type) => {
        const price = type === "prompt" ? prices[model].promptPerMillion : prices[model].completionPerMillion;
        return `sum by (model, type) (${fn}(${METRICS.tokens}${sel(`, model="${model}", type="${type}"`)}[${window}])) * ${price}`;
      }),
    );
    return `sum by (model) (\n  ${terms.join("\n  or ")}\n) / 1e6`;
  };

  return {
    /** Calls per second and the error share as one plain sum each (Home's stats). */
    totals: {
      callRate: () => total(METRICS.calls),
      errorRatio: () => errorRatio(total(METRICS.errors), total(METRICS.calls)),
    },
    callsPerMinute: () => `${rate(METRICS.calls)} * 60`,
    errorRatio: () => errorRatio(rate(METRICS.errors), rate(METRICS.calls)),
    latencyP95: () => quantile(0.95, `${METRICS.latency}_bucket${sel()}`),
    costPerHour: () => `sum(${costPerSecond()}) * 3600`,
    costInRange: () => `sum(${costPerSecond("$__range", "increase")})`,
    callsPerMinuteByModel: () => `${rate(METRICS.calls, ["model"])} * 60`,
    callsPerMinuteByEndpoint: () => `${rate(METRICS.calls, ["endpoint"])} * 60`,
    latencyP95ByModelEndpoint: () => quantile(0.95, `${METRICS.latency}_bucket${sel()}`, ["model", "endpoint"]),
    latencyP50ByModel: () => quantile(0.5, `${METRICS.latency}_bucket${sel()}`, ["model"]),
    tokensByModelType: () => rate(METRICS.tokens, ["model", "type"]),
    completionPerPrompt: () =>
      ratio(rate(METRICS.tokens, ["model"], ', type="completion"'), rate(METRICS.tokens, ["model"], ', type="prompt"')),
    errorsByReason: () => rate(METRICS.errors, ["reason"]),
    errorRatioByModel: () => errorRatio(rate(METRICS.errors, ["model"]), rate(METRICS.calls, ["model"])),
    costPerHourByModel: () => `${costPerSecond()} * 3600`,
    /** Token use of models without a configured price (0 when every model is priced). */
    unpricedTokens: () =>
      `${rate(METRICS.tokens, [], models.length ? `, model!~"${models.map(regexLiteral).join("|")}"` : "")} or vector(0)`,
  };
}
