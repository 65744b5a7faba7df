// esbuild's interop (__toESM) gives every file of a run bundle that imports a CommonJS module (a
// package's stand-in, see vendor.mjs) its own copy of the module's exports, a getter per name:
// eight files importing zod's names, four the SDK's dashboard, ~4,000 getters and their closures
// at every start (~25 M instructions of a one-dashboard build). ES modules share one namespace
// per module; so do these copies once the helper is memoised per module. The helper is replaced
// in place by text of the same length, so the source map's columns still hold, and the memoised
// one is a function declaration appended after the last mapped line (hoisted: defined before
// the bundle's first statement runs). A bundle without the helper text, as another esbuild may
// write it, is left as it is. Plain JavaScript, for the launcher.

const HELPER =
  'var __toESM=(mod,isNodeMode,target)=>(target=mod!=null?__create(__getProtoOf(mod)):{},__copyProps(isNodeMode||!mod||!mod.__esModule?__defProp(target,"default",{value:mod,enumerable:true}):target,mod));';
const STAND_IN = "var __toESM=__gacSharedToESM;";

// The same copy as esbuild's, made once per module and kind of import (isNodeMode), kept in a
// WeakMap made at first use (the declaration is hoisted, its statements are not run beforehand).
const SHARED = `
function __gacSharedToESM(mod,isNodeMode){if(mod===null||typeof mod!=="object"&&typeof mod!=="function")return __gacCopyToESM(mod,isNodeMode);const memo=__gacSharedToESM.memo??=new WeakMap;let made=memo.get(mod);if(made===void 0)memo.set(mod,made=[void 0,void 0]);return made[isNodeMode?1:0]??=__gacCopyToESM(mod,isNodeMode)}
function __gacCopyToESM(mod,isNodeMode,target){return target=mod!=null?__create(__getProtoOf(mod)):{},__copyProps(isNodeMode||!mod||!mod.__esModule?__defProp(target,"default",{value:mod,enumerable:true}):target,mod)}
`;

/** The bundle's text with esbuild's __toESM memoised per module (unchanged when its helper is not found once). */
export function shareInterop(text) {
  const at = text.indexOf(HELPER);
  if (at < 0 || text.indexOf(HELPER, at + 1) >= 0) return text;
  return `${text.slice(0, at)}${STAND_IN.padEnd(HELPER.length, " ")}${text.slice(at + HELPER.length)}${text.endsWith("\n") ? "" : "\n"}${SHARED.slice(1)}`;
}
