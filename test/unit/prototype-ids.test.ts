import { describe, expect, it } from 'vitest';
import { evaluateScenario, review } from '../helpers/pull-request.js';
import { at, sampleFiles, validateWith, where } from '../helpers/sample-tree.js';

// Ids from files are untrusted strings: `roles[id]` or `id in levels` would find Object.prototype's
// members. Every lookup must see only what the files declare. `constructor` passes the id
// patterns; the others are tried where a pattern allows them (GitHub logins, attestation names).
const PROTOTYPE_IDS = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'isPrototypeOf'];
const ID_SAFE = PROTOTYPE_IDS.filter((id) => /^[a-z][a-z0-9_-]{0,62}$/.test(id));
const sample = sampleFiles();
const JANE = 'access/people/jsmith.yaml';
const POLICY = 'access/policy.yaml';
const edit = (file: string, from: string, to: string, files = sample): Record<string, string> => {
  const text = files[file]!;
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  return { [file]: text.replace(from, to) };
};

describe('prototype property names never resolve as ids (validation)', () => {
  it('the id patterns leave only `constructor` to try in ids', () => {
    expect(ID_SAFE).toEqual(['constructor']);
  });

  it.each(ID_SAFE)('a grant of role %s is UNKNOWN_ROLE', (id) => {
    const r = validateWith(edit(JANE, 'role: sales-rep', `role: ${id}`));
    expect(where(r.diagnostics, 'UNKNOWN_ROLE')).toEqual([at(r, JANE, id)]);
  });

  it.each(ID_SAFE)('a grant on system %s is UNKNOWN_SYSTEM', (id) => {
    const r = validateWith(edit(JANE, 'system: crm', `system: ${id}`));
    expect(where(r.diagnostics, 'UNKNOWN_SYSTEM')).toEqual([at(r, JANE, id)]);
  });

  it.each(ID_SAFE)('department %s is UNKNOWN_DEPARTMENT', (id) => {
    const r = validateWith(edit(JANE, 'department: sales', `department: ${id}`));
    expect(where(r.diagnostics, 'UNKNOWN_DEPARTMENT')).toEqual([at(r, JANE, id)]);
  });

  it.each(ID_SAFE)('org %s is UNKNOWN_ORG', (id) => {
    const file = 'access/people/jdoe.acme.yaml';
    const r = validateWith(edit(file, 'org: acme-partners', `org: ${id}`));
    expect(where(r.diagnostics, 'UNKNOWN_ORG')).toEqual([at(r, file, id)]);
  });

  it.each(ID_SAFE)('a tier, external or emergency level %s is UNKNOWN_LEVEL', (id) => {
    const tier = validateWith(edit(POLICY, 'levels: [manager]', `levels: [${id}]`));
    expect(where(tier.diagnostics, 'UNKNOWN_LEVEL')).toEqual([at(tier, POLICY, id)]);
    const external = validateWith(edit(POLICY, 'level: access-approver', `level: ${id}`));
    expect(where(external.diagnostics, 'UNKNOWN_LEVEL')).toEqual([at(external, POLICY, id)]);
    const emergency = validateWith(edit(POLICY, 'level: it-security', `level: ${id}`));
    expect(where(emergency.diagnostics, 'UNKNOWN_LEVEL')).toEqual([at(emergency, POLICY, id)]);
  });

  it.each(ID_SAFE)('a separation-of-duties role crm/%s is UNKNOWN_ROLE', (id) => {
    const r = validateWith(edit(POLICY, 'financial/payment-checker', `financial/${id}`));
    expect(where(r.diagnostics, 'UNKNOWN_ROLE')).toEqual([at(r, POLICY, `financial/${id}`)]);
  });

  it.each(PROTOTYPE_IDS)('a required attestation named %s is never met by the prototype', (id) => {
    const r = validateWith(edit(POLICY, 'requirements: [mfa]', `requirements: [mfa, "${id}"]`));
    const ids = where(r.diagnostics, 'MISSING_ATTESTATION').map((d) => d.file);
    // Jane and others hold low-risk roles: each of their low-risk grants now misses the attestation.
    expect(ids).toContain(JANE);
  });

  it.each(PROTOTYPE_IDS)('a person attesting %s is an attestation like any other, declared in their file', (id) => {
    const r = validateWith(edit(JANE, '  mfa: true\n', `  mfa: true\n  "${id}": true\n`));
    expect(r.diagnostics.filter((d) => d.severity === 'error' && d.file === JANE)).toEqual([]);
  });
});

describe('prototype property names never resolve as ids (the gate)', () => {
  it('a base person in department `constructor` (base is only schema-checked) has no department head', () => {
    const base = { [JANE]: sample[JANE]!.replace('department: sales', 'department: constructor') };
    const high = `${base[JANE]}  - system: production\n    role: deployer\n    justification: On call.\n`;
    const result = evaluateScenario({ base, head: { [JANE]: high }, reviews: [review('dwilliams-ex')] });
    const change = result.changes.find((c) => c.kind === 'grant-added')!;
    expect(change.levels.find((l) => l.level === 'department-head')!.candidates).toEqual([]);
  });

  it.each(ID_SAFE)('a grant of role %s is judged at the highest tier, never as an inherited role', (id) => {
    const head = { [JANE]: `${sample[JANE]}  - system: crm\n    role: ${id}\n    justification: x y z\n` };
    const result = evaluateScenario({ head });
    expect(result.changes.find((c) => c.kind === 'grant-added')).toMatchObject({ tier: 'privileged' });
    expect(result.status).toBe('blocked');
  });

  // Team slugs and logins start with a letter or digit: all but `__proto__` can be tried.
  it.each(PROTOTYPE_IDS.filter((id) => /^[A-Za-z0-9]/.test(id)))(
    'team and login lookups of %s find no members',
    (id) => {
      const policy = sample[POLICY]!.replace(
        '      - team: example/it-security\n',
        `      - team: example/${id}\n      - users: [${id}]\n`,
      );
      const teams = JSON.parse(`{"example/it-security": ["alee-sec"], "__proto__": ["alee-sec"]}`) as Record<
        string,
        string[]
      >;
      const high = `${sample[JANE]}  - system: production\n    role: deployer\n    justification: On call.\n`;
      const result = evaluateScenario({
        base: { [POLICY]: policy },
        head: { [JANE]: high },
        teams,
        reviews: [review('alee-sec')],
      });
      const security = result.changes[0]!.levels.find((l) => l.level === 'it-security')!;
      expect(security).toMatchObject({ satisfiedBy: null, candidates: [] });
    },
  );
});
