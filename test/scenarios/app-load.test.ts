import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileCache } from '../../src/adapters/github/file-cache.js';
import { COMMENT_MARKER } from '../../src/core/policy/compute-comment-view.js';
import { startApp } from '../helpers/github-server/app-harness.js';
import type { AppHarness } from '../helpers/github-server/app-harness.js';
import { coldEvaluation } from '../helpers/github-server/cold-evaluation.js';
import {
  addReview,
  openPull,
  pullEventPayload,
  pushToPull,
  seedSample,
  startTestGitHub,
} from '../helpers/github-server/index.js';
import type { PullEventName, PullRequestState, TestGitHub } from '../helpers/github-server/index.js';
import { grant } from '../helpers/pull-request.js';

// The load test: 200 signed webhook events for 20 pull requests, delivered concurrently in a
// random (seeded) order to the app server on 127.0.0.1, against a GitHub enforcing secondary
// rate limits. Every pull request's final verdict must be what a cold `aac evaluate` of its
// final state says, no event may be lost, and memory must stay bounded.

const NOW = '2026-11-22T12:00:00Z';
const PULLS = 20;
const EVENTS = 200;
const IN_FLIGHT = 16;
/** How far out of order a delivery may come: any of the next REORDER events. */
const REORDER = 6;
const SUBJECTS = ['jsmith', 'cgarcia', 'dwilliams', 'hmueller', 'lmartin', 'pkowalski', 'alee'] as const;
const AUTHORS = ['tnguyen-ops', 'swhite-fin', 'cgarcia-it', 'sroberts-iam'];
const REVIEWERS = [
  'mjohnson-ex',
  'rbrown-ex',
  'swhite-fin',
  'hmueller-eng',
  'kpatel-ciso',
  'alee-sec',
  'ivan-sec',
  'sroberts-iam',
  'lena-lead',
  'dwilliams-ex',
  'jsmith-ex',
  'tnguyen-ops',
];

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env['AAC_LOAD_SEED'] ?? 18);
let github: TestGitHub;
let app: AppHarness;
let repo: string;
const rand = random(SEED);
const cache = new FileCache(24 * 1024);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

beforeAll(async () => {
  github = await startTestGitHub({
    latencyMs: 2,
    limits: { windowMs: 1000, restPoints: 250, graphqlPoints: 40, contentRequests: 40, retryAfterSeconds: 1 },
  });
  // A cache far smaller than the files: entries are evicted all the time, under concurrency.
  app = await startApp(github, {
    octokit: { throttle: true, writeSpacingMs: 0, notificationSpacingMs: 0 },
    app: { cache },
  });
  repo = mkdtempSync(join(tmpdir(), 'aac-load-'));
});
afterAll(async () => {
  await app.close();
  await github.close();
  rmSync(repo, { recursive: true, force: true });
});

describe('200 events for 20 pull requests, concurrently', () => {
  it(
    'every final verdict matches a cold evaluation, no event is lost, memory stays bounded',
    { timeout: 300_000 },
    async () => {
      const { files } = seedSample(github.state);
      const version = new Map<number, number>();
      const headFiles = (number: number): Map<string, string> => {
        const subject = SUBJECTS[number % SUBJECTS.length]!;
        const path = `access/people/${subject}.yaml`;
        const v = (version.get(number) ?? 0) + 1;
        version.set(number, v);
        // Each push is another change: a grant with another ticket, sometimes a second grant.
        const extra = v % 3 === 0 ? grant('email', 'user', { ticket: `E-${number}-${v}` }) : '';
        return new Map(files).set(
          path,
          `${files.get(path)}${grant('project-tools', 'member', { ticket: `T-${number}-${v}` })}${extra}`,
        );
      };
      const pulls: PullRequestState[] = [];
      const plan: Array<() => [string, unknown]> = [];
      for (let n = 1; n <= PULLS; n++) {
        plan.push(() => {
          const pull = openPull(github.state, { number: n, author: pick(AUTHORS), files: headFiles(n) });
          pulls.push(pull);
          return event(pull, { name: 'pull_request', action: 'opened' });
        });
      }
      while (plan.length < EVENTS) {
        const roll = rand();
        plan.push(() => {
          const pull = pick(pulls);
          if (roll < 0.2) {
            pushToPull(github.state, pull, headFiles(pull.number));
            return event(pull, { name: 'pull_request', action: 'synchronize' });
          }
          if (roll < 0.3 && pull.reviews.length > 0) {
            const review = pick(pull.reviews);
            review.state = 'DISMISSED';
            return event(pull, { name: 'pull_request_review', action: 'dismissed', review });
          }
          if (roll < 0.4) return event(pull, { name: 'pull_request', action: 'reopened' });
          const state = rand() < 0.7 ? 'APPROVED' : rand() < 0.5 ? 'CHANGES_REQUESTED' : 'COMMENTED';
          const review = addReview(github.state, pull, pick(REVIEWERS), state);
          return event(pull, { name: 'pull_request_review', action: 'submitted', review });
        });
      }
      // The first PULLS entries open the pull requests; the rest may only run once they exist.
      const gc = collectGarbage();
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      const ids: string[] = [];
      let next = 0;
      const statuses: number[] = [];
      // GitHub does not promise to deliver in order: each delivery is taken at random among the
      // next few generated events (each generated as its change happens, so payloads age).
      const window: Array<[string, unknown, string]> = [];
      const deliverNext = async (): Promise<void> => {
        for (;;) {
          while (window.length < REORDER && next < plan.length) {
            const i = next++;
            window.push([...plan[i]!(), `load-${i}`]);
          }
          if (window.length === 0) return;
          const [name, payload, id] = window.splice(Math.floor(rand() * window.length), 1)[0]!;
          ids.push(id);
          statuses.push(await app.deliver(name, payload, id));
        }
      };
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async (_, k) => {
          // Let the opening events go first, like GitHub: a review cannot precede its pull request.
          if (k > 0) await new Promise((resolve) => setTimeout(resolve, 5 * k));
          await deliverNext();
        }),
      );
      await Promise.all(ids.map((id) => app.evaluated(id)));
      gc();
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

      expect(ids).toHaveLength(EVENTS);
      expect(statuses.every((s) => s === 200 || s === 202)).toBe(true);
      expect(app.logs.filter((l) => l.level >= 50)).toEqual([]);
      github.state.store.exportTo(repo, {});
      for (const pull of pulls) {
        const cold = await coldEvaluation(github.state, pull, repo, NOW);
        expect({ pull: pull.number, conclusion: github.state.latestCheckRun(pull.head.sha)?.conclusion }).toEqual({
          pull: pull.number,
          conclusion: cold.conclusion,
        });
        const comments = github.state.comments.filter(
          (c) => c.issue === pull.number && c.body.includes(COMMENT_MARKER),
        );
        expect(comments).toHaveLength(1);
        expect(comments[0]!.body).toBe(cold.markdown);
      }
      // Bounded: what is left after 200 events is far below what holding every event's trees would take.
      expect(heapGrowth).toBeLessThan(64 * 1024 * 1024);
      console.log(
        `load: ${EVENTS} events, ${github.state.calls.length} API calls, ${github.limiter.refused.secondary} secondary limits, heap +${(heapGrowth / 1048576).toFixed(1)} MiB`,
      );
    },
  );
});

function event(pull: PullRequestState, name: PullEventName): [string, unknown] {
  return [name.name, pullEventPayload(github.state, pull, name)];
}

function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
