// The CIB on disk: <dir>/cib.xml plus numbered backups cib-<N>.raw of earlier versions,
// as Pacemaker keeps them. A save is atomic (temp file in the same directory, fsync, rename,
// fsync of the directory), so a process killed at any moment leaves either the old or the
// new cib.xml, never a partial one. If cib.xml is unreadable anyway (disk trouble, a bad
// hand edit), load() falls back to the newest backup that parses, with a warning.
import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import path from "node:path";
import { CibError } from "./errors";
import type { Cib } from "./types";
import { exportCibXml, parseCibXml } from "./xml";

export interface CibStoreOptions {
  /** how many cib-N.raw backups to keep (default 20) */
  keepBackups?: number;
  /** where warnings go (default console.warn) */
  warn?: (message: string) => void;
  /** re-read the XML before writing it, so a model that would not load again is refused (default true) */
  verify?: boolean;
}

export interface LoadedCib {
  cib: Cib;
  /** file it came from: "cib.xml" or a backup such as "cib-12.raw" */
  source: string;
}

const CURRENT = "cib.xml";
const BACKUP_RE = /^cib-(\d+)\.raw$/;
const TEMP_PREFIX = ".cib.xml.tmp-";
let tempCounter = 0;

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class CibStore {
  readonly dir: string;
  readonly keepBackups: number;
  private warn: (message: string) => void;
  private verify: boolean;
  private lastBackup: number | undefined;
  /** set when load() found cib.xml unreadable: the next save does not keep it as a backup */
  private currentIsBad = false;
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * Backup numbers on disk, oldest first: read from the directory once, then kept up to date by
   * this store's own saves (a directory listing per save cost the controller's main thread
   * during every transition); read again when another writer's backup shows up.
   */
  private backups: number[] | undefined;
  private dirReady = false;
  private writing = false;

  constructor(dir: string, opts: CibStoreOptions = {}) {
    this.dir = path.resolve(dir);
    this.keepBackups = Math.max(0, Math.floor(opts.keepBackups ?? 20));
    this.warn = opts.warn ?? ((m) => console.warn(m));
    this.verify = opts.verify ?? true;
  }

  get currentPath(): string {
    return path.join(this.dir, CURRENT);
  }

  /** The last good CIB, or undefined when the directory holds none at all (a new cluster). */
  load(): Cib | undefined {
    return this.loadWithSource()?.cib;
  }

  /**
   * Like load(), also naming the file used. Throws CibError when files exist but none
   * of them parses (nothing is changed on disk).
   */
  loadWithSource(): LoadedCib | undefined {
    fs.mkdirSync(this.dir, { recursive: true });
    this.removeStaleTemps();
    const problems: string[] = [];
    const current = this.currentPath;
    if (fs.existsSync(current)) {
      try {
        const cib = parseCibXml(fs.readFileSync(current, "utf8"));
        this.currentIsBad = false;
        return { cib, source: CURRENT };
      } catch (e) {
        this.currentIsBad = true;
        problems.push(`${CURRENT}: ${(e as Error).message}`);
      }
    }
    for (const n of this.backupNumbers().reverse()) {
      const name = `cib-${n}.raw`;
      try {
        const cib = parseCibXml(fs.readFileSync(path.join(this.dir, name), "utf8"));
        if (problems.length) this.warn(`CIB store ${this.dir}: ${problems.join("; ")}; using backup ${name}`);
        else this.warn(`CIB store ${this.dir}: no ${CURRENT}; using backup ${name}`);
        return { cib, source: name };
      } catch (e) {
        problems.push(`${name}: ${(e as Error).message}`);
      }
    }
    if (problems.length)
      throw new CibError(`no readable CIB in ${this.dir}: ${problems.join("; ")}`, { code: "no-valid-cib" });
    return undefined;
  }

  /**
   * Write cib.xml atomically; the previous cib.xml becomes the next cib-N.raw, and backups
   * beyond keepBackups are removed (oldest first). Synchronous: when it returns, the new
   * CIB is on disk.
   */
  saveSync(cib: Cib): void {
    const xml = this.toXml(cib); // before touching the disk: a bad model changes nothing
    fs.mkdirSync(this.dir, { recursive: true });
    this.backupCurrent();
    const tmp = this.tempPath();
    try {
      const fd = fs.openSync(tmp, "w", 0o600);
      try {
        fs.writeSync(fd, xml);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, this.currentPath);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
    this.currentIsBad = false;
    fsyncDir(this.dir);
    this.prune();
  }

  /** The same as saveSync without blocking the event loop; calls of one store run one at a time. */
  save(cib: Cib): Promise<void> {
    const run = this.queue.then(() => this.saveAsync(cib));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async saveAsync(cib: Cib): Promise<void> {
    const xml = this.toXml(cib);
    // the directory is made once per store (a mkdir per save showed in the controller's profile);
    // if it has gone since, the open below fails with ENOENT and it is made again
    if (!this.dirReady) await fsp.mkdir(this.dir, { recursive: true });
    this.dirReady = true;
    await this.backupCurrentAsync();
    const tmp = this.tempPath();
    this.writing = true;
    try {
      const fh = await fsp.open(tmp, "w", 0o600).catch(async (e: NodeJS.ErrnoException) => {
        if (e.code !== "ENOENT") throw e;
        await fsp.mkdir(this.dir, { recursive: true });
        return fsp.open(tmp, "w", 0o600);
      });
      try {
        await fh.writeFile(xml);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fsp.rename(tmp, this.currentPath);
    } catch (e) {
      await fsp.rm(tmp, { force: true });
      throw e;
    } finally {
      this.writing = false;
    }
    this.currentIsBad = false;
    const dh = await fsp.open(this.dir, "r");
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
    await this.pruneAsync();
  }

  // The store never writes what it could not load again ("last good CIB").
  private toXml(cib: Cib): string {
    const xml = exportCibXml(cib);
    if (this.verify) {
      try {
        parseCibXml(xml);
      } catch (e) {
        const err = e as CibError;
        throw new CibError(`refusing to save a CIB that would not load again: ${err.message}`, {
          ...(err.details ?? {}),
          code: "unsaveable",
        });
      }
    }
    return xml;
  }

  /** Backup file names, oldest first. */
  listBackups(): string[] {
    return this.backupNumbers().map((n) => `cib-${n}.raw`);
  }

  private backupNumbers(): number[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    const nums: number[] = [];
    for (const f of names) {
      const m = BACKUP_RE.exec(f);
      if (m) nums.push(Number(m[1]));
    }
    return nums.sort((a, b) => a - b);
  }

  // The old cib.xml gets a second name (hard link): atomic, and it keeps the old content
  // because the new cib.xml arrives by rename as a new file.
  private backupCurrent(): void {
    const current = this.currentPath;
    if (!fs.existsSync(current)) return;
    if (this.currentIsBad) {
      // keep the unreadable file for inspection, but never as a backup candidate
      fs.renameSync(current, path.join(this.dir, `cib.xml.unreadable-${Date.now()}`));
      this.currentIsBad = false;
      return;
    }
    if (this.keepBackups === 0) return;
    // make room first, so that even a crash right after the link leaves at most keepBackups
    this.prune(this.keepBackups - 1);
    if (this.lastBackup === undefined) this.lastBackup = this.knownBackups().at(-1) ?? 0;
    for (;;) {
      const n = ++this.lastBackup;
      try {
        fs.linkSync(current, this.backupPath(n));
      } catch (e) {
        if (this.linkFailed(e) === "taken") continue;
        fs.copyFileSync(current, this.backupPath(n));
      }
      this.backups?.push(n);
      return;
    }
  }

  private backupPath(n: number): string {
    return path.join(this.dir, `cib-${n}.raw`);
  }

  /** a failed link of a backup: another store instance took the number (take the next), or no hard links here (copy) */
  private linkFailed(e: unknown): "taken" | "copy" {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      this.backups = undefined; // list the directory again: that writer's backups are not in the list
      return "taken";
    }
    if (code === "EPERM" || code === "ENOTSUP" || code === "EXDEV") return "copy";
    throw e;
  }

  private knownBackups(): number[] {
    return (this.backups ??= this.backupNumbers());
  }

  /** the oldest backups beyond `keep`, taken off the known list (the caller removes the files) */
  private pruneList(keep: number): string[] {
    const nums = this.knownBackups();
    return nums.splice(0, Math.max(0, nums.length - keep)).map((n) => this.backupPath(n));
  }

  private prune(keep = this.keepBackups): void {
    for (const f of this.pruneList(keep)) fs.rmSync(f, { force: true });
  }

  private async pruneAsync(keep = this.keepBackups): Promise<void> {
    for (const f of this.pruneList(keep)) await fsp.unlink(f).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "ENOENT") throw e;
    });
  }

  /** backupCurrent without blocking the event loop on the link and the prune */
  private async backupCurrentAsync(): Promise<void> {
    if (this.currentIsBad || this.keepBackups === 0 || !fs.existsSync(this.currentPath)) return this.backupCurrent();
    await this.pruneAsync(this.keepBackups - 1);
    if (this.lastBackup === undefined) this.lastBackup = this.knownBackups().at(-1) ?? 0;
    for (;;) {
      const n = ++this.lastBackup;
      try {
        await fsp.link(this.currentPath, this.backupPath(n));
      } catch (e) {
        if (this.linkFailed(e) === "taken") continue;
        await fsp.copyFile(this.currentPath, this.backupPath(n));
      }
      this.backups?.push(n);
      return;
    }
  }

  // Temp files left by a writer that died; a live process's temp file is left alone.
  private removeStaleTemps(): void {
    for (const f of fs.readdirSync(this.dir)) {
      if (!f.startsWith(TEMP_PREFIX)) continue;
      const pid = Number(f.slice(TEMP_PREFIX.length).split("-")[0]);
      if (pid !== process.pid && pidAlive(pid)) continue;
      if (pid === process.pid && this.writing) continue;
      fs.rmSync(path.join(this.dir, f), { force: true });
    }
  }

  private tempPath(): string {
    return path.join(this.dir, `${TEMP_PREFIX}${process.pid}-${Date.now().toString(36)}-${++tempCounter}`);
  }
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
