import { createRequire } from 'node:module';
import type { WebhookDefinition } from '@octokit/webhooks-examples';

// The package is a JSON file behind a CommonJS entry point; require reads it as published.
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];

/**
 * A real example payload from @octokit/webhooks-examples (one that includes `installation`,
 * as an app receives it), deep-copied so a test may adjust it.
 */
export function examplePayload(
  name: 'pull_request' | 'pull_request_review' | 'check_run' | 'check_suite',
  action: string,
): any {
  const definition = examples.find((d) => d.name === name);
  const example = definition?.examples.find(
    (e) => (e as { action?: string }).action === action && 'installation' in e && e.installation,
  );
  if (!example) throw new Error(`no ${name}.${action} example with an installation`);
  return structuredClone(example);
}
