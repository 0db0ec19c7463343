import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAccessFiles } from '../../src/adapters/fs/read-access-files.js';
import { MAX_FILE_BYTES } from '../../src/core/source.js';
import { InputError } from '../../src/errors.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aac-read-'));
  mkdirSync(join(dir, 'access/people'), { recursive: true });
  mkdirSync(join(dir, 'access/.hidden'), { recursive: true });
  writeFileSync(join(dir, 'access/policy.yaml'), 'kind: Policy\n');
  writeFileSync(join(dir, 'access/people/b.yml'), 'kind: Person\n');
  writeFileSync(join(dir, 'access/people/a.yaml'), 'kind: Person\n');
  writeFileSync(join(dir, 'access/people/notes.md'), '# not yaml\n');
  writeFileSync(join(dir, 'access/.hidden/x.yaml'), 'kind: Person\n');
  writeFileSync(join(dir, 'access/people/huge.yaml'), Buffer.alloc(MAX_FILE_BYTES + 1, 0x61));
  symlinkSync('/etc/passwd', join(dir, 'access/people/link.yaml'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readAccessFiles', () => {
  it('lists YAML files sorted, skips hidden entries, and refuses links and huge files without reading them', () => {
    const { root, files } = readAccessFiles(join(dir, 'access'), dir);
    expect(root).toBe('access');
    expect(files.map((f) => [f.path, 'problem' in f ? f.problem.code : 'read'])).toEqual([
      ['access/people/a.yaml', 'read'],
      ['access/people/b.yml', 'read'],
      ['access/people/huge.yaml', 'FILE_TOO_LARGE'],
      ['access/people/link.yaml', 'SYMBOLIC_LINK'],
      ['access/policy.yaml', 'read'],
    ]);
  });

  it('shows paths outside the working directory as given', () => {
    const { root } = readAccessFiles(join(dir, 'access'), '/nonexistent-cwd');
    expect(root).toBe(join(dir, 'access'));
  });

  it('a missing folder or a file is an InputError', () => {
    expect(() => readAccessFiles(join(dir, 'nope'), dir)).toThrow(InputError);
    expect(() => readAccessFiles(join(dir, 'access/policy.yaml'), dir)).toThrow(InputError);
  });
});
