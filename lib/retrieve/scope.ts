import picomatch from 'picomatch';
import { InvalidInputError } from '../errors';
import type { IndexStateStore } from '../store/index-state';
import type { RetrieveFilters } from './types';

/** What the filters allow: a language, and the exact paths when a path filter was given. */
export interface RetrieveScope {
	language?: string;
	/** Null: every path. */
	paths: string[] | null;
	/** Set when no indexed file passes the filters. */
	emptyReason?: string;
}

/** Filters with blank fields removed and values trimmed. */
export function cleanFilters(filters: RetrieveFilters = {}): RetrieveFilters {
	const clean: RetrieveFilters = {};
	for (const key of ['pathPrefix', 'pathGlob', 'language'] as const) {
		const value = filters[key]?.trim();
		if (value) clean[key] = value;
	}
	return clean;
}

/** Resolves the filters against the ref's indexed files (read only when a filter is set). */
export async function resolveScope(state: IndexStateStore, refId: number, filters: RetrieveFilters): Promise<RetrieveScope> {
	const { pathPrefix, pathGlob, language } = filters;
	if (!pathPrefix && !pathGlob && !language) return { paths: null };
	const matchesGlob = pathGlob ? compileGlob(pathGlob) : () => true;
	const files = [...(await state.loadFiles(refId)).values()].filter((file) => file.skipReason === null && file.chunkCount > 0);
	const passing = files.filter(
		(file) =>
			(!pathPrefix || file.path.startsWith(pathPrefix)) && matchesGlob(file.path) && (!language || file.language === language),
	);
	const scope: RetrieveScope = { language, paths: pathPrefix || pathGlob ? passing.map((file) => file.path).sort() : null };
	if (passing.length === 0) scope.emptyReason = `No indexed file matches the filters (${describeFilters(filters)})`;
	return scope;
}

/** `pathPrefix "src/", language "go"` */
export function describeFilters(filters: RetrieveFilters): string {
	return Object.entries(filters)
		.map(([key, value]) => `${key} "${value}"`)
		.join(', ');
}

function compileGlob(glob: string): (path: string) => boolean {
	try {
		return picomatch(glob, { dot: true });
	} catch (error) {
		throw new InvalidInputError(`Invalid path glob "${glob}": ${(error as Error).message}`, 'Use a glob such as src/**/*.ts');
	}
}
