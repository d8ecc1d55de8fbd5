export { EmbeddingsWorker, createBackend, type StartOptions } from './server';
export { parseWorkerConfig, workerConfigSchema, type WorkerConfig, type WorkerConfigInput } from './config';
export { configFromCommandLine } from './cli';
export { DynamicBatcher, QueueFullError, type BatcherOptions } from './batcher';
export { OnnxBackend, type OnnxBackendOptions } from './onnx-backend';
export { ThreadedOnnxBackend } from './model-thread';
export { HuggingFaceBackend, type HuggingFaceBackendOptions } from './huggingface-backend';
export { l2Normalize, sigmoid, type BackendInfo, type EmbeddingBackend } from './backend';
export { WorkerMetrics } from './metrics';
