/** A mail as the app writes it: HTML for mail clients, plain text for the rest (and for tests). */
export interface OutgoingMail {
  to: string[];
  subject: string;
  html: string;
  text: string;
}

/** Mailer port: Graph sendMail in a tenant; the emulator's outbox locally (same adapter, other base URL). */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}
