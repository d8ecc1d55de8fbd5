import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { countTokens } from '../../lib/chunk/tokens';
import { FileFilter } from '../../lib/filter';
import { buildRepoMap } from '../../lib/repomap';
import { GitHubSource, LocalGitSource } from '../../lib/source';
import { Generate } from '../../nodes/Generate/Generate.node.js';
import { RepoFetch } from '../../nodes/RepoFetch/RepoFetch.node.js';
import { startChatServer, type ChatServer } from '../support/chat-server';
import { runNodeOk } from '../support/fake-execute';
import { GitRepo } from '../support/git-repo';
import { startGitHubServer, type GitHubServer } from '../support/github-server';

const TOKEN = 'ghp_repomap_test_VALID_0c4e9a7d2b';
const SECRET_LINE = 'export const token = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";\n';
const FIRST = {
	'src/index.ts': "import { parse } from './parser';\nimport { log } from './util/log';\n\nexport function run(input: string): string {\n\tlog('run');\n\treturn parse(input).join(',');\n}\n",
	'src/parser.ts': "import { log } from './util/log';\nimport { Token } from './token';\n\nexport function parse(input: string): Token[] {\n\tlog('parse');\n\treturn input.split(' ').map((text) => new Token(text));\n}\n",
	'src/token.ts': 'export class Token {\n\tconstructor(readonly text: string) {}\n\n\tlength(): number {\n\t\treturn this.text.length;\n\t}\n}\n',
	'src/util/log.ts': 'export function log(message: string): void {\n\tconsole.log(message);\n}\n',
	'src/legacy/old.ts': "import { log } from '../util/log';\nimport { Token } from '../token';\n\nexport const old = (): Token => {\n\tlog('old');\n\treturn new Token('old');\n};\n",
	'src/keys.ts': `import { log } from './util/log';\n${SECRET_LINE}`,
	'tools/report.py': 'from helpers import fmt\n\n\ndef report(rows):\n    return [fmt(row) for row in rows]\n',
	'tools/helpers.py': 'def fmt(row):\n    return str(row)\n',
	'README.md': '# Parser\n',
};

