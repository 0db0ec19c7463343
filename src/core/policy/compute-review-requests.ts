import type { Evaluation } from './evaluate-pull-request.js';

export interface ReviewRequests {
  /** Lower-case logins. */
  users: string[];
  /** `org/team` slugs. */
  teams: string[];
}

/**
 * Whom to ask for a review: for each level still missing, its teams (one request reaches every
 * member) and the people its other sources name (manager, listed users, code owners). People
 * and teams already requested, and anyone who already satisfies a level, are left out.
 * Blocked changes get no requests: no approval can help them.
 */
export function computeReviewRequests(
  evaluation: Evaluation,
  already: { users: readonly string[]; teams: readonly string[] },
): ReviewRequests {
  const requestedUsers = new Set(already.users.map((u) => u.toLowerCase()));
  const requestedTeams = new Set(already.teams.map((t) => t.toLowerCase()));
  const approving = new Set(
    evaluation.changes.flatMap((c) => c.levels.map((l) => l.satisfiedBy).filter((l): l is string => l !== null)),
  );
  const users = new Set<string>();
  const teams = new Set<string>();
  if (evaluation.status !== 'missing') return { users: [], teams: [] };
  for (const change of evaluation.changes) {
    for (const level of change.levels) {
      if (level.satisfiedBy !== null) continue;
      for (const team of level.teams) teams.add(team);
      for (const login of level.people) users.add(login);
    }
  }
  return {
    users: [...users].filter((u) => !requestedUsers.has(u) && !approving.has(u)).sort(),
    teams: [...teams].filter((t) => !requestedTeams.has(t.toLowerCase())).sort(),
  };
}
