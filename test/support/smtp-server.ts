import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message the server accepted. */
export interface ReceivedMail {
	/** Envelope sender and recipients (what the client said in MAIL FROM / RCPT TO). */
	envelopeFrom: string;
	envelopeTo: string[];
	subject: string;
	from: string;
	to: string;
	text: string;
	html: string;
}

export interface MailServer {
	host: string;
	port: number;
	messages: ReceivedMail[];
	close(): Promise<void>;
}

/** A local SMTP server (no TLS, no auth) that keeps every message it receives, parsed. */
export async function startMailServer(): Promise<MailServer> {
	const messages: ReceivedMail[] = [];
	const server = new SMTPServer({
		secure: false,
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, session, callback) {
			simpleParser(stream).then(
				(mail) => {
					const addresses = (value: typeof mail.to) => (Array.isArray(value) ? value.map((entry) => entry.text).join(', ') : (value?.text ?? ''));
					const mailFrom = session.envelope.mailFrom;
					messages.push({
						envelopeFrom: mailFrom ? mailFrom.address : '',
						envelopeTo: session.envelope.rcptTo.map((recipient) => recipient.address),
						subject: mail.subject ?? '',
						from: mail.from?.text ?? '',
						to: addresses(mail.to),
						text: mail.text ?? '',
						html: typeof mail.html === 'string' ? mail.html : '',
					});
					callback();
				},
				(error: Error) => callback(error),
			);
		},
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as AddressInfo;
	return { host: '127.0.0.1', port, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
