// The YAML texts of the build's small documents (datasources, dashboard providers, Prometheus'
// configuration) through the build's cache (src/cache/stages.ts): each text is found by what tells
// it apart, its header and value (yamlTextKey), so a warm build whose documents are unchanged
// serialises none of them (the YAML serialiser is slow to start). The entry is replaced whenever a
// document changes.
import type { StageCache } from "../cache/stages.js";
import { provisioningYaml, toProvisioningValue, yamlTextKey } from "../emit/provisioningYaml.js";
import { stableStringifyYaml } from "../emit/stable.js";

const KIND = "yaml-texts";

export interface YamlTexts {
  /** provisioningYaml(doc, header), from the cache when it holds it. */
  provisioning(doc: unknown, header: string): string;
  /** stableStringifyYaml(value, header), likewise. */
  plain(value: unknown, header: string): string;
  /** Records this build's texts (written if the build succeeds), or notes the entry reused. */
  done(): void;
}

export function yamlTexts(stages: StageCache | undefined): YamlTexts {
  if (!stages) return { provisioning: provisioningYaml, plain: stableStringifyYaml, done: () => {} };
  const key = stages.key(KIND);
  const read = stages.read(KIND, key);
  const known = isTexts(read) ? read : undefined;
  const used: Record<string, string> = {};
  let missed = !known;
  const text = (value: unknown, header: string, make: () => string) => {
    const k = yamlTextKey(value, header);
    if (k === undefined) return make();
    let t = known && Object.hasOwn(known, k) ? known[k] : undefined;
    if (t === undefined) (t = make()), (missed = true);
    return (used[k] = t);
  };
  return {
    provisioning: (doc, header) => text(toProvisioningValue(doc), header, () => provisioningYaml(doc, header)),
    plain: (value, header) => text(value, header, () => stableStringifyYaml(value, header)),
    done: () => (missed ? stages.record(KIND, key, used) : stages.reused(KIND, key, known)),
  };
}

const isTexts = (v: unknown): v is Record<string, string> => typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((t) => typeof t === "string");
