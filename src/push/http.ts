// The push's Grafana client: the shared HTTP client (src/http/client.ts) answering JSON, with the
// organisation header Grafana reads.
import { HttpClient, type Auth as AnyAuth, type ClientOptions as HttpOptions } from "../http/client.js";

export { CredentialsRejected, HttpError, NetworkError, NotAttempted, toHttpError, type ApiResponse } from "../http/client.js";
export { parseRetryAfter, Semaphore } from "../http/retry.js";

export type Auth = Exclude<AnyAuth, { none: true }>;

export interface ClientOptions extends Omit<HttpOptions, "auth" | "headers" | "format"> {
  auth: Auth;
  /** X-Grafana-Org-Id: the organisation to work in (default: the credentials'). */
  orgId?: string;
}

export class GrafanaClient extends HttpClient {
  constructor(o: ClientOptions) {
    const { orgId, ...rest } = o;
    super({ ...rest, format: "json", serverName: "Grafana", headers: orgId ? { "X-Grafana-Org-Id": orgId } : undefined });
  }
}
