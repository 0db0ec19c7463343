/**
 * A count with its noun in the right number: `formatCount(1, 'action')` is `1 action`,
 * `formatCount(3, 'action')` is `3 actions`, `formatCount(2, 'person', 'people')` is `2 people`.
 */
export function formatCount(n: number, singular: string, plural: string = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
