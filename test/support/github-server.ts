/**
 * A local stand-in for the GitHub REST API, answering from a real git repository on disk through
 * the git CLI. It serves the routes RepoMind uses, with bodies typed by GitHub's OpenAPI schemas,
 * and can simulate bad or under-privileged tokens, rate limits, truncated trees and capped
 * comparisons. It counts requests per route so tests can assert what was fetched.
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { components } from '@octokit/openapi-types';
import { PULL_ROUTES, PullRequestStore, type PullRoute } from './github-pulls';

type Schemas = components['schemas'];

export const GITHUB_ROUTES = [
	'GET /repos/{owner}/{repo}',
	'GET /repos/{owner}/{repo}/commits/{ref}',
	'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
	'GET /repos/{owner}/{repo}/git/blobs/{file_sha}',
	'GET /repos/{owner}/{repo}/compare/{basehead}',
	'GET /user',
	'GET /rate_limit',
] as const;
export type GitHubRoute = (typeof GITHUB_ROUTES)[number];

export interface GitHubServerOptions {
	/** The git repository (working copy or bare) the API answers from. */
	repoPath: string;
	/** Default `octo-org`. */
	owner?: string;
	/** Default `sample`. */
	repo?: string;
	/** When set, requests must carry this token: a wrong token gets 401, none gets 401 / 404. */
	token?: string;
	/** A token that is accepted but lacks `contents: read`: repository content routes answer 403. */
	noAccessToken?: string;
	/** A recursive tree listing with more entries than this answers `truncated: true`. */
	maxTreeEntries?: number;
	/** Files listed in a comparison at most (GitHub: 300). */
	compareFileLimit?: number;
}

export interface RateLimitPlan {
	/** How many of the next requests are refused. */
	requests: number;
	/** `primary`: 403 with x-ratelimit-remaining 0; `secondary`: 429 with retry-after. */
	kind: 'primary' | 'secondary';
	/** Seconds until the limit clears (reset or retry-after). Default 1. */
	retryAfterSeconds?: number;
}

export interface GitHubServer {
	/** API base URL for Octokit, e.g. `http://127.0.0.1:40123`. */
	baseUrl: string;
	/** Requests received per route (including refused ones). */
	requests: Record<GitHubRoute, number>;
	/** Options in effect; tests may change them between requests. */
	options: GitHubServerOptions;
	/** Refuse the next requests with a rate-limit answer (not `GET /rate_limit`). */
	rateLimitNext(plan: RateLimitPlan): void;
	/** Set every request counter back to 0. */
	resetRequests(): void;
	/** Pull requests (number -> base and head), and the reviews and issue comments posted. */
	pulls: PullRequestStore;
	/** Requests received per pull request / issue comment route. */
	pullRequests: Record<PullRoute, number>;
	close(): Promise<void>;
}

