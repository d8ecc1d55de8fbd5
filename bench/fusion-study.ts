/**
 * Dumps, for every labelled set and embedder, each question's vector and lexical rankings (top 60 with
 * scores and paths) to a JSON file, so fusion rules can be compared offline on the same rankings.
 * `node --import tsx bench/fusion-study.ts <out.json>`
 */
import { writeFileSync } from 'node:fs';
import { HashEmbedder } from '../lib/embed';
import { StaticEmbedder } from '../lib/embed/static';
import { retrieve, type RetrieveRequest } from '../lib/retrieve';
import type { Embedder } from '../lib/types';
import { createIndexEnv } from '../test/support/index-env';
import { indexSet, QUESTION_SETS } from './retrieval-sets';

/** The rankings dumped per question: vector, and full-text with each lexical scoring tried. */
const VARIANTS: Record<string, Partial<RetrieveRequest>> = {
	vector: { mode: 'vector' },
	innodb: { mode: 'lexical', lexicalScoring: 'innodb' },
	bm25: { mode: 'lexical', lexicalScoring: 'bm25' },
	'bm25 path2': { mode: 'lexical', fieldWeights: { path: 2 } },
	'bm25 symbol2': { mode: 'lexical', fieldWeights: { symbol: 2 } },
	'bm25 path2 symbol2': { mode: 'lexical', fieldWeights: { path: 2, symbol: 2 } },
	'bm25 path3 symbol3': { mode: 'lexical', fieldWeights: { path: 3, symbol: 3 } },
};

async function main(): Promise<void> {
	const out: unknown[] = [];
	const embedders: Embedder[] = [new HashEmbedder({ dimensions: 384 }), new StaticEmbedder()];
	for (const embedder of embedders) {
		const env = await createIndexEnv({ embedder, chunker: {} });
		try {
			for (const set of QUESTION_SETS) {
				const indexed = await indexSet(env.deps, set);
				console.log(`[study] ${embedder.modelId} ${set.name}: ${indexed.files} files, ${indexed.chunks} chunks`);
				const deps = { state: env.deps.state, vectors: env.deps.vectors, embedder };
				for (const item of indexed.questions) {
					const rankings: Record<string, Array<{ path: string; score: number; id: string }>> = {};
					for (const [name, variant] of Object.entries(VARIANTS)) {
						const result = await retrieve(deps, { question: item.question, repoKey: indexed.repoKey, ref: 'main', topK: 60, ...variant });
						rankings[name] = result.hits.map((hit) => ({ path: hit.path, score: hit.score, id: hit.chunkId }));
					}
					out.push({ embedder: embedder.modelId, set: set.name, style: item.style, question: item.question, gold: item.gold, ...rankings });
				}
				await indexed.repo.dispose();
			}
		} finally {
			await env.close();
		}
	}
	writeFileSync(process.argv[2] ?? '/tmp/fusion-study.json', JSON.stringify(out));
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
