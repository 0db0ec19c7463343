import { describe, expect, it } from 'vitest';
import { chainEvents } from '../../src/core/audit/hash-chain.js';
import { formatAuditLines, monthFileOf, parseAuditFiles, targetFileOf } from '../../src/core/audit/audit-files.js';
import { findSecrets, isSecretKey } from '../../src/core/audit/find-secrets.js';

import { approvals, auditEvent, malformed, chain, verify, sha256 } from '../helpers/audit-events.js';

// Secret-shaped values built at run time, so the repository itself holds nothing a secret scanner flags.
const FAKE_TOKEN = ['ghp', '0123456789abcdefghijklmnopqrstuvwxyzAB'].join('_');
const FAKE_KEY = `${'-'.repeat(5)}BEGIN OPENSSH ${'PRIVATE'} KEY${'-'.repeat(5)}\nabc`;

describe('month files', () => {
  it.each([
    ['2026-11-22T10:00:00Z', undefined, 'audit/2026-11.jsonl'],
    ['2026-11-22T10:00:00.123Z', 'audit/2026-10.jsonl', 'audit/2026-11.jsonl'],
    ['2026-10-31T23:59:59Z', 'audit/2026-11.jsonl', 'audit/2026-11.jsonl'],
    ['yesterday', undefined, undefined],
    ['2026-13-01T00:00:00Z', undefined, undefined],
  ])('%s after %s goes to %s', (time, newest, expected) => {
    expect(targetFileOf(time, newest)).toBe(expected);
  });

  it('names the month of an ISO time', () => {
    expect(monthFileOf('2027-01-01T00:00:00Z')).toBe('audit/2027-01.jsonl');
  });

  it('parses lines in file order and names lines that are not records', () => {
    const records = chain(undefined, approvals('mjohnson', 3));
    const text = formatAuditLines(records);
    const [l1, l2, l3] = text.trim().split('\n');
    const {
      records: parsed,
      places,
      unreadable,
    } = parseAuditFiles([
      { path: 'audit/2026-12.jsonl', text: `${l3}\n{"seq": 4}\n` },
      { path: 'audit/2026-11.jsonl', text: `${l1}\n\n${l2}\nnot json\n` },
      { path: 'audit/README.md', text: 'ignored' },
    ]);
    expect(parsed.map((r, i) => [r.seq, places[i]!.file, places[i]!.line])).toEqual([
      [1, 'audit/2026-11.jsonl', 1],
      [2, 'audit/2026-11.jsonl', 3],
      [3, 'audit/2026-12.jsonl', 1],
    ]);
    expect(verify(parsed)).toEqual([]);
    expect(unreadable.map((u) => [u.file, u.line])).toEqual([
      ['audit/2026-11.jsonl', 4],
      ['audit/2026-12.jsonl', 2],
    ]);
  });

  it('reads a record only when its details are what its type says (reports rely on them)', () => {
    const [good] = chain(undefined, approvals('mjohnson', 1));
    const line = (patch: object): string => JSON.stringify({ ...good, ...patch });
    const broken = [
      line({ type: 'level.granted' }), // an event type this version does not know
      line({ details: { level: 'manager', reviewer: 'x', tier: 'standard' } }), // reviewedAt missing
      line({ type: 'account.locked', details: { uid: 'ekim', reason: 'inactive' } }), // a lock reason nobody writes
      line({ type: 'apply.failed', details: { error: 'guard: too many' } }), // an error is {code, message}
      line({ pr: '12' }),
    ];
    const { records, unreadable } = parseAuditFiles([
      { path: 'audit/2026-11.jsonl', text: `${[JSON.stringify(good), ...broken].join('\n')}\n` },
    ]);
    expect(records).toEqual([good]);
    expect(unreadable.map((u) => [u.line, u.message])).toEqual([
      [2, 'not a valid audit record: unknown event type "level.granted"'],
      [3, 'not a valid audit record: its details are not those of a level.approved event'],
      [4, 'not a valid audit record: its details are not those of a account.locked event'],
      [5, 'not a valid audit record: its details are not those of a apply.failed event'],
      [6, 'not an audit record (needs seq, time, type, actor, prev, hash)'],
    ]);
  });
});

describe('secrets never enter the log', () => {
  it.each([
    'password',
    'userPassword',
    'bind_password',
    'token',
    'apiToken',
    'client-secret',
    'privateKey',
    'PRIVATE_KEY',
    'apiKey',
    'credentials',
    'passphrase',
    'Authorization',
  ])('%s is a secret key', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each(['tokenCount', 'reason', 'reviewer', 'passwordChangedAt', 'keyId', 'level'])('%s is not', (key) => {
    expect(isSecretKey(key)).toBe(false);
  });

  it('finds secret keys at any depth and secret-shaped values, naming paths only', () => {
    const events = [
      auditEvent('apply.completed', {
        time: '2026-11-22T00:00:00Z',
        actor: 'aac-reconciler',
        details: {
          actions: [
            { type: 'create-account', subject: 'ekim', result: 'done', error: { code: 'x', message: FAKE_TOKEN } },
          ],
          counts: { done: 1 },
        },
      }),
      malformed({
        ...approvals('mjohnson', 1)[0]!,
        details: { level: 'manager', nested: { temporaryPassword: 'x', note: FAKE_KEY } },
      }),
    ];
    expect(findSecrets(events)).toEqual([
      'events[0].details.actions[0].error.message',
      'events[1].details.nested.temporaryPassword',
      'events[1].details.nested.note',
    ]);
  });

  it('allows the reasons the reconciler writes, and refuses secrets in chainEvents', () => {
    const locked = auditEvent('account.locked', {
      time: '2026-11-22T00:00:00Z',
      actor: 'aac-reconciler',
      subject: 'ekim',
      details: { uid: 'ekim', reason: 'temporary-password-unchanged' },
    });
    expect(findSecrets([locked])).toEqual([]);
    expect(
      chainEvents(
        undefined,
        [malformed({ ...locked, details: { uid: 'ekim', reason: 'disabled', password: 'hunter2' } })],
        sha256,
      ),
    ).toEqual({ ok: false, secrets: ['events[0].details.password'] });
  });
});
