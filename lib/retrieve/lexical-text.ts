const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]*|[0-9]+/g;
const PART = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

/**
 * Words for the full-text index and for lexical queries: every identifier as written plus its parts
 * (`parseHeaderLines` -> `parseHeaderLines parse header lines`, `snake_case` -> `snake_case snake case`),
 * so identifier queries and natural-language queries both match.
 */
export function lexicalWords(text: string): string[] {
	const words: string[] = [];
	for (const identifier of text.match(IDENTIFIER) ?? []) {
		const parts = identifier.match(PART) ?? [];
		if (parts.length !== 1 || parts[0] !== identifier) words.push(identifier);
		for (const part of parts) words.push(part.toLowerCase());
	}
	return words;
}

/** The text stored in the FULLTEXT column for a chunk: path, symbol and content, identifiers split. */
export function lexicalDocument(path: string, symbol: string | null, content: string): string {
	return lexicalWords(`${path} ${symbol ?? ''} ${content}`).join(' ');
}
