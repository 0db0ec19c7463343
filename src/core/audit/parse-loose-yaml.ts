import { parse } from '../../vendor/yaml.js';
import type { TierTargets } from './compute-period-report.js';

/**
 * A mapping parsed from YAML, or undefined when the text is missing, broken or not a mapping.
 * For old versions in history, which may be broken: they tell us nothing, and must not stop a report.
 */
export function parseLooseYaml(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = parse(text, { maxAliasCount: 100, logLevel: 'error' }); // warnings about old versions are noise; errors still throw
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** `tiers.<tier>.target` of a policy file's text; anything else in a broken policy is ignored. */
export function parseTierTargets(policyText: string | undefined): TierTargets | undefined {
  const tiers = parseLooseYaml(policyText)?.['tiers'];
  if (typeof tiers !== 'object' || tiers === null) return undefined;
  return Object.fromEntries(
    Object.entries(tiers as Record<string, unknown>).map(([id, t]) => {
      const target = (t as { target?: unknown } | null)?.target;
      return [id, typeof target === 'string' ? { target } : {}];
    }),
  );
}
