// The build's files written as they are emitted instead of held until the end: each is compared with
// the file on disk and, when it differs, written to a temporary file beside it at once, then flushed
// on libuv's thread pool while the build goes on with the next dashboards. Nothing visible changes
// until writeTree renames the temporaries (all flushed before the first rename, as write.ts does);
// a build that fails instead removes them (abort). The tree's lock is held from open to close.
import { closeSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { EXIT, UserError } from "../errors.js";
import type { OutputFile } from "../model/tree.js";
import { ioError } from "./ioError.js";
import { readUnlessSame, SAME } from "./onDisk.js";
import { closeTree, notOwnedError, openTree, pruneEmptyDirs, type OpenOptions, type OpenTree, type Staged, type StagedFile } from "./openTree.js";
import { createOpen, flushFile, syncAndClose } from "./syncFile.js";
import { shown, tempName } from "./treeState.js";

/**
 * Flushes in flight at once. Their steps advance only when the build yields (once per batch of
 * dashboards), one step each: enough of them keep the queue from growing while the build emits
 * faster than one file per yield.
 */
const IN_FLIGHT = 64;

/**
 * Temporaries kept open between their write and their flush, flushing ones included: each is flushed
 * through the descriptor that wrote it (one open per file, not two). Past this many, a temporary is
 * closed once written and opened again for its flush, so the descriptors held stay bounded.
 */
export const MAX_OPEN = 128;

export class TreeStage implements Staged {
  readonly files = new Map<string, StagedFile>();
  readonly createdDirs: string[] = [];
  /** Every temporary made (a path staged twice, as two dashboards of one uid are, makes two). */
  private readonly temps: string[] = [];
  /** Temporaries written, waiting for their flush; `fd`: still open from the write, or -1 (closed). */
  private readonly queue: { path: string; tmp: string; fd: number }[] = [];
  private running = 0;
  /** Descriptors held: temporaries written and open, waiting or flushing. */
  private open = 0;
  private waiting: (() => void)[] = [];
  private failure?: UserError;
  private n = 0;
  /** Folders made for temporaries: each is made once, not for every file. */
  private readonly dirs = new Set<string>();
  private state: "open" | "committed" | "closed" = "open";

  private constructor(
    private readonly outDir: string,
    readonly tree: OpenTree,
  ) {}

  /** Opens `outDir` for writing (write.ts openTree: refusals, lock, litter removed). */
  static open(outDir: string, opts: OpenOptions = {}): TreeStage {
    return new TreeStage(outDir, openTree(outDir, opts));
  }

  /**
   * Stages `content` for `path` (relative to the tree): compared with the file on disk and written to
   * its temporary now, flushed in the background. The text is not kept: it dies young, where a text
   * held until its write was done lived long enough to be copied into the old generation.
   */
  add(path: string, content: string): void {
    if (this.state !== "open") throw new Error(`stage: ${path} added after the stage was committed or closed`);
    if (this.failure) return;
    try {
      this.stage(path, content);
    } catch (e) {
      this.failed(e, path);
    }
  }

  /** The text staged for `path`, read back from disk (its temporary, or the file that already held it). */
  text(path: string): string {
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

  private failed(e: unknown, path: string): void {
    this.failure ??= e instanceof UserError ? e : (ioError(e, "write", shown(join(this.outDir, path)), `; ${this.tree.shownRoot} is unchanged`) as UserError);
  }

  private pump(): void {
    while (this.running < IN_FLIGHT && this.queue.length) {
      const { path, tmp, fd } = this.queue.shift()!;
      this.running++;
      // One closed after its write (past MAX_OPEN) is opened again to be flushed.
      (fd >= 0 ? syncAndClose(fd) : flushFile(tmp))
        .catch((e: unknown) => void this.failed(e, path))
        .finally(() => {
          if (fd >= 0) this.open--;
          this.running--;
          this.pump();
          if (!this.running && !this.queue.length) for (const w of this.waiting.splice(0)) w();
        });
    }
  }

  private stage(path: string, content: string): void {
    const target = join(this.tree.root, path);
    // The tree is locked: a file its listing did not find is still absent and is not read; a folder
    // standing in its place is one the listing found (no stat per file).
    const isDir = () => new UserError(`${shown(target)}: is a directory where the build writes a file`, EXIT.usage, target);
    let old: Buffer | null = null;
    if (this.tree.onDisk.has(path)) {
      try {
        const onDisk = readUnlessSame(target, content);
        if (onDisk === SAME) return void this.files.set(path, { tmp: null, old: null });
        old = onDisk;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EISDIR") throw isDir();
        if (code !== "ENOENT") throw e;
      }
    } else if (this.tree.dirsOnDisk.has(path)) throw isDir();
    if (old !== null && !this.tree.owned.has(path)) return void this.files.set(path, { tmp: null, old, refusal: notOwnedError(this.outDir, path) });
    const dir = dirname(target);
    if (!this.dirs.has(dir)) {
      const first = mkdirSync(dir, { recursive: true });
      if (first) this.createdDirs.push(first);
      this.dirs.add(dir);
    }
    const tmp = join(dir, tempName(basename(target), `s${this.n++}`));
    // Removes what it made when the write fails.
    let fd = createOpen(tmp, content);
    this.temps.push(tmp);
    if (this.open < MAX_OPEN) this.open++;
    else {
      closeSync(fd);
      fd = -1;
    }
    this.files.set(path, { tmp, old });
    this.queue.push({ path, tmp, fd });
    this.pump();
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
