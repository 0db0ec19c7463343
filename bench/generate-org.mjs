// Generates a large, valid access tree for benchmarks: N people (5 grants each), S systems.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RISKS = ['low', 'medium', 'high', 'critical'];
const ALL_ATTESTATIONS =
  '  mfa: true\n  deviceCompliance: true\n  deviceEncryption: true\n  vpn: true\n  hardwareKey: true\n  managerAttestation: "2026-01-01"\n  backgroundCheck: "2026-01-01"\n';

/**
 * Writes the organisation under `dir/access` and returns counts. Deterministic for given sizes.
 * `expires` dates are relative to 2026-11-22 so the tree stays valid whatever the clock says
 * (run validate with --now 2026-11-22T12:00:00Z).
 */
export function generateOrg(dir, options = {}) {
  const root = join(dir, 'access');
  rmSync(root, { recursive: true, force: true });
  for (const sub of ['people', 'systems', 'orgs']) mkdirSync(join(root, sub), { recursive: true });
  const { files, ...counts } = generateOrgFiles(options);
  for (const [path, text] of files) writeFileSync(join(dir, path), text);
  return { root, ...counts };
}

/**
 * The same organisation in memory: `files` maps `access/...` paths to their text (for a test
 * GitHub or a git repository built without touching the disk).
 */
export function generateOrgFiles({ people = 10_000, systems = 200, grantsPerPerson = 5, rolesPerSystem = 5 } = {}) {
  const files = new Map();

  const departments = 20;
  const uid = (i) => `user${String(i).padStart(5, '0')}`;
  let policy = `kind: Policy\ndirectory:\n  baseDN: dc=example,dc=org\ndepartments:\n`;
  for (let d = 0; d < departments; d++) policy += `  dept${d}: { head: ${uid(d + 1)} }\n`;
  policy += `levels:
  manager: { approvers: [manager] }
  department-head: { approvers: [department-head] }
  it-security: { approvers: [{ team: example/it-security }] }
  ciso: { approvers: [{ people: [${uid(0)}] }] }
  access-approver: { approvers: [{ team: example/access-approvers }] }
tiers:
  standard: { levels: [manager], target: 24h }
  elevated: { levels: [manager, department-head, it-security], target: 3d }
  privileged: { levels: [manager, department-head, it-security, ciso], attestations: [backgroundCheck], target: 7d }
risk:
  low: { tier: standard, requirements: [mfa] }
  medium: { tier: standard, requirements: [mfa, deviceCompliance] }
  high: { tier: elevated, requirements: [mfa, deviceCompliance, deviceEncryption, vpn] }
  critical: { tier: privileged, requirements: [mfa, deviceCompliance, deviceEncryption, vpn, hardwareKey, managerAttestation] }
separationOfDuties:
`;
  for (let s = 0; s < 10; s++) policy += `  - { id: sod${s}, roles: [sys${s}/role3, sys${s}/role4] }\n`;
  policy += `external: { level: access-approver, maxDays: 365 }\nemergency: { maxDuration: 72h, level: it-security }\nguards: { maxDeletions: 50, maxDisables: 100, maxRemovals: 1000, maxPercent: 5 }\nforbiddenTerms: [CUI, NOFORN, FOUO]\n`;
  files.set('access/policy.yaml', policy);

  for (let s = 0; s < systems; s++) {
    let text = `kind: System\nid: sys${s}\nname: System ${s}\ndescription: Generated system number ${s}.\nrisk: ${RISKS[s % 4]}\nowners: [example/team${s % 17}]\nroles:\n`;
    for (let r = 0; r < rolesPerSystem; r++) {
      text += `  role${r}:\n    group: sys${s}-role${r}\n    description: Role ${r} of system ${s}.\n`;
      if (r === 0) text += '    external: true\n    risk: low\n';
      if (r === rolesPerSystem - 1 && s % 10 === 0) text += '    privileged: true\n';
    }
    files.set(`access/systems/sys${s}.yaml`, text);
  }
  files.set(
    'access/orgs/partner0.yaml',
    'kind: Organization\nid: partner0\nlegalName: Partner Zero Ltd.\nexternalRef: VND-0\ntype: partner\n',
  );

  let grants = 0;
  for (let i = 0; i < people; i++) {
    const external = i > 100 && i % 50 === 0;
    let text = `kind: Person\nuid: ${uid(i)}\nname: Person ${i}\nemail: ${uid(i)}@example.org\ntype: ${external ? 'external' : 'employee'}\nemployeeId: EMP-${i}\ntitle: Generated person ${i}\n`;
    text += `department: dept${i % departments}\n`;
    if (i > 0) text += `manager: ${uid(Math.floor((i - 1) / 10))}\n`;
    text += `github: gh-${uid(i)}\nstatus: active\n`;
    if (external) text += `org: partner0\nsponsor: ${uid(1)}\n`;
    text += `attestations:\n${ALL_ATTESTATIONS}grants:\n`;
    for (let g = 0; g < grantsPerPerson; g++) {
      // Distinct systems per person; role 0 (external profile) for externals, roles 0-2 otherwise (no SoD pairs).
      const system = (i * 7 + g * 41) % systems;
      const role = external ? 0 : (i + g) % 3;
      text += `  - system: sys${system}\n    role: role${role}\n    justification: Needed for generated work item ${i}-${g}.\n`;
      if (external || g === 4) text += '    expires: "2027-06-30"\n';
      grants++;
    }
    files.set(`access/people/${uid(i)}.yaml`, text);
  }
  return { files, people, systems, grants };
}
