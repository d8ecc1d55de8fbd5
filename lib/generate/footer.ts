import type { Citation, InvalidCitation } from './types';

/**
 * What follows a streamed answer once it is complete: the validated citations, and the citations the
 * model invented (already streamed, so they can only be reported, not removed).
 */
export function citationFooter(result: { citations: Citation[]; invalidCitations: InvalidCitation[] }): string {
	const parts: string[] = [];
	if (result.citations.length > 0) {
		const lines = result.citations.map((citation) => `[${citation.n}] ${citation.path}${citation.startLine === null ? '' : `:${citation.startLine}-${citation.endLine}`}`);
		parts.push(`Sources:\n${lines.join('\n')}`);
	}
	if (result.invalidCitations.length > 0) {
		const texts = result.invalidCitations.map((citation) => citation.text).join(', ');
		parts.push(`(${result.invalidCitations.length} citation(s) above point to code that was not retrieved and are not backed by the sources: ${texts})`);
	}
	return parts.length ? `\n\n${parts.join('\n\n')}` : '';
}
