import type { AccessTree } from '../model/access-tree.js';
import { roleTier } from '../model/risk.js';
import type { ReportView } from './compute-report-view.js';

export interface AccessOverview {
  kind: 'access';
  /** Systems (columns) and, per active person, the roles held in each. */
  matrix: {
    systems: string[];
    rows: Array<{ uid: string; name: string; type: string; cells: Record<string, string[]> }>;
  };
  privileged: Array<{
    uid: string;
    name: string;
    system: string;
    role: string;
    group: string;
    tier: string;
    expires: string | null;
    emergency: boolean;
  }>;
  external: Array<{
    org: string;
    legalName: string | null;
    type: string | null;
    contractEnds: string | null;
    people: Array<{
      uid: string;
      name: string;
      sponsor: string | null;
      sponsorActive: boolean;
      roles: string[];
      expires: string[];
    }>;
  }>;
}

/** Who has what now, from the access tree: the access matrix, privileged access, externals per organization with their sponsors. */
export function computeAccessOverview(tree: AccessTree): AccessOverview {
  const people = [...tree.people.values()]
    .map((p) => p.value)
    .filter((p) => p.status === 'active')
    .sort((a, b) => (a.uid < b.uid ? -1 : 1));
  const systems = [...tree.systems.keys()].sort();
  const rows = people.map((p) => {
    const cells: Record<string, string[]> = {};
    for (const g of p.grants) (cells[g.system] ??= []).push(g.role);
    return { uid: p.uid, name: p.name, type: p.type, cells };
  });
  const privileged: AccessOverview['privileged'] = [];
  const policy = tree.policy?.value;
  for (const p of people) {
    for (const g of p.grants) {
      const system = tree.systems.get(g.system)?.value;
      const role = system?.roles[g.role];
      if (!system || !role) continue;
      const tier = policy ? roleTier(policy, system, role) : role.privileged ? 'privileged' : 'standard';
      if (role.privileged || tier === 'privileged')
        privileged.push({
          uid: p.uid,
          name: p.name,
          system: g.system,
          role: g.role,
          group: role.group,
          tier,
          expires: g.expires ?? null,
          emergency: g.emergency === true,
        });
    }
  }
  const orgIds = new Set([
    ...tree.orgs.keys(),
    ...people.flatMap((p) => (p.type === 'external' && p.org ? [p.org] : [])),
  ]);
  const external = [...orgIds].sort().map((id) => {
    const org = tree.orgs.get(id)?.value;
    return {
      org: id,
      legalName: org?.legalName ?? null,
      type: org?.type ?? null,
      contractEnds: org?.contractEnds ?? null,
      people: people
        .filter((p) => p.type === 'external' && p.org === id)
        .map((p) => ({
          uid: p.uid,
          name: p.name,
          sponsor: p.sponsor ?? null,
          sponsorActive: p.sponsor !== undefined && tree.people.get(p.sponsor)?.value.status === 'active',
          roles: p.grants.map((g) => `${g.system}/${g.role}`),
          expires: p.grants.map((g) => g.expires ?? 'no expiry'),
        })),
    };
  });
  return { kind: 'access', matrix: { systems, rows }, privileged, external };
}

/** The overview as a report view, for Markdown, CSV (the matrix) and HTML. */
export function computeAccessView(o: AccessOverview): ReportView {
  return {
    title: 'Who has what now',
    summary: [
      { label: 'active people', value: String(o.matrix.rows.length) },
      { label: 'privileged grants', value: String(o.privileged.length) },
      { label: 'external people', value: String(o.external.reduce((n, e) => n + e.people.length, 0)) },
    ],
    tables: [
      {
        title: 'Access matrix',
        columns: ['person', 'name', 'type', ...o.matrix.systems],
        rows: o.matrix.rows.map((r) => [
          r.uid,
          r.name,
          r.type,
          ...o.matrix.systems.map((s) => (r.cells[s] ?? []).join(' ')),
        ]),
      },
      {
        title: 'Privileged access',
        columns: ['person', 'name', 'system', 'role', 'group', 'tier', 'expires', 'emergency'],
        rows: o.privileged.map((p) => [
          p.uid,
          p.name,
          p.system,
          p.role,
          p.group,
          p.tier,
          p.expires ?? '',
          p.emergency ? 'yes' : 'no',
        ]),
      },
      {
        title: 'External users by organization',
        columns: [
          'organization',
          'legal name',
          'type',
          'contract ends',
          'person',
          'name',
          'sponsor',
          'sponsor active',
          'roles',
          'expires',
        ],
        rows: o.external.flatMap((e) =>
          e.people.length === 0
            ? [[e.org, e.legalName ?? '', e.type ?? '', e.contractEnds ?? '', '', '', '', '', '', '']]
            : e.people.map((p) => [
                e.org,
                e.legalName ?? '',
                e.type ?? '',
                e.contractEnds ?? '',
                p.uid,
                p.name,
                p.sponsor ?? '',
                p.sponsorActive ? 'yes' : 'NO',
                p.roles.join('; '),
                p.expires.join('; '),
              ]),
        ),
      },
    ],
    chart: null,
    provisioning: [],
  };
}
