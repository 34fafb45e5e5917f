import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';

/**
 * Mail to the primary researcher: real SMTP when configured (`--smtp URL`),
 * otherwise an `.eml` file per message in the outbox folder of the data dir
 * (which `GET /v2/vce/outbox/` lists).
 */

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** A stable id for the file name (job and kind). */
  key: string;
}

export interface SentMail {
  transport: 'smtp' | 'outbox';
  messageId: string | null;
  file: string | null;
}

export const MAIL_FROM = 'Virtual Compute Environment <no-reply@vce.invalid>';

export class Mailer {
  constructor(
    private readonly outboxDir: string,
    smtpUrl: string | null
  ) {
    this.smtp = smtpUrl ? createTransport(smtpUrl) : null;
    this.files = createTransport({
      streamTransport: true,
      buffer: true,
      newline: 'unix'
    });
  }

  get mode(): 'smtp' | 'outbox' {
    return this.smtp ? 'smtp' : 'outbox';
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const message = {
      from: MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      text: mail.text
    };
    if (this.smtp) {
      const info = (await this.smtp.sendMail(message)) as {
        messageId?: string;
      };
      return {
        transport: 'smtp',
        messageId: info.messageId ?? null,
        file: null
      };
    }
    const info = (await this.files.sendMail(message)) as {
      messageId?: string;
      message: Buffer;
    };
    mkdirSync(this.outboxDir, { recursive: true, mode: 0o700 });
    const file = `${mail.key.replace(/[^A-Za-z0-9_.-]/g, '_')}.eml`;
    writeFileSync(join(this.outboxDir, file), info.message, { mode: 0o600 });
    return { transport: 'outbox', messageId: info.messageId ?? null, file };
  }

  close(): void {
    this.smtp?.close();
  }

  private readonly smtp: Transporter | null;
  private readonly files: Transporter;
}
