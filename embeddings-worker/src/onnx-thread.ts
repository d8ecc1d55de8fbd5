/**
 * A model thread: an OnnxBackend in a worker thread, so onnxruntime's blocking runs leave the HTTP
 * server's event loop free. Started by ThreadedOnnxBackend; speaks the messages of model-thread.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ModelReply, ModelRequest } from './model-thread';
import { OnnxBackend, type OnnxBackendOptions } from './onnx-backend';

const port = parentPort;
if (!port) throw new Error('onnx-thread runs as a worker thread of the embeddings worker');

const backend = new OnnxBackend(workerData as OnnxBackendOptions);
const reply = (message: ModelReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

backend.load().then(
	(info) => reply({ type: 'ready', info }),
	(error: unknown) => reply({ type: 'failed', message: messageOf(error) }),
);

port.on('message', (request: ModelRequest) => {
	if (request.op === 'close') {
		void backend.close().finally(() => port.close());
		return;
	}
	const failed = (error: unknown) => reply({ type: 'error', id: request.id, message: messageOf(error) });
	if (request.op === 'embed') {
		let offset = 0;
		const rows = Array.from(request.lengths, (length) => request.ids.subarray(offset, (offset += length)));
		backend.embedIds(rows).then(({ data, dimension }) => reply({ type: 'vectors', id: request.id, data, dimension }, [data.buffer as ArrayBuffer]), failed);
	} else {
		(backend.scorePairs as NonNullable<OnnxBackend['scorePairs']>)(request.pairs).then((scores) => reply({ type: 'scores', id: request.id, scores }), failed);
	}
});
