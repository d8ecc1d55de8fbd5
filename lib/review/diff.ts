import { InvalidInputError } from '../errors';

/** One changed file of a pull request or comparison, with its unified diff (GitHub's `patch`). */
export interface FilePatch {
	path: string;
	status: string;
	previousPath?: string;
	/** The file's hunks in unified diff form (`@@ -a,b +c,d @@` headers, no `diff --git` header). Absent for binary or huge files. */
	patch?: string;
}

/** Which version a diff line belongs to: RIGHT = the new file (added or unchanged lines), LEFT = the old file (deleted lines). */
export type DiffSide = 'RIGHT' | 'LEFT';

export interface DiffLine {
	kind: 'add' | 'delete' | 'context';
	/** Line number in the old file (delete, context). */
	oldLine: number | null;
	/** Line number in the new file (add, context). */
	newLine: number | null;
	text: string;
}

export interface DiffHunk {
	header: string;
	oldStart: number;
	oldLines: number;
	newStart: number;
	newLines: number;
	lines: DiffLine[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

/** The hunks of a unified diff. */
export function parsePatch(patch: string): DiffHunk[] {
	const hunks: DiffHunk[] = [];
	let hunk: DiffHunk | undefined;
	let oldLine = 0;
	let newLine = 0;
	for (const line of patch.split('\n')) {
		const header = HUNK_HEADER.exec(line);
		if (header) {
			hunk = { header: line, oldStart: Number(header[1]), oldLines: Number(header[2] ?? 1), newStart: Number(header[3]), newLines: Number(header[4] ?? 1), lines: [] };
			hunks.push(hunk);
			[oldLine, newLine] = [hunk.oldStart, hunk.newStart];
			continue;
		}
		if (!hunk || line.startsWith('\\')) continue;
		const marker = line[0];
		if (marker === '+') hunk.lines.push({ kind: 'add', oldLine: null, newLine: newLine++, text: line.slice(1) });
		else if (marker === '-') hunk.lines.push({ kind: 'delete', oldLine: oldLine++, newLine: null, text: line.slice(1) });
		else if (marker === ' ' || (line === '' && oldLine < hunk.oldStart + hunk.oldLines)) hunk.lines.push({ kind: 'context', oldLine: oldLine++, newLine: newLine++, text: line.slice(1) });
	}
	if (patch.trim() && hunks.length === 0) throw new InvalidInputError('The patch has no "@@ -a,b +c,d @@" hunk header', 'Pass the unified diff of the file (GitHub\'s patch field, or git diff output)');
	return hunks;
}

/** The key of a line a review comment may be anchored to. */
export function anchorKey(path: string, side: DiffSide, line: number): string {
	return `${side}:${line}:${path}`;
}

/** Every line of the file's hunks a review comment can sit on: RIGHT for added and unchanged lines, LEFT for deleted ones. */
export function commentableLines(path: string, hunks: DiffHunk[]): Set<string> {
	const keys = new Set<string>();
	for (const line of hunks.flatMap((hunk) => hunk.lines)) {
		if (line.newLine !== null) keys.add(anchorKey(path, 'RIGHT', line.newLine));
		if (line.kind === 'delete') keys.add(anchorKey(path, 'LEFT', line.oldLine!));
	}
	return keys;
}

/** A hunk as the model sees it: its header, then one line each as `R12 + text`, `R13   text` or `L9 - text`. */
export function renderHunk(hunk: DiffHunk): string {
	const rendered = hunk.lines.map((line) =>
		line.kind === 'delete' ? `L${line.oldLine} - ${line.text}` : `R${line.newLine} ${line.kind === 'add' ? '+' : ' '} ${line.text}`,
	);
	return [hunk.header, ...rendered].join('\n');
}

/** What can produce per-file diffs between two commits (both sources can). */
export interface DiffSource {
	readonly repoKey: string;
	diffPatches(base: string, head: string): Promise<FilePatch[]>;
}

/** The patches that pass the file filter: excluded and secret-looking files (by path or by the diff's text) are listed as skipped, never returned. */
export async function filteredPatches(
	source: DiffSource,
	base: string,
	head: string,
	gate: { checkEntry(entry: { path: string; blobSha: string; size: number; mode: string }): { reason: string } | null; checkContent(path: string, content: Buffer): { text: string } | { reason: string } },
): Promise<{ repo: string; base: string; head: string; files: FilePatch[]; skipped: Array<{ path: string; reason: string }> }> {
	if (!base.trim() || !head.trim()) throw new InvalidInputError('Base and head commits are required', 'Pass the pull request\'s base.sha and head.sha, e.g. {{ $json.base.sha }}');
	const files: FilePatch[] = [];
	const skipped: Array<{ path: string; reason: string }> = [];
	for (const patch of await source.diffPatches(base.trim(), head.trim())) {
		const byPath = gate.checkEntry({ path: patch.path, blobSha: '', size: patch.patch?.length ?? 0, mode: '100644' });
		const byContent = byPath ?? (patch.patch ? gate.checkContent(patch.path, Buffer.from(patch.patch)) : null);
		if (byContent && 'reason' in byContent) skipped.push({ path: patch.path, reason: byContent.reason });
		else files.push(patch);
	}
	return { repo: source.repoKey, base: base.trim(), head: head.trim(), files, skipped };
}
