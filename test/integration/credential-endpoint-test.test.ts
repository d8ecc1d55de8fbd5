import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions } from 'n8n-workflow';
import { repoMindGitHubConnectionTest, repoMindOpenAiConnectionTest } from '../../nodes/shared/endpoint-test';
import { startEmbeddingServer, type EmbeddingServer } from '../support/embedding-server';
import { makeRepository } from '../support/fixture-repo';
import type { GitRepo } from '../support/git-repo';
import { startGitHubServer, type GitHubServer } from '../support/github-server';
import { freePort } from '../support/ports';

const TOKEN = 'ghp-credential-test-token';
const KEY = 'sk-credential-test-key';

describe('credential tests of RepoMind GitHub and the OpenAI-compatible API', () => {
	let repo: GitRepo;
	let github: GitHubServer;
	let embeddings: EmbeddingServer;
	const gitHub = (data: ICredentialDataDecryptedObject) => repoMindGitHubConnectionTest.call({} as ICredentialTestFunctions, { id: '1', name: 'RepoMind GitHub', type: 'repoMindGitHubApi', data });
	const openAi = (data: ICredentialDataDecryptedObject) => repoMindOpenAiConnectionTest.call({} as ICredentialTestFunctions, { id: '2', name: 'RepoMind Embeddings API', type: 'repoMindOpenAiApi', data });

	before(async () => {
		repo = await makeRepository();
		[github, embeddings] = await Promise.all([startGitHubServer({ repoPath: repo.path, token: TOKEN }), startEmbeddingServer({ apiKey: KEY })]);
	});
	after(async () => {
		await Promise.all([github?.close(), embeddings?.close()]);
		await repo?.dispose();
	});

	test('OK with the right token and key', async () => {
		assert.equal((await gitHub({ baseUrl: github.baseUrl, accessToken: TOKEN })).status, 'OK');
		assert.match((await openAi({ baseUrl: `${embeddings.url}/v1`, apiKey: KEY })).message, /^Connected; \d+ models listed$/);
	});

	test('401: names the host and says to check the token, never echoing it', async () => {
		const host = new URL(github.baseUrl).host;
		const result = await gitHub({ baseUrl: github.baseUrl, accessToken: 'ghp-wrong-token' });
		assert.deepEqual(result, { status: 'Error', message: `GitHub API at ${host} rejected the credentials (HTTP 401): check the access token (expired, revoked or mistyped)` });
		assert.ok(!JSON.stringify(result).includes('ghp-wrong-token'));
	});

	test('refused, DNS, TLS: which one, at which host and port', async () => {
		const port = await freePort();
		assert.equal((await gitHub({ baseUrl: `http://127.0.0.1:${port}`, accessToken: TOKEN })).message, `GitHub API at 127.0.0.1:${port}: connection to port ${port} refused (ECONNREFUSED): check that the server runs and the port is right`);
		assert.match((await openAi({ baseUrl: 'http://no-such-host.invalid/v1', apiKey: KEY })).message, /^OpenAI-compatible API at no-such-host\.invalid: DNS lookup of no-such-host\.invalid failed \((ENOTFOUND|EAI_AGAIN)\): check the host name in the base URL$/);
		const tls = await openAi({ baseUrl: `${embeddings.url.replace('http:', 'https:')}/v1`, apiKey: KEY });
		assert.match(tls.message, /^OpenAI-compatible API at 127\.0\.0\.1:\d+: TLS failed \(\w+\): the certificate is not trusted, or the server does not speak HTTPS on port \d+ \(try http:\/\/\)$/);
	});

	test('404 and a server that is not that API: check the base URL', async () => {
		const host = new URL(embeddings.url).host;
		assert.equal((await openAi({ baseUrl: embeddings.url, apiKey: KEY })).message, `OpenAI-compatible API at ${host}: /models not found (HTTP 404): the base URL ends with /v1 (https://api.openai.com/v1, http://HOST:11434/v1 for Ollama)`);
		const web = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>a web page</html>'));
		await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
		try {
			const { port } = web.address() as AddressInfo;
			assert.equal((await gitHub({ baseUrl: `http://127.0.0.1:${port}`, accessToken: TOKEN })).message, `127.0.0.1:${port} answered GET /user, but not like the GitHub API: use https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server`);
		} finally {
			web.close();
		}
		assert.equal((await gitHub({ baseUrl: 'not a url', accessToken: TOKEN })).message, '"not a url" is not a URL: use https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server');
	});
});
