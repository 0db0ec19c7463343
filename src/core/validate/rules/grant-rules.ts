import type { Diagnostic } from '../../diagnostics.js';
import { diagnosticAt } from '../../model/access-tree.js';
import { requiredAttestations } from '../../model/risk.js';
import { formatDay, parseCalendarDate, parseDuration, parseExpiry } from '../../model/time.js';
import type { RuleContext } from './context.js';
import { sortedPeople } from './identity-rules.js';
import { own } from '../../model/own.js';
import { isAttested } from '../../model/attestation.js';

/** Emergency grants are justified and expire within the policy's emergency maximum from now. */
export function checkEmergencyGrants({ tree, now }: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const emergency = tree.policy?.value.emergency;
  const max = emergency ? parseDuration(emergency.maxDuration) : undefined;
  for (const person of sortedPeople(tree.people)) {
    person.value.grants.forEach((grant, i) => {
      if (!grant.emergency) return;
      if (!grant.justification?.trim()) {
        out.push(
          diagnosticAt(
            person,
            ['grants', i],
            'EMERGENCY_NO_JUSTIFICATION',
            `emergency grant ${grant.system}/${grant.role} needs a justification (the incident)`,
          ),
        );
      }
      if (grant.expires === undefined) {
        out.push(
          diagnosticAt(
            person,
            ['grants', i],
            'EMERGENCY_NO_EXPIRY',
            `emergency grant ${grant.system}/${grant.role} needs \`expires\`${max ? ` within ${emergency!.maxDuration}` : ''}`,
          ),
        );
        return;
      }
      const expires = parseExpiry(grant.expires);
      if (expires === undefined) return;
      if (max === undefined) {
        out.push(
          diagnosticAt(
            person,
            ['grants', i, 'emergency'],
            'EMERGENCY_TOO_LONG',
            'the policy defines no `emergency` section, so emergency grants are not allowed',
          ),
        );
      } else if (expires > now + max) {
        out.push(
          diagnosticAt(
            person,
            ['grants', i, 'expires'],
            'EMERGENCY_TOO_LONG',
            `emergency grant expires ${grant.expires}, more than ${emergency!.maxDuration} from now; at most ${new Date(now + max).toISOString().slice(0, 16)}Z`,
          ),
        );
      }
    });
  }
  return out;
}

/** Dates are real calendar dates; grants already past `expires` are flagged (the reconciler removes them). */
export function checkGrantDates({ tree, now }: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const person of sortedPeople(tree.people)) {
    person.value.grants.forEach((grant, i) => {
      const starts = grant.starts === undefined ? undefined : parseCalendarDate(grant.starts);
      if (grant.starts !== undefined && starts === undefined)
        out.push(
          diagnosticAt(person, ['grants', i, 'starts'], 'SCHEMA_FORMAT', `"${grant.starts}" is not a real date`),
        );
      if (grant.expires === undefined) return;
      const expires = parseExpiry(grant.expires);
      if (starts !== undefined && expires !== undefined && starts > expires)
        out.push(
          diagnosticAt(
            person,
            ['grants', i, 'starts'],
            'STARTS_AFTER_EXPIRY',
            `grant ${grant.system}/${grant.role} starts on ${grant.starts}, after it expires (${grant.expires})`,
          ),
        );
      if (expires === undefined) {
        out.push(
          diagnosticAt(person, ['grants', i, 'expires'], 'SCHEMA_FORMAT', `"${grant.expires}" is not a real date`),
        );
      } else if (expires < now && person.value.status === 'active') {
        out.push(
          diagnosticAt(
            person,
            ['grants', i, 'expires'],
            'GRANT_EXPIRED',
            `grant ${grant.system}/${grant.role} expired on ${formatDay(expires)}; the reconciler removes it, so delete it here too`,
            { severity: 'warning' },
          ),
        );
      }
    });
  }
  return out;
}

/** Active holders of a role have the attestations its risk level and tier require. */
export function checkAttestations({ tree, now }: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const policy = tree.policy?.value;
  if (!policy) return out;
  for (const person of sortedPeople(tree.people)) {
    const p = person.value;
    if (p.status !== 'active') continue;
    p.grants.forEach((grant, i) => {
      const system = tree.systems.get(grant.system)?.value;
      const role = own(system?.roles, grant.role);
      if (!system || !role) return;
      const missing = requiredAttestations(policy, system, role).filter((a) => !isAttested(p, a, now));
      if (missing.length > 0) {
        out.push(
          diagnosticAt(
            person,
            ['grants', i],
            'MISSING_ATTESTATION',
            `${grant.system}/${grant.role} requires ${missing.length === 1 ? 'the attestation' : 'the attestations'} ${missing.join(', ')} that "${p.uid}" does not have`,
          ),
        );
      }
    });
  }
  return out;
}

/**
 * A disabled or deleted person should say why (`statusReason`): the deprovisioning record and the
 * supervisor's notice carry it. A warning, not an error: a revocation is never blocked, and the
 * record then falls back to the pull request's title.
 */
export function checkStatusReasons({ tree }: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const person of sortedPeople(tree.people)) {
    const p = person.value;
    if (p.status === 'active' || p.statusReason?.trim()) continue;
    out.push(
      diagnosticAt(
        person,
        ['status'],
        'STATUS_REASON_MISSING',
        `${p.uid} is ${p.status} without a statusReason; say why (it goes to the deprovisioning record and the supervisor)`,
        { severity: 'warning' },
      ),
    );
  }
  return out;
}
