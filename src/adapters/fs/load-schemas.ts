import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Kind } from '../../core/source.js';
import type { SchemaSet } from '../../core/validate/schema-diagnostics.js';

/** The `schemas/` folder of this package (three levels up from src/adapters/fs or dist/adapters/fs). */
export const SCHEMAS_DIR = fileURLToPath(new URL('../../../schemas/', import.meta.url));

const FILES: Record<Kind, string> = {
  Policy: 'policy.schema.json',
  System: 'system.schema.json',
  Person: 'person.schema.json',
  Organization: 'organization.schema.json',
};

export function loadSchemas(dir: string = SCHEMAS_DIR): SchemaSet {
  const read = (kind: Kind): object => JSON.parse(readFileSync(`${dir}${FILES[kind]}`, 'utf8')) as object;
  return { Policy: read('Policy'), System: read('System'), Person: read('Person'), Organization: read('Organization') };
}
