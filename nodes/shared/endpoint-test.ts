import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

const TIMEOUT_MS = 10_000;

/** One GET a credential test makes, and how to read and explain its answer. */
export interface EndpointCheck {
	/** e.g. `GitHub API`. */
	service: string;
	/** The base URL as the user entered it. */
	baseUrl: string;
	path: string;
	headers: Record<string, string>;
	/** Whether a 2xx JSON body looks like this service's answer. */
	accepts(body: unknown): boolean;
	/** The OK message from the answer. */
	describe(body: unknown): string;
	/** What to check: the base URL's form, a rejected key or token (401), a missing permission (403). */
	hints: { baseUrl: string; auth: string; permission: string };
}

/** Runs a credential test request and names the host and what failed: DNS, refused, TLS, timeout, 401, 403, 404, wrong API. */
export async function testEndpoint(check: EndpointCheck): Promise<INodeCredentialTestResult> {
	let url: URL;
	try {
		url = new URL(`${check.baseUrl.replace(/\/+$/, '')}${check.path}`);
	} catch {
		return failed(`"${check.baseUrl}" is not a URL: ${check.hints.baseUrl}`);
	}
	const where = `${check.service} at ${url.host}`;
	let response: Response;
	try {
		response = await fetch(url, { headers: check.headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
	} catch (error) {
		return failed(`${where}: ${networkFailure(error, url)}`);
	}
	const status = response.status;
	if (status === 401) return failed(`${where} rejected the credentials (HTTP 401): ${check.hints.auth}`);
	if (status === 403) return failed(`${where} refused access (HTTP 403): ${check.hints.permission}`);
	if (status === 404) return failed(`${where}: ${url.pathname} not found (HTTP 404): ${check.hints.baseUrl}`);
	if (status >= 400) return failed(`${where} answered HTTP ${status} to GET ${url.pathname}`);
	const body = await response.json().catch(() => undefined);
	if (!check.accepts(body)) return failed(`${url.host} answered GET ${url.pathname}, but not like the ${check.service}: ${check.hints.baseUrl}`);
	return { status: 'OK', message: check.describe(body) };
}

function failed(message: string): INodeCredentialTestResult {
	return { status: 'Error', message };
}

/** A fetch failure in words: which kind, and what to check. */
export function networkFailure(error: unknown, url: URL): string {
	const cause = (error as { cause?: { code?: string; message?: string } }).cause;
	const code = cause?.code ?? (error as { code?: string }).code ?? (error as Error).name;
	const port = url.port || (url.protocol === 'https:' ? '443' : '80');
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS lookup of ${url.hostname} failed (${code}): check the host name in the base URL`;
	if (code === 'ECONNREFUSED') return `connection to port ${port} refused (ECONNREFUSED): check that the server runs and the port is right`;
	if (code === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return `no answer within ${TIMEOUT_MS / 1000} s: check the host, the port and any firewall`;
	if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|EPROTO/i.test(String(code))) return `TLS failed (${code}): the certificate is not trusted, or the server does not speak HTTPS on port ${port} (try http://)`;
	if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `the connection was closed (${code}): an HTTPS URL pointing at a plain HTTP port, or a proxy in between`;
	return `${cause?.message ?? (error as Error).message} (${code})`;
}

/** "Test" of the repoMindGitHubApi credential: GET /user with the token (GET /rate_limit without one). */
export async function repoMindGitHubConnectionTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const token = String(credential.data?.accessToken ?? '');
	return testEndpoint({
		service: 'GitHub API',
		baseUrl: String(credential.data?.baseUrl || 'https://api.github.com'),
		path: token ? '/user' : '/rate_limit',
		headers: { accept: 'application/vnd.github+json', 'user-agent': 'n8n-nodes-repomind', ...(token ? { authorization: `Bearer ${token}` } : {}) },
		accepts: (body) => typeof body === 'object' && body !== null && (token ? 'login' in body : 'rate' in body),
		describe: (body) => (token ? `Connected as ${(body as { login: string }).login}` : 'Connected without a token: public repositories only, 60 requests an hour'),
		hints: { baseUrl: 'use https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server', auth: 'check the access token (expired, revoked or mistyped)', permission: 'the token needs read access to Contents and Metadata' },
	});
}

/** "Test" of the repoMindOpenAiApi credential: GET /models of the OpenAI-compatible API. */
export async function repoMindOpenAiConnectionTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const apiKey = String(credential.data?.apiKey ?? '');
	return testEndpoint({
		service: 'OpenAI-compatible API',
		baseUrl: String(credential.data?.baseUrl ?? ''),
		path: '/models',
		headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
		accepts: (body) => Array.isArray((body as { data?: unknown } | undefined)?.data),
		describe: (body) => `Connected; ${(body as { data: unknown[] }).data.length} models listed`,
		hints: { baseUrl: 'the base URL ends with /v1 (https://api.openai.com/v1, http://HOST:11434/v1 for Ollama)', auth: 'check the API key', permission: 'the API key may not list models; check its project and permissions' },
	});
}

/** Where the Hugging Face Inference API lives; the credential test asks it who the token belongs to. */
export const HUGGING_FACE_HUB = 'https://huggingface.co';

/** "Test" of the repoMindHuggingFaceApi credential: GET /info of the own endpoint, or whoami of the Hub token. */
export async function repoMindHuggingFaceConnectionTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	return testHuggingFace(credential.data ?? {});
}

