// The shape of a provisioned datasource lives in src/model/datasource.ts (the engine reads it).
export * from "../src/model/datasource.js";
