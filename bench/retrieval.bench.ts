/**
 * `npm run bench:retrieval`: retrieval quality on labelled questions about mysql2 (a package nobody on
 * the team wrote) and hybrid latency over >= 100k chunks of real code with 384-d vectors in Chroma
 * and MySQL. Prints progress, then one JSON object as its last line.
 */
import { performance } from 'node:perf_hooks';
import { HashEmbedder } from '../lib/embed';
import { retrieve } from '../lib/retrieve';
import { LocalGitSource } from '../lib/source';
import { syncRepository } from '../lib/sync';
import { GitRepo } from '../test/support/git-repo';
import { createIndexEnv, type IndexEnv } from '../test/support/index-env';
import { latencyChunks, packageFiles } from './retrieval-corpus';
import { loadChunks } from './retrieval-load';
import { startMariaDb, type BenchMariaDb } from './retrieval-mariadb';
import { corpusQueries, percentile, PrecomputedEmbedder } from './retrieval-latency';
import { evaluate, loadQuestions, round } from './retrieval-quality';

const DIMENSIONS = 384;
const TARGET_CHUNKS = Number(process.env.BENCH_CHUNKS ?? 100_000);
const LATENCY_QUERIES = Number(process.env.BENCH_QUERIES ?? 240);
const WARMUP_QUERIES = 20;
/** InnoDB buffer pool of the bench's own MariaDB: the 100k-chunk table and its FULLTEXT index fit in it. */
const BUFFER_POOL_MB = Number(process.env.BENCH_BUFFER_POOL_MB ?? 1024);
const QUALITY_REPO = 'bench:mysql2';
const LATENCY_REPO = 'bench:node-modules';

const log = (message: string) => console.log(`[bench:retrieval] ${message}`);

async function qualityCorpus(env: IndexEnv): Promise<GitRepo> {
	const repo = await GitRepo.create({ prefix: 'repomind-bench-mysql2-' });
	const files: Record<string, string> = {};
	for (const file of packageFiles('mysql2', /\.(?:js|md)$/)) {
		const path = file.path.slice('mysql2/'.length);
		if (/^(?:lib\/|index\.js$|promise\.js$|README\.md$)/.test(path)) files[path] = file.content;
	}
	await repo.writeFiles(files);
	await repo.commit('mysql2 sources');
	const source = new LocalGitSource({ path: repo.path, repoKey: QUALITY_REPO });
	try {
		const report = await syncRepository(source, env.deps, { ref: 'main' });
		log(`quality corpus: mysql2, ${report.filesChanged} files, ${report.chunksUpserted} chunks (real chunker, real sync)`);
	} finally {
		await source.close();
	}
	return repo;
}

async function main(): Promise<void> {
	const started = performance.now();
	const embedder = new HashEmbedder({ dimensions: DIMENSIONS });
	let mariadb: BenchMariaDb | undefined;
	if (BUFFER_POOL_MB > 0) {
		mariadb = await startMariaDb(BUFFER_POOL_MB);
		process.env.REPOMIND_TEST_MYSQL_HOST = mariadb.host;
		process.env.REPOMIND_TEST_MYSQL_PORT = String(mariadb.port);
		process.env.REPOMIND_TEST_MYSQL_USER = 'root';
		process.env.REPOMIND_TEST_MYSQL_PASSWORD = '';
		log(`own MariaDB on port ${mariadb.port}, InnoDB buffer pool ${BUFFER_POOL_MB} MB`);
	}
	let env: IndexEnv | undefined;
	let repo: GitRepo | undefined;
	try {
		env = await createIndexEnv({ embedder, chunker: {} });
		repo = await qualityCorpus(env);
		const questions = loadQuestions('mysql2');
		const quality = await evaluate({ state: env.deps.state, vectors: env.deps.vectors, embedder }, QUALITY_REPO, 'main', questions);
		for (const [style, figures] of Object.entries(quality.byStyle)) log(`quality (${style}, ${figures.questions} questions): recall@10 ${JSON.stringify(figures.recallAt10)} mrr ${JSON.stringify(figures.mrr)}`);

		const corpus = latencyChunks(LATENCY_REPO, 'main', TARGET_CHUNKS);
		log(`latency corpus: ${corpus.chunks} chunks from ${corpus.files.length} files of node_modules`);
		const loadStarted = performance.now();
		let lastReport = 0;
		const indexed = await loadChunks(env.deps, LATENCY_REPO, 'main', DIMENSIONS, corpus.files, (done) => {
			if (done - lastReport >= 20_000 || done === corpus.chunks) {
				lastReport = done;
				log(`loaded ${done} chunks into Chroma and MySQL (${((performance.now() - loadStarted) / 1000).toFixed(0)} s)`);
			}
		});
		const allChunks = corpus.files.flatMap(({ chunks }) => chunks);
		const queries = [...questions.map((item) => item.question), ...corpusQueries(allChunks, LATENCY_QUERIES - questions.length)];
		const precomputed = new PrecomputedEmbedder(embedder);
		await precomputed.prepare(queries);
		const deps = { state: env.deps.state, vectors: env.deps.vectors, embedder: precomputed };
		const request = (question: string) => ({ question, repoKey: LATENCY_REPO, ref: 'main', mode: 'hybrid' as const, topK: 10 });
		for (const question of queries.slice(0, WARMUP_QUERIES)) await retrieve(deps, request(question));
		const timings: number[] = [];
		let hits = 0;
		for (const question of queries) {
			const start = performance.now();
			const result = await retrieve(deps, request(question));
			timings.push(performance.now() - start);
			hits += result.hits.length;
		}
		timings.sort((a, b) => a - b);
		log(`latency: ${timings.length} hybrid queries over ${indexed.chunkCount} chunks, ${hits} hits, max ${timings[timings.length - 1].toFixed(1)} ms`);
		log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
		console.log(JSON.stringify({
			chunks: indexed.chunkCount,
			p50_ms: round(percentile(timings, 50)),
			p95_ms: round(percentile(timings, 95)),
			recall_at_10: quality.recallAt10,
			mrr: quality.mrr,
			questions: quality.questions,
			latency_queries: timings.length,
			mysql: mariadb ? `own MariaDB, innodb_buffer_pool_size ${BUFFER_POOL_MB} MB` : 'shared server (REPOMIND_TEST_MYSQL_* or 127.0.0.1:3306)',
			embedder: `${embedder.modelId} (HashEmbedder: signed feature hashing of split code identifiers; lexical, not a semantic model; no real embedding model is available offline)`,
			quality_corpus: 'mysql2 3.24.6 (lib/**/*.js, index.js, promise.js, README.md)',
			by_style: quality.byStyle,
		}));
	} finally {
		await env?.close();
		await repo?.dispose();
		await mariadb?.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
