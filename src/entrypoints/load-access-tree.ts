import { readAccessFiles } from '../adapters/fs/read-access-files.js';
import { loadSchemas } from '../adapters/fs/load-schemas.js';
import { readRetiredIdentities } from '../adapters/git/read-retired-identities.js';
import { createSchemaChecker } from '../core/validate/schema-diagnostics.js';
import { validateAccessTree } from '../core/validate/validate-access-tree.js';
import type { InputFile, ValidationResult } from '../core/validate/validate-access-tree.js';

export interface LoadedTree {
  dir: string;
  result: ValidationResult;
  files: InputFile[];
}

/** Reads, parses and validates an access folder: the shared first step of every command. */
export async function loadAndValidate(
  dir: string,
  options: { now: number; history: boolean; cwd: string; onProgress?: (done: number, total: number) => void },
): Promise<LoadedTree> {
  const { root, files } = readAccessFiles(dir, options.cwd);
  const retired = options.history ? await readRetiredIdentities(dir) : [];
  const result = validateAccessTree({ root, files, checkSchema: createSchemaChecker(loadSchemas()), now: options.now, retired, onProgress: options.onProgress });
  return { dir, result, files };
}

