import { stringify } from 'yaml';
import type { Person } from '../model/types.js';

/**
 * A person file as `aac adopt` writes it: the schema line, where it came from, then the fields in
 * the order the sample files use. Empty optional fields are left out.
 * @example formatPersonFile(person, 'Adopted from the directory on 2026-11-22: uid=jsmith,ou=people,dc=example,dc=org')
 */
export function formatPersonFile(person: Person, comment: string): string {
  const ordered: Record<string, unknown> = {};
  const keys: (keyof Person)[] = [
    'kind',
    'uid',
    'name',
    'surname',
    'givenName',
    'email',
    'type',
    'employeeId',
    'title',
    'department',
    'manager',
    'github',
    'status',
    'statusReason',
    'org',
    'sponsor',
  ];
  for (const key of keys) if (person[key] !== undefined) ordered[key] = person[key];
  if (Object.keys(person.attestations).length > 0) ordered['attestations'] = person.attestations;
  ordered['grants'] = person.grants;
  return `# yaml-language-server: $schema=../../schemas/person.schema.json\n# ${comment}\n${stringify(ordered, { lineWidth: 0 })}`;
}
