import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
 * Same interface and rules as LDAP (stable keys, placeholder members, refint on rename); each
 * write is saved at once, atomically (write a temporary file, then rename). Passwords are stored
 * only as salted scrypt hashes.
 */
export class FileDirectory implements Directory {
  private readonly path: string;
  private readonly memory: MemoryDirectory;

  constructor(path: string, layout: DirectoryLayout, options: { now?: () => number } = {}) {
    this.path = path;
    this.memory = new MemoryDirectory(layout, loadState(path), options);
  }

  read(): Promise<DirectorySnapshot> {
    return this.memory.read();
  }

  async write(action: Action, context?: WriteContext): Promise<'done' | 'already'> {
    const outcome = await this.memory.write(action, context);
    if (outcome === 'done') this.save();
    return outcome;
  }

  async close(): Promise<void> {}

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp-${process.pid}`;
    writeFileSync(temporary, `${JSON.stringify(this.memory.state, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.path);
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
