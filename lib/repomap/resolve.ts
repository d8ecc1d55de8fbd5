import { posix } from 'node:path';
import { resolveRustImport } from './resolve-rust';
import type { ModuleImport } from './types';

const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.jsx', '.mjs', '.cjs'];
const COMPILED_TO_SOURCE: Record<string, string[]> = {
	'.js': ['.ts', '.tsx'],
	'.jsx': ['.tsx'],
	'.mjs': ['.mts'],
	'.cjs': ['.cts'],
};

/** The files of a repository an import can resolve to, with the indexes resolution needs. */
export class ModuleIndex {
	private readonly files: Set<string>;
	private readonly byFolder = new Map<string, string[]>();
	/** Go module path → folder of its go.mod ('' for the root). */
	private readonly goModules: Array<{ module: string; folder: string }>;

	constructor(paths: string[], goMods: Array<{ path: string; content: string }> = []) {
		this.files = new Set(paths);
		for (const path of [...paths].sort()) {
			const folder = posix.dirname(path) === '.' ? '' : posix.dirname(path);
			this.byFolder.set(folder, [...(this.byFolder.get(folder) ?? []), path]);
		}
		this.goModules = goMods.flatMap(({ path, content }) => {
			const module = /^module\s+(\S+)/m.exec(content)?.[1];
			const folder = posix.dirname(path) === '.' ? '' : posix.dirname(path);
			return module ? [{ module: module.replace(/^"|"$/g, ''), folder }] : [];
		});
	}

	/** Whether the path is a module of the repository. */
	has(path: string): boolean {
		return this.files.has(path);
	}

	/** Modules directly in a folder ('' is the root), sorted. */
	inFolder(folder: string): string[] {
		return this.byFolder.get(folder) ?? [];
	}

	/** The shortest module path equal to `suffix` or ending with `/suffix` (ties: alphabetical). */
	bySuffix(suffix: string): string | undefined {
		return shortest(this.files, suffix);
	}

	/** The shortest folder equal to `suffix` or ending with `/suffix` (ties: alphabetical). */
	folderBySuffix(suffix: string): string | undefined {
		return shortest([...this.byFolder.keys()], suffix);
	}

	/** The folder a Go import path names, through the repository's go.mod files. */
	goFolder(importPath: string): string | undefined {
		for (const { module, folder } of this.goModules) {
			if (importPath === module) return folder;
			if (importPath.startsWith(`${module}/`)) return posix.join(folder, importPath.slice(module.length + 1));
		}
		return undefined;
	}
}

function shortest(paths: Iterable<string>, suffix: string): string | undefined {
	let best: string | undefined;
	for (const path of paths) {
		if (path !== suffix && !path.endsWith(`/${suffix}`)) continue;
		if (!best || path.length < best.length || (path.length === best.length && path < best)) best = path;
	}
	return best;
}

/** Repository files that an import of `from` names; empty for packages outside the repository. */
export function resolveImport(index: ModuleIndex, from: string, language: string, spec: ModuleImport): string[] {
	const found = resolveCandidates(index, from, language, spec);
	return [...new Set(found)].filter((path) => path !== from);
}

function resolveCandidates(index: ModuleIndex, from: string, language: string, spec: ModuleImport): string[] {
	switch (language) {
		case 'typescript':
		case 'tsx':
		case 'javascript':
			return resolveScript(index, from, spec.specifier);
		case 'python':
			return resolvePython(index, from, spec);
		case 'go': {
			const folder = index.goFolder(spec.specifier);
			return folder === undefined ? [] : index.inFolder(folder).filter(isGoPackageFile);
		}
		case 'java':
			return resolveJava(index, spec);
		case 'rust':
			return resolveRustImport(index, from, spec);
		default:
			return [];
	}
}

function isGoPackageFile(path: string): boolean {
	return path.endsWith('.go') && !path.endsWith('_test.go');
}

function resolveScript(index: ModuleIndex, from: string, specifier: string): string[] {
	if (!specifier.startsWith('.')) return [];
	const base = posix.join(posix.dirname(from), specifier);
	if (base.startsWith('..')) return [];
	const extension = posix.extname(base);
	const stem = base.slice(0, base.length - extension.length);
	const candidates = [
		base,
		...(COMPILED_TO_SOURCE[extension] ?? []).map((source) => stem + source),
		...SCRIPT_EXTENSIONS.map((ext) => base + ext),
		...SCRIPT_EXTENSIONS.map((ext) => `${base}/index${ext}`),
	];
	const found = candidates.find((candidate) => index.has(candidate));
	return found ? [found] : [];
}

function pythonModule(index: ModuleIndex, folder: string, dotted: string, absolute: boolean, importer: string): string | undefined {
	const relative = dotted.split('.').filter(Boolean).join('/');
	const candidates = relative ? [`${relative}.py`, `${relative}/__init__.py`] : ['__init__.py'];
	for (const candidate of candidates) {
		const path = posix.join(folder, candidate);
		if (index.has(path)) return path;
	}
	if (!absolute || !relative) return undefined;
	for (const candidate of candidates) {
		const beside = posix.join(posix.dirname(importer), candidate);
		if (index.has(beside)) return beside;
	}
	for (const candidate of candidates) {
		const found = index.bySuffix(candidate);
		if (found) return found;
	}
	return undefined;
}

function resolvePython(index: ModuleIndex, from: string, spec: ModuleImport): string[] {
	const dots = /^\.*/.exec(spec.specifier)![0].length;
	const dotted = spec.specifier.slice(dots);
	let folder = '';
	if (dots > 0) {
		folder = posix.dirname(from);
		for (let level = 1; level < dots; level++) folder = posix.dirname(folder);
		if (folder === '.') folder = '';
	}
	const absolute = dots === 0;
	const found: string[] = [];
	const submodules = (spec.names ?? []).map((name) => pythonModule(index, folder, `${dotted}.${name}`, absolute, from));
	for (const submodule of submodules) if (submodule) found.push(submodule);
	if (found.length < (spec.names ?? []).length || !spec.names?.length) {
		const module = pythonModule(index, folder, dotted, absolute, from);
		if (module) found.push(module);
	}
	return found;
}

function resolveJava(index: ModuleIndex, spec: ModuleImport): string[] {
	const segments = spec.specifier.split('.');
	if (spec.wildcard && !spec.isStatic) {
		const folder = index.folderBySuffix(segments.join('/'));
		return folder === undefined ? [] : index.inFolder(folder).filter((path) => path.endsWith('.java'));
	}
	const classSegments = spec.isStatic && !spec.wildcard ? segments.slice(0, -1) : segments;
	for (let length = classSegments.length; length > 0; length--) {
		const found = index.bySuffix(`${classSegments.slice(0, length).join('/')}.java`);
		if (found) return [found];
	}
	return [];
}
