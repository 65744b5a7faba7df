// Alertmanager configuration for the alerts Prometheus evaluates: route by severity (critical →
// pager, warning → chat), inhibit warnings while a critical alert fires for the same job. Secrets
// are never in the file: PagerDuty's routing key and Slack's webhook URL are read from files
// mounted into Alertmanager (routing_key_file, api_url_file).
import type { Config } from "../../config/index.js";
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
      routes: (["critical", "warning"] as const).map((severity) => ({
        matchers: [`severity="${severity}"`],
        receiver: RECEIVER_OF[severity],
      })),
    },
    inhibit_rules: [
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        // Only for the same job: a critical alert elsewhere must not hide this one.
        equal: ["job"],
      },
    ],
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
