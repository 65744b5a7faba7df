// Reads a build tree (a directory, or the in-memory files of runBuild({ write: false })) and turns
// it into the desired state in the HTTP API's shapes. Paths are relative to the build root:
//
//   grafana/provisioning/datasources/datasources.yaml        datasources
//   grafana/provisioning/dashboards/dashboards.yaml          providers: one folder each
//   grafana/provisioning/dashboards/<folderUid>/<uid>.json   dashboards (a .json directly under
//                                                            dashboards/ goes to the root level)
//   grafana/provisioning/alerting/*.yaml                     groups, contactPoints, policies
//
// dashboards.yaml may also carry a top-level `folders: [{uid, title, parentUid}]` list (Grafana's
// provisioning ignores unknown keys) to declare nested folders or folders with no dashboards.
//
// Each file is read by the one tree reader (src/tree/read.ts), which expands environment variables
// as Grafana does when it reads these files (src/emit/dollars.ts: every value except alert rule
// annotations and query models), then checked against its zod schema (./treeSchemas.ts); every
// problem names the file and the field, and all of them are reported at once.
import { existsSync, readFileSync } from "node:fs";
import { ACCESS_FILE, parseAccess } from "./access.js";
import { join } from "node:path";
import type { z } from "zod";
import { createExpander, type Env } from "../emit/grafanaEnv.js";
import { EXIT, UserError, type ExitCode } from "../errors.js";
import { invalidUtf8Offset } from "../pipeline/sources.mjs";
import { readTree, readTreeDocument, type UnreadableFile } from "../tree/read.js";
import { alertingFromDocs } from "./loadAlerting.js";
import { stampDashboard, stampJsonData } from "./ownership.js";
import { dashboardSchema, datasourcesFileSchema, formatIssues, providersFileSchema, type DatasourceDoc } from "./treeSchemas.js";
import type { BuildFile, DesiredDatasource, DesiredFolder, DesiredState } from "./types.js";

export const TREE = {
  datasources: "grafana/provisioning/datasources/",
  dashboards: "grafana/provisioning/dashboards/",
  providers: "grafana/provisioning/dashboards/dashboards.yaml",
  alerting: "grafana/provisioning/alerting/",
} as const;

export class LoadError extends Error {
  constructor(
    readonly problems: string[],
    /** 1: the tree's files are invalid; 2: the path given names no build at all. */
    readonly exitCode: ExitCode = EXIT.invalid,
  ) {
    super(problems.join("\n"));
    this.name = "LoadError";
  }
}

