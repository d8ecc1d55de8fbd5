import { areaOf } from '../generate/changes';
import type { DigestChanges, DigestFile } from './collect';

/** A digest e-mail in both formats. */
export interface DigestEmail {
	subject: string;
	text: string;
	html: string;
	/** Area names in the order they appear. */
	areas: string[];
}

/** The model's summary: one section per area (RepoMind Generate "Summarize Changes" output). */
export interface DigestSummary {
	summary?: string;
	areas?: Array<{ area: string; summary: string | null }>;
}

export interface ComposeOptions {
	/** Default `[RepoMind]`. */
	subjectPrefix?: string;
}

interface AreaSection {
	area: string;
	summary: string | null;
	files: DigestFile[];
}

/** The subject and body of a digest: per area the summary and the changed files, then the commits, all linked. */
export function composeDigestEmail(changes: DigestChanges, summary: DigestSummary | null, options: ComposeOptions = {}): DigestEmail {
	const name = `${changes.repo.replace(/^[a-z]+:/, '')}@${changes.ref}`;
	const prefix = options.subjectPrefix ?? '[RepoMind]';
	const since = changes.lastDigestAt ? ` since ${changes.lastDigestAt.slice(0, 10)}` : '';
	const sections = sectionsOf(changes, summary);
	if (!changes.changed) {
		const text = `No changes in ${name}${since} (at ${changes.head.slice(0, 7)}).\n${changes.webUrl}\n`;
		return { subject: `${prefix} ${name}: no changes${since}`.trim(), text, html: `<p>${escape(text.trim()).replace('\n', '<br>\n')}</p>`, areas: [] };
	}
	const commits = changes.totalCommits || changes.commits.length;
	const areaNames = sections.map((section) => section.area);
	const shown = areaNames.slice(0, 4).join(', ') + (areaNames.length > 4 ? ', …' : '');
	const subject = `${prefix} ${name}: ${plural(commits, 'commit')}, ${plural(changes.changes.length, 'file')} changed in ${shown}`.trim();
	const range = `${changes.base?.slice(0, 7) ?? ''}..${changes.head.slice(0, 7)}`;
	const text = [
		`Changes in ${name}${since} (${range})`,
		changes.compareUrl ? `Compare: ${changes.compareUrl}` : changes.webUrl,
		'',
		...sections.flatMap((section) => [
			`## ${section.area}`,
			...(section.summary ? [section.summary, ''] : []),
			...section.files.map((file) => `- ${file.status} ${file.path}${file.previousPath ? ` (from ${file.previousPath})` : ''}: ${file.url}`),
			'',
		]),
		`Commits (${commits}):`,
		...changes.commits.map((commit) => `- ${commit.shortSha} ${commit.title} (${commit.author}): ${commit.url}`),
	].join('\n');
	const html = [
		`<h2>Changes in ${escape(name)}${escape(since)} (${link(changes.compareUrl ?? changes.webUrl, range)})</h2>`,
		...sections.map((section) => [
			`<h3>${escape(section.area)}</h3>`,
			section.summary ? paragraphs(section.summary) : '',
			'<ul>',
			...section.files.map((file) => `<li>${escape(file.status)} ${link(file.url, file.path)}${file.previousPath ? ` (from ${escape(file.previousPath)})` : ''}</li>`),
			'</ul>',
		].filter(Boolean).join('\n')),
		`<h3>Commits (${commits})</h3>`,
		'<ul>',
		...changes.commits.map((commit) => `<li>${link(commit.url, commit.shortSha)} ${escape(commit.title)} <small>${escape(commit.author)}</small></li>`),
		'</ul>',
	].join('\n');
	return { subject, text: `${text}\n`, html, areas: areaNames };
}

function sectionsOf(changes: DigestChanges, summary: DigestSummary | null): AreaSection[] {
	const texts = new Map((summary?.areas ?? []).map((area) => [area.area, area.summary]));
	const sections = new Map<string, AreaSection>();
	for (const file of changes.changes) {
		const area = areaOf(file.path);
		const section = sections.get(area) ?? { area, summary: texts.get(area) ?? null, files: [] };
		section.files.push(file);
		sections.set(area, section);
	}
	return [...sections.values()].sort((a, b) => (a.area === '(root)' ? 1 : b.area === '(root)' ? -1 : a.area.localeCompare(b.area)));
}

function plural(count: number, noun: string): string {
	return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function paragraphs(markdown: string): string {
	return markdown.split(/\n\s*\n/).map((block) => `<p>${escape(block.trim()).replace(/\n/g, '<br>\n')}</p>`).join('\n');
}

function link(url: string, label: string): string {
	return /^https?:\/\//.test(url) ? `<a href="${escape(url)}">${escape(label)}</a>` : escape(label);
}

function escape(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