interface Answer {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

const DOCS = 'https://docs.github.com/rest';
const CREATED_AT = '2024-01-01T00:00:00Z';
const GIT_ENV = { ...process.env, LC_ALL: 'C', GIT_CONFIG_NOSYSTEM: '1' };
let requestCounter = 1;

/** Start the stand-in on 127.0.0.1 at a free port. */
export async function startGitHubServer(options: GitHubServerOptions): Promise<GitHubServer> {
	const counters = GITHUB_ROUTES.map((route) => [route, 0]);
	const requests = Object.fromEntries(counters) as GitHubServer['requests'];
	let rateLimit: (RateLimitPlan & { remaining: number }) | undefined;
	const httpServer = createServer((request, response) => {
		handle(request).then(
			(answer) => send(response, answer),
			(error: Error) => send(response, { status: 500, body: { message: error.message } }),
		);
	});
	const server: GitHubServer = {
		baseUrl: '',
		requests,
		options,
		rateLimitNext: (plan) => (rateLimit = { ...plan, remaining: plan.requests }),
		resetRequests: () => GITHUB_ROUTES.forEach((route) => (requests[route] = 0)),
		pulls: new PullRequestStore(options.repoPath, `https://github.com/${options.owner ?? 'octo-org'}/${options.repo ?? 'sample'}`),
		pullRequests: Object.fromEntries(PULL_ROUTES.map((route) => [route, 0])) as Record<PullRoute, number>,
		close: () => new Promise((resolve) => httpServer.close(() => resolve())),
	};

	async function handle(request: IncomingMessage): Promise<Answer> {
		const url = new URL(request.url ?? '/', server.baseUrl);
		const pullMatch = PullRequestStore.match(request.method ?? 'GET', url.pathname.split('/').slice(1).map(decodeURIComponent));
		if (pullMatch) {
			server.pullRequests[pullMatch.route]++;
			const parts = url.pathname.split('/');
			const api = new RepositoryApi(server.options, server.baseUrl);
			if (authorize(server.options, request.headers.authorization) !== 'ok' || !api.isRepository(parts[2], parts[3])) return notFound();
			if (rateLimit && rateLimit.remaining > 0) {
				rateLimit.remaining--;
				return rateLimited(rateLimit);
			}
			return server.pulls.handle(pullMatch.route, pullMatch.id, request);
		}
		const match = matchRoute(request.method ?? 'GET', url.pathname);
		if (!match) return notFound();
		requests[match.route]++;
		const api = new RepositoryApi(server.options, server.baseUrl);
		const auth = authorize(server.options, request.headers.authorization);
		if (auth === 'bad') return error(401, 'Bad credentials');
		if (auth === 'anonymous' && match.route === 'GET /user') {
			return error(401, 'Requires authentication');
		}
		if (match.route === 'GET /rate_limit') return { status: 200, body: rateLimitBody() };
		if (rateLimit && rateLimit.remaining > 0) {
			rateLimit.remaining--;
			return rateLimited(rateLimit);
		}
		if (match.route === 'GET /user') return { status: 200, body: userBody('repomind-bot', 1) };
		if (!api.isRepository(match.params.owner, match.params.repo) || auth === 'anonymous') {
			return notFound();
		}
		if (match.route === 'GET /repos/{owner}/{repo}') {
			return { status: 200, body: await api.repository() };
		}
		if (auth === 'no-access') {
			const headers = { 'x-accepted-github-permissions': 'contents=read' };
			return { ...error(403, 'Resource not accessible by integration'), headers };
		}
		const accept = request.headers.accept ?? '';
		switch (match.route) {
			case 'GET /repos/{owner}/{repo}/commits/{ref}':
				return api.commit(match.params.ref, accept.includes('.sha'));
			case 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}':
				return api.tree(match.params.tree_sha, url.searchParams.has('recursive'));
			case 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}':
				return api.blob(match.params.file_sha);
			default:
				return api.compare(match.params.basehead);
		}
	}

	await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
	server.baseUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
	return server;
}

function matchRoute(
	method: string,
	pathname: string,
): { route: GitHubRoute; params: Record<string, string> } | undefined {
	if (method !== 'GET') return undefined;
	if (pathname === '/user') return { route: 'GET /user', params: {} };
	if (pathname === '/rate_limit') return { route: 'GET /rate_limit', params: {} };
	const parts = pathname.split('/').slice(1).map(decodeURIComponent);
	if (parts[0] !== 'repos' || parts.length < 3) return undefined;
	const params: Record<string, string> = { owner: parts[1], repo: parts[2] };
	const rest = parts.slice(3);
	const routes: [GitHubRoute, string[], string?][] = [
		['GET /repos/{owner}/{repo}', []],
		['GET /repos/{owner}/{repo}/commits/{ref}', ['commits'], 'ref'],
		['GET /repos/{owner}/{repo}/git/trees/{tree_sha}', ['git', 'trees'], 'tree_sha'],
		['GET /repos/{owner}/{repo}/git/blobs/{file_sha}', ['git', 'blobs'], 'file_sha'],
		['GET /repos/{owner}/{repo}/compare/{basehead}', ['compare'], 'basehead'],
	];
	for (const [route, prefix, param] of routes) {
		if (prefix.some((segment, i) => rest[i] !== segment)) continue;
		const tail = rest.slice(prefix.length);
		if (!param && tail.length === 0) return { route, params };
		if (param && tail.length >= 1) return { route, params: { ...params, [param]: tail.join('/') } };
	}
	return undefined;
}

