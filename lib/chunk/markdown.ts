import { type Unit, withGaps } from './units';

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** One unit per ATX heading section, symbol = heading path (`Install > Linux`). */
export function markdownUnits(lines: string[]): Unit[] {
	const sections: Unit[] = [];
	const path: string[] = [];
	let fence: string | null = null;
	lines.forEach((line, row) => {
		const fenceMatch = FENCE.exec(line);
		if (fenceMatch) {
			const marker = fenceMatch[1];
			if (fence === null) fence = marker;
			else if (marker[0] === fence[0] && marker.length >= fence.length) fence = null;
			return;
		}
		const heading = fence === null ? HEADING.exec(line) : null;
		if (!heading) return;
		const level = heading[1].length;
		path.length = Math.min(path.length, level - 1);
		while (path.length < level - 1) path.push('');
		path.push((heading[2] ?? '').trim());
		const previous = sections.at(-1);
		if (previous) previous.end = row - 1;
		const symbol = path.filter((title) => title !== '').join(' > ') || null;
		sections.push({ start: row, end: lines.length - 1, symbol, declaration: true });
	});
	for (const section of sections) {
		while (section.end > section.start && lines[section.end].trim() === '') section.end -= 1;
	}
	return withGaps(sections, { start: 0, end: lines.length - 1 }, null, lines);
}
