/** Mails of the outbox as the platform gives them, for the Inbox's tests. */
import type { OutboxMail } from '../../api/types';

export const LINK =
  'http://127.0.0.1:44195/v2/vce/results/KS495WIAx7J3yzXD_EEOhsW6jZRBpQ0kduk3hZd1Yng';

export function makeMail(overrides: Partial<OutboxMail> = {}): OutboxMail {
  return {
    job_id: 'job_a',
    kind: 'approved',
    to: 'pi@example.org',
    subject: '[VCE] Results of job job_a (a.py) are approved',
    text: `Hello,\n\nready to download:\n\n  ${LINK}\n\nThe link works until 2026-12-13T21:15:43.603Z (UTC).`,
    created_at: '2026-12-06T21:15:00.000Z',
    sent_at: '2026-12-06T21:15:01.000Z',
    transport: 'outbox',
    file: 'job_a-approved.eml',
    link: { state: 'active', expires_at: '2026-12-13T21:15:43.603Z' },
    ...overrides
  };
}