function authorize(options: GitHubServerOptions, header: string | undefined) {
	const token = header?.replace(/^(token|bearer)\s+/i, '');
	if (!token) return options.token ? ('anonymous' as const) : ('ok' as const);
	if (token === options.noAccessToken) return 'no-access' as const;
	if (options.token && token !== options.token) return 'bad' as const;
	return 'ok' as const;
}

function send(response: ServerResponse, answer: Answer): void {
	const reset = Math.ceil(Date.now() / 1000) + 3600;
	const textBody = typeof answer.body === 'string';
	const mediaType = textBody ? 'application/vnd.github.sha' : 'application/json';
	response.writeHead(answer.status, {
		'content-type': `${mediaType}; charset=utf-8`,
		'x-github-media-type': textBody ? 'github.v3; param=sha' : 'github.v3; format=json',
		'x-github-api-version-selected': '2022-11-28',
		'x-github-request-id': `REPOMIND:${(requestCounter++).toString(16).toUpperCase()}`,
		'x-ratelimit-limit': '5000',
		'x-ratelimit-remaining': '4999',
		'x-ratelimit-reset': String(reset),
		'x-ratelimit-used': '1',
		'x-ratelimit-resource': 'core',
		...answer.headers,
	});
	response.end(textBody ? answer.body : JSON.stringify(answer.body));
}

function error(status: number, message: string): Answer {
	const body: Schemas['basic-error'] = { message, documentation_url: DOCS, status: String(status) };
	return { status, body };
}

function notFound(): Answer {
	return error(404, 'Not Found');
}

function rateLimited(plan: RateLimitPlan): Answer {
	const seconds = plan.retryAfterSeconds ?? 1;
	if (plan.kind === 'secondary') {
		const message =
			'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
		return { ...error(429, message), headers: { 'retry-after': String(seconds) } };
	}
	const reset = String(Math.ceil(Date.now() / 1000) + seconds);
	return {
		...error(403, 'API rate limit exceeded for user ID 1.'),
		headers: {
			'x-ratelimit-remaining': '0',
			'x-ratelimit-used': '5000',
			'x-ratelimit-reset': reset,
		},
	};
}

function rateLimitBody(): Schemas['rate-limit-overview'] {
	const reset = Math.ceil(Date.now() / 1000) + 3600;
	const core = { limit: 5000, remaining: 4999, reset, used: 1 };
	const search = { limit: 30, remaining: 30, reset, used: 0 };
	return { resources: { core, search }, rate: core };
}

function userBody(login: string, id: number): Schemas['simple-user'] & Schemas['public-user'] {
	const url = `https://api.github.com/users/${login}`;
	return {
		login,
		id,
		node_id: Buffer.from(`04:User${id}`).toString('base64'),
		avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
		gravatar_id: '',
		url,
		html_url: `https://github.com/${login}`,
		followers_url: `${url}/followers`,
		following_url: `${url}/following{/other_user}`,
		gists_url: `${url}/gists{/gist_id}`,
		starred_url: `${url}/starred{/owner}{/repo}`,
		subscriptions_url: `${url}/subscriptions`,
		organizations_url: `${url}/orgs`,
		repos_url: `${url}/repos`,
		events_url: `${url}/events{/privacy}`,
		received_events_url: `${url}/received_events`,
		type: 'User',
		site_admin: false,
		name: null,
		company: null,
		blog: null,
		location: null,
		email: null,
		hireable: null,
		bio: null,
		public_repos: 1,
		public_gists: 0,
		followers: 0,
		following: 0,
		created_at: CREATED_AT,
		updated_at: CREATED_AT,
	};
}