describe('repository map of a real repository', () => {
	let repo: GitRepo;
	let github: GitHubServer;
	let first: string;
	let head: string;

	before(async () => {
		repo = await GitRepo.create();
		await repo.writeFiles(FIRST);
		first = await repo.commit('first');
		await repo.writeFiles({ 'src/index.ts': `${FIRST['src/index.ts']}export { Token } from './token';\n` });
		await repo.deleteFiles(['src/legacy/old.ts']);
		head = await repo.commit('second');
		github = await startGitHubServer({ repoPath: repo.path, repo: 'parser', token: TOKEN });
	});
	after(async () => {
		await github.close();
		await repo.dispose();
	});

	test('edges, ranks and outline at a ref; secret files are not read', async () => {
		const source = new LocalGitSource({ path: repo.path, repoKey: 'local:parser' });
		try {
			const map = await buildRepoMap(source, first, new FileFilter());
			assert.equal(map.commit, first);
			assert.deepEqual(
				map.edges.map((edge) => `${edge.from} -> ${edge.to}`),
				[
					'src/index.ts -> src/parser.ts',
					'src/index.ts -> src/util/log.ts',
					'src/legacy/old.ts -> src/token.ts',
					'src/legacy/old.ts -> src/util/log.ts',
					'src/parser.ts -> src/token.ts',
					'src/parser.ts -> src/util/log.ts',
					'tools/report.py -> tools/helpers.py',
				],
			);
			assert.deepEqual(
				map.files.map((file) => [file.path, file.importedBy]),
				[
					['src/util/log.ts', 3],
					['src/token.ts', 2],
					['tools/helpers.py', 1],
					['src/parser.ts', 1],
					['src/index.ts', 0],
					['src/legacy/old.ts', 0],
					['tools/report.py', 0],
				],
			);
			assert.equal(map.tokens, countTokens(map.outline));
			assert.match(map.outline, /\nsrc\/util\/log\.ts \[rank 0\.\d{4}, imported by 3\]\n {2}export function log\(message: string\): void \[3 refs\]\n/);
			assert.match(map.outline, /\nsrc\/token\.ts \[rank 0\.\d{4}, imported by 2\]\n {2}export class Token \[4 refs\]\n/);
			assert.doesNotMatch(map.outline + map.mermaid, /keys\.ts|ghp_/);
		} finally {
			await source.close();
		}
	});

	test('the head commit, from GitHub and the local clone alike; exclude globs drop files and links', async () => {
		const local = new LocalGitSource({ path: repo.path, repoKey: 'github:octo-org/parser' });
		const remote = new GitHubSource({ owner: 'octo-org', repo: 'parser', token: TOKEN, baseUrl: github.baseUrl });
		try {
			const fromGitHub = await buildRepoMap(remote, 'main', new FileFilter());
			assert.deepEqual(fromGitHub, await buildRepoMap(local, 'main', new FileFilter()));
			assert.equal(fromGitHub.commit, head);
			assert.deepEqual(
				fromGitHub.edges.filter((edge) => edge.from === 'src/index.ts'),
				[
					{ from: 'src/index.ts', to: 'src/parser.ts', specifier: './parser' },
					{ from: 'src/index.ts', to: 'src/token.ts', specifier: './token' },
					{ from: 'src/index.ts', to: 'src/util/log.ts', specifier: './util/log' },
				],
			);
			const withoutTools = await buildRepoMap(local, 'main', new FileFilter({ exclude: ['tools/**'] }));
			assert.deepEqual(
				withoutTools.files.map((file) => file.path),
				['src/token.ts', 'src/util/log.ts', 'src/parser.ts', 'src/index.ts'],
			);
		} finally {
			await local.close();
		}
	});

	test('Repo Fetch "Repository Map" outputs one item per input; Generate puts the outline before the sources', async () => {
		const [item] = await runNodeOk(new RepoFetch(), {
			parameters: {
				operation: 'repositoryMap',
				source: 'local',
				repositoryPath: repo.path,
				repositoryKey: 'local:parser',
				ref: 'main',
				mapOptions: { maxTokens: 120, maxDiagramNodes: 3, focusPaths: 'src/index.ts' },
			},
		});
		assert.deepEqual(item.pairedItem, { item: 0 });
		assert.deepEqual(Object.keys(item.json), ['repo', 'ref', 'commit', 'mermaid', 'outline', 'files', 'edges', 'tokens']);
		assert.equal(item.json.repo, 'local:parser');
		assert.equal(item.json.commit, head);
		assert.ok((item.json.tokens as number) <= 120);
		assert.equal(
			item.json.mermaid,
			[
				'flowchart LR',
				'    %% 3 of 6 modules, 2 of 6 import links',
				'    subgraph d0["src/ · 3 of 4 modules"]',
				'        subgraph d1["util/ · 1 module"]',
				'            f2["log.ts"]',
				'        end',
				'        f0["index.ts"]',
				'        f1["token.ts"]',
				'    end',
				'    f0 --> f1',
				'    f0 --> f2',
			].join('\n'),
		);
		assert.equal((item.json.files as Array<{ path: string }>)[0].path, 'src/index.ts', 'focus leads the ranking');

		const server: ChatServer = await startChatServer();
		try {
			const [answer] = await runNodeOk(new Generate(), {
				items: [{ question: 'Which module does everything depend on?', hits: [{ chunkId: 'c1', path: 'src/util/log.ts', startLine: 1, endLine: 3, text: 'export function log(message: string): void {}' }], outline: item.json.outline }],
				parameters: { operation: 'answer', openAiChatModel: 'test-chat', logQuery: false, options: { retries: 0, outline: '={{ $json.outline }}' } },
				credentials: { repoMindOpenAiApi: { apiKey: 'sk-test', baseUrl: `${server.url}/v1/` } },
			});
			const [request] = server.requests;
			const fence = /BEGIN UNTRUSTED DATA ([A-Za-z0-9_-]+)/.exec(request.user)![1];
			assert.ok(request.user.startsWith(`Repository map:\n----- BEGIN UNTRUSTED DATA ${fence} -----\n${item.json.outline as string}\n----- END UNTRUSTED DATA ${fence} -----\n\nSources:\n\n[1] src/util/log.ts:1-3\n`));
			assert.match(request.system, /repository map/);
			assert.deepEqual(request.sources.map((source) => source.n), [1]);
			assert.equal(answer.json.sourcesUsed, 1);
		} finally {
			await server.close();
		}
	});
});
