import { InvalidInputError } from '../errors';
import { hitsFromJson, sourceOfHit } from './hits';
import { generate, type GeneratedText, type GenerateSettings } from './operations';
import type { RetrievedHit, SourceBlock } from './types';

/** One changed file to summarise: status and path, optionally its diff or its changed chunks. */
export interface ChangedFile {
	status: string;
	path: string;
	previousPath?: string;
	/** Unified diff text of the file. */
	diff?: string;
	/** Chunks of the new version (e.g. from RepoMind Chunk or Retrieve). */
	chunks?: RetrievedHit[];
}

export interface ChangeArea {
	/** Top-level folder (two levels under packages/, apps/, …), or `(root)`. */
	area: string;
	files: Array<{ status: string; path: string; previousPath?: string }>;
	/** The model's section for this area, or null when it wrote none. */
	summary: string | null;
}

export interface ChangeSummary extends GeneratedText {
	/** The whole summary, one `## <area>` section per area. */
	summary: string;
	areas: ChangeArea[];
}

const NESTED_ROOTS = new Set([
	'packages',
	'apps',
	'libs',
	'services',
	'modules',
	'plugins',
	'crates',
	'cmd',
	'internal',
]);

/** The area a path belongs to. */
export function areaOf(path: string): string {
	const parts = path.replace(/^\.?\//, '').split('/');
	if (parts.length === 1) return '(root)';
	if (parts.length > 2 && NESTED_ROOTS.has(parts[0])) return `${parts[0]}/${parts[1]}`;
	return parts[0];
}

/** Changed files grouped by area, areas sorted by name with `(root)` last. */
export function groupByArea(changes: ChangedFile[]): ChangeArea[] {
	const areas = new Map<string, ChangeArea>();
	for (const change of changes) {
		const name = areaOf(change.path);
		const area = areas.get(name) ?? { area: name, files: [], summary: null };
		area.files.push({
			status: change.status,
			path: change.path,
			...(change.previousPath ? { previousPath: change.previousPath } : {}),
		});
		areas.set(name, area);
	}
	return [...areas.values()].sort((a, b) =>
		a.area === '(root)' ? 1 : b.area === '(root)' ? -1 : a.area.localeCompare(b.area),
	);
}

/** Changed files from JSON items: `{ status, path, previousPath?, diff? | patch?, chunks? }`. */
export function changesFromJson(value: unknown): ChangedFile[] {
	if (!Array.isArray(value))
		throw new InvalidInputError(
			'The changes are not a list',
			'Pass a list of { status, path, diff? } objects, e.g. from RepoMind Repo Fetch in changes mode',
		);
	return value.map((entry, index) => {
		const json = (entry ?? {}) as Record<string, unknown>;
		if (typeof json.path !== 'string' || !json.path)
			throw new InvalidInputError(`Change ${index} has no path`);
		const diff = json.diff ?? json.patch;
		return {
			status: typeof json.status === 'string' ? json.status : 'modified',
			path: json.path,
			previousPath: typeof json.previousPath === 'string' ? json.previousPath : undefined,
			diff: typeof diff === 'string' ? diff : undefined,
			chunks:
				json.chunks === undefined
					? undefined
					: hitsFromJson(json.chunks, `changes[${index}].chunks`),
		};
	});
}

/** Summarise a set of changes grouped by area; the file list and all diffs go in as untrusted sources. */
export async function summarizeChanges(
	changes: ChangedFile[],
	settings: GenerateSettings,
	title?: string,
): Promise<ChangeSummary> {
	if (changes.length === 0) throw new InvalidInputError('There are no changed files to summarise');
	const areas = groupByArea(changes);
	const listing = areas
		.map((area) =>
			[
				`## ${area.area}`,
				...area.files.map(
					(file) =>
						`- ${file.status} ${file.path}${file.previousPath ? ` (from ${file.previousPath})` : ''}`,
				),
			].join('\n'),
		)
		.join('\n');
	const sources: SourceBlock[] = [
		{
			path: 'changed files',
			note: `${changes.length} files in ${areas.length} areas`,
			text: listing,
			truncatable: true,
		},
	];
	for (const change of changes) {
		if (change.diff?.trim())
			sources.push({ path: change.path, note: `${change.status}, diff`, text: change.diff });
		for (const chunk of change.chunks ?? [])
			sources.push({ ...sourceOfHit(chunk), note: change.status });
	}
	const heading = title?.trim() ? `${title.trim()}: ` : '';
	const request = `${heading}summarise the ${changes.length} changed files listed in source [1], one "## <area>" section per area in the order listed there.`;
	const result = await generate('summarizeChanges', request, sources, settings);
	const sections = sectionsOf(result.answer);
	for (const area of areas) area.summary = sections.get(area.area) ?? null;
	return { ...result, summary: result.answer, areas };
}

/** `## heading` sections of a Markdown text, by heading (backticks and trailing colons removed). */
function sectionsOf(text: string): Map<string, string> {
	const sections = new Map<string, string>();
	const parts = text.split(/^##[ \t]+(.+)$/m);
	for (let index = 1; index < parts.length; index += 2) {
		const name = parts[index].replace(/[`*]/g, '').replace(/:\s*$/, '').trim();
		sections.set(name, parts[index + 1].trim());
	}
	return sections;
}
