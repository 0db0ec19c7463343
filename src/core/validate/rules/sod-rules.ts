import type { Diagnostic } from '../../diagnostics.js';
import { diagnosticAt } from '../../model/access-tree.js';
import type { Entity } from '../../model/access-tree.js';
import { groupByHuman } from '../../model/identity.js';
import type { Person } from '../../model/types.js';
import { locate } from '../../source.js';
import type { RuleContext } from './context.js';
import { sortedPeople } from './identity-rules.js';

/** A grant held by a human: which file, which entry. */
interface Holding {
  person: Entity<Person>;
  index: number;
}

/**
 * No active human holds both roles of a separation-of-duties rule, across every person file that
 * shares one of their identifiers (employeeId, email, GitHub login): a second file for the same
 * human must not hold the other half of a pair. Reported at the later of the two grants (by file
 * path, then position), naming where the other one is.
 */
export function checkSeparationOfDuties({ tree }: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const rules = tree.policy?.value.separationOfDuties ?? [];
  if (rules.length === 0) return out;
  const active = sortedPeople(tree.people).filter((p) => p.value.status === 'active');
  for (const human of groupByHuman(active, (p) => p.value)) {
    const held = new Map<string, Holding>();
    for (const person of human)
      person.value.grants.forEach((g, index) => {
        const key = `${g.system}/${g.role}`;
        if (!held.has(key)) held.set(key, { person, index });
      });
    for (const rule of rules) {
      const [a, b] = rule.roles;
      const ha = held.get(a);
      const hb = held.get(b);
      if (ha === undefined || hb === undefined) continue;
      const [first, second] = isEarlier(ha, hb) ? [ha, hb] : [hb, ha];
      const other = second === ha ? b : a;
      const line = locate(first.person.source, ['grants', first.index]).line;
      const where = first.person === second.person ? `line ${line}` : `${first.person.source.path}:${line}`;
      const who =
        first.person === second.person
          ? `"${second.person.value.uid}"`
          : `"${second.person.value.uid}" (the same human as "${first.person.value.uid}")`;
      out.push(
        diagnosticAt(
          second.person,
          ['grants', second.index, 'role'],
          'SOD_CONFLICT',
          `separation of duties "${rule.id}": ${who} would hold both ${a} and ${b} (${other} at ${where})${rule.description ? `: ${rule.description}` : ''}`,
        ),
      );
    }
  }
  return out;
}

function isEarlier(a: Holding, b: Holding): boolean {
  if (a.person !== b.person) return a.person.source.path < b.person.source.path;
  return a.index < b.index;
}
