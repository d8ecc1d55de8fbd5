/**
 * `npm run smoke:codebases [-- --packages a,b] [-- --slice]`: indexes large, varied codebases that ship
 * inside npm packages (thousands of files: TypeScript, JavaScript, Python stubs, CSS, Markdown with
 * HTML and badges, minified and generated files, huge lines) end to end with the sync engine against
 * real MySQL and Chroma (default excludes off, so dist/ and minified files are indexed too): a full
 * run, then a no-op. No run may fail; files that cannot be indexed must
 * land in the failure ledger with their reason. Progress lines first; the last line is one JSON object.
 * `--slice` indexes one package with the default filter (for CI, about a minute).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { HashEmbedder } from '../lib/embed';
import { FileFilter } from '../lib/filter';
import { LocalGitSource } from '../lib/source';
import { syncRepository, type SyncReport } from '../lib/sync';
import { createIndexEnv, type IndexEnv } from '../test/support/index-env';

const run = promisify(execFile);
const log = (line: string) => process.stdout.write(`[smoke] ${line}\n`);

/** typeshed stubs and TOML (pyright), minified and ESM JavaScript, CSS and d.ts (monaco-editor), 200 grammars and 500 style sheets (highlight.js), multi-megabyte files (typescript). */
const DEFAULT_PACKAGES = ['pyright@1.1.414', 'monaco-editor@0.57.0', 'highlight.js@11.12.0', 'typescript@5.9.3'];
const SLICE_PACKAGES = ['highlight.js@11.12.0'];

interface CodebaseResult {
	package: string;
	files: number;
	indexed: number;
	skipped: Record<string, number>;
	/** Files the content filter took for secrets (to review for false positives). */
	secrets: Array<{ path: string; detail?: string }>;
	failed: Array<{ path: string; step: string; error: string }>;
	chunks: number;
	status: string;
	fullMs: number;
	noopMs: number;
	/** The no-op run reports the same skipped files and nothing to do. */
	noopConsistent: boolean;
	error?: string;
}

/** Downloads a package tarball with `npm pack` and commits its files into a new git repository. */
async function packageRepository(spec: string, root: string): Promise<string> {
	const folder = mkdtempSync(join(root, 'pkg-'));
	const { stdout } = await run('npm', ['pack', spec, '--silent', '--pack-destination', folder], { maxBuffer: 16 * 1024 * 1024 });
	const tarball = join(folder, stdout.trim().split('\n').pop()!);
	const repo = join(folder, 'repo');
	mkdirSync(repo);
	await run('tar', ['xzf', tarball, '--strip-components=1', '-C', repo]);
	const git = (...args: string[]) => run('git', ['-c', 'user.name=smoke', '-c', 'user.email=smoke@localhost', ...args], { cwd: repo, maxBuffer: 64 * 1024 * 1024 });
	await git('init', '-q', '-b', 'main');
	await git('add', '-A');
	await git('commit', '-q', '-m', `npm pack ${spec}`);
	return repo;
}

async function syncOnce(env: IndexEnv, repo: string, key: string): Promise<{ report: SyncReport; ms: number }> {
	const source = new LocalGitSource({ path: repo, repoKey: key });
	const started = performance.now();
	try {
		return { report: await syncRepository(source, env.deps, { ref: 'main' }), ms: Math.round(performance.now() - started) };
	} finally {
		await source.close();
	}
}

async function smoke(spec: string, env: IndexEnv, root: string): Promise<CodebaseResult> {
	const result: CodebaseResult = { package: spec, files: 0, indexed: 0, skipped: {}, secrets: [], failed: [], chunks: 0, status: 'failed', fullMs: 0, noopMs: 0, noopConsistent: false };
	try {
		const repo = await packageRepository(spec, root);
		const key = `npm:${spec}`;
		const full = await syncOnce(env, repo, key);
		const noop = await syncOnce(env, repo, key);
		const { report } = full;
		for (const file of report.skipped) result.skipped[file.reason] = (result.skipped[file.reason] ?? 0) + 1;
		result.secrets = report.skipped.filter((file) => file.reason === 'secret-content').map(({ path, detail }) => ({ path, detail }));
		Object.assign(result, {
			files: report.filesSeen,
			indexed: report.filesChanged,
			failed: report.failed.map(({ path, step, error }) => ({ path, step, error })),
			chunks: report.chunksUpserted,
			status: report.status,
			fullMs: full.ms,
			noopMs: noop.ms,
			noopConsistent: noop.report.filesSkipped === report.filesSkipped && noop.report.filesUnchanged === report.filesChanged && noop.report.chunksUpserted === 0 && noop.report.embedded === 0,
		});
		log(`${spec}: ${result.files} files, ${result.indexed} indexed, ${report.filesSkipped} skipped ${JSON.stringify(result.skipped)}, ${result.failed.length} in the ledger, ${result.chunks} chunks, ${result.fullMs} ms (no-op ${result.noopMs} ms)`);
		for (const entry of result.failed) log(`  ledger: ${entry.path} at ${entry.step}: ${entry.error}`);
		for (const entry of result.secrets) log(`  secret-content: ${entry.path} (${entry.detail})`);
	} catch (error) {
		result.error = error instanceof Error ? error.message : String(error);
		log(`${spec}: RUN FAILED: ${result.error}`);
	}
	return result;
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const listed = args.includes('--packages') ? args[args.indexOf('--packages') + 1].split(',') : undefined;
	const slice = args.includes('--slice');
	const packages = listed ?? (slice ? SLICE_PACKAGES : DEFAULT_PACKAGES);
	const root = mkdtempSync(join(tmpdir(), 'repomind-smoke-'));
	const env = await createIndexEnv({ embedder: new HashEmbedder({ dimensions: 256 }), chunker: {} });
	// Packages ship their sources in dist/ and minified: index those too (the default excludes would skip
	// them). The CI slice keeps the default filter, which halves its time.
	if (!slice) env.deps = { ...env.deps, filter: new FileFilter({ useDefaultExcludes: false }) };
	const started = performance.now();
	const results: CodebaseResult[] = [];
	try {
		for (const spec of packages) results.push(await smoke(spec, env, root));
	} finally {
		await env.close();
		for (const entry of readdirSync(root)) rmSync(join(root, entry), { recursive: true, force: true });
		rmSync(root, { recursive: true, force: true });
	}
	const runsFailed = results.filter((result) => result.error !== undefined).length;
	const inconsistent = results.filter((result) => result.error === undefined && !result.noopConsistent).length;
	const summary = {
		codebases: results.length,
		files: results.reduce((sum, result) => sum + result.files, 0),
		indexed: results.reduce((sum, result) => sum + result.indexed, 0),
		chunks: results.reduce((sum, result) => sum + result.chunks, 0),
		ledger: results.reduce((sum, result) => sum + result.failed.length, 0),
		runsFailed,
		noopInconsistent: inconsistent,
		totalMs: Math.round(performance.now() - started),
		results,
	};
	process.stdout.write(`${JSON.stringify(summary)}\n`);
	process.exitCode = runsFailed + inconsistent > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
	process.stderr.write(`[smoke] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exitCode = 1;
});
