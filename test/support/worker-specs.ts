import Ajv, { type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import tei from '../fixtures/api-specs/tei-openapi-1.9.3.json';
import openAi from '../fixtures/api-specs/openai-openapi-2.3.0-embeddings.json';

/**
 * Validators for the worker's answers against the vendored API documents (test/fixtures/api-specs):
 * text-embeddings-inference 1.9.3 (OpenAPI 3.0: ajv draft-07 with `nullable`) and OpenAI 2.3.0
 * (OpenAPI 3.1: JSON Schema 2020-12).
 */
const teiAjv = addFormats(new Ajv({ strict: false, allErrors: true }));
teiAjv.addSchema(tei, 'tei');
const openAiAjv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
openAiAjv.addSchema(openAi, 'openai');

const cache = new Map<string, ValidateFunction>();
const pointer = (...parts: string[]) => parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
function compiled(ajv: Ajv, ref: string): ValidateFunction {
	let validate = cache.get(ref);
	if (!validate) cache.set(ref, (validate = ajv.compile({ $ref: ref })));
	return validate;
}

/** The TEI route a worker path answers for (`/` embeds, `/embeddings` is the OpenAI route, …). */
const TEI_PATH: Record<string, string> = { '/': '/embed', '/invocations': '/embed', '/ping': '/health', '/embeddings': '/v1/embeddings' };

/** Problems of `body` against TEI's document for this route and status ('' when valid). */
export function teiProblems(path: string, method: 'get' | 'post', status: number, body: unknown): string {
	const route = method === 'get' && path === '/' ? '/health' : (TEI_PATH[path] ?? path);
	const responses = (tei.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>)[route]?.[method]?.responses;
	if (!responses && status === 200) return `TEI's document has no ${method.toUpperCase()} ${route}`;
	const documented = responses?.[String(status)]?.content?.['application/json'];
	// statuses and methods TEI's document does not list (401, 404, 405, 415, …) answer its ErrorResponse
	const ref = documented
		? `tei#/${pointer('paths', route, method, 'responses', String(status), 'content', 'application/json', 'schema')}`
		: `tei#/components/schemas/${route === '/v1/embeddings' ? 'OpenAICompatErrorResponse' : 'ErrorResponse'}`;
	if (status === 200 && !documented) return '';
	return problems(compiled(teiAjv, ref), body);
}

/** Problems of `body` against OpenAI's document for POST /embeddings and this status ('' when valid). */
export function openAiProblems(status: number, body: unknown): string {
	const ref = status === 200 ? 'openai#/components/schemas/CreateEmbeddingResponse' : 'openai#/components/schemas/ErrorResponse';
	return problems(compiled(openAiAjv, ref), body);
}

/** Problems of a request body against OpenAI's CreateEmbeddingRequest ('' when valid). */
export function openAiRequestProblems(body: unknown): string {
	return problems(compiled(openAiAjv, 'openai#/components/schemas/CreateEmbeddingRequest'), body);
}

/** Problems of a request body against TEI's schema of this route's request ('' when valid). */
export function teiRequestProblems(route: string, body: unknown): string {
	return problems(compiled(teiAjv, `tei#/${pointer('paths', route, 'post', 'requestBody', 'content', 'application/json', 'schema')}`), body);
}

function problems(validate: ValidateFunction, body: unknown): string {
	return validate(body) ? '' : teiAjv.errorsText(validate.errors, { separator: '; ' });
}