const REPOSITORY_URL_TEMPLATES = {
	archive_url: '/{archive_format}{/ref}',
	assignees_url: '/assignees{/user}',
	blobs_url: '/git/blobs{/sha}',
	branches_url: '/branches{/branch}',
	collaborators_url: '/collaborators{/collaborator}',
	comments_url: '/comments{/number}',
	commits_url: '/commits{/sha}',
	compare_url: '/compare/{base}...{head}',
	contents_url: '/contents/{+path}',
	contributors_url: '/contributors',
	deployments_url: '/deployments',
	downloads_url: '/downloads',
	events_url: '/events',
	forks_url: '/forks',
	git_commits_url: '/git/commits{/sha}',
	git_refs_url: '/git/refs{/sha}',
	git_tags_url: '/git/tags{/sha}',
	hooks_url: '/hooks',
	issue_comment_url: '/issues/comments{/number}',
	issue_events_url: '/issues/events{/number}',
	issues_url: '/issues{/number}',
	keys_url: '/keys{/key_id}',
	labels_url: '/labels{/name}',
	languages_url: '/languages',
	merges_url: '/merges',
	milestones_url: '/milestones{/number}',
	notifications_url: '/notifications{?since,all,participating}',
	pulls_url: '/pulls{/number}',
	releases_url: '/releases{/id}',
	stargazers_url: '/stargazers',
	statuses_url: '/statuses/{sha}',
	subscribers_url: '/subscribers',
	subscription_url: '/subscription',
	tags_url: '/tags',
	teams_url: '/teams',
	trees_url: '/git/trees{/sha}',
} as const;

/** Answers for one repository, computed with the git CLI. */
class RepositoryApi {
	private readonly owner: string;
	private readonly repo: string;
	private readonly api: string;
	private readonly web: string;

	constructor(
		private readonly options: GitHubServerOptions,
		baseUrl: string,
	) {
		this.owner = options.owner ?? 'octo-org';
		this.repo = options.repo ?? 'sample';
		this.api = `${baseUrl}/repos/${this.owner}/${this.repo}`;
		this.web = `https://github.com/${this.owner}/${this.repo}`;
	}

	isRepository(owner: string, repo: string): boolean {
		const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
		return same(owner, this.owner) && same(repo, this.repo);
	}

	async repository(): Promise<Schemas['full-repository']> {
		const defaultBranch = (await this.gitText(['symbolic-ref', '--short', 'HEAD'])) || 'main';
		const objects = await this.gitText(['count-objects', '-v']);
		const size = Number(objects.match(/size-pack: (\d+)/)?.[1] ?? 0);
		const urls = Object.fromEntries(
			Object.entries(REPOSITORY_URL_TEMPLATES).map(([field, path]) => [field, this.api + path]),
		) as Record<keyof typeof REPOSITORY_URL_TEMPLATES, string>;
		const fullName = `${this.owner}/${this.repo}`;
		return {
			...urls,
			id: 1296269,
			node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5',
			name: this.repo,
			full_name: fullName,
			owner: userBody(this.owner, 583231),
			private: Boolean(this.options.token),
			html_url: this.web,
			description: null,
			fork: false,
			url: this.api,
			git_url: `git://github.com/${fullName}.git`,
			ssh_url: `git@github.com:${fullName}.git`,
			clone_url: `${this.web}.git`,
			svn_url: this.web,
			mirror_url: null,
			homepage: null,
			language: null,
			forks_count: 0,
			stargazers_count: 0,
			watchers_count: 0,
			size,
			default_branch: defaultBranch,
			open_issues_count: 0,
			has_issues: true,
			has_projects: false,
			has_wiki: false,
			has_pages: false,
			has_discussions: false,
			archived: false,
			disabled: false,
			visibility: this.options.token ? 'private' : 'public',
			pushed_at: CREATED_AT,
			created_at: CREATED_AT,
			updated_at: CREATED_AT,
			permissions: { admin: false, maintain: false, push: false, triage: false, pull: true },
			subscribers_count: 0,
			network_count: 0,
			license: null,
			forks: 0,
			open_issues: 0,
			watchers: 0,
		};
	}

	async commit(ref: string, shaOnly: boolean): Promise<Answer> {
		const sha = await this.resolve(ref);
		if (!sha) return error(422, `No commit found for SHA: ${ref}`);
		if (shaOnly) return { status: 200, body: sha };
		const body = await this.commitBody(sha);
		const emptyTree = () => this.gitText(['hash-object', '-t', 'tree', '/dev/null']);
		const files = await this.diffEntries(body.parents[0]?.sha ?? (await emptyTree()), sha);
		const additions = files.reduce((sum, file) => sum + file.additions, 0);
		const deletions = files.reduce((sum, file) => sum + file.deletions, 0);
		const stats = { additions, deletions, total: additions + deletions };
		return { status: 200, body: { ...body, stats, files } };
	}

