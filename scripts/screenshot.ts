/**
 * Takes docs/images/workflow-canvas.png (or a given workflow into a given file, e.g. docs/images/repo-agent-canvas.png):
 * the push re-index workflow on the canvas of a real n8n
 * (the e2e harness, with the built package loaded) in Debian's headless Chromium.
 * Run `npm run build` first. Usage: node --import tsx scripts/screenshot.ts [workflow.json] [out.png]
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { githubWebhookCredential, openAiApiCredential, repoMindCredentials } from '../test/e2e/credentials';
import { N8nInstance } from '../test/e2e/n8n';

const ROOT = resolve(__dirname, '..');
const WORKFLOW = resolve(ROOT, process.argv[2] ?? 'workflows/github-push-reindex.json');
const OUTPUT = resolve(ROOT, process.argv[3] ?? 'docs/images/workflow-canvas.png');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OWNER = { email: 'owner@repomind.invalid', firstName: 'Repo', lastName: 'Mind', password: 'Screenshot-Owner-1' };
const CHROMIUM_FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Placeholder credentials with the ids the workflows name, so no node shows a missing credential. */
function placeholderCredentials() {
	const mysql = { host: '127.0.0.1', port: 3306, user: 'repomind', password: '', database: 'repomind' };
	return [
		...repoMindCredentials({ chromaUrl: 'http://127.0.0.1:8000', mysql }),
		githubWebhookCredential('placeholder'),
		openAiApiCredential('openAiChatModel01', 'OpenAI account', 'https://api.openai.com/v1', 'placeholder'),
	];
}

async function post(url: string, body: unknown, cookie?: string): Promise<Response> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
		body: JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
	return response;
}

async function main(): Promise<void> {
	const n8n = new N8nInstance({ packageDir: ROOT });
	const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
	try {
		await n8n.importCredentials(placeholderCredentials());
		const workflowId = await n8n.importWorkflow(WORKFLOW);
		await n8n.start();
		const origin = new URL(n8n.webhookUrl('unused')).origin;
		await post(`${origin}/rest/owner/setup`, OWNER);
		const login = await post(`${origin}/rest/login`, { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
		const cookies = login.headers.getSetCookie().map((line) => {
			const [pair] = line.split(';');
			const [name, ...value] = pair.split('=');
			return { name, value: value.join('='), url: origin };
		});
		const context = await browser.newContext({ viewport: { width: 1440, height: 810 }, deviceScaleFactor: 1 });
		await context.addCookies(cookies);
		const page = await context.newPage();
		await page.goto(`${origin}/workflow/${workflowId}`, { waitUntil: 'networkidle' });
		await page.locator('.vue-flow__node').first().waitFor({ timeout: 60_000 });
		await page.keyboard.press('Escape');
		await page.waitForTimeout(1500);
		mkdirSync(dirname(OUTPUT), { recursive: true });
		await page.screenshot({ path: OUTPUT });
		console.log(`${OUTPUT}: ${await page.locator('.vue-flow__node').count()} nodes`);
	} catch (error) {
		console.error(n8n.logs().slice(-3000));
		throw error;
	} finally {
		await browser.close();
		await n8n.cleanup();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
