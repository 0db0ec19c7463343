import type { Diagnostic } from '../../diagnostics.js';
import { diagnosticAt } from '../../model/access-tree.js';
import { formatDay, parseExpiry } from '../../model/time.js';
import type { RuleContext } from './context.js';
import { sortedPeople } from './identity-rules.js';
import { own } from '../../model/own.js';

const DAY = 24 * 3600 * 1000;

/**
 * External users: belong to an organization, have an active internal employee as sponsor,
 * justify every grant, and hold only roles marked `external: true` that are not privileged.
 * Anything else is a privilege-escalation attempt.
 */
export function checkExternalPeople({ tree, now }: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const maxDays = tree.policy?.value.external?.maxDays;
  for (const person of sortedPeople(tree.people)) {
    const p = person.value;
    if (p.type !== 'external') continue;
    const active = p.status === 'active';
    if (p.org === undefined)
      out.push(diagnosticAt(person, ['type'], 'EXTERNAL_NO_ORG', `external person "${p.uid}" needs an \`org\``));
    if (p.sponsor === undefined) {
      if (active)
        out.push(
          diagnosticAt(
            person,
            ['type'],
            'EXTERNAL_NO_SPONSOR',
            `external person "${p.uid}" needs a \`sponsor\`: an active internal employee`,
          ),
        );
    } else if (active) {
      const sponsor = tree.people.get(p.sponsor)?.value;
      if (sponsor && (sponsor.type !== 'employee' || sponsor.status !== 'active')) {
        const why = sponsor.type !== 'employee' ? `a ${sponsor.type}` : sponsor.status;
        out.push(
          diagnosticAt(
            person,
            ['sponsor'],
            'EXTERNAL_BAD_SPONSOR',
            `sponsor "${p.sponsor}" is ${why}; a sponsor must be an active employee`,
          ),
        );
      }
    }
    p.grants.forEach((grant, i) => {
      if (!grant.justification?.trim()) {
        out.push(
          diagnosticAt(
            person,
            ['grants', i],
            'EXTERNAL_NO_JUSTIFICATION',
            `grant ${grant.system}/${grant.role} of external person "${p.uid}" needs a justification`,
          ),
        );
      }
      const role = own(tree.systems.get(grant.system)?.value.roles, grant.role);
      if (role && (role.privileged || !role.external)) {
        const why = role.privileged ? 'is privileged' : 'is not an external profile (external: true)';
        out.push(
          diagnosticAt(
            person,
            ['grants', i, 'role'],
            'PRIVILEGE_ESCALATION',
            `external person "${p.uid}" may not hold ${grant.system}/${grant.role}: the role ${why}`,
          ),
        );
      }
      if (maxDays !== undefined && active) {
        const expires = grant.expires === undefined ? undefined : parseExpiry(grant.expires);
        const limit = now + maxDays * DAY;
        if (grant.expires === undefined) {
          out.push(
            diagnosticAt(
              person,
              ['grants', i],
              'EXTERNAL_TOO_LONG',
              `external grants need \`expires\` (at most ${maxDays} days, until ${formatDay(limit)})`,
            ),
          );
        } else if (expires !== undefined && expires > limit + DAY) {
          out.push(
            diagnosticAt(
              person,
              ['grants', i, 'expires'],
              'EXTERNAL_TOO_LONG',
              `expires ${grant.expires} is more than ${maxDays} days away; at most ${formatDay(limit)}`,
            ),
          );
        }
      }
    });
  }
  return out;
}
