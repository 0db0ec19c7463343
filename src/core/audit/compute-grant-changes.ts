import { parseLooseYaml } from './parse-loose-yaml.js';

/** What a commit changed about one person's access, from the person file before and after. */
export type PersonChange =
  | { change: 'person-created'; status: string }
  | { change: 'person-removed' }
  /** `grants`: what the file held (before a disable, after a re-enable): the systems revoked or re-provisioned. */
  | {
      change: 'status-changed';
      from: string;
      to: string;
      grants: Array<{ system: string; role: string }>;
      reason?: string;
    }
  | {
      change: 'grant-added';
      system: string;
      role: string;
      expires?: string;
      emergency?: boolean;
      justification?: string;
    }
  | { change: 'grant-removed'; system: string; role: string }
  | { change: 'grant-changed'; system: string; role: string; expires?: string };

interface GrantFacts {
  system: string;
  role: string;
  expires?: string;
  emergency?: boolean;
  justification?: string;
}

interface PersonFacts {
  status: string;
  statusReason?: string;
  grants: Map<string, GrantFacts>;
}

/**
 * Compares two versions of a person file (undefined: the file did not exist). Files that do
 * not parse count as absent: history may hold broken versions, and they granted nothing.
 */
export function computeGrantChanges(before: string | undefined, after: string | undefined): PersonChange[] {
  const a = factsOf(before);
  const b = factsOf(after);
  if (!a) {
    if (!b) return [];
    return [
      { change: 'person-created', status: b.status },
      ...[...b.grants.values()].map((g) => ({ change: 'grant-added' as const, ...g })),
    ];
  }
  if (!b)
    return [
      { change: 'person-removed' },
      ...[...a.grants.values()].map((g) => ({ change: 'grant-removed' as const, system: g.system, role: g.role })),
    ];
  const out: PersonChange[] = [];
  if (a.status !== b.status) {
    const held = b.status === 'active' ? b : a;
    out.push({
      change: 'status-changed',
      from: a.status,
      to: b.status,
      grants: [...held.grants.values()].map((g) => ({ system: g.system, role: g.role })),
      ...(b.statusReason !== undefined ? { reason: b.statusReason } : {}),
    });
  }
  for (const [key, g] of b.grants) {
    const old = a.grants.get(key);
    if (!old) out.push({ change: 'grant-added', ...g });
    else if (old.expires !== g.expires)
      out.push({
        change: 'grant-changed',
        system: g.system,
        role: g.role,
        ...(g.expires ? { expires: g.expires } : {}),
      });
  }
  for (const [key, g] of a.grants)
    if (!b.grants.has(key)) out.push({ change: 'grant-removed', system: g.system, role: g.role });
  return out;
}

function factsOf(text: string | undefined): PersonFacts | undefined {
  const v = parseLooseYaml(text) as { status?: unknown; statusReason?: unknown; grants?: unknown } | undefined;
  if (!v) return undefined;
  const grants = new Map<string, GrantFacts>();
  for (const g of Array.isArray(v.grants) ? v.grants : []) {
    if (typeof g !== 'object' || g === null) continue;
    const { system, role, expires, emergency, justification } = g as Record<string, unknown>;
    if (typeof system !== 'string' || typeof role !== 'string') continue;
    grants.set(`${system}/${role}`, {
      system,
      role,
      ...(typeof expires === 'string' ? { expires } : {}),
      ...(emergency === true ? { emergency: true } : {}),
      ...(typeof justification === 'string' ? { justification } : {}),
    });
  }
  return {
    status: typeof v.status === 'string' ? v.status : 'active',
    ...(typeof v.statusReason === 'string' ? { statusReason: v.statusReason } : {}),
    grants,
  };
}
