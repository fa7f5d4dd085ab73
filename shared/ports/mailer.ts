import type { MailMessage } from './directory';

/** Mailer port: Graph sendMail in a tenant; the emulator's outbox locally (same adapter, other base URL). */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
