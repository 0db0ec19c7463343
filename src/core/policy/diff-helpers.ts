import { canonicalJson } from '../audit/hash-chain.js';
import type { Entity } from '../model/access-tree.js';
import { locate } from '../source.js';
import type { PathSegment } from '../source.js';
import type { ChangeAt, ChangeKind } from './change.js';

/** The top-level keys whose values differ between two records (compared as canonical JSON), minus `ignore`. */
export function differingFields(a: object, b: object, ignore: readonly string[]): string[] {
  const av = a as Record<string, unknown>;
  const bv = b as Record<string, unknown>;
  return unionKeys(av, bv).filter((k) => !ignore.includes(k) && canonicalJson(av[k]) !== canonicalJson(bv[k]));
}

export function unionKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

/** A change of `kind` about `subject`, located at `path` inside the entity's file. */
export function changeAt<K extends ChangeKind>(
  entity: Entity<unknown>,
  path: readonly PathSegment[],
  kind: K,
  subject: string,
  key = false,
): ChangeAt & { kind: K } {
  return { kind, subject, file: entity.source.path, line: locate(entity.source, path, { key }).line };
}

/** 1-based number of the first line that differs. */
export function firstDifferentLine(a: string, b: string): number {
  const [la, lb] = [a.split('\n'), b.split('\n')];
  for (let i = 0; i < Math.max(la.length, lb.length); i++) if (la[i] !== lb[i]) return i + 1;
  return 1;
}
