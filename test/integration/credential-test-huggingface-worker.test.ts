import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions } from 'n8n-workflow';
import type { EmbeddingsWorker } from '../../embeddings-worker/src';
import { repoMindEmbeddingsWorkerConnectionTest, repoMindHuggingFaceConnectionTest, testHuggingFace } from '../../nodes/shared/endpoint-test';
import { freePort } from '../support/ports';
import { startTinyWorker, WORKER_KEY, writeTinyModels, type TinyModels } from '../support/worker-server';

const HF_TOKEN = 'hf_credential-test-TOKEN-3c9d';

/** A stand-in for the Hub's GET /api/whoami-v2 (200 with the right token, 401 otherwise); any other path: 404. */
async function startHub(): Promise<{ url: string; server: Server }> {
	const server = createServer((request, response) => {
		if (request.url !== '/api/whoami-v2') response.writeHead(404).end();
		else if (request.headers.authorization !== `Bearer ${HF_TOKEN}`) response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Invalid credentials in Authorization header"}');
		else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'user', name: 'octo-dev', auth: { type: 'access_token' } }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('credential tests of RepoMind Hugging Face and the Embeddings Worker', () => {
	let models: TinyModels;
	let worker: EmbeddingsWorker;
	let hub: { url: string; server: Server };
	const workerTest = (data: ICredentialDataDecryptedObject) => repoMindEmbeddingsWorkerConnectionTest.call({} as ICredentialTestFunctions, { id: '1', name: 'RepoMind Embeddings Worker', type: 'repoMindEmbeddingsWorkerApi', data });
	const hfTest = (data: ICredentialDataDecryptedObject) => repoMindHuggingFaceConnectionTest.call({} as ICredentialTestFunctions, { id: '2', name: 'RepoMind Hugging Face', type: 'repoMindHuggingFaceApi', data });

	before(async () => {
		models = writeTinyModels();
		[worker, hub] = await Promise.all([startTinyWorker(models), startHub()]);
	});
	after(async () => {
		await worker?.close();
		hub?.server.close();
		models?.remove();
	});

	test('worker: OK names the model and its dimensions; a trailing slash is fine', async () => {
		const result = await workerTest({ url: `${worker.url}/`, apiKey: WORKER_KEY });
		assert.equal(result.status, 'OK');
		assert.match(result.message, /^Connected; the worker serves \S+ \(\d+ dimensions\)$/);
	});

	test('worker: a wrong key is a 401 at the host, with what to check and without the key', async () => {
		const host = new URL(worker.url).host;
		const result = await workerTest({ url: worker.url, apiKey: 'wrong-worker-KEY' });
		assert.deepEqual(result, { status: 'Error', message: `RepoMind Embeddings Worker at ${host} rejected the credentials (HTTP 401): check the API key: the one the worker was started with (--api-key or REPOMIND_WORKER_API_KEY)` });
		assert.ok(!JSON.stringify(result).includes('wrong-worker-KEY'));
	});

	test('worker: refused, DNS, TLS, 404 and a server that is not a worker', async () => {
		const port = await freePort();
		assert.equal((await workerTest({ url: `http://127.0.0.1:${port}`, apiKey: WORKER_KEY })).message, `RepoMind Embeddings Worker at 127.0.0.1:${port}: connection to port ${port} refused (ECONNREFUSED): check that the server runs and the port is right`);
		assert.match((await workerTest({ url: 'http://no-such-worker.invalid:8080', apiKey: WORKER_KEY })).message, /^RepoMind Embeddings Worker at no-such-worker\.invalid:8080: DNS lookup of no-such-worker\.invalid failed \((ENOTFOUND|EAI_AGAIN)\): check the host name in the base URL$/);
		assert.match((await workerTest({ url: worker.url.replace('http:', 'https:'), apiKey: WORKER_KEY })).message, /^RepoMind Embeddings Worker at 127\.0\.0\.1:\d+: (TLS failed|the connection was closed) \(\w+\)/);
		const host = new URL(worker.url).host;
		assert.equal((await workerTest({ url: `${worker.url}/v1`, apiKey: WORKER_KEY })).message, `RepoMind Embeddings Worker at ${host}: /v1/info not found (HTTP 404): the URL is the base URL of a running repomind-embeddings-worker (http://HOST:8080), without /v1 or /embed`);
		const teiLike = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"model_id":"BAAI/bge-small-en-v1.5"}'));
		await new Promise<void>((resolve) => teiLike.listen(0, '127.0.0.1', resolve));
		try {
			const { port: teiPort } = teiLike.address() as AddressInfo;
			assert.match((await workerTest({ url: `http://127.0.0.1:${teiPort}`, apiKey: '' })).message, new RegExp(`^127\\.0\\.0\\.1:${teiPort} answered GET /info, but not like the RepoMind Embeddings Worker: `));
		} finally {
			teiLike.close();
		}
	});

	test('Hugging Face endpoint: GET /info of a text-embeddings-inference server (here the worker), /v1 stripped', async () => {
		assert.match((await hfTest({ endpointUrl: `${worker.url}/v1/`, accessToken: WORKER_KEY })).message, /^Connected; the endpoint serves \S+$/);
		const host = new URL(worker.url).host;
		assert.equal((await hfTest({ endpointUrl: worker.url, accessToken: 'hf_wrong' })).message, `Hugging Face endpoint at ${host} rejected the credentials (HTTP 401): check the access token (the endpoint's API key or an hf_… token)`);
		assert.match((await hfTest({ endpointUrl: `${worker.url}/embed`, accessToken: WORKER_KEY })).message, /\/embed\/info not found \(HTTP 404\): the Endpoint URL is the base URL of a text-embeddings-inference or text-generation-inference server \(http:\/\/HOST:8080\), without \/embed/);
		const port = await freePort();
		assert.match((await hfTest({ endpointUrl: `http://127.0.0.1:${port}`, accessToken: '' })).message, /^Hugging Face endpoint at 127\.0\.0\.1:\d+: connection to port \d+ refused \(ECONNREFUSED\)/);
	});

	test('Hugging Face Hub: whoami with the token; a rejected or missing token says what to check', async () => {
		assert.deepEqual(await testHuggingFace({ accessToken: HF_TOKEN }, hub.url), { status: 'OK', message: 'Connected as octo-dev' });
		const host = new URL(hub.url).host;
		const rejected = await testHuggingFace({ accessToken: 'hf_revoked-TOKEN' }, hub.url);
		assert.deepEqual(rejected, { status: 'Error', message: `Hugging Face Hub at ${host} rejected the credentials (HTTP 401): check the access token (hf_…; expired, revoked or mistyped)` });
		assert.ok(!JSON.stringify(rejected).includes('hf_revoked-TOKEN'));
		assert.match((await hfTest({ accessToken: '', endpointUrl: '' })).message, /^No access token: the Hugging Face Inference API needs an hf_… token; for your own server without auth, set the Endpoint URL$/);
	});
});