/** The Hugging Face check, with the Hub's address as an argument (tests point it at a local server). */
export async function testHuggingFace(data: ICredentialDataDecryptedObject, hub = HUGGING_FACE_HUB): Promise<INodeCredentialTestResult> {
	const token = String(data.accessToken ?? '');
	const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
	const endpoint = String(data.endpointUrl ?? '').trim();
	if (endpoint) {
		return testEndpoint({
			service: 'Hugging Face endpoint',
			baseUrl: endpoint.replace(/\/+$/, '').replace(/\/v1$/, ''),
			path: '/info',
			headers,
			accepts: (body) => typeof (body as { model_id?: unknown } | undefined)?.model_id === 'string',
			describe: (body) => `Connected; the endpoint serves ${(body as { model_id: string }).model_id}`,
			hints: { baseUrl: 'the Endpoint URL is the base URL of a text-embeddings-inference or text-generation-inference server (http://HOST:8080), without /embed; empty for the Hugging Face Inference API', auth: "check the access token (the endpoint's API key or an hf_… token)", permission: 'the token may not call this endpoint; check its permissions' },
		});
	}
	if (!token) return { status: 'Error', message: 'No access token: the Hugging Face Inference API needs an hf_… token; for your own server without auth, set the Endpoint URL' };
	return testEndpoint({
		service: 'Hugging Face Hub',
		baseUrl: hub,
		path: '/api/whoami-v2',
		headers,
		accepts: (body) => typeof (body as { name?: unknown } | undefined)?.name === 'string',
		describe: (body) => `Connected as ${(body as { name: string }).name}`,
		hints: { baseUrl: `the Hugging Face Hub is ${HUGGING_FACE_HUB}; check any proxy in between`, auth: 'check the access token (hf_…; expired, revoked or mistyped)', permission: 'the token needs the permission "Make calls to Inference Providers"' },
	});
}

/** "Test" of the repoMindEmbeddingsWorkerApi credential: GET /info of the worker, with its key. */
export async function repoMindEmbeddingsWorkerConnectionTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const apiKey = String(credential.data?.apiKey ?? '');
	return testEndpoint({
		service: 'RepoMind Embeddings Worker',
		baseUrl: String(credential.data?.url ?? '').trim(),
		path: '/info',
		headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
		accepts: (body) => typeof (body as { model_id?: unknown } | undefined)?.model_id === 'string' && typeof (body as { dimension?: unknown }).dimension === 'number',
		describe: (body) => `Connected; the worker serves ${(body as { model_id: string }).model_id} (${(body as { dimension: number }).dimension} dimensions)`,
		hints: { baseUrl: 'the URL is the base URL of a running repomind-embeddings-worker (http://HOST:8080), without /v1 or /embed', auth: 'check the API key: the one the worker was started with (--api-key or REPOMIND_WORKER_API_KEY)', permission: 'the worker refused the key; check the API key' },
	});
}
