import { posix } from 'node:path';
import type { ModuleIndex } from './resolve';
import type { ModuleImport } from './types';

const ROOT_FILES = new Set(['lib.rs', 'main.rs', 'mod.rs']);

/** Folder that holds a Rust file's child modules: `src/` for src/lib.rs, `src/a/` for src/a.rs. */
function moduleFolder(path: string): string {
	const name = posix.basename(path);
	const folder = posix.dirname(path) === '.' ? '' : posix.dirname(path);
	return ROOT_FILES.has(name) ? folder : posix.join(folder, name.slice(0, -'.rs'.length));
}

/** Folder of the crate root (`lib.rs` or `main.rs`) above a file; `src` when none is found. */
function crateFolder(index: ModuleIndex, path: string): string {
	for (let folder = posix.dirname(path); ; folder = posix.dirname(folder)) {
		const at = folder === '.' ? '' : folder;
		if (index.has(posix.join(at, 'lib.rs')) || index.has(posix.join(at, 'main.rs'))) return at;
		if (folder === '.' || folder === '/') return 'src';
	}
}

function moduleFile(index: ModuleIndex, folder: string, segments: string[]): string | undefined {
	const base = posix.join(folder, ...segments);
	if (segments.length === 0) {
		const own = [...ROOT_FILES].map((name) => posix.join(folder, name));
		if (folder) own.push(`${folder}.rs`);
		return own.find((candidate) => index.has(candidate));
	}
	return [`${base}.rs`, `${base}/mod.rs`].find((candidate) => index.has(candidate));
}

/** Files a Rust `mod x;` or `use path::to::Item` names: the longest module prefix that exists. */
export function resolveRustImport(index: ModuleIndex, from: string, spec: ModuleImport): string[] {
	if (spec.childModule) {
		const found = moduleFile(index, moduleFolder(from), [spec.specifier]);
		return found ? [found] : [];
	}
	const segments = spec.specifier.split('::');
	let folder = moduleFolder(from);
	let start = 0;
	if (segments[0] === 'crate') {
		folder = crateFolder(index, from);
		start = 1;
	} else if (segments[0] === 'self') {
		start = 1;
	}
	while (segments[start] === 'super') {
		folder = posix.dirname(folder) === '.' ? '' : posix.dirname(folder);
		start++;
	}
	const rest = segments.slice(start);
	for (let length = rest.length; length >= (start > 0 ? 0 : 1); length--) {
		const found = moduleFile(index, folder, rest.slice(0, length));
		if (found) return [found];
	}
	return [];
}
