import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FileFilter } from '../lib/filter';
import { GitRepo } from '../test/support/git-repo';

export const NODE_MODULES = join(__dirname, '..', 'node_modules');
/** The six @sentry packages: about 2,500 JavaScript, TypeScript and Markdown files. */
export const DEFAULT_ORIGIN = '@sentry';

const SOURCE_FILE = /\.(?:[cm]?js|[cm]?ts|md)$/;
/** Folder names the default filter excludes, dropped from the copied paths. */
const BUILD_FOLDERS = new Set(['build', 'dist', 'out']);

export interface Codebase {
	repo: GitRepo;
	/** The scope or package copied from node_modules. */
	origin: string;
	/** Files committed. */
	files: number;
	/** Paths the default FileFilter keeps by path, mode and size, sorted. */
	keptPaths: string[];
	bytes: number;
	commit: string;
}

/** Source files of a node_modules folder by repository path (`src/<relative path>`). */
export function packageSources(origin: string): Map<string, string> {
	const root = join(NODE_MODULES, origin);
	const sources = new Map<string, string>();
	const walk = (folder: string) => {
		for (const entry of readdirSync(folder, { withFileTypes: true })) {
			const absolute = join(folder, entry.name);
			if (entry.isDirectory() && entry.name !== 'node_modules') walk(absolute);
			if (!entry.isFile() || !SOURCE_FILE.test(entry.name)) continue;
			const segments = relative(root, absolute).split('/');
			const path = ['src', ...segments.filter((segment) => !BUILD_FOLDERS.has(segment))].join('/');
			if (!sources.has(path)) sources.set(path, absolute);
		}
	};
	walk(root);
	return sources;
}

/** Copies a package's source files into a new git repository, commits and packs them like a clone. */
export async function buildCodebase(origin = DEFAULT_ORIGIN): Promise<Codebase> {
	const sources = packageSources(origin);
	const repo = await GitRepo.create({ prefix: 'repomind-bench-' });
	try {
		const files: Record<string, Buffer> = {};
		let bytes = 0;
		for (const [path, absolute] of sources) {
			files[path] = readFileSync(absolute);
			bytes += files[path].length;
		}
		await repo.writeFiles(files);
		const commit = await repo.commit(`copy of ${origin}`);
		await repo.git('gc', '--quiet');
		const filter = new FileFilter();
		const keptPaths = Object.keys(files)
			.filter((path) => {
				const entry = { path, blobSha: '', size: files[path].length, mode: '100644' };
				return filter.checkEntry(entry) === null;
			})
			.sort();
		return { repo, origin, files: sources.size, keptPaths, bytes, commit };
	} catch (error) {
		await repo.dispose();
		throw error;
	}
}
