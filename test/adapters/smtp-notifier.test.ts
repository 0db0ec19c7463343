import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpNotifier } from '../../src/adapters/notify/smtp-notifier.js';
import type { Provisioning } from '../../src/core/plan/action.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import type { SmtpSink } from '../helpers/smtp-sink.js';

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink?.close();
});

const PASSWORD = 'Zq7#Kp2=Wm9!Rt4*Hx8v';
const employee: Provisioning = {
  email: 'jane.smith@example.org',
  name: 'Jane Smith',
  type: 'employee',
  systems: ['email/user', 'crm/sales-rep'],
  handoverTo: { uid: 'mjohnson', name: 'Michael Johnson', email: 'michael.johnson@example.org', role: 'manager' },
};

describe('SmtpNotifier against a real SMTP server', () => {
  it('sends the welcome to the person and the password only to the manager', async () => {
    const notifier = new SmtpNotifier({ url: sink.url, from: 'aac@example.org' });
    await notifier.notifyAccountCreated({ uid: 'jsmith', provisioning: employee }, PASSWORD);
    await notifier.close();
    const [welcome, handover] = sink.messages.splice(0);
    expect(welcome!.to).toEqual(['jane.smith@example.org']);
    expect(welcome!.text).not.toContain(PASSWORD);
    // The provisioning workflow's message: the systems activated, MFA enrolment, first-login change.
    expect(welcome!.text).toContain('crm/sales-rep');
    expect(welcome!.text).toContain('MFA');
    expect(handover!.to).toEqual(['michael.johnson@example.org']);
    expect(handover!.text).toContain(PASSWORD);
    expect(handover!.from).toBe('aac@example.org');
  });

  it('sends externals the onboarding message and their sponsor the password', async () => {
    const notifier = new SmtpNotifier({ url: sink.url, from: 'aac@example.org' });
    const external: Provisioning = {
      ...employee,
      email: 'john.doe@acme-partners.example',
      name: 'John Doe',
      type: 'external',
      systems: ['crm/partner'],
      handoverTo: { ...employee.handoverTo!, role: 'sponsor' },
    };
    await notifier.notifyAccountCreated({ uid: 'jdoe.acme', provisioning: external }, PASSWORD);
    await notifier.close();
    const [welcome, handover] = sink.messages.splice(0);
    expect(welcome!.subject).toContain('partner account');
    expect(welcome!.text).not.toContain(PASSWORD);
    expect(handover!.to).toEqual(['michael.johnson@example.org']);
  });

  it('sends nothing, least of all the password, when there is no one to hand it to', async () => {
    const notifier = new SmtpNotifier({ url: sink.url, from: 'aac@example.org' });
    const { handoverTo: _none, ...alone } = employee;
    await expect(notifier.notifyAccountCreated({ uid: 'jsmith', provisioning: alone }, PASSWORD)).rejects.toThrow();
    await notifier.close();
    expect(sink.messages).toEqual([]);
  });

  it('hands the password to the configured fallback when there is no manager', async () => {
    const notifier = new SmtpNotifier({
      url: sink.url,
      from: 'aac@example.org',
      handoverFallback: 'service-desk@example.org',
    });
    const { handoverTo: _none, ...alone } = employee;
    await notifier.notifyAccountCreated({ uid: 'jsmith', provisioning: alone }, PASSWORD);
    await notifier.close();
    const [welcome, handover] = sink.messages.splice(0);
    expect(welcome!.text).not.toContain(PASSWORD);
    expect(handover!.to).toEqual(['service-desk@example.org']);
  });
});
