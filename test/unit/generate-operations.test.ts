import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidInputError, RateLimitError, ServiceError } from '../../lib/errors';
import {
	answerQuestion,
	areaOf,
	explainFile,
	groupByArea,
	hitsFromJson,
	NO_RELEVANT_CONTEXT_ANSWER,
	RetryingChatModel,
	summarizeChanges,
} from '../../lib/generate';
import type { ChatMessage, ChatModel, Completion } from '../../lib/generate';
import { chatError } from '../../lib/generate/errors';
import { parsePrompt } from '../support/chat-server';

/** A model that answers with scripted texts and remembers the messages it got. */
class ScriptedModel implements ChatModel {
	readonly modelId = 'test:scripted';
	readonly calls: ChatMessage[][] = [];
	constructor(private readonly answers: Array<string | Error>) {}
	async complete(messages: ChatMessage[]): Promise<Completion> {
		this.calls.push(messages);
		const next = this.answers.shift() ?? 'no more answers';
		if (next instanceof Error) throw next;
		return { text: next, usage: { promptTokens: 120, completionTokens: 12 }, model: 'scripted-1' };
	}
}

const retrieveItem = {
	question: 'How are globs parsed?',
	repo: 'github:o/r',
	ref: 'main',
	hits: [
		{
			chunkId: 'c1',
			repo: 'github:o/r',
			ref: 'main',
			path: 'lib/parse.js',
			startLine: 3,
			endLine: 9,
			symbol: 'parse',
			language: 'javascript',
			score: 0.9,
			scores: { vector: 0.8, lexical: 0.5 },
			text: 'function parse(glob) {}',
		},
		{
			chunkId: 'c2',
			repo: 'github:o/r',
			ref: 'main',
			path: 'lib/scan.js',
			startLine: 1,
			endLine: 4,
			symbol: null,
			language: 'javascript',
			score: 0.5,
			scores: {},
			text: 'function scan() {}',
		},
	],
};
const settings = (model: ChatModel) => ({
	model,
	contextWindow: 8000,
	maxTokens: 500,
	temperature: 0,
});

describe('answerQuestion', () => {
	test('the hits reach the model as numbered sources; valid citations are mapped, invented ones removed', async () => {
		const model = new ScriptedModel([
			'Globs are parsed by parse [1], scanned by scan [2], cached [99].',
		]);
		const result = await answerQuestion(
			{ question: ' How are globs parsed? ', hits: hitsFromJson(retrieveItem.hits) },
			settings(model),
		);
		const { sources, question } = parsePrompt(model.calls[0][1].content);
		assert.deepEqual(sources, [
			{ n: 1, label: 'lib/parse.js:3-9 (parse)', text: 'function parse(glob) {}' },
			{ n: 2, label: 'lib/scan.js:1-4', text: 'function scan() {}' },
		]);
		assert.equal(question, 'How are globs parsed?');
		assert.equal(result.answer, 'Globs are parsed by parse [1], scanned by scan [2], cached.');
		assert.deepEqual(result.citations, [
			{ n: 1, chunkId: 'c1', path: 'lib/parse.js', startLine: 3, endLine: 9 },
			{ n: 2, chunkId: 'c2', path: 'lib/scan.js', startLine: 1, endLine: 4 },
		]);
		assert.deepEqual(result.invalidCitations, [{ text: '[99]', reason: 'not-retrieved' }]);
		assert.deepEqual(result.usage, { promptTokens: 120, completionTokens: 12 });
		assert.equal(result.model, 'scripted-1');
		assert.equal(result.question, 'How are globs parsed?');
		assert.equal(result.noRelevantContext, false);
		assert.equal(result.sourcesOmitted, 0);
	});

	test('no hits: a flagged answer that says the index has nothing relevant, without asking the model', async () => {
		const model = new ScriptedModel([]);
		const result = await answerQuestion(
			{
				question: 'What is the meaning of life?',
				hits: [],
				emptyReason: 'no chunk matched the filters',
			},
			settings(model),
		);
		assert.equal(model.calls.length, 0);
		assert.equal(result.noRelevantContext, true);
		assert.equal(result.answer, `${NO_RELEVANT_CONTEXT_ANSWER} (no chunk matched the filters)`);
		assert.deepEqual(
			[result.citations, result.invalidCitations, result.usage],
			[[], [], { promptTokens: 0, completionTokens: 0 }],
		);
	});

	test('an empty question is an InvalidInputError', async () => {
		await assert.rejects(
			answerQuestion({ question: '  ', hits: [] }, settings(new ScriptedModel([]))),
			(error: unknown) =>
				error instanceof InvalidInputError && error.message === 'The question is empty',
		);
	});

	test('an empty model answer is a ServiceError', async () => {
		await assert.rejects(
			answerQuestion(
				{ question: 'q?', hits: hitsFromJson(retrieveItem.hits) },
				settings(new ScriptedModel(['  '])),
			),
			(error: unknown) =>
				error instanceof ServiceError && /returned an empty answer/.test(error.message),
		);
	});

	test('hits from a vector-store row shape are accepted; a hit without text is refused', () => {
		const [hit] = hitsFromJson([
			{ id: 'x1', path: 'a.ts', startLine: 2, endLine: 3, content: 'a\nb', score: 0.4 },
		]);
		assert.deepEqual(hit, {
			chunkId: 'x1',
			repo: undefined,
			ref: undefined,
			path: 'a.ts',
			startLine: 2,
			endLine: 3,
			symbol: null,
			language: undefined,
			score: 0.4,
			scores: undefined,
			text: 'a\nb',
		});
		assert.throws(() => hitsFromJson([{ path: 'a.ts' }]), /hits\[0\] \(a\.ts\) has no text/);
		assert.throws(() => hitsFromJson('nope'), /"hits" is not a list of hits/);
	});
});

