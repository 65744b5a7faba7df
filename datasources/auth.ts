// Credentials come from the config as environment variable names; the values stay in Grafana's env.
import type { Config } from "../config/index.js";
import { envRef } from "../src/emit/provisioningYaml.js";
import type { DatasourceDefinition } from "./types.js";

type DatasourceConfig = Config["datasources"][keyof Config["datasources"]];

export function connection(ds: DatasourceConfig): Pick<
  DatasourceDefinition,
  "url" | "basicAuth" | "basicAuthUser" | "secureJsonData"
> & {
  authJsonData: Record<string, unknown>;
} {
  const secure: Record<string, ReturnType<typeof envRef>> = {};
  const authJsonData: Record<string, unknown> = {};
  if (ds.basicAuth) secure.basicAuthPassword = envRef(ds.basicAuth.passwordEnv);
  if (ds.tokenEnv) {
    authJsonData.httpHeaderName1 = "Authorization";
    secure.httpHeaderValue1 = envRef(ds.tokenEnv);
  }
  return {
    url: ds.url,
    ...(ds.basicAuth ? { basicAuth: true, basicAuthUser: ds.basicAuth.user } : {}),
    ...(Object.keys(secure).length ? { secureJsonData: secure } : {}),
    authJsonData,
  };
}
