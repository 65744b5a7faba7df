// The knobs of the rules that have one. Defaults here; lint-exclusions.yaml may override them under
// `settings:` (validated with the same schema).
import { z } from "zod";

export const settingsSchema = z
  .object({
    /** Values the severity label of an alert may take (Alertmanager routes on them). */
    alertSeverities: z.array(z.string().min(1)).min(1).default(["critical", "warning"]),
    alertNameMaxLength: z.number().int().positive().default(40),
    /** Most rules a rule group may hold: one group is evaluated sequentially, in one interval. */
    maxRulesPerGroup: z.number().int().positive().default(20),
    /** Labels whose values are per request, user or event: never group, legend or alert by them. */
    highCardinalityLabels: z
      .array(z.string().min(1))
      .default(["trace_id", "span_id", "user_id", "session_id", "request_id", "correlation_id", "event_id", "uuid"]),
    /** Labels carrying raw URLs or paths with ids in them (cAdvisor's id is the cgroup path with the container id). */
    rawPathLabels: z
      .array(z.string().min(1))
      .default(["url", "uri", "raw_path", "full_path", "request_uri", "http_url", "http_target", "url_full", "url_path", "log_url", "id"]),
    /** Environments whose URLs must all be https. */
    productionEnvironments: z.array(z.string().min(1)).default(["prod"]),
  })
  .strict();

export type LintSettings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: LintSettings = settingsSchema.parse({});