describe('RetryingChatModel', () => {
	const httpError = (status: number, headers: Record<string, string> = {}) =>
		chatError(Object.assign(new Error(`HTTP ${status}`), { status, headers }), {
			modelId: 'test:scripted',
			target: 'x',
		});

	test('retries 429 honouring Retry-After and 5xx, then answers', async () => {
		const inner = new ScriptedModel([
			httpError(429, { 'retry-after': '0.05' }),
			httpError(500),
			'ok [1]',
		]);
		const delays: number[] = [];
		const model = new RetryingChatModel(inner, {
			retries: 3,
			baseDelayMs: 10,
			onRetry: (_e, _a, delay) => delays.push(delay),
		});
		const completion = await model.complete([{ role: 'user', content: 'hi' }]);
		assert.equal(completion.text, 'ok [1]');
		assert.equal(inner.calls.length, 3);
		assert.equal(delays[0], 50);
		assert.ok(delays[1] >= 5 && delays[1] <= 20);
	});

	test('gives up after the retries with a clear error naming the attempts', async () => {
		const inner = new ScriptedModel([httpError(429), httpError(429), httpError(429)]);
		const model = new RetryingChatModel(inner, { retries: 2, baseDelayMs: 1 });
		await assert.rejects(
			model.complete([{ role: 'user', content: 'hi' }]),
			(error: unknown) =>
				error instanceof RateLimitError &&
				error.message ===
					'Chat completion with test:scripted failed: rate limited (HTTP 429): HTTP 429 (gave up after 3 attempts)',
		);
	});

	test('a 400 is not retried', async () => {
		const inner = new ScriptedModel([httpError(400), 'never']);
		await assert.rejects(
			new RetryingChatModel(inner, { baseDelayMs: 1 }).complete([]),
			InvalidInputError,
		);
		assert.equal(inner.calls.length, 1);
	});
});

describe('summarizeChanges and explainFile', () => {
	test('areas: top-level folder, two levels under packages/, (root) last', () => {
		assert.deepEqual(
			['src/a.ts', 'packages/core/src/x.ts', 'README.md', 'docs/x.md', 'packages/x.json'].map(
				areaOf,
			),
			['src', 'packages/core', '(root)', 'docs', 'packages'],
		);
		assert.deepEqual(
			groupByArea([
				{ status: 'added', path: 'z.md' },
				{ status: 'modified', path: 'src/a.ts' },
				{ status: 'renamed', path: 'docs/b.md', previousPath: 'docs/a.md' },
			]).map((area) => [area.area, area.files]),
			[
				['docs', [{ status: 'renamed', path: 'docs/b.md', previousPath: 'docs/a.md' }]],
				['src', [{ status: 'modified', path: 'src/a.ts' }]],
				['(root)', [{ status: 'added', path: 'z.md' }]],
			],
		);
	});

	test('the file list and diffs are fenced sources; the answer is split into per-area summaries', async () => {
		const model = new ScriptedModel([
			'## docs\nThe guide was renamed [1].\n\n## src\nParsing got faster [2].\n\n## (root)\nA note [7].',
		]);
		const changes = [
			{ status: 'modified', path: 'src/parse.ts', diff: '@@ -1 +1 @@\n-slow()\n+fast()' },
			{ status: 'renamed', path: 'docs/b.md', previousPath: 'docs/a.md' },
			{ status: 'added', path: 'NOTES.md' },
		];
		const result = await summarizeChanges(changes, settings(model), 'Week 12');
		const { sources, question } = parsePrompt(model.calls[0][1].content);
		assert.deepEqual(sources, [
			{
				n: 1,
				label: 'changed files — 3 files in 3 areas',
				text: '## docs\n- renamed docs/b.md (from docs/a.md)\n## src\n- modified src/parse.ts\n## (root)\n- added NOTES.md',
			},
			{ n: 2, label: 'src/parse.ts — modified, diff', text: '@@ -1 +1 @@\n-slow()\n+fast()' },
		]);
		assert.equal(
			question,
			'Week 12: summarise the 3 changed files listed in source [1], one "## <area>" section per area in the order listed there.',
		);
		assert.deepEqual(
			result.areas.map((area) => [area.area, area.summary]),
			[
				['docs', 'The guide was renamed [1].'],
				['src', 'Parsing got faster [2].'],
				['(root)', 'A note.'],
			],
		);
		assert.deepEqual(result.invalidCitations, [{ text: '[7]', reason: 'not-retrieved' }]);
		await assert.rejects(summarizeChanges([], settings(model)), /no changed files/);
	});

	test('explainFile: the file is source [1]; hits of the same file are skipped; empty content refused', async () => {
		const model = new ScriptedModel(['It parses [1] using scan [2].']);
		const result = await explainFile(
			{
				path: 'lib/parse.js',
				content: 'line1\nline2',
				hits: hitsFromJson(retrieveItem.hits),
				focus: 'error handling',
			},
			settings(model),
		);
		const { sources, question } = parsePrompt(model.calls[0][1].content);
		assert.deepEqual(
			sources.map((source) => source.label),
			['lib/parse.js:1-2 — the file to explain', 'lib/scan.js:1-4'],
		);
		assert.equal(
			question,
			'Explain the file lib/parse.js (source [1]), focusing on: error handling',
		);
		assert.deepEqual(
			result.citations.map((citation) => [citation.n, citation.path, citation.chunkId]),
			[
				[1, 'lib/parse.js', null],
				[2, 'lib/scan.js', 'c2'],
			],
		);
		await assert.rejects(
			explainFile({ path: 'x.ts', content: ' ' }, settings(model)),
			/has no content to explain/,
		);
	});
});
