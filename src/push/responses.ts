// What each Grafana endpoint the push calls must answer before its body is believed: the fields the
// engine reads, with their types (other fields pass through untouched). A server that answers with
// something else (an SSO login page, a captive portal, a proxy's redirect, JSON of another shape) is
// not the Grafana the push was pointed at: it fails with a ResponseError naming the endpoint and
// what came back, instead of being read as "nothing there" or crashing further down.
import { z } from "zod";

const str = z.string();
const obj = z.record(z.unknown());
const strings = z.record(z.string());

const folder = z.object({ uid: str, title: str, parentUid: str.nullish(), version: z.number().nullish() }).passthrough();
const searchHit = z
  .object({ uid: str, title: str, type: str.optional(), tags: z.array(str).nullish(), folderUid: str.nullish() })
  .passthrough();
const datasource = z
  .object({
    uid: str,
    name: str,
    type: str,
    version: z.number().nullish(),
    jsonData: obj.nullish(),
    secureJsonFields: z.record(z.boolean()).nullish(),
  })
  .passthrough();
const datasourceListItem = z.object({ uid: str, name: str, jsonData: obj.nullish() }).passthrough();
const query = z
  .object({ refId: str, datasourceUid: str, model: z.unknown(), relativeTimeRange: z.object({}).passthrough().nullish() })
  .passthrough();
const rule = z
  .object({
    uid: str,
    title: str,
    folderUID: str,
    ruleGroup: str,
    data: z.array(query).nullish(),
    annotations: strings.nullish(),
    labels: strings.nullish(),
  })
  .passthrough();
const contactPoint = z.object({ uid: str, name: str, type: str, settings: obj }).passthrough();
/**
 * Answers to writes the push reads nothing from ({"message": ...} for most, an empty Ack for some
 * versions): a JSON object, which a login page or a bare string is not.
 */
const ack = z.object({}).passthrough();

export const RESPONSES = {
  /** GET /api/health (no auth): {"database": "ok", "version": ..., "commit": ...}. */
  health: z.object({ database: str }).passthrough(),
  /** GET /api/folders (also ?parentUid=): a list of folders. */
  folderList: z.array(folder),
  /** GET, POST, PUT /api/folders/:uid, POST /api/folders/:uid/move. */
  folder,
  /** GET /api/search: a list of hits. */
  search: z.array(searchHit),
  /** GET /api/dashboards/uid/:uid: {dashboard, meta}. */
  dashboard: z
    .object({ dashboard: z.object({ uid: str }).passthrough(), meta: z.object({ folderUid: str.nullish() }).passthrough() })
    .passthrough(),
  /** POST /api/dashboards/db. */
  dashboardSaved: z.object({ uid: str, status: str, version: z.number() }).passthrough(),
  /** GET /api/datasources/uid/:uid. */
  datasource,
  /** GET /api/datasources. */
  datasourceList: z.array(datasourceListItem),
  /** GET /api/v1/provisioning/alert-rules. */
  ruleList: z.array(rule),
  /** GET and PUT /api/v1/provisioning/folder/:folderUid/rule-groups/:group. */
  ruleGroup: z.object({ title: str, folderUid: str, interval: z.number().nullish(), rules: z.array(rule) }).passthrough(),
  /** GET /api/v1/provisioning/contact-points. */
  contactPointList: z.array(contactPoint),
  /** POST /api/v1/provisioning/contact-points: the saved contact point. */
  contactPointSaved: z.object({ uid: str }).passthrough(),
  /** GET /api/v1/provisioning/policies: the root route. */
  policy: z.object({ receiver: str }).passthrough(),
  /** Datasource writes, deletes, contact point and policy PUTs. */
  ack,
  /** DELETE /api/v1/provisioning/alert-rules/:uid answers 204 with no body. */
  empty: z.unknown(),
} as const;

export { describeIssue, escapeControls, isJsonType, ResponseError, snippet, type Schema } from "../http/answers.js";
