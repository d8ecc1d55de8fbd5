import { LocalGitSource } from '../lib/source';
import { syncRepository, type SyncDependencies } from '../lib/sync';
import { GitRepo } from '../test/support/git-repo';
import { packageFiles } from './retrieval-corpus';
import { loadQuestions, type LabelledQuestion } from './retrieval-quality';

/** One labelled set: a package's files copied into a git repository, and questions about them. */
export interface QuestionSet {
	name: string;
	/** Which files of node_modules/<name> make the repository (paths relative to the package). */
	include: RegExp;
	/** Tuning sets guided the choices; held-out sets only check them. */
	role: 'tuning' | 'held-out';
}

export const QUESTION_SETS: QuestionSet[] = [
	{ name: 'mysql2', include: /^(?:lib\/.*\.js|index\.js|promise\.js|README\.md)$/, role: 'tuning' },
	{ name: 'nodemailer', include: /^(?:lib\/.*\.(?:js|json)|README\.md)$/, role: 'tuning' },
	{ name: 'semver', include: /^(?:(?:bin|classes|functions|internal|ranges)\/.*\.js|index\.js|preload\.js|README\.md)$/, role: 'held-out' },
	{ name: 'prom-client', include: /^(?:lib\/.*\.js|index\.js|README\.md)$/, role: 'held-out' },
];

export interface IndexedSet {
	set: QuestionSet;
	repoKey: string;
	questions: LabelledQuestion[];
	repo: GitRepo;
	files: number;
	chunks: number;
}

/** Copies the set's package into a new git repository and indexes it with the real sync engine. */
export async function indexSet(deps: SyncDependencies, set: QuestionSet): Promise<IndexedSet> {
	const repo = await GitRepo.create({ prefix: `repomind-bench-${set.name}-` });
	const files: Record<string, string> = {};
	for (const file of packageFiles(set.name, /\.(?:js|json|md)$/)) {
		const path = file.path.slice(set.name.length + 1);
		if (set.include.test(path)) files[path] = file.content;
	}
	await repo.writeFiles(files);
	await repo.commit(`${set.name} sources`);
	const repoKey = `bench:${set.name}`;
	const source = new LocalGitSource({ path: repo.path, repoKey });
	try {
		const report = await syncRepository(source, deps, { ref: 'main' });
		return { set, repoKey, questions: loadQuestions(set.name), repo, files: report.filesChanged, chunks: report.chunksUpserted };
	} finally {
		await source.close();
	}
}
