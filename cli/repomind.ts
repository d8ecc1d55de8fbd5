#!/usr/bin/env node
import { RepoMindError } from '../lib/errors';
import { EVAL_USAGE, evalCommand } from './eval-command';
import { UsageError } from './services';
import { SIMILAR_USAGE, similarCommand } from './similar';
import { syncCommand } from './sync';
import { SYNC_USAGE } from './sync-args';

const USAGE = `repomind — RepoMind from a terminal\n\nCommands:\n  sync    index one ref of a repository\n  eval    evaluate retrieval and answers on a dataset\n  similar code similar to a file or line range, and its related files\n\n${SYNC_USAGE}\n\n${EVAL_USAGE}\n\n${SIMILAR_USAGE}`;

/** Runs the CLI; resolves to the exit code (0 ok, 1 failure, 2 usage). */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
	const [command, ...args] = argv;
	const out = (text: string) => process.stdout.write(`${text}\n`);
	const err = (text: string) => process.stderr.write(`${text}\n`);
	if (!command || command === '--help' || command === '-h' || command === 'help') {
		out(USAGE);
		return command ? 0 : 2;
	}
	if (command === 'sync') return syncCommand(args, { out, err, env });
	if (command === 'similar') return similarCommand(args, { out, err, env });
	if (command !== 'eval') {
		err(`Unknown command "${command}"\n\n${USAGE}`);
		return 2;
	}
	if (args.includes('--help') || args.includes('-h')) {
		out(EVAL_USAGE);
		return 0;
	}
	try {
		await evalCommand(args, env, out, err);
		return 0;
	} catch (error) {
		const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
		err(`repomind eval: ${(error as Error).message}`);
		if (error instanceof RepoMindError && error.hint) err(error.hint);
		if (usage) err(`\n${EVAL_USAGE}`);
		return usage ? 2 : 1;
	}
}

if (require.main === module) {
	main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
