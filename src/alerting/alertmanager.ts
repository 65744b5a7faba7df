// Alertmanager configuration for the alerts Prometheus evaluates. A page fires once and reaches
// people: critical → pager and also chat (continue), warning → chat; a critical alert supersedes the
// warning of the same alert on the same job/instance, and a down target mutes the alerts of its own
// job/instance (they are blind while it is down). Secrets are never in the file: PagerDuty's routing
// key and Slack's webhook URL are read from files mounted into Alertmanager (routing_key_file, api_url_file).
import type { Config } from "../model/config.js";
import type { Severity } from "./define.js";

export const ALERTMANAGER_FILE = "alertmanager/alertmanager.yml";

/** Receiver per severity; the route's default is the chat receiver, so nothing is ever dropped. */
export const RECEIVER_OF: Record<Severity, "pager" | "chat"> = { critical: "pager", warning: "chat" };

const SLACK_TITLE =
  '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}{{ with .CommonLabels.job }} ({{ . }}){{ end }}';
const SLACK_TEXT = [
  "{{ range .Alerts }}*{{ .Annotations.summary }}*",
  "{{ .Annotations.description }}",
  "<{{ .Annotations.runbook_url }}|Runbook>{{ with .Annotations.dashboard_url }} · <{{ . }}|Dashboard>{{ end }}",
  "{{ end }}",
].join("\n");

/** The alert that says a scrape target is down (alerts/scrape-targets.ts). */
export const TARGET_DOWN = "TargetDown";

/**
 * Alertmanager reads a label missing on both sides as equal (both empty), so `instance` in `equal`
 * keeps per-instance alerts apart and still pairs the per-job ones (which have no instance label).
 */
export const INHIBIT_RULES = [
  {
    // The same alert at a higher level: a burn-rate page supersedes its own ticket; another alert of the job stays.
    source_matchers: ['severity="critical"'],
    target_matchers: ['severity="warning"'],
    equal: ["alertname", "job", "instance"],
  },
  {
    // Alerts of the down target itself.
    source_matchers: [`alertname="${TARGET_DOWN}"`],
    target_matchers: [`alertname!="${TARGET_DOWN}"`],
    equal: ["job", "instance"],
  },
  {
    // Per-job aggregates of its job: a ratio missing one target's share is not to be trusted meanwhile.
    source_matchers: [`alertname="${TARGET_DOWN}"`],
    target_matchers: [`alertname!="${TARGET_DOWN}"`, 'instance=""'],
    equal: ["job"],
  },
];

export function alertmanagerDocument(config: Config) {
  const { routing, receivers } = config.alerting;
  return {
    global: { resolve_timeout: "5m" },
    route: {
      receiver: RECEIVER_OF.warning,
      group_by: routing.groupBy,
      group_wait: routing.groupWait,
      group_interval: routing.groupInterval,
      repeat_interval: routing.repeatInterval,
      routes: [
        // The page also goes to the chat channel, where the people handling it talk.
        { matchers: ['severity="critical"'], receiver: RECEIVER_OF.critical, continue: true },
        { matchers: ['severity=~"critical|warning"'], receiver: RECEIVER_OF.warning },
      ],
    },
    inhibit_rules: INHIBIT_RULES,
    receivers: [
      {
        name: RECEIVER_OF.critical,
        pagerduty_configs: [
          {
            routing_key_file: receivers.pager.routingKeyFile,
            send_resolved: true,
            severity: "critical",
            description: "{{ .CommonAnnotations.summary }}",
            links: [
              { href: "{{ .CommonAnnotations.runbook_url }}", text: "Runbook" },
              { href: "{{ .CommonAnnotations.dashboard_url }}", text: "Dashboard" },
            ],
          },
        ],
      },
      {
        name: RECEIVER_OF.warning,
        slack_configs: [
          {
            api_url_file: receivers.chat.apiUrlFile,
            channel: receivers.chat.channel,
            send_resolved: true,
            title: SLACK_TITLE,
            text: SLACK_TEXT,
          },
        ],
      },
    ],
  };
}
