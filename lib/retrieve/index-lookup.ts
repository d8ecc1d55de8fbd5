import { InvalidInputError } from '../errors';
import type { IndexedRef, IndexStateStore } from '../store/index-state';
import type { RepoKey } from '../types';

const SYNC_HINT = 'Run RepoMind Vector Store > Sync Repository for this repository, ref and embedding model first';

/** The index of (repository, ref, model) with every indexed ref of the repository, or an InvalidInputError that says what is indexed instead. */
export async function findIndex(state: IndexStateStore, repoKey: RepoKey, ref: string, model: string, legacyModels?: string[]): Promise<{ index: IndexedRef; refs: IndexedRef[] }> {
	await state.adoptLegacyModel(model, legacyModels);
	const refs = await state.listRefs(repoKey);
	if (refs.length === 0) {
		throw new InvalidInputError(`Repository "${repoKey}" has no index`, `${SYNC_HINT} (a GitHub repository key looks like github:owner/repo)`);
	}
	const sameRef = refs.filter((row) => row.ref === ref);
	if (sameRef.length === 0) {
		const known = [...new Set(refs.map((row) => row.ref))].join(', ');
		throw new InvalidInputError(`Repository "${repoKey}" has no index for ref "${ref}" (indexed refs: ${known})`, SYNC_HINT);
	}
	const match = sameRef.find((row) => row.embeddingModel === model);
	if (!match) {
		const models = sameRef.map((row) => row.embeddingModel).join(', ');
		throw new InvalidInputError(
			`${repoKey}@${ref} is indexed with the embedding model ${models}, not ${model}`,
			'Choose the same embedding provider and model as the sync that built the index (vectors of different models cannot be compared)',
		);
	}
	if (match.commitSha === null) {
		throw new InvalidInputError(`${repoKey}@${ref} has not finished its first sync with ${model}`, SYNC_HINT);
	}
	return { index: match, refs };
}
