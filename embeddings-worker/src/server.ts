import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BackendInfo, EmbeddingBackend } from './backend';
import { parseWorkerConfig, type WorkerConfig, type WorkerConfigInput } from './config';
import { HttpError, hasApiKey, readJson, sendJson } from './http';
import { HuggingFaceBackend } from './huggingface-backend';
import { WorkerMetrics, type FailureReason } from './metrics';
import { ThreadedOnnxBackend } from './model-thread';
import { apiRoutes, type Route } from './routes';
import { EmbeddingService } from './service';

export interface StartOptions {
	/** Use this backend instead of the one the config describes (tests, embedding in-process). */
	backend?: EmbeddingBackend;
	/** Add Node process metrics (CPU, memory, event loop) to /metrics. Default true. */
	processMetrics?: boolean;
}

const OPENAI_TYPES: Record<number, string> = { 400: 'invalid_request_error', 401: 'invalid_request_error', 404: 'invalid_request_error', 405: 'invalid_request_error', 413: 'invalid_request_error', 415: 'invalid_request_error', 422: 'invalid_request_error', 429: 'rate_limit_exceeded' };
const HEALTH_PATHS = ['/health', '/ping', '/'];

/** Request targets whose path URL would answer unchanged: slash-separated words, no query. */
const PLAIN_PATH = /^\/(?:[\w-]+\/)*[\w-]*$/;

/** The path of a request target (`/embed`, `/v1/embeddings?x=1`); plain ones without parsing a URL. */
function pathOf(target = '/'): string {
	return PLAIN_PATH.test(target) ? target : new URL(target, 'http://worker').pathname;
}

/** TEI's `te_request_failure{err}` reason of an error answer. */
function failureReason(error: HttpError | undefined): FailureReason {
	if (!error) return 'inference';
	if (error.status === 413 && error.message.startsWith('batch size')) return 'batch_size';
	return ({ 429: 'overloaded', 424: 'inference' } as Record<number, FailureReason>)[error.status] ?? 'validation';
}

/** The embeddings worker: an HTTP server in front of a model with dynamic batching. */
export class EmbeddingsWorker {
	private draining = false;
	private inFlight = 0;
	private idle: Array<() => void> = [];
	private closing?: Promise<void>;
	private readonly routes: Route[];

	private constructor(
		readonly config: WorkerConfig,
		readonly info: BackendInfo,
		private readonly backend: EmbeddingBackend,
		private readonly service: EmbeddingService,
		readonly metrics: WorkerMetrics,
		private readonly server: Server,
		private readonly metricsServer?: Server,
	) {
		this.routes = apiRoutes(service, config);
		server.on('request', (request, response) => void this.handle(request, response));
		metricsServer?.on('request', (request, response) => void this.serveMetricsPort(request, response));
	}

	/** Load the model, then listen; resolves once requests are served. */
	static async start(input: WorkerConfigInput, options: StartOptions = {}): Promise<EmbeddingsWorker> {
		const config = parseWorkerConfig(input);
		const backend = options.backend ?? createBackend(config);
		let service: EmbeddingService | undefined;
		const metrics = new WorkerMetrics(() => service?.depth ?? 0, options.processMetrics ?? true);
		service = new EmbeddingService(backend, config, metrics);
		const info = await service.start();
		const server = await listen(config.port, config.host);
		const metricsServer = config.prometheusPort === undefined ? undefined : await listen(config.prometheusPort, config.host);
		return new EmbeddingsWorker(config, info, backend, service, metrics, server, metricsServer);
	}

	/** Base URL, e.g. `http://127.0.0.1:8080`. */
	get url(): string {
		const { address, port } = this.server.address() as AddressInfo;
		return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
	}

	/** Base URL of the separate metrics listener (`--prometheus-port`), when there is one. */
	get metricsUrl(): string | undefined {
		if (!this.metricsServer) return undefined;
		const { address, port } = this.metricsServer.address() as AddressInfo;
		return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
	}

	/** Graceful stop: refuse new work, finish queued and in-flight requests, then close. */
	close(): Promise<void> {
		this.closing ??= this.shutdown();
		return this.closing;
	}

