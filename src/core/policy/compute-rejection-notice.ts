import { normalizeLogin } from '../model/identity.js';
import type { NoticeRecipient, RejectionNotice } from '../notify/request-notifier.js';
import type { Evaluation } from './evaluate-pull-request.js';

/**
 * The notice of a rejection by `reviewer`: to the requester (the pull request's author, through
 * their person file in base) and, for each external person whose access was asked for, their
 * sponsor. Undefined when `reviewer` rejects nothing, or nobody with an address is concerned.
 * @example computeRejectionNotice(evaluation, { pr: 9, repository: 'example/access', author: 'jsmith-ex', reviewer: 'mjohnson-ex' })
 */
export function computeRejectionNotice(
  evaluation: Evaluation,
  options: { pr: number; repository: string; author: string; reviewer: string },
): RejectionNotice | undefined {
  const reviewer = normalizeLogin(options.reviewer);
  const rejected = evaluation.changes.flatMap((c) =>
    c.levels.filter((l) => l.rejection?.login === reviewer).map((l) => ({ change: c, level: l })),
  );
  const first = rejected[0];
  if (!first) return undefined;
  const base = evaluation.trees.base;
  const to = new Map<string, NoticeRecipient>();
  const author = normalizeLogin(options.author);
  for (const { value } of base.people.values())
    if (value.github && normalizeLogin(value.github) === author && value.status === 'active')
      to.set(value.email.toLowerCase(), { name: value.name, email: value.email, role: 'requester' });
  for (const { change } of rejected) {
    if (!change.details.person?.external) continue;
    const sponsorUid = base.people.get(change.details.person.uid)?.value.sponsor ?? change.details.person.sponsor;
    const sponsor = sponsorUid === undefined ? undefined : base.people.get(sponsorUid)?.value;
    if (sponsor && sponsor.status === 'active' && !to.has(sponsor.email.toLowerCase()))
      to.set(sponsor.email.toLowerCase(), { name: sponsor.name, email: sponsor.email, role: 'sponsor' });
  }
  if (to.size === 0) return undefined;
  return {
    pr: options.pr,
    repository: options.repository,
    to: [...to.values()],
    rejectedBy: reviewer,
    level: first.level.level,
    reason: first.level.rejection?.reason ?? '',
    changes: [...new Set(rejected.map(({ change }) => describe(change)))],
  };
}

function describe(change: Evaluation['changes'][number]): string {
  const d = change.details;
  const what = d.system ? ` ${d.system.id}/${d.role?.id ?? ''}` : '';
  return `${change.kind} ${change.subject}${what}${d.expires ? ` until ${d.expires}` : ''}`;
}
