import { posix } from 'node:path';
import { compare } from './rank';
import type { ImportEdge, RepoMapFile } from './types';

export interface DiagramInput {
	/** Files best ranked first; the first `maxNodes` are drawn. */
	files: RepoMapFile[];
	edges: ImportEdge[];
	maxNodes: number;
	/** Folder levels drawn as nested boxes. */
	maxDepth: number;
}

interface Folder {
	path: string;
	folders: Map<string, Folder>;
	files: string[];
	shown: number;
	total: number;
}

const INDENT = '    ';

/** Mermaid-safe label text (quotes and angle brackets as entity codes, one line). */
function label(text: string): string {
	return text
		.replace(/[\r\n]+/g, ' ')
		.replace(/"/g, '#quot;')
		.replace(/</g, '#lt;')
		.replace(/>/g, '#gt;');
}

function folderOf(path: string, maxDepth: number): string[] {
	const parts = posix.dirname(path).split('/').filter((part) => part !== '.');
	return parts.slice(0, maxDepth);
}

function child(parent: Folder, name: string): Folder {
	let folder = parent.folders.get(name);
	if (!folder) {
		folder = { path: posix.join(parent.path, name), folders: new Map(), files: [], shown: 0, total: 0 };
		parent.folders.set(name, folder);
	}
	return folder;
}

/**
 * A `flowchart LR` of the best-ranked modules inside nested folder boxes (folders deeper than
 * `maxDepth` fold into their ancestor, so a file's label keeps the rest of its path) and the
 * import links between the modules drawn. Folder boxes say how many of their modules are drawn.
 */
export function buildMermaid(input: DiagramInput): string {
	const shown = input.files.slice(0, Math.max(0, input.maxNodes));
	const ids = new Map(shown.map((file, position) => [file.path, `f${position}`]));
	const root: Folder = { path: '', folders: new Map(), files: [], shown: 0, total: 0 };
	for (const file of input.files) {
		const parts = folderOf(file.path, input.maxDepth);
		const isShown = ids.has(file.path);
		let folder = root;
		for (const part of ['', ...parts]) {
			if (part) folder = child(folder, part);
			folder.total++;
			if (isShown) folder.shown++;
		}
		if (isShown) folder.files.push(file.path);
	}
	const edges = input.edges.filter((edge) => ids.has(edge.from) && ids.has(edge.to));
	const lines = [
		'flowchart LR',
		`${INDENT}%% ${shown.length} of ${input.files.length} modules, ${edges.length} of ${input.edges.length} import links`,
	];
	let folderCount = 0;
	const render = (folder: Folder, depth: number) => {
		const indent = INDENT.repeat(depth);
		for (const name of [...folder.folders.keys()].sort(compare)) {
			const sub = folder.folders.get(name)!;
			if (sub.shown === 0) continue;
			const count = sub.shown === sub.total ? `${sub.total}` : `${sub.shown} of ${sub.total}`;
			lines.push(`${indent}subgraph d${folderCount++}["${label(`${name}/`)} · ${count} module${sub.total === 1 ? '' : 's'}"]`);
			render(sub, depth + 1);
			lines.push(`${indent}end`);
		}
		for (const path of [...folder.files].sort(compare)) {
			const name = folder.path ? path.slice(folder.path.length + 1) : path;
			lines.push(`${indent}${ids.get(path)}["${label(name)}"]`);
		}
	};
	render(root, 1);
	for (const edge of edges) lines.push(`${INDENT}${ids.get(edge.from)} --> ${ids.get(edge.to)}`);
	return lines.join('\n');
}
