import type { Diagnostic } from '../../diagnostics.js';
import { diagnosticAt } from '../../model/access-tree.js';
import type { Entity } from '../../model/access-tree.js';
import type { Organization } from '../../model/types.js';
import type { RuleContext } from './context.js';

// Legal-form suffixes that do not distinguish one company from another.
const SUFFIXES = new Set([
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'ltd',
  'limited',
  'llc',
  'llp',
  'lp',
  'plc',
  'gmbh',
  'ag',
  'kg',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'pty',
  'pte',
  'ab',
  'oy',
  'as',
  'kk',
  'sl',
  'sro',
]);

/**
 * The comparable form of a legal name: `Acme Partners, Ltd.` and `ACME PARTNERS LIMITED` both give `acme partners`.
 * Dotted abbreviations (`S.A.`, `L.L.C.`) are joined before suffixes are dropped.
 */
export function normalizeLegalName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\b((?:\p{L}\.){2,})/gu, (m) => m.replace(/\./g, ''))
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
  while (words.length > 1 && SUFFIXES.has(words[words.length - 1]!)) words.pop();
  return words.join(' ');
}

/** Two organizations with the same externalRef or the same normalized legal name are one organization declared twice. */
export function checkDuplicateOrganizations({ tree }: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byRef = new Map<string, Entity<Organization>>();
  const byName = new Map<string, Entity<Organization>>();
  const orgs = [...tree.orgs.values()].sort((a, b) => (a.source.path < b.source.path ? -1 : 1));
  for (const org of orgs) {
    const o = org.value;
    if (o.externalRef !== undefined) {
      const key = o.externalRef.trim().toLowerCase();
      const first = byRef.get(key);
      if (first)
        out.push(
          diagnosticAt(
            org,
            ['externalRef'],
            'DUPLICATE_ORG',
            `externalRef "${o.externalRef}" is already used by organization "${first.value.id}" (${first.source.path})`,
          ),
        );
      else byRef.set(key, org);
    }
    const name = normalizeLegalName(o.legalName);
    const first = byName.get(name);
    if (first)
      out.push(
        diagnosticAt(
          org,
          ['legalName'],
          'DUPLICATE_ORG',
          `"${o.legalName}" is the same organization as "${first.value.legalName}" (${first.source.path})`,
        ),
      );
    else byName.set(name, org);
  }
  return out;
}
