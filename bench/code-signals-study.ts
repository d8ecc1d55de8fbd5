/**
 * Measures hybrid retrieval's code signals (symbol boost, one hop of import expansion) at several
 * weights on the tuning sets (held-out sets only with STUDY_SETS naming them), per embedder, and prints
 * recall@10 / MRR per variant. `node --import tsx bench/code-signals-study.ts`
 */
import { HashEmbedder, StaticEmbedder } from '../lib/embed';
import type { RetrieveRequest } from '../lib/retrieve';
import type { Embedder } from '../lib/types';
import { createIndexEnv } from '../test/support/index-env';
import { evaluate, REQUESTS } from './retrieval-quality';
import { indexSet, QUESTION_SETS } from './retrieval-sets';

/** The weights tried (STUDY_WEIGHTS=no: only the modes and the defaults). */
const WEIGHTS: Record<string, Partial<RetrieveRequest>> = {
	...Object.fromEntries([0.2, 0.5, 1].map((weight) => [`symbol ${weight}`, { mode: 'hybrid', codeSignals: { symbolBoost: weight, importExpansion: 0 } }])),
	...Object.fromEntries([0, 0.1, 0.2, 0.3].map((weight) => [`imports ${weight}`, { mode: 'hybrid', codeSignals: { symbolBoost: 0, importExpansion: weight } }])),
	...Object.fromEntries([0.2, 0.5].map((weight) => [`symbol ${weight} + imports 0.2`, { mode: 'hybrid', codeSignals: { symbolBoost: weight, importExpansion: 0.2 } }])),
};

const VARIANTS: Record<string, Partial<RetrieveRequest>> = {
	vector: REQUESTS.vector,
	lexical: REQUESTS.lexical,
	hybrid: REQUESTS.hybrid,
	hybrid_import_expansion: REQUESTS.hybrid_import_expansion,
	...(process.env.STUDY_WEIGHTS === 'no' ? {} : WEIGHTS),
};

async function main(): Promise<void> {
	const names = process.env.STUDY_SETS?.split(',') ?? QUESTION_SETS.filter((set) => set.role === 'tuning').map((set) => set.name);
	const embedders: Embedder[] = [new HashEmbedder({ dimensions: 384 }), new StaticEmbedder()].filter((embedder) => !process.env.STUDY_EMBEDDERS || process.env.STUDY_EMBEDDERS.split(',').some((name) => embedder.modelId.startsWith(name)));
	const table: Array<Record<string, string | number>> = [];
	for (const embedder of embedders) {
		const env = await createIndexEnv({ embedder, chunker: {} });
		try {
			for (const set of QUESTION_SETS.filter((candidate) => names.includes(candidate.name))) {
				const indexed = await indexSet(env.deps, set);
				try {
					const deps = { state: env.deps.state, vectors: env.deps.vectors, embedder };
					const report = await evaluate(deps, indexed.repoKey, 'main', indexed.questions, VARIANTS);
					for (const variant of Object.keys(VARIANTS)) {
						table.push({ set: set.name, embedder: embedder.modelId.split('@')[0], variant, recall: report.recallAt10[variant], mrr: report.mrr[variant], natural_recall: report.byStyle.natural?.recallAt10[variant] ?? '', identifier_recall: report.byStyle.identifier?.recallAt10[variant] ?? '' });
					}
					console.log(`[study] ${set.name} ${embedder.modelId} done`);
				} finally {
					await indexed.repo.dispose();
				}
			}
		} finally {
			await env.close();
		}
	}
	console.table(table);
	console.log(JSON.stringify(table));
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