/** Every file under grafana/provisioning/ of a build directory, read by the shared tree reader. */
export async function readBuildDir(root: string): Promise<BuildFile[]> {
  const unreadable: UnreadableFile[] = [];
  const out = readTree(join(root, "grafana", "provisioning"), unreadable).map((f) => ({ path: `grafana/provisioning/${f.path}`, content: f.content }));
  const first = unreadable[0];
  // A file system refusal propagates (the command names it, exit 3); bad content is the tree's fault.
  if (first?.error) throw first.error;
  if (first) {
    const path = `grafana/provisioning/${first.path}`;
    throw new LoadError([first.utf8Offset !== undefined ? `${path}: not valid UTF-8 at byte ${first.utf8Offset}` : `${path}: ${first.message}`]);
  }
  if (out.length === 0) throw new LoadError([`${root}: no grafana/provisioning/ tree found (run npm run build first)`], EXIT.usage);
  // Folder permissions and teams live beside provisioning/ (Grafana's file provider must not read them).
  const access = join(root, "grafana", "access.json");
  if (existsSync(access)) out.push({ path: ACCESS_FILE, content: readFileSync(access, "utf8") });
  return out;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence, or -1. */
export const firstInvalidUtf8: (bytes: Uint8Array) => number = invalidUtf8Offset;

/** Where a value counts as a secret: substituted values there are masked in every output. */
const SECRET_FIELD = /(\.secureJsonData(\.|$)|^datasources\[\d+\]\.(password|basicAuthPassword)$|^contactPoints\[\d+\]\.receivers\[)/;

/** A parsed, expanded, schema-checked document: undefined (problems noted) when it is none of that. */
export type ReadDoc = <S extends z.ZodTypeAny>(f: BuildFile, schema: S) => { data: z.infer<S>; raw: unknown } | undefined;

export function parseBuild(files: BuildFile[], env: Env): DesiredState {
  const problems: string[] = [];
  const warnings: string[] = [];
  const ex = createExpander(env);
  const orgIds = new Set<number>();
  const noteOrg = (v: unknown) => {
    if (v !== undefined && v !== null && v !== "") orgIds.add(Number(v));
  };
  const read: ReadDoc = (f, schema) => {
    const r = readTreeDocument(f, (value, at) => {
      // The reader names a field "<file>.<path>"; messages say "<file> <path>".
      const field = at.startsWith(`${f.path}.`) ? at.slice(f.path.length + 1) : at;
      ex.secret = SECRET_FIELD.test(field);
      const out = ex.expand(value, field === at ? at : `${f.path} ${field}`);
      ex.secret = false;
      return out;
    });
    if (!r.ok) {
      problems.push(`${f.path}: ${r.message}`);
      return undefined;
    }
    if (r.doc === null || r.doc === undefined) return undefined;
    const parsed = schema.safeParse(r.doc);
    if (!parsed.success) {
      problems.push(...formatIssues(f.path, parsed.error));
      return undefined;
    }
    return { data: parsed.data, raw: r.doc };
  };

  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  const folders = new Map<string, DesiredFolder>();
  const addFolder = (f: DesiredFolder, where: string) => {
    const prev = folders.get(f.uid);
    if (prev && prev.title !== f.title) problems.push(`${where}: folder ${f.uid} has two titles: "${prev.title}" and "${f.title}"`);
    folders.set(f.uid, { ...prev, ...f, parentUid: f.parentUid ?? prev?.parentUid });
  };

  // Datasources.
  const datasources: DesiredDatasource[] = [];
  for (const f of sorted.filter((f) => f.path.startsWith(TREE.datasources) && /\.ya?ml$/.test(f.path))) {
    (read(f, datasourcesFileSchema)?.data.datasources ?? []).forEach((d, i) => {
      noteOrg(d.orgId);
      if (datasources.some((x) => x.uid === d.uid)) return problems.push(`${f.path} datasources[${i}].uid: duplicate datasource uid ${d.uid}`);
      datasources.push(toDatasource(d));
    });
  }

  // Dashboard providers: one folder each.
  const providersFile = sorted.find((f) => f.path === TREE.providers);
  const providerFolderByDir = new Map<string, string>();
  const providers = providersFile && read(providersFile, providersFileSchema)?.data;
  if (providersFile && providers) {
    (providers.providers ?? []).forEach((p, i) => {
      noteOrg(p.orgId);
      if (!p.folder && !p.folderUid) return; // the root level ("General")
      const uid = p.folderUid!;
      addFolder({ uid, title: p.folder || uid }, `${providersFile.path} providers[${i}]`);
      const path = p.options?.path;
      if (path) providerFolderByDir.set(path.replace(/\/+$/, "").split("/").pop()!, uid);
    });
    (providers.folders ?? []).forEach((x, i) => addFolder({ uid: x.uid, title: x.title, parentUid: x.parentUid || undefined }, `${providersFile.path} folders[${i}]`));
  }

  // Dashboards.
  const dashboards: DesiredState["dashboards"] = [];
  for (const f of sorted.filter((f) => f.path.startsWith(TREE.dashboards) && f.path.endsWith(".json"))) {
    const rest = f.path.slice(TREE.dashboards.length).split("/");
    if (rest.length > 2) {
      problems.push(`${f.path}: dashboards are expected at dashboards/<folderUid>/<uid>.json`);
      continue;
    }
    const doc = read(f, dashboardSchema);
    if (!doc) continue;
    const model = doc.data;
    const dir = rest.length === 2 ? rest[0] : "";
    const folderUid = dir ? (folders.has(dir) ? dir : (providerFolderByDir.get(dir) ?? dir)) : "";
    if (folderUid && !folders.has(folderUid)) {
      warnings.push(`${f.path}: folder ${folderUid} is not declared by dashboards.yaml; it must already exist in Grafana`);
    }
    if (dashboards.some((d) => d.uid === model.uid)) {
      problems.push(`${f.path} uid: duplicate dashboard uid ${model.uid}`);
      continue;
    }
    // The model as written (the schema trims uid and title), without the instance's id and version.
    const { id: _id, version: _version, ...clean } = doc.raw as Record<string, unknown>;
    dashboards.push({ uid: model.uid, title: model.title, folderUid, model: stampDashboard(clean), file: f.path });
  }

  // Alerting.
  const alertingFiles = sorted.filter((f) => f.path.startsWith(TREE.alerting) && /\.(ya?ml|json)$/.test(f.path));
  const alerting = alertingFromDocs(alertingFiles, read, folders, { problems, warnings, noteOrg });

  ex.check();
  if (problems.length) throw new LoadError(problems);
  const { policy, ...alertingObjects } = alerting;
  const state: DesiredState = {
    folders: [...folders.values()],
    datasources,
    dashboards,
    ...alertingObjects,
    orgIds: [...orgIds].filter((n) => Number.isFinite(n)),
    secrets: [...ex.secretValues],
    warnings,
  };
  if (policy) state.policy = policy;
  try {
    state.access = parseAccess(files);
  } catch (e) {
    if (e instanceof UserError) throw new LoadError([e.message]);
    throw e;
  }
  return state;
}

function toDatasource(d: DatasourceDoc): DesiredDatasource {
  const secure: Record<string, string> = { ...(d.secureJsonData ?? {}) };
  if (d.password !== undefined) secure.password ??= d.password;
  if (d.basicAuthPassword !== undefined) secure.basicAuthPassword ??= d.basicAuthPassword;
  const ds: DesiredDatasource = {
    uid: d.uid,
    name: d.name,
    type: d.type,
    access: d.access ?? "proxy",
    url: d.url,
    user: d.user,
    database: d.database,
    isDefault: d.isDefault,
    basicAuth: d.basicAuth,
    basicAuthUser: d.basicAuthUser,
    withCredentials: d.withCredentials,
    jsonData: stampJsonData(d.jsonData ?? {}),
  };
  if (Object.keys(secure).length) ds.secureJsonData = secure;
  return ds;
}
