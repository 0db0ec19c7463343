import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import type { Action } from '../../core/plan/action.js';
import type { Directory, WriteContext } from '../../core/plan/directory.js';
import type { DirectoryLayout } from '../../core/plan/directory-layout.js';
import type { DirectorySnapshot } from '../../core/plan/directory-snapshot.js';
import { DirectoryError } from '../../errors.js';
import { MemoryDirectory } from '../memory/memory-directory.js';
import type { DirectoryState } from '../memory/memory-directory.js';

/**
 * The embedded directory: a JSON file (`--directory file:PATH`) for trying aac without a server.
 * Same interface and rules as LDAP (stable keys, placeholder members, refint on rename). Writes
 * go to memory and `flush()` saves the file once per apply, atomically (a temporary file in the
 * same folder, synced, then renamed over the old one): a crash leaves the old file or the new
 * one, never half of either. Passwords are stored only as salted hashes.
 */
export class FileDirectory implements Directory {
  private readonly path: string;
  private readonly memory: MemoryDirectory;
  private dirty = false;

  constructor(path: string, layout: DirectoryLayout, options: { now?: () => number } = {}) {
    this.path = path;
    this.memory = new MemoryDirectory(layout, loadState(path), options);
  }

  read(): Promise<DirectorySnapshot> {
    return this.memory.read();
  }

  async write(action: Action, context?: WriteContext): Promise<'done' | 'already'> {
    const outcome = await this.memory.write(action, context);
    if (outcome === 'done') this.dirty = true;
    return outcome;
  }

  /** Saves the file if anything changed. After a failed save the changes are gone, as the caller is told. */
  async flush(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    try {
      saveState(this.path, this.memory.state);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new DirectoryError('save-failed', `cannot save the directory file ${this.path}: ${code}`, {
        cause: error,
      });
    }
  }

  /** Saves what a caller wrote without flushing (nothing, after an apply). */
  async close(): Promise<void> {
    await this.flush();
  }
}

function saveState(path: string, state: DirectoryState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function loadState(path: string): DirectoryState {
  if (!existsSync(path)) return { accounts: [], groups: [] };
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as DirectoryState;
    if (!Array.isArray(state.accounts) || !Array.isArray(state.groups))
      throw new Error('expected {accounts: [], groups: []}');
    return state;
  } catch (error) {
    throw new DirectoryError('file-corrupt', `cannot read the directory file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