	async tree(treeIsh: string, recursive: boolean): Promise<Answer> {
		const treeSha = await this.resolve(treeIsh, 'tree');
		if (!treeSha) return notFound();
		const depth = recursive ? ['-r', '-t'] : [];
		const args = ['ls-tree', '-z', '-l', ...depth, '--end-of-options', treeSha];
		const listing = await this.gitText(args);
		const items: Schemas['git-tree']['tree'] = [];
		for (const line of listing.split('\0').filter(Boolean)) {
			const tab = line.indexOf('\t');
			const [mode, type, sha, size] = line.slice(0, tab).split(/ +/);
			const kind = type === 'blob' ? 'blobs' : type === 'tree' ? 'trees' : undefined;
			items.push({
				path: line.slice(tab + 1),
				mode,
				type,
				sha,
				...(type === 'blob' ? { size: Number(size) } : {}),
				...(kind ? { url: `${this.api}/git/${kind}/${sha}` } : {}),
			});
		}
		const cap = this.options.maxTreeEntries;
		const truncated = recursive && cap !== undefined && items.length > cap;
		const body: Schemas['git-tree'] = {
			sha: treeSha,
			url: `${this.api}/git/trees/${treeSha}`,
			tree: truncated ? items.slice(0, cap) : items,
			truncated,
		};
		return { status: 200, body };
	}

	async blob(sha: string): Promise<Answer> {
		const type = await this.git(['cat-file', '-t', '--end-of-options', sha]);
		if (type.code !== 0 || type.text.trim() !== 'blob') return notFound();
		const content = (await this.git(['cat-file', 'blob', sha])).stdout;
		const base64 = content.toString('base64').replace(/.{60}/g, '$&\n');
		const body: Schemas['blob'] = {
			sha,
			node_id: Buffer.from(`blob:${sha}`).toString('base64'),
			size: content.length,
			url: `${this.api}/git/blobs/${sha}`,
			content: base64.endsWith('\n') || !base64 ? base64 : `${base64}\n`,
			encoding: 'base64',
		};
		return { status: 200, body };
	}

	async compare(basehead: string): Promise<Answer> {
		const [baseRef, headRef] = basehead.split('...');
		const base = baseRef && (await this.resolve(baseRef));
		const head = headRef && (await this.resolve(headRef));
		if (!base || !head) return notFound();
		const mergeBase = await this.gitText(['merge-base', base, head]);
		if (!mergeBase) return error(404, `No common ancestor between ${baseRef} and ${headRef}.`);
		const count = async (commits: string) =>
			Number(await this.gitText(['rev-list', '--count', commits]));
		const aheadBy = await count(`${mergeBase}..${head}`);
		const behindBy = await count(`${mergeBase}..${base}`);
		const status =
			aheadBy && behindBy ? 'diverged' : aheadBy ? 'ahead' : behindBy ? 'behind' : 'identical';
		const range = `${mergeBase}..${head}`;
		const shas = await this.gitText(['rev-list', '--reverse', '--max-count=250', range]);
		const commits = await Promise.all(
			shas.split('\n').filter(Boolean).map((sha) => this.commitBody(sha)),
		);
		const files = await this.diffEntries(mergeBase, head);
		const body: Schemas['commit-comparison'] = {
			url: `${this.api}/compare/${basehead}`,
			html_url: `${this.web}/compare/${basehead}`,
			permalink_url: `${this.web}/compare/${this.owner}:${base}...${this.owner}:${head}`,
			diff_url: `${this.web}/compare/${basehead}.diff`,
			patch_url: `${this.web}/compare/${basehead}.patch`,
			base_commit: await this.commitBody(base),
			merge_base_commit: await this.commitBody(mergeBase),
			status,
			ahead_by: aheadBy,
			behind_by: behindBy,
			total_commits: aheadBy,
			commits,
			files: files.slice(0, this.options.compareFileLimit ?? 300),
		};
		return { status: 200, body };
	}

