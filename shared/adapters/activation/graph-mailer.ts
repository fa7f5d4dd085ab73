import type { Directory } from '../../ports/directory';
import type { Mailer, OutgoingMail } from '../../ports/mailer';

/**
 * Mail through Graph sendMail from the configured mailbox (the emulator's outbox locally). Graph's JSON sendMail
 * carries one body (https://learn.microsoft.com/graph/api/resources/itembody): the HTML one; the text rendering
 * is the same content for clients and tests that want text.
 */
export class GraphMailer implements Mailer {
  constructor(
    private readonly directory: Directory,
    private readonly sender: string,
  ) {}

  async send(mail: OutgoingMail): Promise<void> {
    await this.directory.sendMail(this.sender, { to: mail.to, subject: mail.subject, html: mail.html });
  }
}
