import { parsePrompt, wordsOf, type ChatRequestLog } from './chat-server';

/**
 * Deterministic LLM-judge verdicts for the local chat stand-in (`chat.reply = judge.reply`): judge
 * prompts of lib/evaluate get a JSON verdict computed from the prompt, other requests fall through to
 * the stand-in's normal answer.
 *
 * - faithfulness: each sentence of the answer is a claim; it is supported when it cites `[n]` and every
 *   cited n is a retrieved source; score = supported / claims.
 * - answer relevance: the share of the question's words found in the answer, rounded to 2 decimals.
 */
export interface JudgeStandIn {
	reply(request: ChatRequestLog): string | undefined;
	/** The next `count` verdicts for questions containing `text` are malformed. */
	malformFor(text: string, count: number): void;
	/** Judge requests seen, by task. */
	calls: Array<{ task: 'faithfulness' | 'answerRelevance'; question: string; malformed: boolean }>;
}

const FENCED = (label: string) => new RegExp(`${label}:\\n----- BEGIN UNTRUSTED DATA ([A-Za-z0-9_-]+) -----\\n([\\s\\S]*?)\\n----- END UNTRUSTED DATA \\1 -----`);

/** Start recording judge verdicts; plug `reply` into a ChatServer. */
export function judgeStandIn(): JudgeStandIn {
	const malformed = new Map<string, number>();
	const state: JudgeStandIn = {
		calls: [],
		malformFor(text, count) {
			malformed.set(text, count);
		},
		reply(request) {
			if (!request.system.startsWith('You are a strict evaluator')) return undefined;
			const task = request.system.includes('Task: faithfulness') ? 'faithfulness' : 'answerRelevance';
			const user = request.user.split('\nThat reply is not a valid verdict')[0];
			const question = FENCED('Question to judge').exec(user)?.[2] ?? '';
			const answer = FENCED('Answer to judge').exec(user)?.[2] ?? '';
			const key = [...malformed.keys()].find((text) => question.includes(text));
			if (key && malformed.get(key)! > 0) {
				malformed.set(key, malformed.get(key)! - 1);
				state.calls.push({ task, question, malformed: true });
				return task === 'faithfulness' ? 'The answer looks faithful to me.' : '{"score": "high", "reason": "on topic"}';
			}
			state.calls.push({ task, question, malformed: false });
			return JSON.stringify(task === 'faithfulness' ? faithfulness(answer, user) : relevance(question, answer));
		},
	};
	return state;
}

function faithfulness(answer: string, user: string) {
	const sourceNumbers = new Set(parsePrompt(`${user.slice(user.indexOf('Retrieved text:'))}`).sources.map((source) => source.n));
	const claims = answer
		.split(/(?<=[.!?])\s+/)
		.map((sentence) => sentence.trim())
		.filter(Boolean)
		.map((claim) => {
			const cited = [...claim.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
			return { claim, supported: cited.length > 0 && cited.every((n) => sourceNumbers.has(n)) };
		});
	const supported = claims.filter((claim) => claim.supported).length;
	const score = claims.length ? supported / claims.length : 1;
	return { score, reason: `${supported} of ${claims.length} claims cite retrieved sources.`, claims };
}

function relevance(question: string, answer: string) {
	const asked = wordsOf(question);
	const answered = wordsOf(answer);
	const shared = [...asked].filter((word) => answered.has(word)).length;
	const score = asked.size ? Math.round((shared / asked.size) * 100) / 100 : 0;
	return { score, reason: `${shared} of ${asked.size} question words are addressed.` };
}

/** The verdict the stand-in gives, computed the same way (for expected values in tests). */
export const standInVerdict = { faithfulness, relevance };
