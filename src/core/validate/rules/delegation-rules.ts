import type { Diagnostic } from '../../diagnostics.js';
import { diagnosticAt } from '../../model/access-tree.js';
import { parseExpiry, parseCalendarDate } from '../../model/time.js';
import type { RuleContext } from './context.js';
import { sortedPeople } from './identity-rules.js';

/**
 * A delegation names another person who exists, runs forward in time, and (warning) is active:
 * a deputy who left cannot approve anyway (approvers are active people), so the delegation is void.
 */
export function checkDelegations({ tree }: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const person of sortedPeople(tree.people)) {
    const d = person.value.delegate;
    if (d === undefined) continue;
    const deputy = tree.people.get(d.to);
    if (d.to === person.value.uid) {
      out.push(diagnosticAt(person, ['delegate', 'to'], 'INVALID_DELEGATION', 'a person cannot be their own deputy'));
    } else if (!deputy && !tree.broken.people.has(d.to)) {
      out.push(
        diagnosticAt(person, ['delegate', 'to'], 'UNKNOWN_PERSON', `deputy "${d.to}" is not a person in people/`),
      );
    } else if (deputy && deputy.value.status !== 'active') {
      out.push(
        diagnosticAt(
          person,
          ['delegate', 'to'],
          'INACTIVE_REFERENCE',
          `deputy "${d.to}" is ${deputy.value.status}: the delegation has no effect`,
          {
            severity: 'warning',
          },
        ),
      );
    }
    const from = parseCalendarDate(d.from);
    const until = parseExpiry(d.until);
    if (from !== undefined && until !== undefined && until < from)
      out.push(
        diagnosticAt(
          person,
          ['delegate', 'until'],
          'INVALID_DELEGATION',
          `the delegation ends (${d.until}) before it starts (${d.from})`,
        ),
      );
  }
  return out;
}
