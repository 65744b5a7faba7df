// The build's files written as they are emitted instead of held until the end: each is compared with
// the file on disk and, when it differs, written to a temporary file beside it and flushed, on
// libuv's thread pool while the build goes on with the next dashboards. Nothing visible changes
// until writeTree renames the temporaries (all flushed before the first rename, as write.ts does);
// a build that fails instead removes them (abort). The tree's lock is held from open to close.
import { readFileSync, rmSync } from "node:fs";
import { mkdir, open, readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { EXIT, UserError } from "../errors.js";
import type { OutputFile } from "../model/tree.js";
import { ioError } from "./ioError.js";
import { closeTree, notOwnedError, openTree, pruneEmptyDirs, type OpenOptions, type OpenTree, type Staged, type StagedFile } from "./openTree.js";
import { sameContent } from "./write.js";
import { shown, tempName } from "./treeState.js";

/**
 * Files in the works at once (each holds a descriptor and its text until done). Their steps advance
 * only when the build yields (once per batch of dashboards), one step each: enough of them keep the
 * queue from growing while the build emits faster than one file per yield.
 */
const IN_FLIGHT = 64;

export class TreeStage implements Staged {
  readonly files = new Map<string, StagedFile>();
  readonly createdDirs: string[] = [];
  /** Every temporary made (a path staged twice, as two dashboards of one uid are, makes two). */
  private readonly temps: string[] = [];
  /** Texts not yet down in their temporary (or found equal to the file on disk). */
  private readonly pending = new Map<string, string>();
  private readonly queue: { path: string; content: string }[] = [];
  private running = 0;
  private waiting: (() => void)[] = [];
  private failure?: UserError;
  private n = 0;
  /** Folders made (or being made) for temporaries: each is made once, not by every file in flight. */
  private readonly dirs = new Map<string, Promise<void>>();
  private state: "open" | "committed" | "closed" = "open";

  private constructor(
    private readonly outDir: string,
    readonly tree: OpenTree,
  ) {}

  /** Opens `outDir` for writing (write.ts openTree: refusals, lock, litter removed). */
  static open(outDir: string, opts: OpenOptions = {}): TreeStage {
    return new TreeStage(outDir, openTree(outDir, opts));
  }

  /** Stages `content` for `path` (relative to the tree): compared and written in the background. */
  add(path: string, content: string): void {
    if (this.state !== "open") throw new Error(`stage: ${path} added after the stage was committed or closed`);
    this.pending.set(path, content);
    this.queue.push({ path, content });
    this.pump();
  }

  /** The text staged for `path`: as given while it is being written, else read back from disk. */
  text(path: string): string {
    const held = this.pending.get(path);
    if (held !== undefined) return held;
    const f = this.files.get(path);
    if (!f) throw new Error(`stage: nothing staged at ${path}`);
    const target = join(this.tree.root, path);
    return readFileSync(f.tmp === null || this.state !== "open" ? target : f.tmp, "utf8");
  }

  /** Whether the file on disk at `path` already holds the staged text (known once settled). */
  unchanged(path: string): boolean {
    return this.files.get(path)?.tmp === null && !this.files.get(path)?.refusal;
  }

  /** Resolves once every staged file is compared and written; rejects with the first failure. */
  async settled(): Promise<void> {
    if (this.running || this.queue.length) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.failure) throw this.failure;
  }

  /** After writeTree has renamed the temporaries: texts are read from their files from now on. */
  committed(): void {
    this.state = "committed";
  }

  /** Releases the tree; when not committed, first removes every temporary and the folders made for them. */
  async close(): Promise<void> {
    if (this.state === "closed") return;
    const ok = this.state === "committed";
    await this.settled().catch(() => undefined);
    if (!ok) {
      const dirs = new Set<string>();
      for (const tmp of this.temps) {
        rmSync(tmp, { force: true });
        dirs.add(dirname(tmp));
      }
      // The folders made for the temporaries, from the deepest, while empty.
      for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
        const top = this.createdDirs.find((c) => d === c || d.startsWith(c + "/"));
        if (top) pruneEmptyDirs(dirname(top), d);
      }
    }
    this.state = "closed";
    closeTree(this.tree, ok);
  }

  private pump(): void {
    while (this.running < IN_FLIGHT && this.queue.length) {
      const { path, content } = this.queue.shift()!;
      this.running++;
      this.stage(path, content)
        .catch((e: unknown) => void (this.failure ??= e instanceof UserError ? e : (ioError(e, "write", shown(join(this.outDir, path)), `; ${this.tree.shownRoot} is unchanged`) as UserError)))
        .finally(() => {
          if (this.pending.get(path) === content) this.pending.delete(path);
          this.running--;
          this.pump();
          if (!this.running && !this.queue.length) for (const w of this.waiting.splice(0)) w();
        });
    }
  }

  private async stage(path: string, content: string): Promise<void> {
    if (this.failure) return;
    const target = join(this.tree.root, path);
    // The tree is locked: a file its listing did not find is still absent and is not read, but a
    // folder may stand in its place (the listing holds files only).
    const isDir = () => new UserError(`${shown(target)}: is a directory where the build writes a file`, EXIT.usage, target);
    const old = this.tree.onDisk.has(path)
      ? await readFile(target).catch((e: NodeJS.ErrnoException) => {
          if (e.code === "ENOENT") return null;
          if (e.code === "EISDIR") throw isDir();
          throw e;
        })
      : await stat(target).then(
          (st) => {
            if (st.isDirectory()) throw isDir();
            return null;
          },
          () => null,
        );
    if (sameContent(old, content)) return void this.files.set(path, { tmp: null, old: null });
    if (old !== null && !this.tree.owned.has(path)) return void this.files.set(path, { tmp: null, old, refusal: notOwnedError(this.outDir, path) });
    const dir = dirname(target);
    let made = this.dirs.get(dir);
    if (!made) this.dirs.set(dir, (made = mkdir(dir, { recursive: true }).then((first) => void (first && this.createdDirs.push(first)))));
    await made;
    const tmp = join(dir, tempName(basename(target), `s${this.n++}`));
    const fh = await open(tmp, "wx");
    // Recorded before the write: a failed write's temporary is removed by close.
    this.temps.push(tmp);
    this.files.set(path, { tmp, old });
    try {
      await fh.writeFile(content, "utf8");
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
}

/**
 * Reads a staged file's text back when asked. Made here, not inline in the build's loop: a closure
 * there would keep that loop's scope (every text and object of its batch) alive to the end.
 */
export function stagedText(stage: TreeStage, path: string): () => string {
  return () => stage.text(path);
}

/** A dashboard's file staged by the build: its text is read back from disk when asked for. */
export function stagedFile(stage: TreeStage, path: string): OutputFile {
  return {
    path,
    get content() {
      return stage.text(path);
    },
  };
}
