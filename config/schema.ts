// The configuration schema lives in src/model/config.ts (the engine reads its types); the values are here.
export * from "../src/model/config.js";
