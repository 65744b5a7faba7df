// The shape of a catalog entry lives in src/model/catalog.ts (the engine reads it); the entries are here.
export * from "../src/model/catalog.js";
