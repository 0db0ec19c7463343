import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/core/source.js';
import { REPO_ROOT, positionOf, schemaChecker } from '../helpers/sample-tree.js';

function check(text: string) {
  const parsed = parseSource('access/people/x.yaml', text);
  if (!parsed.source) throw new Error(JSON.stringify(parsed.diagnostics));
  return schemaChecker()(parsed.source).map(({ code, line, column, message }) => ({ code, line, column, message }));
}

const base = 'kind: Person\nuid: jsmith\nname: Jane Smith\nemail: jane@example.org\ntype: employee\n';

describe('schema diagnostics carry the code and the position of the offending value', () => {
  it('missing required property points at the parent mapping', () => {
    const text = 'kind: Person\nuid: jsmith\nname: Jane\ntype: employee\n';
    expect(check(text)).toMatchObject([{ code: 'SCHEMA_REQUIRED', line: 1, column: 1 }]);
  });

  it('missing property inside a grant points at the grant', () => {
    const text = `${base}grants:\n  - system: crm\n`;
    expect(check(text)).toMatchObject([{ code: 'SCHEMA_REQUIRED', ...positionOf(text, 'system: crm') }]);
  });

  it('unknown property points at the key and suggests the near miss', () => {
    const text = `${base}manger: mjohnson\n`;
    const [d] = check(text);
    expect(d).toMatchObject({ code: 'SCHEMA_UNKNOWN_PROPERTY', ...positionOf(text, 'manger') });
    expect(d?.message).toContain('"manager"');
  });

  it('wrong type', () => {
    const text = `${base}grants: crm\n`;
    expect(check(text)).toMatchObject([{ code: 'SCHEMA_TYPE', ...positionOf(text, 'crm') }]);
  });

  it('value outside an enum', () => {
    const text = base.replace('employee', 'intern');
    expect(check(text)).toMatchObject([{ code: 'SCHEMA_ENUM', ...positionOf(text, 'intern') }]);
  });

  it('pattern', () => {
    const text = base.replace('uid: jsmith', 'uid: JSmith');
    expect(check(text)).toMatchObject([{ code: 'SCHEMA_PATTERN', ...positionOf(text, 'JSmith') }]);
  });

  it('an email address that breaks the one email rule of the schemas', () => {
    const text = base.replace('jane@example.org', 'jane-at-example');
    expect(check(text)).toMatchObject([{ code: 'SCHEMA_PATTERN', ...positionOf(text, 'jane-at-example') }]);
  });

  it('attestation that is neither true nor a date', () => {
    const text = `${base}attestations:\n  mfa: sometimes\n`;
    expect(check(text)).toEqual([
      expect.objectContaining({ code: 'SCHEMA_PATTERN', ...positionOf(text, 'sometimes') }),
    ]);
  });

  it.each([',', '=', '*', '(', ')', '\\\\', '+', '<', '>', ';'])(
    'identifier with %s is an LDAP injection attempt',
    (ch) => {
      const text = base.replace('uid: jsmith', `uid: "js${ch}mith"`);
      expect(check(text)).toMatchObject([{ code: 'UNSAFE_IDENTIFIER', ...positionOf(text, '"js') }]);
    },
  );

  it('leading # in a role group is refused', () => {
    const parsed = parseSource(
      'access/systems/crm.yaml',
      'kind: System\nid: crm\nname: CRM\nrisk: low\nroles:\n  user:\n    group: "#admins"\n',
    );
    const diagnostics = schemaChecker()(parsed.source!);
    expect(diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['UNSAFE_IDENTIFIER', 7, 12]]);
  });

  it('a role id with a filter character is reported at the key', () => {
    const text = 'kind: System\nid: crm\nname: CRM\nrisk: low\nroles:\n  "adm*":\n    group: admins\n';
    const parsed = parseSource('access/systems/crm.yaml', text);
    const diagnostics = schemaChecker()(parsed.source!);
    expect(diagnostics.map((d) => [d.code, d.line, d.column])).toContainEqual(['UNSAFE_IDENTIFIER', 6, 3]);
  });

  it('control characters in free text', () => {
    const text = base.replace('name: Jane Smith', 'name: "Jane\\u0007Smith"');
    expect(check(text)).toMatchObject([{ code: 'SCHEMA_PATTERN', ...positionOf(text, '"Jane') }]);
  });
});

describe('the schemas', () => {
  const files = readdirSync(`${REPO_ROOT}schemas`).filter((f) => f.endsWith('.schema.json'));

  it('are draft 2020-12 with an $id', () => {
    expect(files.sort()).toEqual([
      'organization.schema.json',
      'person.schema.json',
      'policy.schema.json',
      'system.schema.json',
    ]);
    for (const file of files) {
      const schema = JSON.parse(readFileSync(`${REPO_ROOT}schemas/${file}`, 'utf8')) as Record<string, unknown>;
      expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema['$id']).toMatch(/^https:\/\/.+\.schema\.json$/);
    }
  });

  it('describe every property, so editors show help', () => {
    const undocumented: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${path}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      const obj = node as Record<string, unknown>;
      const props = obj['properties'] as Record<string, Record<string, unknown>> | undefined;
      for (const [name, prop] of Object.entries(props ?? {})) {
        if (typeof prop['description'] !== 'string' || prop['description'] === '')
          undocumented.push(`${path}/properties/${name}`);
      }
      for (const [k, v] of Object.entries(obj)) visit(v, `${path}/${k}`);
    };
    for (const file of files) visit(JSON.parse(readFileSync(`${REPO_ROOT}schemas/${file}`, 'utf8')), file);
    expect(undocumented).toEqual([]);
  });
});
