import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { freePort } from '../../scripts/n8n/process';
import { READY_MESSAGE } from '../../scripts/start';
import { makeRepository } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { startEmbeddingServer, type EmbeddingServer } from '../support/embedding-server';
import { startGitHubServer, type GitHubServer } from '../support/github-server';
import { createTestDatabase, type TestDatabase } from '../support/mysql-db';
import { StartProcess } from '../support/start-process';

const ROOT = join(__dirname, '..', '..');
/** Screenshots of every step; git-ignored, kept as CI artifacts. */
export const ARTIFACTS = join(ROOT, '.artifacts', 'browser');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OWNER = { email: 'owner@repomind.test', firstName: 'Repo', lastName: 'Mind', password: 'Browser-Test-Passw0rd' };
export const GITHUB = { owner: 'octo-org', repo: 'sample', token: 'ghp-browser-token' };
export const EMBEDDINGS = { dimensions: 32, apiKey: 'sk-browser-test' };

/**
 * What the browser tests run against: `npm start` (its Chroma, n8n with the package and workflows)
 * on a test database, with the GitHub and embeddings credentials pointing at local stand-ins, an
 * owner account, and one headless Chromium logged in as that owner.
 */
export class BrowserSession {
	readonly origin: string;
	readonly start: StartProcess;
	readonly browser: Browser;
	readonly context: BrowserContext;
	readonly github: GitHubServer;
	readonly embeddings: EmbeddingServer;
	readonly database: TestDatabase;
	readonly repo: GitRepo;
	private readonly home: string;

	private constructor(parts: Omit<BrowserSession, 'close'> & { home: string }) {
		this.origin = parts.origin;
		this.start = parts.start;
		this.browser = parts.browser;
		this.context = parts.context;
		this.github = parts.github;
		this.embeddings = parts.embeddings;
		this.database = parts.database;
		this.repo = parts.repo;
		this.home = parts.home;
	}

	static async open(): Promise<BrowserSession> {
		mkdirSync(ARTIFACTS, { recursive: true });
		const home = mkdtempSync(join(tmpdir(), 'repomind-browser-'));
		const repo = await makeRepository();
		const [github, embeddings, database] = await Promise.all([
			startGitHubServer({ repoPath: repo.path, ...GITHUB }),
			startEmbeddingServer(EMBEDDINGS),
			createTestDatabase('repomind_browser'),
		]);
		const { host, port, user, password, database: name } = database.config;
		const [n8nPort, chromaPort] = [await freePort(), await freePort()];
		const start = new StartProcess({
			REPOMIND_HOME: home,
			REPOMIND_N8N_PORT: String(n8nPort),
			REPOMIND_CHROMA_PORT: String(chromaPort),
			REPOMIND_MYSQL_URL: `mysql://${user}:${password ?? ''}@${host}:${port ?? 3306}/${name}`,
			GITHUB_TOKEN: GITHUB.token,
			GITHUB_API_URL: github.baseUrl,
			OPENAI_BASE_URL: `${embeddings.url}/v1`,
			OPENAI_API_KEY: EMBEDDINGS.apiKey,
		});
		await start.waitFor(READY_MESSAGE, 300_000);
		const origin = `http://127.0.0.1:${n8nPort}`;
		const cookies = await ownerCookies(origin);
		const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
		await context.addCookies(cookies);
		context.setDefaultTimeout(30_000);
		return new BrowserSession({ origin, start, browser, context, github, embeddings, database, repo, home });
	}

	async close(): Promise<void> {
		await this.browser?.close().catch(() => undefined);
		await this.start?.ensureStopped();
		await Promise.all([this.github?.close(), this.embeddings?.close(), this.database?.drop()]);
		await this.repo?.dispose();
		rmSync(this.home, { recursive: true, force: true });
	}
}

/** Creates the owner account over REST and returns the login cookies for the browser. */
async function ownerCookies(origin: string) {
	const post = async (path: string, body: unknown) => {
		const response = await fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
		return response;
	};
	await post('/rest/owner/setup', OWNER);
	const login = await post('/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
	return login.headers.getSetCookie().map((line) => {
		const [pair] = line.split(';');
		const [name, ...value] = pair.split('=');
		return { name, value: value.join('='), url: origin };
	});
}
