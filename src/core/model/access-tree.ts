import type { Diagnostic, DiagnosticCode, Severity } from '../diagnostics.js';
import { locate } from '../source.js';
import type { Kind, PathSegment, SourceFile } from '../source.js';
import type { Organization, Person, Policy, System } from './types.js';

/** A model value and the file it came from, so any rule can point at the line that caused it. */
export interface Entity<T> {
  value: T;
  source: SourceFile;
}

/** The whole access repository, indexed by id. */
export interface AccessTree {
  policy?: Entity<Policy>;
  systems: Map<string, Entity<System>>;
  people: Map<string, Entity<Person>>;
  orgs: Map<string, Entity<Organization>>;
  /**
   * Ids declared by files that failed the schema. Rules treat them as existing so that one
   * broken file gives its own diagnostics, not a cascade of unknown references elsewhere.
   */
  broken: { policy: boolean; people: Set<string>; systems: Set<string>; orgs: Set<string> };
}

/** Builds a diagnostic that points at `path` inside an entity's file. */
export function diagnosticAt(
  entity: Pick<Entity<unknown>, 'source'>,
  path: readonly PathSegment[],
  code: DiagnosticCode,
  message: string,
  options: { severity?: Severity; key?: boolean } = {},
): Diagnostic {
  const at = locate(entity.source, path, { key: options.key ?? false });
  return {
    code,
    severity: options.severity ?? 'error',
    message,
    file: entity.source.path,
    line: at.line,
    column: at.column,
  };
}

const FOLDER: Record<Exclude<Kind, 'Policy'>, string> = { Person: 'people', System: 'systems', Organization: 'orgs' };

/**
 * Indexes schema-valid files by kind and id. `uid`/`id` must equal the file name, each id is
 * declared once, each kind lives in its folder, and there is exactly one policy.
 * `root` is the access folder as shown in paths (e.g. `access`).
 */
export function buildAccessTree(
  root: string,
  sources: readonly SourceFile[],
): { tree: AccessTree; diagnostics: Diagnostic[] } {
  const tree: AccessTree = emptyTree();
  const diagnostics: Diagnostic[] = [];
  const prefix = root === '' || root === '.' ? '' : `${root.replace(/\/+$/, '')}/`;

  for (const source of sources) {
    const relative = source.path.startsWith(prefix) ? source.path.slice(prefix.length) : source.path;
    const parts = relative.split('/');
    const base = (parts[parts.length - 1] ?? '').replace(/\.ya?ml$/, '');
    if (source.kind === 'Policy') {
      if (relative !== 'policy.yaml' && relative !== 'policy.yml') {
        diagnostics.push(
          diagnosticAt({ source }, ['kind'], 'MISPLACED_FILE', `the Policy belongs in ${prefix}policy.yaml`),
        );
      }
      if (tree.policy) {
        diagnostics.push(
          diagnosticAt(
            { source },
            ['kind'],
            'DUPLICATE_POLICY',
            `a second Policy; the first is ${tree.policy.source.path}`,
          ),
        );
        continue;
      }
      tree.policy = { value: toPolicy(source.value), source };
      continue;
    }
    const folder = FOLDER[source.kind];
    if (parts.length !== 2 || parts[0] !== folder) {
      diagnostics.push(
        diagnosticAt({ source }, ['kind'], 'MISPLACED_FILE', `a ${source.kind} belongs in ${prefix}${folder}/`),
      );
    }
    const idKey = source.kind === 'Person' ? 'uid' : 'id';
    const id = String(source.value[idKey]);
    if (id !== base) {
      diagnostics.push(
        diagnosticAt({ source }, [idKey], 'ID_FILE_MISMATCH', `${idKey} "${id}" must equal the file name "${base}"`),
      );
    }
    const index: Map<string, Entity<unknown>> = source.kind === 'Person'
      ? tree.people
      : source.kind === 'System'
        ? tree.systems
        : tree.orgs;
    const earlier = index.get(id);
    if (earlier) {
      diagnostics.push(
        diagnosticAt(
          { source },
          [idKey],
          'DUPLICATE_ID',
          `${idKey} "${id}" is already declared in ${earlier.source.path}`,
        ),
      );
      continue;
    }
    if (source.kind === 'Person') tree.people.set(id, { value: toPerson(source.value), source });
    else if (source.kind === 'System') tree.systems.set(id, { value: toSystem(source.value), source });
    else tree.orgs.set(id, { value: source.value as unknown as Organization, source });
  }
  return { tree, diagnostics };
}

export function emptyTree(): AccessTree {
  return {
    systems: new Map(),
    people: new Map(),
    orgs: new Map(),
    broken: { policy: false, people: new Set(), systems: new Set(), orgs: new Set() },
  };
}

/** Records the id of a file that failed the schema (see `AccessTree.broken`). */
export function markBroken(tree: AccessTree, source: SourceFile): void {
  if (source.kind === 'Policy') {
    tree.broken.policy = true;
    return;
  }
  const id = source.value[source.kind === 'Person' ? 'uid' : 'id'];
  if (typeof id !== 'string') return;
  const set =
    source.kind === 'Person' ? tree.broken.people : source.kind === 'System' ? tree.broken.systems : tree.broken.orgs;
  set.add(id);
}

// The converters fill in schema defaults; the input has already passed the schema. Records keyed
// by ids from the files get no prototype, so `roles['constructor']` or `'toString' in attestations`
// finds nothing even where code forgets `own()` (model/own.ts).
function toPerson(value: Record<string, unknown>): Person {
  const v = value as unknown as Person;
  return {
    ...v,
    status: v.status ?? 'active',
    grants: v.grants ?? [],
    attestations: withoutPrototype(v.attestations ?? {}),
  };
}

function toSystem(value: Record<string, unknown>): System {
  const v = value as unknown as System;
  return { ...v, owners: v.owners ?? [], roles: withoutPrototype(v.roles) };
}

function toPolicy(value: Record<string, unknown>): Policy {
  const v = value as unknown as Partial<Policy> &
    Pick<Policy, 'levels' | 'tiers' | 'risk'> & { directory: Partial<Policy['directory']> & { baseDN: string } };
  return {
    ...v,
    kind: 'Policy',
    directory: {
      baseDN: v.directory.baseDN,
      peopleOU: v.directory.peopleOU ?? 'ou=people',
      groupsOU: v.directory.groupsOU ?? 'ou=groups',
      ...(v.directory.passwordPolicy !== undefined ? { passwordPolicy: v.directory.passwordPolicy } : {}),
      flavor: v.directory.flavor ?? 'openldap',
    },
    departments: withoutPrototype(v.departments ?? {}),
    levels: withoutPrototype(v.levels),
    tiers: withoutPrototype(v.tiers),
    risk: withoutPrototype(v.risk),
    separationOfDuties: v.separationOfDuties ?? [],
    guards: v.guards ?? {},
    reconcile: { ...v.reconcile, unmanaged: v.reconcile?.unmanaged ?? [] },
    forbiddenTerms: v.forbiddenTerms ?? [],
    tombstones: v.tombstones ?? [],
  };
}

/** A copy of `record` with no prototype: only its own keys can ever be found in it. */
function withoutPrototype<T extends object>(record: T): T {
  return Object.assign(Object.create(null) as T, record);
}
