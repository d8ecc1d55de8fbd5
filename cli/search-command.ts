import { parseArgs } from 'node:util';
import { locationOf } from '../lib/agent/format';
import { retrieve, type RetrieveResult } from '../lib/retrieve';
import { openIndex, RETRIEVAL_OPTIONS, RETRIEVAL_USAGE, retrievalSettings } from './retrieval-args';
import { UsageError } from './services';

export const SEARCH_USAGE = `Usage: repomind search "<question>" --repo <path | github:owner/repo> [options]

${RETRIEVAL_USAGE}
  --json                    print the result as JSON (hits with path, lines, scores and text)

Prints one line per hit: path:start-end, score, and the first line of the chunk.`;

const SNIPPET_LENGTH = 100;

/** Parses `search` arguments: exactly one question and the retrieval options. */
export function parseQuestionArgs<T extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean; multiple?: false }>>(args: string[], options: T) {
	const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
	if (positionals.length !== 1 || !positionals[0].trim()) throw new UsageError('Give exactly one question, in quotes');
	return { question: positionals[0], values };
}

/** `repomind search`: ranked chunks of an indexed repository for a question. */
export async function searchCommand(args: string[], env: NodeJS.ProcessEnv, print: (text: string) => void): Promise<void> {
	const { question, values } = parseQuestionArgs(args, { ...RETRIEVAL_OPTIONS, json: { type: 'boolean', default: false } });
	const settings = retrievalSettings(values);
	const index = await openIndex(values, env);
	try {
		const result = await retrieve(index.deps, { question, repoKey: index.repoKey, ref: index.ref, ...settings });
		print(values.json ? JSON.stringify(result, null, 2) : formatHits(result));
	} finally {
		await index.close();
	}
}

/** One line per hit (`path:start-end  score  snippet`), or why there is none. */
export function formatHits(result: RetrieveResult): string {
	if (result.hits.length === 0) return `No hits: ${result.reason ?? 'nothing matched'}`;
	const locations = result.hits.map(locationOf);
	const width = Math.max(...locations.map((location) => location.length));
	return result.hits
		.map((hit, i) => {
			const location = locations[i].padEnd(width);
			const line = hit.text.split('\n').map((text) => text.trim()).find(Boolean) ?? '';
			const snippet = line.length > SNIPPET_LENGTH ? `${line.slice(0, SNIPPET_LENGTH - 1)}…` : line;
			return `${location}  ${hit.score.toFixed(3)}  ${snippet}`;
		})
		.join('\n');
}
