#!/usr/bin/env node
import { RepoMindError } from '../lib/errors';
import { ASK_USAGE, askCommand } from './ask-command';
import { EVAL_USAGE, evalCommand } from './eval-command';
import { SEARCH_USAGE, searchCommand } from './search-command';
import { SIMILAR_USAGE, similarCommand } from './similar';
import { UsageError } from './services';
import { syncCommand } from './sync';
import { SYNC_USAGE } from './sync-args';

const USAGE = `repomind — RepoMind from a terminal\n\nCommands:\n  sync    index one ref of a repository\n  search  ranked chunks of an indexed repository for a question\n  ask     a cited answer from an indexed repository, streamed\n  eval    evaluate retrieval and answers on a dataset\n  similar code similar to a file or line range, and its related files\n\n${SYNC_USAGE}\n\n${SEARCH_USAGE}\n\n${ASK_USAGE}\n\n${EVAL_USAGE}\n\n${SIMILAR_USAGE}`;

type Io = { out: (text: string) => void; err: (text: string) => void; write: (text: string) => void; env: NodeJS.ProcessEnv };

/** The commands besides sync: each resolves to its exit code (0 ok, 1 failure). */
const COMMANDS: Record<string, { usage: string; run: (args: string[], io: Io) => Promise<number> }> = {
	search: { usage: SEARCH_USAGE, run: async (args, io) => (await searchCommand(args, io.env, io.out), 0) },
	ask: { usage: ASK_USAGE, run: async (args, io) => (await askCommand(args, io.env, io.write), 0) },
	eval: {
		usage: EVAL_USAGE,
		run: async (args, io) => {
			const run = await evalCommand(args, io.env, io.out, io.err);
			const failed = run.results.filter((result) => result.error).length;
			if (run.results.length > 0 && failed === run.results.length) {
				io.err(`repomind eval: every item failed (${failed} of ${failed}); the first error: ${run.results[0].error}`);
				return 1;
			}
			return 0;
		},
	},
};

const processStreams: Pick<Io, 'write' | 'err'> = {
	write: (text) => process.stdout.write(text),
	err: (text) => process.stderr.write(`${text}\n`),
};

/** Runs the CLI; resolves to the exit code (0 ok, 1 failure, 2 usage). */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, streams: Pick<Io, 'write' | 'err'> = processStreams): Promise<number> {
	const [command, ...args] = argv;
	const io: Io = { out: (text) => streams.write(`${text}\n`), err: streams.err, write: streams.write, env };
	if (!command || command === '--help' || command === '-h' || command === 'help') {
		io.out(USAGE);
		return command ? 0 : 2;
	}
	if (command === 'sync') return syncCommand(args, io);
	if (command === 'similar') return similarCommand(args, io);
	const entry = COMMANDS[command];
	if (!entry) {
		io.err(`Unknown command "${command}"\n\n${USAGE}`);
		return 2;
	}
	if (args.includes('--help') || args.includes('-h')) {
		io.out(entry.usage);
		return 0;
	}
	try {
		return await entry.run(args, io);
	} catch (error) {
		const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
		io.err(`repomind ${command}: ${(error as Error).message}`);
		if (error instanceof RepoMindError && error.hint) io.err(error.hint);
		if (usage) io.err(`\n${entry.usage}`);
		return usage ? 2 : 1;
	}
}

if (require.main === module) {
	main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
