// The provisioning documents the push reads, as zod schemas: what each field must be once Grafana's
// `$` expansion has run (src/tree/read.ts), with Grafana's defaults made explicit. A document that
// does not fit is a problem naming the file and the field (`formatIssues`), never a crash further on.
import { z } from "zod";
import { formatDuration, parseDurationSeconds } from "./duration.js";

/** A YAML scalar read as Grafana's string fields read it. */
const text = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const optText = text.nullish().transform((v) => v ?? undefined);
const required = (message: string) =>
  z
    .union([z.string(), z.number(), z.boolean()], { errorMap: () => ({ message }) })
    .transform((v) => String(v).trim())
    .refine((v) => v !== "", message);
/** Booleans as Grafana's YAML reads them; anything else is false. */
const flag = z.unknown().transform((v) => v === true || v === "true");
const mapping = z.record(z.unknown());
const orgId = z.union([z.number(), z.string()]).nullish();
const strings = z.record(text);
const number = z.union([z.number(), z.string()]).transform(Number).pipe(z.number().finite());
const duration = (fallback: string) =>
  optText.transform((v, ctx) => {
    try {
      return parseDurationSeconds(v || fallback);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message });
      return z.NEVER;
    }
  });
const document = <T extends z.ZodRawShape>(shape: T, what: string) => z.object(shape, { invalid_type_error: `not a ${what} mapping` }).passthrough();

export const datasourceSchema = z
  .object(
    {
      name: required("name is required"),
      type: required("type is required"),
      uid: required("a uid is required to push (it is how the live datasource is found)"),
      access: optText,
      url: optText,
      user: optText,
      database: optText,
      isDefault: flag,
      basicAuth: flag,
      basicAuthUser: optText,
      withCredentials: flag,
      jsonData: mapping.nullish(),
      secureJsonData: strings.nullish(),
      // Grafana still reads these old top-level fields into secureJsonData.
      password: optText,
      basicAuthPassword: optText,
      orgId,
    },
    { invalid_type_error: "not a mapping" },
  )
  .passthrough();

export const datasourcesFileSchema = document({ datasources: z.array(datasourceSchema).nullish() }, "YAML");

const provider = z
  .object(
    { folder: optText, folderUid: optText, orgId, options: z.object({ path: optText }).passthrough().nullish() },
    { invalid_type_error: "not a mapping" },
  )
  .passthrough()
  .superRefine((p, ctx) => {
    if (p.folder && !p.folderUid) ctx.addIssue({ code: "custom", path: ["folderUid"], message: `folder "${p.folder}" needs a folderUid to be pushed` });
  });
const folderDeclaration = z.object({ uid: required("uid is required"), title: required("title is required"), parentUid: optText }, { invalid_type_error: "not a mapping" });

/** dashboards.yaml: the file providers, plus an optional `folders` list (nested or empty folders). */
export const providersFileSchema = document({ providers: z.array(provider).nullish(), folders: z.array(folderDeclaration).nullish() }, "YAML");

export const dashboardSchema = z
  .object({ uid: required("dashboard has no uid"), title: required("dashboard has no title"), id: z.unknown(), version: z.unknown() }, {
    invalid_type_error: "not a JSON object",
  })
  .passthrough();

const query = z
  .object(
    {
      refId: optText.transform((v) => v ?? ""),
      relativeTimeRange: z.object({ from: number.default(0), to: number.default(0) }).passthrough().nullish(),
      datasourceUid: optText.transform((v) => v ?? ""),
      queryType: optText,
      model: mapping.nullish(),
    },
    { invalid_type_error: "not a mapping" },
  )
  .passthrough();

const rule = z
  .object(
    {
      uid: required("rule has no uid"),
      title: required("rule has no title"),
      condition: optText,
      data: z.array(query, { invalid_type_error: "rule has no data" }).min(1, "rule has no data"),
      noDataState: optText,
      execErrState: optText,
      for: duration("0s").transform(formatDuration),
      annotations: strings.nullish(),
      labels: strings.nullish(),
      isPaused: flag,
      keepFiringFor: optText,
      notification_settings: mapping.nullish(),
      record: mapping.nullish(),
      dashboardUid: optText,
      // Grafana's file format also accepts this misspelling.
      dasboardUid: optText,
      panelId: optText,
    },
    { invalid_type_error: "not a mapping" },
  )
  .passthrough()
  .superRefine((r, ctx) => {
    if (!r.condition && !r.record) ctx.addIssue({ code: "custom", path: ["condition"], message: "rule has no condition" });
  });

export const ruleGroupSchema = z
  .object(
    {
      name: required("rule group has no name"),
      // Grafana's file provisioning names the folder by title; the API wants its uid.
      folder: required("rule group has no folder (a folder title)"),
      interval: duration("1m"),
      orgId,
      rules: z.array(rule).nullish(),
    },
    { invalid_type_error: "not a mapping" },
  )
  .passthrough();

const receiver = z
  .object(
    { uid: required("a uid is required to push"), type: required("type is required"), settings: mapping.nullish(), disableResolveMessage: flag },
    { invalid_type_error: "not a mapping" },
  )
  .passthrough();

export const contactPointSchema = z
  .object({ name: required("name is required"), orgId, receivers: z.array(receiver).nullish() }, { invalid_type_error: "not a mapping" })
  .passthrough();

export const alertingFileSchema = document(
  {
    apiVersion: z.unknown(),
    groups: z.array(ruleGroupSchema).nullish(),
    contactPoints: z.array(contactPointSchema).nullish(),
    policies: z.array(mapping).nullish(),
  },
  "YAML",
);

export type DatasourceDoc = z.infer<typeof datasourceSchema>;
export type RuleGroupDoc = z.infer<typeof ruleGroupSchema>;
export type ContactPointDoc = z.infer<typeof contactPointSchema>;

/** `file field.path[0].x: message` for each issue. */
export function formatIssues(file: string, error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const field = i.path.map((k, n) => (typeof k === "number" ? `[${k}]` : n === 0 ? k : `.${k}`)).join("");
    return `${file}${field ? ` ${field}` : ""}: ${i.message}`;
  });
}
