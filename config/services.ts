// The service description schema lives in src/model/services.ts (the engine reads its types).
export * from "../src/model/services.js";
