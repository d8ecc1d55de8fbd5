import { looksLikeSecretLiteral } from './entropy';

/** A named pattern of credential content. */
export interface SecretRule {
	name: string;
	/** Global regex; `validate` (if any) receives the last capture group, or the whole match. */
	pattern: RegExp;
	validate?: (value: string) => boolean;
}

const END = '(?![A-Za-z0-9_-])';
const NEWLINE = '(?:\\r?\\n|\\\\n)';
const SECRET_NAME =
	'[A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?)';
const DOTTED_NAME = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;
const URL_PASSWORD_PLACEHOLDER = /^(?:pass(?:word)?|secret|changeme|[$%{<*].*)$/i;

/** Content rules, most specific first. */
export const SECRET_RULES: readonly SecretRule[] = [
	{
		name: 'private-key',
		pattern: new RegExp(
			`-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----${NEWLINE}(?:[A-Za-z-]+: [^\\n]*${NEWLINE})*${NEWLINE}?[A-Za-z0-9+/=]{40}`,
			'g',
		),
	},
	{
		name: 'aws-access-key-id',
		pattern: new RegExp(`\\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})${END}`, 'g'),
		validate: (value) => !value.endsWith('EXAMPLE'),
	},
	{
		name: 'aws-secret-access-key',
		pattern: /aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
		validate: (value) => looksLikeSecretLiteral(value) && !value.includes('EXAMPLEKEY'),
	},
	{ name: 'github-token', pattern: new RegExp(`\\bgh[pousr]_[A-Za-z0-9]{36,255}${END}`, 'g') },
	{ name: 'github-fine-grained-token', pattern: new RegExp(`\\bgithub_pat_[A-Za-z0-9_]{60,255}${END}`, 'g') },
	{ name: 'slack-token', pattern: new RegExp(`\\bxox[abposr]-\\d{6,}-[A-Za-z0-9-]{10,}${END}`, 'g') },
	{
		name: 'slack-webhook-url',
		pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{20,}/g,
	},
	{
		name: 'anthropic-api-key',
		pattern: new RegExp(`\\b(sk-ant-[A-Za-z0-9_-]{32,})${END}`, 'g'),
		validate: (value) => looksLikeSecretLiteral(value, 40),
	},
	{
		name: 'openai-api-key',
		pattern: new RegExp(`\\b(sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,})${END}`, 'g'),
		validate: (value) => looksLikeSecretLiteral(value, 35),
	},
	{
		name: 'huggingface-token',
		pattern: new RegExp(`\\b(hf_[A-Za-z0-9]{34,})${END}`, 'g'),
		validate: (value) => /[A-Z]/.test(value) && /[a-z]/.test(value.slice(3)),
	},
	{ name: 'google-api-key', pattern: new RegExp(`\\bAIza[0-9A-Za-z_-]{35}${END}`, 'g') },
	{ name: 'stripe-secret-key', pattern: new RegExp(`\\b[sr]k_live_[0-9A-Za-z]{20,}${END}`, 'g') },
	{
		name: 'jwt',
		pattern: new RegExp(`\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{16,}${END}`, 'g'),
	},
	{
		name: 'password-in-url',
		pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'`]+:([^\s:/@"'`]{6,})@[A-Za-z0-9.-]+/g,
		validate: (value) => !URL_PASSWORD_PLACEHOLDER.test(value),
	},
	{
		name: 'generic-secret-assignment',
		pattern: new RegExp(
			`(?<![A-Za-z0-9_])${SECRET_NAME}["']?\\s*(?::=|=>|[:=])\\s*(?:[rbu]|f)?(["'\`])([^"'\`\\n]+)\\1`,
			'gi',
		),
		validate: (value) => looksLikeSecretLiteral(value),
	},
	{
		name: 'generic-secret-assignment',
		pattern: new RegExp(
			`^[ \\t]*(?:export[ \\t]+|-[ \\t]+)?${SECRET_NAME}(?:=|:[ \\t]+)([A-Za-z0-9+/=_.~-]{16,})[ \\t]*\\r?$`,
			'gim',
		),
		validate: (value) =>
			looksLikeSecretLiteral(value) && /\d.*\d/.test(value) && !DOTTED_NAME.test(value),
	},
];

/** The first credential in a text: its line (1-based) and, on that line, the most specific rule. */
export function detectSecret(text: string): { rule: string; line: number } | null {
	const lineOf = lineLocator(text);
	let found: { rule: string; line: number } | null = null;
	for (const rule of SECRET_RULES) {
		for (const match of text.matchAll(rule.pattern)) {
			const line = lineOf(match.index ?? 0);
			if (found !== null && line >= found.line) break;
			const value = match[match.length - 1] ?? match[0];
			if (rule.validate && !rule.validate(value)) continue;
			found = { rule: rule.name, line };
			break;
		}
	}
	return found;
}

function lineLocator(text: string): (index: number) => number {
	const lineStarts = [0];
	for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
	return (index) => {
		let low = 0;
		let high = lineStarts.length - 1;
		while (low < high) {
			const middle = (low + high + 1) >> 1;
			if (lineStarts[middle] <= index) low = middle;
			else high = middle - 1;
		}
		return low + 1;
	};
}