	private async commitBody(sha: string): Promise<Schemas['commit']> {
		const format = '%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B';
		const fields = (await this.git(['show', '-s', `--format=${format}`, sha])).text.split('\0');
		const [tree, parents, authorName, authorEmail, authorDate] = fields;
		const [committerName, committerEmail, committerDate, message] = fields.slice(5);
		return {
			url: `${this.api}/commits/${sha}`,
			sha,
			node_id: Buffer.from(`commit:${sha}`).toString('base64'),
			html_url: `${this.web}/commit/${sha}`,
			comments_url: `${this.api}/commits/${sha}/comments`,
			commit: {
				url: `${this.api}/git/commits/${sha}`,
				author: { name: authorName, email: authorEmail, date: authorDate },
				committer: { name: committerName, email: committerEmail, date: committerDate },
				message: message.replace(/\n+$/, ''),
				comment_count: 0,
				tree: { sha: tree, url: `${this.api}/git/trees/${tree}` },
			},
			author: null,
			committer: null,
			parents: parents
				.split(' ')
				.filter(Boolean)
				.map((parent) => ({
					sha: parent,
					url: `${this.api}/commits/${parent}`,
					html_url: `${this.web}/commit/${parent}`,
				})),
		};
	}

	/** GitHub's file list for a diff: git's raw diff with renames, plus line counts. */
	private async diffEntries(from: string, to: string): Promise<Schemas['diff-entry'][]> {
		const common = ['diff-tree', '-r', '-z', '-M', '--no-commit-id', from, to];
		const raw = (await this.git([...common, '--raw', '--no-abbrev'])).text.split('\0');
		const numstat = (await this.git([...common, '--numstat'])).text.split('\0');
		const statuses: Record<string, Schemas['diff-entry']['status']> = {
			A: 'added',
			D: 'removed',
			M: 'modified',
			R: 'renamed',
			C: 'copied',
			T: 'changed',
		};
		const entries: Schemas['diff-entry'][] = [];
		for (let i = 0, n = 0; i < raw.length - 1; ) {
			const [, , oldSha, newSha, code] = raw[i].slice(1).split(' ');
			const twoPaths = code[0] === 'R' || code[0] === 'C';
			const previous = twoPaths ? raw[i + 1] : undefined;
			const path = twoPaths ? raw[i + 2] : raw[i + 1];
			i += twoPaths ? 3 : 2;
			const [added, deleted] = numstat[n].split('\t');
			n += twoPaths ? 3 : 1;
			const additions = Number(added) || 0;
			const deletions = Number(deleted) || 0;
			const status = statuses[code[0]] ?? 'modified';
			const at = status === 'removed' ? from : to;
			const patchText = (await this.git(['diff', '--no-color', '-U3', '-M', from, to, '--', ...(previous ? [previous] : []), path])).text;
			const hunkStart = patchText.indexOf('\n@@');
			entries.push({
				...(hunkStart >= 0 ? { patch: patchText.slice(hunkStart + 1).replace(/\n$/, '') } : {}),
				sha: status === 'removed' ? oldSha : newSha,
				filename: path,
				status,
				additions,
				deletions,
				changes: additions + deletions,
				blob_url: `${this.web}/blob/${at}/${path}`,
				raw_url: `${this.web}/raw/${at}/${path}`,
				contents_url: `${this.api}/contents/${path}?ref=${at}`,
				...(previous ? { previous_filename: previous } : {}),
			});
		}
		return entries;
	}

	private async resolve(ref: string, type = 'commit'): Promise<string | undefined> {
		const peeled = `${ref}^{${type}}`;
		const result = await this.git(['rev-parse', '--verify', '--quiet', '--end-of-options', peeled]);
		return result.code === 0 ? result.text.trim() : undefined;
	}

	private async gitText(args: string[]): Promise<string> {
		return (await this.git(args)).text.trim();
	}

	private git(args: string[]): Promise<{ stdout: Buffer; text: string; code: number }> {
		return new Promise((resolve) => {
			execFile(
				'git',
				['-C', this.options.repoPath, ...args],
				{ encoding: 'buffer', maxBuffer: 1 << 30, env: GIT_ENV },
				(error, stdout) => {
					const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
					resolve({ stdout, text: stdout.toString('utf8'), code });
				},
			);
		});
	}
}
