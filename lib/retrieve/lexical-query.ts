import { lexicalWords } from './lexical-text';

/** How the server's full-text parser treats words (InnoDB: innodb_ft_min_token_size and friends). */
export interface TokenRules {
	minTokenSize: number;
	maxTokenSize: number;
	/** Lower-case words the index ignores; empty when stopwords are off. */
	stopwords: ReadonlySet<string>;
}

/** InnoDB's built-in stopword list (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD). */
export const INNODB_DEFAULT_STOPWORDS: ReadonlySet<string> = new Set(
	('a about an are as at be by com de en for from how i in is it la of on or that the this to was ' +
		'what when where who will with und www').split(' '),
);

/** MySQL's and MariaDB's defaults for InnoDB tables. */
export const DEFAULT_TOKEN_RULES: TokenRules = { minTokenSize: 3, maxTokenSize: 84, stopwords: INNODB_DEFAULT_STOPWORDS };

/** A full-text query: the words the index can match, and the string passed to AGAINST(). */
export interface LexicalQuery {
	words: string[];
	against: string;
}

/**
 * Runs the question through the same identifier splitter as the indexed text, drops words the index
 * never holds (too short, too long, stopwords) and duplicates. Null when no word is left.
 */
export function buildLexicalQuery(question: string, rules: TokenRules = DEFAULT_TOKEN_RULES): LexicalQuery | null {
	const words: string[] = [];
	const seen = new Set<string>();
	for (const raw of lexicalWords(question)) {
		const word = raw.replace(/\$/g, '');
		const length = [...word].length;
		if (length < rules.minTokenSize || length > rules.maxTokenSize) continue;
		if (rules.stopwords.has(word.toLowerCase()) || seen.has(word)) continue;
		seen.add(word);
		words.push(word);
	}
	return words.length === 0 ? null : { words, against: words.join(' ') };
}

/** Estimated chunk postings a full-text query may read before it gets slow (InnoDB FTS cost grows with them). */
export const POSTINGS_BUDGET = 3000;

/**
 * Keeps the query's rarest words while their estimated document frequencies add up to at most
 * `budget` (always at least the rarest word), in their original order: very common words cost the
 * most to match and weigh least in the ranking (as Elasticsearch's cutoff frequency treats them).
 */
export function pruneCommonWords(query: LexicalQuery, frequency: (word: string) => number, budget = POSTINGS_BUDGET): LexicalQuery {
	const byRarity = query.words.map((word, index) => ({ word, index, frequency: frequency(word) })).sort((a, b) => a.frequency - b.frequency || a.index - b.index);
	const kept = new Set<number>();
	let postings = 0;
	for (const entry of byRarity) {
		if (kept.size > 0 && postings + entry.frequency > budget) break;
		kept.add(entry.index);
		postings += entry.frequency;
	}
	const words = query.words.filter((_, index) => kept.has(index));
	return { words, against: words.join(' ') };
}
