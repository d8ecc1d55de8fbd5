import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FileFilter } from '../lib/filter';
import { GitRepo } from '../test/support/git-repo';

export const NODE_MODULES = join(__dirname, '..', 'node_modules');
/** The six @sentry packages: about 2,500 JavaScript, TypeScript declaration and Markdown files. */
export const DEFAULT_PACKAGE_SCOPE = '@sentry';

const SOURCE_FILE = /\.(?:[cm]?js|[cm]?ts|md)$/;
/** Folder names the default filter excludes; dropped from the copied paths so the layout survives. */
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

/** Repository paths (`src/<package>/<path>`) of a package folder's source files, mapped to their absolute paths. */
export function packageSources(origin: string): Map<string, string> {
	const root = join(NODE_MODULES, origin);
	const sources = new Map<string, string>();
	const walk = (folder: string) => {
		for (const entry of readdirSync(folder, { withFileTypes: true })) {
			const absolute = join(folder, entry.name);
			if (entry.isDirectory() && entry.name !== 'node_modules') walk(absolute);
			else if (entry.isFile() && SOURCE_FILE.test(entry.name)) {
				const segments = relative(root, absolute).split('/').filter((segment) => !BUILD_FOLDERS.has(segment));
				sources.set(['src', ...segments].join('/'), absolute);
			}
		}
	};
	walk(root);
	return sources;
}

/** Copies a package's source files from node_modules into a new git repository and commits them. */
export async function buildCodebase(origin = DEFAULT_PACKAGE_SCOPE): Promise<Codebase> {
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
		const filter = new FileFilter();
		const keptPaths = [...sources]
			.filter(([path, absolute]) => filter.checkEntry({ path, blobSha: '', size: statSync(absolute).size, mode: '100644' }) === null)
			.map(([path]) => path)
			.sort();
		return { repo, origin, files: sources.size, keptPaths, bytes, commit };
	} catch (error) {
		await repo.dispose();
		throw error;
	}
}