	private async shutdown(): Promise<void> {
		this.draining = true;
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		this.metricsServer?.close();
		this.metricsServer?.closeAllConnections();
		await this.service.drain();
		if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
		this.server.closeIdleConnections();
		const force = setTimeout(() => this.server.closeAllConnections(), this.config.shutdownTimeoutMs);
		await closed;
		clearTimeout(force);
		await this.backend.close();
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const started = performance.now();
		const path = pathOf(request.url).replace(/(.)\/+$/, '$1');
		const method = request.method ?? 'GET';
		const route = this.routes.find((candidate) => candidate.path === path && candidate.method === method) ?? this.routes.find((candidate) => candidate.path === path);
		const health = method === 'GET' && HEALTH_PATHS.includes(path);
		const label = health ? '/health' : (route?.path ?? (path === '/metrics' ? path : 'other'));
		this.inFlight += 1;
		if (this.draining) response.setHeader('Connection', 'close');
		try {
			if (health) this.sendHealth(response);
			else await this.dispatch(request, response, path, route);
		} catch (error) {
			if (route?.inference) this.metrics.requestFailed(failureReason(error instanceof HttpError ? error : undefined));
			this.sendError(request, response, error, route?.flavour ?? 'tei');
		} finally {
			this.metrics.requests.inc({ route: label, status: String(response.statusCode) });
			this.metrics.latency.observe({ route: label }, (performance.now() - started) / 1000);
			this.inFlight -= 1;
			if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
		}
	}

	private sendHealth(response: ServerResponse): void {
		const failure = this.backend.failure;
		if (failure) return sendJson(response, 503, { status: 'model failed', error: failure.message, error_type: 'Unhealthy' });
		if (this.draining) return sendJson(response, 503, { status: 'shutting down', error: 'The worker is shutting down', error_type: 'Unhealthy' });
		sendJson(response, 200, { status: 'ok' });
	}

	private async dispatch(request: IncomingMessage, response: ServerResponse, path: string, route: Route | undefined): Promise<void> {
		const method = request.method ?? 'GET';
		const metrics = path === '/metrics' && method === 'GET';
		if (!metrics && !route) throw new HttpError(404, `No route ${method} ${path}`, 'Validation');
		if (route && route.method !== method) throw new HttpError(405, `${path} answers ${route.method} only`, 'Validation', { Allow: route.method });
		const open = metrics && this.config.publicMetrics;
		if (this.config.apiKey && !open && !hasApiKey(request, this.config.apiKey)) {
			throw new HttpError(401, 'Missing or wrong API key (send Authorization: Bearer <key>)', 'Validation', { 'WWW-Authenticate': 'Bearer' });
		}
		if (!route) return this.sendMetrics(response);
		if (this.draining) throw new HttpError(503, 'The worker is shutting down', 'Unhealthy');
		const body = method === 'POST' ? await readJson(request, this.config.maxBodyBytes) : undefined;
		sendJson(response, 200, await route.handle(body));
	}

	private async sendMetrics(response: ServerResponse): Promise<void> {
		const text = await this.metrics.registry.metrics();
		response.writeHead(200, { 'Content-Type': this.metrics.registry.contentType });
		response.end(text);
	}

	/** The `--prometheus-port` listener: GET /metrics without a key, as TEI's metrics port. */
	private async serveMetricsPort(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const path = pathOf(request.url);
		if (request.method === 'GET' && (path === '/metrics' || path === '/')) return this.sendMetrics(response);
		sendJson(response, 404, { error: `No route ${request.method} ${path} (this port serves GET /metrics)`, error_type: 'Validation' });
	}

	private sendError(request: IncomingMessage, response: ServerResponse, error: unknown, flavour: Route['flavour']): void {
		const known = error instanceof HttpError ? error : undefined;
		const status = known?.status ?? 500;
		const message = known?.message ?? `The model failed: ${error instanceof Error ? error.message : String(error)}`;
		const headers = { ...known?.headers };
		if (!request.complete) {
			headers.Connection = 'close';
			request.resume();
		}
		if (response.headersSent) return void response.destroy();
		const errorType = known?.errorType ?? 'Backend';
		// the OpenAI routes answer OpenAI's error object and, beside it, TEI's OpenAICompatErrorResponse fields
		const body =
			flavour === 'openai'
				? { error: { message, type: OPENAI_TYPES[status] ?? 'server_error', param: known?.param ?? null, code: status === 401 ? 'invalid_api_key' : null }, message, code: status, error_type: errorType }
				: { error: message, error_type: errorType };
		sendJson(response, status, body, headers);
	}
}

/** The backend a config describes: local ONNX, or the Hugging Face proxy. */
export function createBackend(config: WorkerConfig): EmbeddingBackend {
	if (config.backend === 'huggingface') {
		return new HuggingFaceBackend({ model: config.hfEndpointUrl ? undefined : config.model, endpointUrl: config.hfEndpointUrl, token: config.hfToken, provider: config.hfProvider, maxInputTokens: config.maxInputTokens });
	}
	const { model, rerankModel, device, dtype, pooling, maxInputTokens, threads, modelCopies, cacheDir, allowDownload } = config;
	return new ThreadedOnnxBackend({ model: model as string, rerankModel, device, dtype, pooling, maxInputTokens, threads, copies: modelCopies, cacheDir, allowRemote: allowDownload });
}

/** An HTTP server listening on host:port. */
async function listen(port: number, host: string): Promise<Server> {
	const server = createServer({ keepAliveTimeout: 5_000 });
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve());
	});
	return server;
}
